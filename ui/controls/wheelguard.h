// The mouse wheel over a scrolling panel scrolls the panel: a number box, combo box or slider under the
// pointer takes the wheel only once it has the focus (a click or Tab), so scrolling never changes a setting
// by passing over it (Epochs 10 -> 1 without a click).
#pragma once

#include <QObject>

class QWidget;

namespace reglab::ui {

class WheelGuard : public QObject {
public:
    // Guards every number box, combo box and slider inside `root` (and gives each the focus on a click or Tab
    // too, so the wheel works once it is chosen); the guard lives as long as `root`.
    static void protect(QWidget *root);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    using QObject::QObject;
};

} // namespace reglab::ui
