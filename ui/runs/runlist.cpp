#include "ui/runs/runlist.h"

#include "model/runfiles.h"
#include "model/weightsfile.h"
#include "ui/runs/runmodel.h"

#include <QAction>
#include <QCheckBox>
#include <QCoreApplication>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>

#include <QGridLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QMenu>
#include <QProgressDialog>
#include <QPushButton>
#include <QSettings>
#include <QTreeView>
#include <QVBoxLayout>

namespace reglab::ui {

namespace {

std::vector<std::string> toStd(const QStringList &list)
{
    std::vector<std::string> out;
    for (const QString &s : list)
        out.push_back(s.toStdString());
    return out;
}

QString htmlLines(const std::vector<std::string> &lines)
{
    QStringList out;
    for (const std::string &line : lines)
        out << QString::fromStdString(line).toHtmlEscaped();
    return out.join(QStringLiteral("<br>"));
}

// The list's keys that are no action's shortcut (Space would clash with the window's Pause, Enter with nothing but
// is the view's own): eventFilter answers these, and Help > Keyboard shortcuts reads them from here.
struct RunKey {
    const char *keys, *text;
};
constexpr RunKey kRunKeys[] = {
    {QT_TRANSLATE_NOOP("RunList", "Space"),
     QT_TRANSLATE_NOOP("RunList", "In Runs: tick or untick the selected run (show it on the charts)")},
    {QT_TRANSLATE_NOOP("RunList", "Enter"),
     QT_TRANSLATE_NOOP("RunList", "In Runs: show the selected run on the charts")},
    {QT_TRANSLATE_NOOP("RunList", "Menu, Shift+F10"),
     QT_TRANSLATE_NOOP("RunList", "In Runs: the selected run's menu (show, rename, save, remove)")},
};

} // namespace

QStringList RunList::keyHelp()
{
    QStringList lines;
    for (const RunKey &k : kRunKeys)
        lines << QCoreApplication::translate("RunList", k.keys) + QLatin1Char('\t') +
                     QCoreApplication::translate("RunList", k.text);
    return lines;
}

RunList::RunList(RunModel *model, QWidget *parent) : QWidget(parent), m_model(model)
{
    m_view = new QTreeView(this);
    m_view->setModel(model);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    // The name and the accuracies first and always in view; the long configuration takes what is left.
    m_view->header()->setStretchLastSection(true);
    m_view->header()->setSectionResizeMode(RunModel::NameColumn, QHeaderView::Interactive);
    m_view->setColumnWidth(RunModel::NameColumn, 150);
    for (int column : {RunModel::ValColumn, RunModel::TestColumn, RunModel::StatusColumn})
        m_view->header()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_view->setToolTip(tr("Tick runs to overlay them on the charts; double-click a name to rename it."));
    m_view->setAccessibleName(tr("Runs"));
    m_view->setAccessibleDescription(m_view->toolTip());
    m_open = new QPushButton(tr("Open\u2026"), this);
    m_save = new QPushButton(tr("Save\u2026"), this);
    m_remove = new QPushButton(tr("Remove"), this);
    m_undo = new QPushButton(tr("Undo remove"), this);
    m_undo->setToolTip(tr("Bring back the run removed last, with its file"));
    m_undo->setEnabled(false);
    m_open->setToolTip(tr("Open run records (JSON) from reglab-train or an earlier session"));
    m_save->setToolTip(tr("Save the selected run's record as JSON"));
    m_remove->setToolTip(tr("Remove the selected run from the list"));

    m_keepShown = new QCheckBox(tr("Compare new runs with the shown runs"), this);
    m_keepShown->setToolTip(tr("Ticked: Start keeps the runs ticked now on the charts beside the new run. Not "
                               "ticked: a new run starts on clean charts; earlier runs stay here, unticked. A "
                               "preset always starts clean."));

    // Two by two: the list fits a narrow sidebar.
    auto *buttons = new QGridLayout;
    buttons->addWidget(m_open, 0, 0);
    buttons->addWidget(m_save, 0, 1);
    buttons->addWidget(m_remove, 1, 0);
    buttons->addWidget(m_undo, 1, 1);
    buttons->setColumnStretch(2, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_view);
    layout->addWidget(m_keepShown);
    layout->addLayout(buttons);

    connect(m_open, &QPushButton::clicked, this, &RunList::openDialog);
    connect(m_save, &QPushButton::clicked, this, [this] {
        if (currentId() >= 0)
            saveDialog(currentId());
    });
    connect(m_remove, &QPushButton::clicked, this, [this] { remove(currentId()); });
    connect(m_undo, &QPushButton::clicked, this, &RunList::undoRemove);
    // The same by keyboard and in the list's menu (Menu key, Shift+F10, right button): the keys work while the
    // focus is in the list, and Help > Keyboard shortcuts lists them as it lists every action.
    const auto listAction = [this](const QString &text, const QKeySequence &key, auto slot) {
        auto *action = new QAction(text, this);
        action->setShortcut(key);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(action, &QAction::triggered, this, slot);
        m_view->addAction(action);
        return action;
    };
    m_showAction = listAction(tr("Show on the charts"), {}, [this] { m_model->setShown(currentId(), true); });
    m_renameAction = listAction(tr("Rename run"), QKeySequence(Qt::Key_F2), [this] {
        if (const int row = m_model->rowOf(currentId()); row >= 0)
            m_view->edit(m_model->index(row, RunModel::NameColumn));
    });
    m_saveAction = listAction(tr("Save run\u2026"), {}, [this] {
        if (currentId() >= 0)
            saveDialog(currentId());
    });
    m_removeAction = listAction(tr("Remove run"), QKeySequence::Delete, [this] { remove(currentId()); });
    m_undoAction = listAction(tr("Undo remove run"), QKeySequence::Undo, &RunList::undoRemove);
    m_undoAction->setEnabled(false);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_view->installEventFilter(this);
    // A renamed run in the library is saved under its new name.
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &from, const QModelIndex &, const QList<int> &roles) {
                const int id = m_model->idAt(from.row());
                if (roles.contains(Qt::EditRole) && !m_library.isEmpty() &&
                    m_model->path(id).startsWith(m_library + QLatin1Char('/'))) {
                    reglab::RunRecord record = *m_model->record(id);
                    record.name = m_model->name(id).toStdString();
                    if (const std::string error =
                            reglab::writeFileAtomically(m_model->path(id).toStdString(), reglab::toJson(record));
                        !error.empty())
                        Q_EMIT problem(
                            tr("Could not save the new name: %1").arg(QString::fromStdString(error).toHtmlEscaped()));
                }
            });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &RunList::updateButtons);
    // A new run is selected, so Save and Remove act on what was just added.
    connect(m_model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int, int last) {
                if (!m_adding) // many at once: the last one becomes current once they are all in
                    setCurrentId(m_model->idAt(last));
            });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &RunList::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &RunList::updateButtons);
    updateButtons();
}

