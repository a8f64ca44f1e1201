// Every run the window holds, as a table model: its record, name, colour, whether it is shown on the charts,
// and its status and final accuracies. The runs list is a view on it; the chart overlays, the network views
// and exports read from it. The live run is a row like any other (named and coloured when it starts) whose
// record grows with its events.
#pragma once

#include "model/events.h"
#include "model/runrecord.h"
#include "ui/runs/runview.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QList>

#include <memory>
#include <vector>

namespace reglab::ui {

class RunModel : public QAbstractTableModel, public RunView {
    Q_OBJECT
public:
    // The accuracies come right after the name: in a narrow dock they stay in view; the long configuration last.
    enum Column { NameColumn, ValColumn, TestColumn, StatusColumn, ConfigColumn, ColumnCount };
    enum Role { IdRole = Qt::UserRole + 1, ColorRole, LiveRole };

    explicit RunModel(QObject *parent = nullptr);

    // Adds a run and returns its id (ids are never reused); it keeps the colour its record names, or gets one
    // for good from the palette (one no shown run has, the least used), and its name is made unique ("name (2)"). `live`: the run that
    // is training now (at most one; a new live run ends the previous one's live state).
    int addRun(const reglab::RunRecord &record, const QString &name, bool shown = true, bool live = false);
    void removeRun(int id);
    // The whole record (a run that ended, or one replaced).
    void setRecord(int id, const reglab::RunRecord &record);
    // The live run's record grows: steps and changes quietly, epochs with a row update.
    // Files one of the run's events in its record (RunRecordBuilder: steps, changes, epochs, ...).
    void apply(int id, const reglab::TrainEvent &event);
    void setName(int id, const QString &name);
    void setShown(int id, bool shown);
    // The run's last weight snapshot, kept in memory (a run of this session), for the network views. Its first
    // layer also joins the run's weight history (a later snapshot of the same epoch replaces that epoch's).
    void setSnapshot(int id, std::shared_ptr<const reglab::WeightSnapshot> snapshot);
    // A run of this session's first-layer weights, one snapshot per epoch seen (oldest first), for the weights'
    // animation; empty for a run opened from a file (its weights file holds only the last). Past kHistoryBytes a
    // run keeps every other epoch (the first and the last always), so a long run costs bounded memory.
    const std::vector<std::shared_ptr<const reglab::WeightSnapshot>> &weightHistory(int id) const;
    static constexpr std::size_t kHistoryBytes = std::size_t(48) << 20;
    // RunView: the live run's record grows with its steps, setting changes, epochs and weight snapshots.
    void onStarted(const reglab::RunInfo &) override {}
    void onEvent(const reglab::TrainEvent &event) override;
    // The run's last weight snapshot: the one in memory, or else the one saved beside its record (RUN.weights),
    // read when first asked for (at most kLoadedSnapshots of those stay in memory); null when it has none or its
    // file cannot be read (snapshotProblem() says why).
    std::shared_ptr<const reglab::WeightSnapshot> snapshot(int id) const;
    // Whether the run has a snapshot, without reading a file: in memory, or a file beside its record not found bad.
    bool hasSnapshot(int id) const;
    // Why the run's saved weights could not be read; "" when they could or there are none.
    QString snapshotProblem(int id) const;
    static constexpr int kLoadedSnapshots = 8;
    // The file the run is kept in (the run library, or where it was opened from); "" when only in memory. A
    // weights file beside it (reglab::weightsPathFor) is the run's saved snapshot.
    void setPath(int id, const QString &path);
    // The weights file beside a record (reglab::weightsPathFor): "run.json" -> "run.weights".
    static QString weightsPathFor(const QString &recordPath);
    QString path(int id) const;
    // The live run: the one whose series are the live charts' (training now, or the last to end); -1 when
    // none. setLive(-1) makes the current one a compared run like the others.
    int liveId() const { return m_liveId; }
    void setLive(int id);

    int count() const { return int(m_runs.size()); }
    QList<int> ids() const;
    QList<int> shownIds() const;
    bool contains(int id) const { return rowOf(id) >= 0; }
    const reglab::RunRecord *record(int id) const;
    QString name(int id) const;
    // The name a person (or a preset) gave the run; "" when it is named after its configuration ("L1 0.01 (all) -
    // L2 off - bs 50", "... (2)") or its file's base name, which a legend replaces by what differs (runnames.h).
    QString givenName(int id) const;
    QColor color(int id) const;
    bool isShown(int id) const;
    int rowOf(int id) const;
    int idAt(int row) const;
    // `name`, or "name (2)", "name (3)", ... so that no other run than `exceptId` has it.
    QString uniqueName(const QString &name, int exceptId = -1) const;
    // The configuration column: the short label, the epochs and the settings changed mid-run
    // ("L1 0.01 (all) - L2 off - bs 50, 10 epochs, L1\u21920.001 at step 800").
    static QString configurationText(const reglab::RunRecord &record);

    // Many changes at once (opening 500 records): comparisonChanged is held back until the outermost batch ends,
    // then emitted once, so the charts are rebuilt once instead of once per run. Use Batch.
    class Batch {
    public:
        explicit Batch(RunModel *model) : m_model(model) { ++m_model->m_batchDepth; }
        ~Batch() { m_model->endBatch(); }
        Batch(const Batch &) = delete;
        Batch &operator=(const Batch &) = delete;

    private:
        RunModel *m_model;
    };

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    // What the charts compare changed: a run other than the live one was added, removed, renamed, shown or
    // hidden, or its record replaced. The live run's own growth does not count (its series are live).
    void comparisonChanged();
    // A run got its first weight snapshot (in memory, or a file beside its record).
    void snapshotsChanged();

private:
    struct Entry {
        int id = 0;
        reglab::RunRecord record;
        QString name;
        QColor color;
        bool shown = true;
        QString path;
        std::shared_ptr<const reglab::WeightSnapshot> snapshot;
        std::vector<std::shared_ptr<const reglab::WeightSnapshot>> history; // first layer only, one per epoch
        // The weights saved beside the record: its path ("" : none), and once read, the snapshot or why not.
        QString weightsPath;
        mutable std::shared_ptr<const reglab::WeightSnapshot> loaded;
        mutable QString weightsProblem;
        mutable quint64 lastUse = 0;
    };
    void rowChanged(int row, int firstColumn = NameColumn, int lastColumn = ColumnCount - 1);
    static void keepInHistory(std::vector<std::shared_ptr<const reglab::WeightSnapshot>> &history,
                              const reglab::WeightSnapshot &snapshot);
    // comparisonChanged now, or at the end of the batch; snapshotsChanged likewise.
    void compare();
    void snapshotsGained();
    void endBatch();
    // A palette colour that no shown run other than `exceptId` has, the least used by all runs (when every colour
    // is shown: the least used).
    QColor freeColor(int exceptId) const;
    // The same run (its start time and seed), listed twice.
    static bool sameRun(const reglab::RunRecord &a, const reglab::RunRecord &b);

    std::vector<Entry> m_runs;
    int m_nextId = 1;
    int m_liveId = -1;
    int m_batchDepth = 0;
    bool m_comparePending = false;
    bool m_snapshotsPending = false;
    mutable quint64 m_uses = 0; // orders the snapshots read from files by their last use
};

} // namespace reglab::ui
