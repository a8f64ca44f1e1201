// Help: the lessons (the presets, each with what it shows), the keyboard shortcuts (read from the window's own
// actions, so the list is never out of date) and what RegLab is.
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
    // The presets' files (PresetMenu::files()): Help > Lessons lists each with what it shows.
    void setLessons(const QStringList &presetFiles) { m_lessons = presetFiles; }
    // "name\twhat it shows", one line per preset that can be read, in the presets menu's order.
    QStringList lessonLines() const;
    void showLessons();

private:
    // One table of two columns in a dialog (the shortcuts, the lessons).
    void showTable(const QString &title, const QStringList &headers, const QStringList &lines);

    QWidget *m_window;
    QStringList m_lessons;
};

} // namespace reglab::ui