void RunList::startClean()
{
    for (int id : m_model->shownIds())
        m_model->setShown(id, false);
}

void RunList::runStarting()
{
    if (m_keepShown->isChecked() || m_model->shownIds().isEmpty())
        return;
    startClean();
    Q_EMIT message(tr("A new run on clean charts: earlier runs are unticked in Runs (tick \"Compare new runs with "
                      "the shown runs\" to keep them)"));
}

void RunList::loadSettings(const QSettings &settings)
{
    m_keepShown->setChecked(settings.value(QStringLiteral("runs/keepShownOnStart"), false).toBool());
}

void RunList::saveSettings(QSettings &settings) const
{
    settings.setValue(QStringLiteral("runs/keepShownOnStart"), m_keepShown->isChecked());
}

int RunList::currentId() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? m_model->idAt(current.row()) : -1;
}

void RunList::setCurrentId(int id)
{
    const int row = m_model->rowOf(id);
    if (row >= 0)
        m_view->setCurrentIndex(m_model->index(row, RunModel::NameColumn));
    updateButtons();
}

bool RunList::eventFilter(QObject *watched, QEvent *event)
{
    // The keys of kRunKeys.
    // The view's own keys only: an editor's Return (renaming a run) comes up to the view unused, and ticking the run
    // then would put its old name back into the editor before the new one is saved.
    if (watched != m_view || event->type() != QEvent::KeyPress || !m_view->hasFocus())
        return QWidget::eventFilter(watched, event);
    const auto *key = static_cast<QKeyEvent *>(event);
    const int id = currentId();
    const Qt::KeyboardModifiers mods = key->modifiers() & ~Qt::KeypadModifier;
    if (key->key() == Qt::Key_Menu || (key->key() == Qt::Key_F10 && mods == Qt::ShiftModifier)) {
        // Qt makes no context menu of these keys: the list's actions, under the selected row.
        auto *menu = new QMenu(this);
        menu->setAttribute(Qt::WA_DeleteOnClose);
        menu->addActions(m_view->actions());
        const QRect row = m_view->visualRect(m_view->currentIndex());
        menu->popup(m_view->viewport()->mapToGlobal(row.isValid() ? row.bottomLeft() : QPoint(0, 0)));
        return true;
    }
    if (id < 0 || mods != Qt::NoModifier)
        return false;
    if (key->key() == Qt::Key_Delete && !m_removeAction->isEnabled()) { // Remove is off: say why, not nothing
        Q_EMIT message(tr("The run that is training cannot be removed: stop it (Stop), then remove it"));
        return true;
    }
    if (key->key() == Qt::Key_Space) { // the window's Pause lets the list have it (SpaceKeyFilter)
        m_model->setShown(id, !m_model->isShown(id));
        return true;
    }
    if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
        m_model->setShown(id, true);
        return true;
    }
    return false;
}

