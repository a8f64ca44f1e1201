// The runs list: a view on the RunModel (tick to compare, double-click to rename) with Open, Save and Remove,
// and what brings runs in from files (records, interrupted runs' journals). By keyboard: Space ticks, Enter shows,
// F2 renames, Delete removes, Ctrl+Z undoes the removal, the Menu key opens the same actions as a menu.
#pragma once

#include "model/runrecord.h"

#include <QStringList>
#include <QWidget>

#include <optional>

class QAction;
class QCheckBox;
class QPushButton;
class QSettings;
class QTreeView;

namespace reglab {
struct LoadedRuns;
}

namespace reglab::ui {

class RunModel;

class RunList : public QWidget {
    Q_OBJECT
public:
    explicit RunList(RunModel *model, QWidget *parent = nullptr);
    ~RunList() override;

    RunModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }
    // The selected run, -1 when none.
    int currentId() const;
    void setCurrentId(int id);

    // Opens run records (from reglab-train or an earlier session), shown; a file that cannot be read is named
    // in problem() and changes nothing. Returns how many were opened.
    int openFiles(const QStringList &paths);
    // Adds each interrupted run, as far as its journal goes, and removes its journal; one that cannot be read
    // is named in problem() and kept. Returns how many were recovered.
    int recover(const QStringList &paths);
    // Removes the journals of interrupted runs the user chose not to recover; returns how many.
    int discard(const QStringList &paths);
    // The file dialogs behind Open and Save; Save suggests the run's name as the file name.
    void openDialog();
    void saveDialog(int id);
    static QString suggestedFileName(const QString &runName);

    // The run library (reglab::runLibraryDir(), or `dir`): every run that ends is kept there, renames are
    // saved, and Remove deletes its file; at the next start the kept runs are listed again (not shown).
    void setLibrary(const QString &dir);
    QString library() const { return m_library; }
    // Keeps a run that just ended (or was recovered) in the library, with its last weights beside its record;
    // false, with problem(), when it cannot.
    bool keep(int id);
    // Writes the run's last weight snapshot beside the record saved at `recordPath` (reglab::weightsPathFor), so
    // the run reopened shows its network views; "" when written or when the run has none, else what went wrong.
    QString saveWeights(int id, const QString &recordPath) const;
    // Lists the library's runs; returns how many.
    int openLibrary();
    // Removes a run from the list; its file, when it is in the library, goes to the desktop's trash (where
    // there is none: it stays until the list is closed). Undo brings the last removed run back, file and all.
    void remove(int id);
    bool canUndoRemove() const { return m_removed.has_value(); }
    void undoRemove();
    QPushButton *undoButton() const { return m_undo; }
    // The list's actions, in its context menu, with their keys while the list has the focus.
    QAction *renameAction() const { return m_renameAction; }
    QAction *removeAction() const { return m_removeAction; }
    QAction *undoAction() const { return m_undoAction; }
    // The keys the list answers to that are not actions' shortcuts (Space, Enter), "keys\ttext" a line, as
    // Help > Keyboard shortcuts lists them: read from the table the list's key handler follows.
    static QStringList keyHelp();

    // A new comparison (a preset): every run is unticked; each stays in the list.
    void startClean();
    // Start pressed: the new run is shown alone (earlier runs unticked, with a note saying so) unless "Compare
    // new runs with the shown runs" is ticked, which keeps the runs ticked now beside it.
    void runStarting();
    QCheckBox *keepShownBox() const { return m_keepShown; }
    void loadSettings(const QSettings &settings);
    void saveSettings(QSettings &settings) const;

Q_SIGNALS:
    // What went wrong, as rich text for the banner.
    void problem(const QString &text);
    // A passing note for the status bar.
    void message(const QString &text);
    // Runs were added from files: the list should come to the front.
    void runsAdded();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateButtons();
    int add(const reglab::LoadedRuns &loaded, bool recovered);

    RunModel *m_model;
    QTreeView *m_view;
    QPushButton *m_open, *m_save, *m_remove, *m_undo;
    QAction *m_showAction, *m_renameAction, *m_saveAction, *m_removeAction, *m_undoAction;
    // The last run removed: what Undo brings back.
    struct Removed {
        reglab::RunRecord record;
        QString name, path, trashed; // trashed: where the file went ("" : it was left in place until the end)
        QString weights, weightsTrashed; // the weights file beside it ("" : none), and where it went
        bool shown = false;
    };
    std::optional<Removed> m_removed;
    QStringList m_deleteAtEnd; // library files removed where no trash was: deleted when the list closes
    QCheckBox *m_keepShown;
    QString m_library; // "" : runs are not kept
    bool m_adding = false; // add() is adding many runs: the current row is set once, at the end
};

} // namespace reglab::ui
