// The dashboard: controls (dock), live loss and accuracy charts (centre), digit predictions (dock) and a
// status bar. It knows nothing of threads: it emits requests and receives the run's events as plain values.
#pragma once

#include "model/config.h"
#include "model/preset.h"
#include "model/records.h"
#include "model/runrecord.h"

#include <QMainWindow>

#include <vector>

class QCheckBox;
class QDragEnterEvent;
class QDropEvent;
class QDockWidget;
class QFrame;
class QLabel;
class QProgressBar;
class QSplitter;
class QTimer;

namespace reglab::ui {

class AccuracyChart;
class ControlPanel;
class DigitPanel;
class LiveChart;
class LossChart;
class NetworkPanel;
class RunList;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    static constexpr int kRedrawIntervalMs = 40; // at most 25 redraws a second, however fast events arrive

    // `persistSettings` false: read the saved settings but never write them (screenshots, benchmarks).
    explicit MainWindow(bool persistSettings = true, QWidget *parent = nullptr);

    void saveSettings() const;
    // Puts the controls back to the forum's configuration.
    void restoreDefaults();

    // Shows a problem in plain words above the charts (the curves stay); empty text hides it.
    void showBanner(const QString &text);
    QString bannerText() const;
    bool bannerVisible() const;

    ControlPanel *controls() const { return m_controls; }
    LossChart *lossChart() const { return m_loss; }
    AccuracyChart *accuracyChart() const { return m_accuracy; }
    DigitPanel *digitPanel() const { return m_digits; }
    RunList *runList() const { return m_runs; }
    QCheckBox *logScaleBox() const { return m_logScale; }
    NetworkPanel *networkPanel() const { return m_network; }
    QDockWidget *networkDock() const { return m_networkDock; }
    // The record of the last run that ended (status Running: none yet).
    const reglab::RunRecord &lastRecord() const { return m_lastRecord; }
    bool hasRun() const { return m_hasRun; }
    bool isRunning() const { return m_running; }
    // The line above the charts saying what runs (or ran, and how it ended).
    QString runLabelText() const;
    // Writes the last run's record (a failed one too) as JSON; false, with a banner saying why, when there is
    // none or it cannot be written.
    bool saveRecordTo(const QString &path);

    // Opens run records (from reglab-train or an earlier session) into the runs list, ticked; a file that
    // cannot be read is named in the banner and changes nothing. Returns how many were opened.
    int openRunFiles(const QStringList &paths);
    // Runs whose program ended while they trained (a crash, a kill): the journals a process that is gone left
    // in the journal folder ($XDG_DATA_HOME/RegLab/journal).
    QStringList interruptedRuns() const;
    // Adds each interrupted run, as far as its journal goes, to the runs list ("Recovered: ...", stopped) and
    // removes its journal; a journal that cannot be read is named in the banner and kept. Returns how many
    // were recovered.
    int recoverInterruptedRuns(const QStringList &paths);
    // Removes the journals of interrupted runs the user chose not to recover, and says so in the status bar;
    // returns how many were removed.
    int discardInterruptedRuns(const QStringList &paths);
    // Preset files found in the bundled folder and in the user's data folder (<AppData>/presets).
    QStringList presetFiles() const;
    // Queues a preset's runs: the current settings, overridden by the preset's values. False, with a banner,
    // when the file cannot be read or a run is going.
    bool startPreset(const QString &file, bool withOptional);
    // Exports: PNG (at `scale`), SVG or PDF by suffix; "" or what went wrong (also shown in the banner).
    QString exportChart(LiveChart *chart, const QString &path, qreal scale = 1.0);
    QString exportDashboard(const QString &path, qreal scale = 1.0);
    void copyChart(LiveChart *chart);
    QString exportChartCsv(LiveChart *chart, const QString &path);

public Q_SLOTS:
    // Whether a run is going, as whoever trains sees it (TrainingController::runningChanged): locks the
    // structural controls and drives the redraw timer.
    void setRunning(bool running);
    // The run's events, in order.
    void onRunStarted(const reglab::RunInfo &info);
    void onStep(const reglab::StepRecord &record);
    void onLambdaChange(const reglab::LambdaChange &change);
    void onProgress(const reglab::Progress &progress);
    void onEpoch(const reglab::EpochRecord &record);
    void onPredictions(const reglab::Predictions &predictions);
    void onWeights(const reglab::WeightSnapshot &snapshot);
    void onGradientBalance(const reglab::GradientBalance &balance);
    void onValidationDetail(const reglab::ValidationDetail &detail);
    void onRunFinished(const reglab::RunRecord &record);
    // Pushes buffered points to the charts (the redraw timer calls it).
    void flushCharts();
    // A preset's run is about to start (PresetQueue::runStarting): the charts clear and the header names it.
    void onQueuedRunStarting(int index, int count, const QString &label, const reglab::TrainConfig &config);
    void onQueueEnded(const QString &presetName, bool completed, const QString &why);

Q_SIGNALS:
    void startRequested(const reglab::TrainConfig &config);
    void pauseRequested();
    void resumeRequested();
    void stopRequested();
    void l1Changed(double value);
    void l2Changed(double value);
    void learningRateChanged(double value);
    // The network panel's Refresh: a paused run sends its weights.
    void snapshotRequested();
    // Emitted from closeEvent: whoever trains must stop now (the window closes right after).
    void closing();
    // The user chose a preset: whoever trains runs these one after another.
    void presetRequested(const QString &name, const std::vector<reglab::PresetRun> &runs);
    void presetCancelRequested();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void start();
    // What every run's start does to the window, whoever asked for it; `name` is the run's name in the list.
    void beginRun(const reglab::TrainConfig &config, const QString &name);
    void updateOverlays();
    void openRunsDialog();
    void saveListedRun(int id);
    void choosePreset(const QString &file);
    void exportDialog(LiveChart *chart);
    void togglePause();
    void reset();
    void saveRecord();
    void clearRunView();
    double epochsAt(std::int64_t stepsDone) const;
    void buildMenus();
    QDockWidget *addDock(const QString &title, const QString &name, QWidget *content, Qt::DockWidgetArea area);

    bool m_persist;
    ControlPanel *m_controls;
    LossChart *m_loss;
    AccuracyChart *m_accuracy;
    DigitPanel *m_digits;
    QDockWidget *m_controlDock, *m_digitDock, *m_runsDock, *m_networkDock;
    NetworkPanel *m_network;
    RunList *m_runs;
    int m_liveRunId = -1;  // the listed run the live series show (not overlaid on itself)
    QString m_pendingName; // the name the run in progress gets in the list
    bool m_inPreset = false;
    qreal m_exportScale = 2.0;
    QSplitter *m_splitter;
    QFrame *m_banner;
    QLabel *m_bannerText;
    QLabel *m_runLabel;
    QCheckBox *m_logScale;
    QTimer *m_redraw;
    QLabel *m_epochLabel, *m_rateLabel, *m_etaLabel, *m_deviceLabel;
    QProgressBar *m_epochProgress;

    reglab::TrainConfig m_runConfig;
    reglab::RunRecord m_lastRecord;
    bool m_hasRun = false, m_running = false;
    bool m_discarding = false; // after Reset during a run: its remaining events are dropped until it ends
    QString m_runName;         // the data set as the controls named it, until RunInfo names it
    QString m_runHeadline;     // what the run label said when the run started
    std::int64_t m_stepsPerEpoch = 0;
    std::vector<std::int64_t> m_epochEnds; // steps done at the end of each epoch so far
    double m_l1 = 0, m_l2 = 0, m_lr = 0;   // the values in force, to label what a change changed
};

} // namespace reglab::ui