void RunList::updateButtons()
{
    const int id = currentId();
    m_save->setEnabled(id >= 0);
    m_remove->setEnabled(id >= 0 &&
                         !(id == m_model->liveId() && m_model->record(id)->status == reglab::RunStatus::Running));
    m_removeAction->setEnabled(m_remove->isEnabled());
    for (QAction *action : {m_showAction, m_renameAction, m_saveAction})
        action->setEnabled(id >= 0);
    m_remove->setToolTip(m_library.isEmpty() ? tr("Remove the selected run from the list")
                                             : tr("Remove the selected run from the list and from the kept runs"));
}

int RunList::add(const reglab::LoadedRuns &loaded, bool recovered)
{
    // The charts are rebuilt once for all of them, and the list's current row set once: per run, each redid the
    // work of every run before it (500 records froze the window for minutes).
    {
        const RunModel::Batch batch(m_model);
        m_adding = true;
        int last = -1;
        for (const reglab::LoadedRun &run : loaded.runs) {
            last = m_model->addRun(run.record, QString::fromStdString(run.name), true);
            m_model->setPath(last, QString::fromStdString(run.path));
            if (recovered) // a recovered run lives on in the library, not in the journal it came from
                keep(last);
        }
        m_adding = false;
        if (last >= 0)
            setCurrentId(last);
    }
    QStringList problems;
    if (!loaded.problems.empty())
        problems << (recovered ? tr("<b>Could not recover %n interrupted run(s)</b> (their journals are kept):<br>%1",
                                    nullptr, int(loaded.problems.size()))
                               : tr("<b>Could not open %n run file(s)</b> (nothing else changed):<br>%1", nullptr,
                                    int(loaded.problems.size())))
                        .arg(htmlLines(loaded.problems));
    if (!loaded.notUnderstood.empty())
        problems << tr("<b>Opened with what this version understands:</b><br>%1").arg(htmlLines(loaded.notUnderstood));
    if (!loaded.notRemoved.empty())
        problems << tr("Recovered, but could not remove the journal(s) (remove them by hand):<br>%1")
                        .arg(htmlLines(loaded.notRemoved));
    if (!problems.isEmpty())
        Q_EMIT problem(problems.join(QStringLiteral("<br>")));
    const int count = int(loaded.runs.size());
    if (count > 0) {
        Q_EMIT runsAdded();
        Q_EMIT message(recovered ? tr("Recovered %n interrupted run(s) into the runs list (stopped where the "
                                      "program ended)",
                                      nullptr, count)
                                 : tr("Opened %n run(s)", nullptr, count));
    }
    return count;
}

