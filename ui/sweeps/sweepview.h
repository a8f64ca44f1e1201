// A sweep's folder of run records as a regularization path: a final metric against a swept setting, one curve
// per group, mean over seeds with a min-max band. It follows the folder, so a sweep that a pool or a cluster
// is still running fills in while it is watched; a click on a point asks for its runs in the comparison.
#pragma once

#include "model/runfiles.h"
#include "model/sweeppath.h"

#include <QString>
#include <QStringList>
#include <QWidget>

class QChartView;
class QComboBox;
class QFileSystemWatcher;
class QLabel;
class QTimer;

namespace reglab::ui {

class RunList;

class SweepView : public QWidget {
    Q_OBJECT
public:
    explicit SweepView(QWidget *parent = nullptr);

    // `folder` in the runs list's sweep window (one per list, made when first asked for, a window of its own
    // beside the dashboard), which follows the folder while a sweep fills it; a click on a point opens that
    // point's runs in the list.
    static SweepView *openFor(RunList *runs, const QString &folder);
    // File > Open sweep: asks for the folder, starting in startFolder(), then openFor().
    static void openDialog(RunList *runs);
    // Where Open sweep starts: where sweeps are written (the sweep dialog's folder for them, or the one above
    // the last sweep's chosen folder), never the current folder.
    static QString startFolder();

    // Shows the records in `folder` and follows it; "" stops.
    void setFolder(const QString &folder);
    QString folder() const { return m_folder; }
    // Reads the folder again now (it is also read shortly after it changes).
    void reload();

    QComboBox *metricBox() const { return m_metric; }
    QComboBox *xBox() const { return m_x; }
    QComboBox *groupBox() const { return m_group; }
    QChartView *chartView() const { return m_view; }
    int recordCount() const { return int(m_loaded.runs.size()); }
    QString summary() const;
    // The record files behind the point nearest to `pos` (chart view coordinates); empty when none is near.
    QStringList runsAt(const QPoint &pos) const;

Q_SIGNALS:
    // The runs behind a clicked point, to open in the comparison.
    void openRuns(const QStringList &paths);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void redraw();

    QString m_folder;
    reglab::LoadedRuns m_loaded;
    reglab::SweepPath m_path;
    QComboBox *m_metric, *m_x, *m_group;
    QLabel *m_status;
    QChartView *m_view;
    QFileSystemWatcher *m_watcher;
    QTimer *m_reloadSoon;
};

} // namespace reglab::ui
