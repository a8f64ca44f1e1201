// WheelGuard: a wheel event over an unfocused control is passed on to the panel that scrolls.
#include "ui/controls/wheelguard.h"

#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QEvent>
#include <QWidget>

namespace reglab::ui {

void WheelGuard::protect(QWidget *root)
{
    auto *guard = new WheelGuard(root);
    const auto guardOne = [guard](QWidget *w) {
        w->setFocusPolicy(Qt::StrongFocus); // not WheelFocus: the wheel alone does not choose it
        w->installEventFilter(guard);
    };
    for (QAbstractSpinBox *w : root->findChildren<QAbstractSpinBox *>())
        guardOne(w);
    for (QComboBox *w : root->findChildren<QComboBox *>())
        guardOne(w);
    for (QAbstractSlider *w : root->findChildren<QAbstractSlider *>())
        guardOne(w);
}

bool WheelGuard::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Wheel) {
        auto *w = static_cast<QWidget *>(watched);
        if (!w->hasFocus()) {
            // Ignored and handled: Qt offers it to the parents, up to the scroll area.
            event->ignore();
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}

} // namespace reglab::ui
