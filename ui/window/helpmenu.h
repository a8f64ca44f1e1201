// Help: the keyboard shortcuts (read from the window's own actions, so the list is never out of date) and
// what RegLab is.
#pragma once

#include <QMenu>

namespace reglab::ui {

class HelpMenu : public QMenu {
    Q_OBJECT
public:
    explicit HelpMenu(QWidget *window);
    // "Ctrl+Return\tStart", one line per action with a shortcut, as the dialog lists them.
    QStringList shortcutLines() const;
    void showShortcuts();

private:
    QWidget *m_window;
};

} // namespace reglab::ui
