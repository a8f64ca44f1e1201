// The dashboard: controls (dock), live loss and accuracy charts (centre), digit predictions (dock) and a
// status bar. It knows nothing of threads: it emits requests and receives the run's events as plain values.
#pragma once

#include "model/config.h"
#include "model/records.h"
#include "model/runrecord.h"

#include <QMainWindow>

class QCheckBox;
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
class LossChart;

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
    const reglab::RunRecord &lastRecord() const { return m_lastRecord; }
    bool hasRun() const { return m_hasRun; }

public Q_SLOTS:
    // The run's events, in order.
    void onRunStarted(const reglab::RunInfo &info);
    void onStep(const reglab::StepRecord &record);
    void onLambdaChange(const reglab::LambdaChange &change);
    void onProgress(const reglab::Progress &progress);
    void onEpoch(const reglab::EpochRecord &record);
    void onPredictions(const reglab::Predictions &predictions);
    void onRunFinished(const reglab::RunRecord &record);
    // Pushes buffered points to the charts (the redraw timer calls it).
    void flushCharts();

Q_SIGNALS:
    void startRequested(const reglab::TrainConfig &config);
    void pauseRequested();
    void resumeRequested();
    void stopRequested();
    void l1Changed(double value);
    void l2Changed(double value);
    void learningRateChanged(double value);
    // Emitted from closeEvent: whoever trains must stop now (the window closes right after).
    void closing();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void start();
    void togglePause();
    void reset();
    void saveRecord();
    void setRunning(bool running);
    void buildMenus();

    bool m_persist;
    ControlPanel *m_controls;
    LossChart *m_loss;
    AccuracyChart *m_accuracy;
    DigitPanel *m_digits;
    QDockWidget *m_controlDock, *m_digitDock;
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
    std::int64_t m_stepsPerEpoch = 0;
    double m_l1 = 0, m_l2 = 0, m_lr = 0; // the values in force, to label what a change changed
};

} // namespace reglab::ui
