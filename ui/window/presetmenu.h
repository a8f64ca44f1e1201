// The Presets menu: one entry per preset file (bundled and the user's), each asking before it queues its
// runs, and an entry that stops a preset after its current run.
#pragma once

#include "model/preset.h"

#include <QMenu>
#include <QStringList>

namespace reglab::ui {

class PresetMenu : public QMenu {
    Q_OBJECT
public:
    // Lists the presets of `dirs`; a file that does not parse is left out, and skipped() names it.
    PresetMenu(const QStringList &dirs, QWidget *parent = nullptr);
    const QStringList &files() const { return m_files; }
    // The preset files left out and why, as rich text for the banner; "" when every file was read.
    const QString &skipped() const { return m_skipped; }
    // The listed preset `wanted` names: by its file name ("forum-thread", "01-forum-thread") or by the name the
    // menu shows ("The forum thread", any case); "" when none. `known` (if given) gets every preset as
    // "\"The forum thread\" (01-forum-thread)", for a message.
    QString fileFor(const QString &wanted, QStringList *known = nullptr) const;
    // Where presets are looked for: the bundled folder, then the user's (<AppData>/presets).
    static QStringList presetDirs();
    // Shows what `file` runs and asks; emits presetChosen when the user agrees.
    void confirm(const QString &file);
    // Reads the preset with `base` (the controls' settings) under its values and asks for its runs
    // (presetRequested); false, with problem(), when it cannot be read.
    bool start(const QString &file, bool withOptional, const reglab::TrainConfig &base);

Q_SIGNALS:
    void presetChosen(const QString &file, bool withOptional);
    // Whoever trains runs these one after another.
    void presetRequested(const QString &name, const std::vector<reglab::PresetRun> &runs);
    void cancelRequested();
    // A preset could not be read: what is wrong, as rich text for the banner.
    void problem(const QString &text);
    void message(const QString &text);

private:
    QStringList m_files;
    QStringList m_names; // each file's preset name, as the menu shows it
    QString m_skipped;
};

} // namespace reglab::ui