int RunList::openFiles(const QStringList &paths)
{
    constexpr int kQuietly = 50; // fewer open in a blink; more get a progress dialog that can stop them
    if (paths.size() <= kQuietly)
        return add(reglab::openRunFiles(toStd(paths)), false);
    QProgressDialog progress(tr("Opening %n run record(s)\u2026", nullptr, int(paths.size())), tr("Stop"), 0,
                             int(paths.size()), this);
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(500);
    reglab::LoadedRuns all;
    int read = 0;
    for (; read < paths.size() && !progress.wasCanceled(); ++read) {
        progress.setValue(read);
        reglab::LoadedRuns one = reglab::openRunFiles({paths[read].toStdString()});
        all.problems.insert(all.problems.end(), one.problems.begin(), one.problems.end());
        all.notUnderstood.insert(all.notUnderstood.end(), one.notUnderstood.begin(), one.notUnderstood.end());
        for (reglab::LoadedRun &run : one.runs)
            all.runs.push_back(std::move(run));
    }
    progress.setValue(int(paths.size()));
    if (read < paths.size())
        Q_EMIT message(
            tr("Stopped opening: %1 of %2 run record(s) were not opened").arg(paths.size() - read).arg(paths.size()));
    return add(all, false);
}

int RunList::recover(const QStringList &paths)
{
    return add(reglab::recoverJournals(toStd(paths)), true);
}

int RunList::discard(const QStringList &paths)
{
    const int discarded = reglab::discardJournals(toStd(paths));
    Q_EMIT message(tr("Discarded %n interrupted run(s)", nullptr, discarded));
    return discarded;
}

void RunList::openDialog()
{
    const QStringList paths =
        QFileDialog::getOpenFileNames(this, tr("Open runs"), QString(), tr("Run records (*.json);;All files (*)"));
    if (!paths.isEmpty())
        openFiles(paths);
}

QString RunList::suggestedFileName(const QString &runName)
{
    QString name;
    for (const QChar c : runName)
        name += c.isLetterOrNumber() || c == QLatin1Char('.') || c == QLatin1Char('-') ? c : QLatin1Char('_');
    return (name.isEmpty() ? QStringLiteral("run") : name) + QStringLiteral(".json");
}

void RunList::setLibrary(const QString &dir)
{
    m_library = dir;
}

bool RunList::keep(int id)
{
    const reglab::RunRecord *record = m_model->record(id);
    if (m_library.isEmpty() || !record)
        return false;
    reglab::RunRecord named = *record;
    named.name = m_model->name(id).toStdString();
    std::string error;
    const std::string path = reglab::keepRun(named, m_library.toStdString(), error);
    if (path.empty()) {
        Q_EMIT problem(tr("Could not keep the run in %1: %2 (it stays in the list; save it with Save)")
                           .arg(m_library.toHtmlEscaped(), QString::fromStdString(error).toHtmlEscaped()));
        return false;
    }
    const QString weightsError = saveWeights(id, QString::fromStdString(path));
    m_model->setPath(id, QString::fromStdString(path));
    if (!weightsError.isEmpty())
        Q_EMIT problem(tr("Kept the run, but not its weights (reopened, it will have no network views): %1")
                           .arg(weightsError.toHtmlEscaped()));
    return true;
}

QString RunList::saveWeights(int id, const QString &recordPath) const
{
    const reglab::RunRecord *record = m_model->record(id);
    const auto snapshot = m_model->snapshot(id);
    if (!record || !snapshot || snapshot->layers.empty())
        return {};
    const std::string path = QFile::encodeName(RunModel::weightsPathFor(recordPath)).toStdString();
    return QString::fromStdString(reglab::writeWeightsFile(path, *snapshot, reglab::weightsRunKey(*record)));
}

