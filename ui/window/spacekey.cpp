#include "ui/window/spacekey.h"

#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QKeyEvent>
#include <QLineEdit>

namespace reglab::ui {

SpaceKeyFilter::SpaceKeyFilter(QWidget *window, QAction *pause) : QObject(window), m_window(window), m_pause(pause)
{
    qApp->installEventFilter(this);
}

bool SpaceKeyFilter::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::ShortcutOverride)
        return false;
    const auto *key = static_cast<QKeyEvent *>(event);
    auto *widget = qobject_cast<QWidget *>(watched);
    if (key->key() != Qt::Key_Space || key->modifiers() != Qt::NoModifier || !widget || widget->window() != m_window ||
        !m_pause->isEnabled())
        return false;
    // A list with a current row (Runs) ticks it: claimed, so the shortcut gives way and the list has the key.
    if (const auto *view = qobject_cast<QAbstractItemView *>(widget); view && view->currentIndex().isValid()) {
        event->accept();
        return true;
    }
    // A line edit of its own (renaming a run) types the space; one inside a number box does not.
    const auto *edit = qobject_cast<QLineEdit *>(widget);
    if (edit && !qobject_cast<QAbstractSpinBox *>(edit->parentWidget()))
        return false;
    // Swallowed unaccepted: the focus widget does not claim the key, so the Space shortcut (Pause) fires.
    event->ignore();
    return true;
}

} // namespace reglab::ui
