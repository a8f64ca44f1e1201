// The centre of the window: the run's buttons and a headline saying what runs (or ran, and how it ended), what a
// comparison plots, the log-scale switch and the smoothing, and the live loss and accuracy charts filling the
// rest, with a banner for problems floating over them, with the compared runs of the RunModel drawn
// under the live one and a marker where a setting changed mid-run.
#pragma once

#include "model/config.h"
#include "model/records.h"
#include "model/runrecord.h"
#include "ui/runs/runview.h"

#include <QWidget>

#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QSettings;
class QSlider;
class QSplitter;

namespace reglab::ui {

class AccuracyChart;
class Banner;
class FlowLayout;
class LiveChart;
class LossChart;
class RunModel;

class LiveView : public QWidget, public RunView {
    Q_OBJECT
public:
    explicit LiveView(RunModel *runs, QWidget *parent = nullptr);

    Banner *banner() const { return m_banner; }
    // Puts the run's buttons (Start, Pause, Stop, Reset) before the headline, always in view.
    void setRunBar(QWidget *bar);
    LossChart *lossChart() const { return m_loss; }
    AccuracyChart *accuracyChart() const { return m_accuracy; }
    QCheckBox *logScaleBox() const { return m_logScale; }
    // What a comparison (two or more runs shown) plots, chosen here for every chart: total or data loss (0, 1),
    // test or validation accuracy (0, 1). The loss's smoothing weight, in hundredths (0 to 99).
    QComboBox *lossMetricBox() const { return m_lossMetric; }
    QComboBox *accuracyMetricBox() const { return m_accuracyMetric; }
    QSlider *smoothingSlider() const { return m_smoothing; }
    // Whether the charts compare runs (one series per run) rather than show the live run's parts.
    bool comparing() const { return m_comparing; }
    void saveSettings(QSettings &settings) const;
    void loadSettings(const QSettings &settings);
    QSplitter *splitter() const { return m_splitter; }
    // The line above the charts.
    QString headline() const;
    // Whether the run in progress (or the last one) got as far as its RunInfo.
    bool runStarted() const { return m_started; }

    // A run is about to start: the charts clear and the headline says what loads.
    void beginRun(const reglab::TrainConfig &config, const QString &dataName);
    // RunView: the headline names the run; steps, setting changes and epochs go to the charts.
    void onStarted(const reglab::RunInfo &info) override;
    void onEvent(const reglab::TrainEvent &event) override;
    void onStep(const reglab::StepRecord &step);
    // Marks the step where a setting changed; returns what changed ("L1=0.001", "dropout=0.5/0.5"), "" when
    // nothing did.
    QString onChange(const reglab::SettingChange &change);
    void onEpoch(const reglab::EpochRecord &epoch);
    // The headline says how the run ended; a divergence or a failure explains itself in the banner.
    void onFinished(const reglab::RunRecord &record);
    // Clears the charts (the compared runs stay); the headline stays (clear()) or says `headline`.
    void clear() override;
    void clear(const QString &headline);
    void setHeadline(const QString &text);
    // The window's redraw tick.
    void flush() override;
    // Both charts back to their home ranges (after a zoom or a pan); every new run starts there too.
    void resetViews();
    // Fonts for the presentation mode's scale.
    void restyle();
    // Whether the live run has collapsed (accuracy at chance, nearly every weight ~0).
    bool collapsed() const { return m_collapsed; }

Q_SIGNALS:
    // The user asked, from the collapse advice, for a fresh run with the current settings.
    void restartRequested();
    // A setting changed mid-run ("L1=0.001 from step 1200"), for the status bar.
    void changeNoted(const QString &text);

private:
    // The live run's series and the compared runs' overlays, as the shown runs and the choices want them.
    void updateComparison();
    double epochsAt(std::int64_t stepsDone) const;
    void explainCollapse(const reglab::EpochRecord &epoch);

    RunModel *m_runs;
    Banner *m_banner;
    FlowLayout *m_header; // the buttons and choices over the charts
    QLabel *m_headline;
    QCheckBox *m_logScale;
    QComboBox *m_lossMetric;
    QComboBox *m_accuracyMetric;
    QSlider *m_smoothing;
    QLabel *m_smoothingValue;
    bool m_comparing = false;
    QSplitter *m_splitter;
    LossChart *m_loss;
    AccuracyChart *m_accuracy;

    reglab::TrainConfig m_config;
    bool m_started = false;
    QString m_dataName;  // the data set as the controls named it, until RunInfo names it
    QString m_startLine; // what the headline said when the run started
    std::int64_t m_stepsPerEpoch = 0;
    std::vector<std::int64_t> m_epochEnds; // steps done at the end of each epoch so far
    reglab::TrainConfig m_inForce;          // the settings in force: the config and the changes so far
    bool m_collapsed = false;
    reglab::EpochRecord m_collapseEpoch;
};

} // namespace reglab::ui
