// Space pauses and resumes wherever the focus is in the window: a number box with the focus takes no space
// (typing it would spoil the value) and lets the shortcut through. Text fields that take spaces (a run's name
// being edited) keep them, and so does a list with a current row (Space ticks a run in Runs; Ctrl+P pauses there).
#pragma once

#include <QObject>

class QAction;
class QWidget;

namespace reglab::ui {

class SpaceKeyFilter : public QObject {
    Q_OBJECT
public:
    // Installs itself on the application for the widgets of `window`.
    SpaceKeyFilter(QWidget *window, QAction *pause);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QWidget *m_window;
    QAction *m_pause;
};

} // namespace reglab::ui
