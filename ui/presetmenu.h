// The Presets menu: one entry per preset file (bundled and the user's), each asking before it queues its
// runs, and an entry that stops a preset after its current run.
#pragma once

#include <QMenu>
#include <QStringList>

namespace reglab::ui {

class PresetMenu : public QMenu {
    Q_OBJECT
public:
    // Lists the presets of `dirs`; a file that does not parse is left out with a warning.
    PresetMenu(const QStringList &dirs, QWidget *parent = nullptr);
    const QStringList &files() const { return m_files; }
    // Shows what `file` runs and asks; emits presetChosen when the user agrees.
    void confirm(const QString &file);

Q_SIGNALS:
    void presetChosen(const QString &file, bool withOptional);
    void cancelRequested();
    // A preset could not be read when chosen: what is wrong, in words.
    void problem(const QString &text);

private:
    QStringList m_files;
};

} // namespace reglab::ui