int RunList::openLibrary()
{
    if (m_library.isEmpty())
        return 0;
    const reglab::LoadedRuns kept = reglab::keptRuns(m_library.toStdString());
    {
        const RunModel::Batch batch(m_model); // the views follow once for all of them
        for (const reglab::LoadedRun &run : kept.runs) {
            const int id = m_model->addRun(run.record, QString::fromStdString(run.name), false);
            m_model->setPath(id, QString::fromStdString(run.path));
        }
    }
    if (!kept.problems.empty())
        Q_EMIT problem(
            tr("<b>Could not read %n kept run(s)</b> (left where they are):<br>%1", nullptr, int(kept.problems.size()))
                .arg(htmlLines(kept.problems)));
    return int(kept.runs.size());
}

void RunList::remove(int id)
{
    if (id < 0 || !m_model->contains(id) ||
        (id == m_model->liveId() && m_model->record(id)->status == reglab::RunStatus::Running))
        return; // the run that trains goes when it has ended
    Removed removed{*m_model->record(id), m_model->name(id), m_model->path(id), {}, {}, {}, m_model->isShown(id)};
    if (!m_library.isEmpty() && removed.path.startsWith(m_library + QLatin1Char('/')) && QFile::exists(removed.path)) {
        // To the desktop's trash, so nothing is lost by a slip; with no trash, kept until the list closes. Its
        // weights go with it.
        const auto toTrash = [this](const QString &file, QString &trashed) {
            if (!QFile::moveToTrash(file, &trashed)) {
                trashed.clear();
                m_deleteAtEnd << file;
            }
        };
        toTrash(removed.path, removed.trashed);
        const QString weights = RunModel::weightsPathFor(removed.path);
        if (QFileInfo(weights).isFile()) {
            removed.weights = weights;
            toTrash(weights, removed.weightsTrashed);
        }
    }
    m_model->removeRun(id);
    m_removed = removed;
    m_undo->setEnabled(true);
    m_undoAction->setEnabled(true);
    Q_EMIT message(removed.trashed.isEmpty() ? tr("Removed %1 (Undo remove brings it back)").arg(removed.name)
                                             : tr("Moved %1 to the trash (Undo remove brings it back)").arg(removed.name));
}

void RunList::undoRemove()
{
    if (!m_removed)
        return;
    const Removed removed = *m_removed;
    m_removed.reset();
    m_undo->setEnabled(false);
    m_undoAction->setEnabled(false);
    if (!removed.trashed.isEmpty() && !QFile::rename(removed.trashed, removed.path)) {
        Q_EMIT problem(tr("Could not bring back %1 from the trash").arg(removed.trashed.toHtmlEscaped()));
        return;
    }
    m_deleteAtEnd.removeAll(removed.path);
    if (!removed.weights.isEmpty()) { // its weights too; without them it is back, without network views
        m_deleteAtEnd.removeAll(removed.weights);
        if (!removed.weightsTrashed.isEmpty() && !QFile::rename(removed.weightsTrashed, removed.weights))
            Q_EMIT problem(tr("Brought the run back, but not its weights from %1")
                               .arg(removed.weightsTrashed.toHtmlEscaped()));
    }
    const int id = m_model->addRun(removed.record, removed.name, removed.shown); // in its own colour
    m_model->setPath(id, removed.path);
    setCurrentId(id);
}

RunList::~RunList()
{
    for (const QString &path : std::as_const(m_deleteAtEnd))
        QFile::remove(path);
}

void RunList::saveDialog(int id)
{
    const reglab::RunRecord *record = m_model->record(id);
    if (!record)
        return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Save run"), suggestedFileName(m_model->name(id)),
                                                      tr("Run records (*.json)"));
    if (path.isEmpty())
        return;
    reglab::RunRecord named = *record;
    named.name = m_model->name(id).toStdString();
    if (const std::string error = reglab::writeFileAtomically(path.toStdString(), reglab::toJson(named));
        !error.empty())
        Q_EMIT problem(tr("Could not save the run: %1").arg(QString::fromStdString(error).toHtmlEscaped()));
    else if (const QString weightsError = saveWeights(id, path); !weightsError.isEmpty())
        Q_EMIT problem(tr("Saved the run, but not its weights (reopened, it will have no network views): %1")
                           .arg(weightsError.toHtmlEscaped()));
}

} // namespace reglab::ui
