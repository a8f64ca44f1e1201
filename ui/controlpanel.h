// The controls of a run: regularization strengths (live during training), the rest of the configuration
// (fixed once a run starts) and the Start / Pause / Stop / Reset actions.
#pragma once

#include "model/config.h"

#include <QWidget>

class QAction;
class QComboBox;
class QDoubleSpinBox;
class QScrollArea;
class QSettings;
class QSpinBox;
class QToolButton;

namespace reglab::ui {

class LogSlider;

class ControlPanel : public QWidget {
    Q_OBJECT
public:
    enum class RunState { Idle, Running, Paused };

    explicit ControlPanel(QWidget *parent = nullptr);

    // The configuration the controls describe (the forum's MLP with these values).
    reglab::TrainConfig config() const;
    void setConfig(const reglab::TrainConfig &config);
    // The forum's set-up: lr 0.01, batch 50, 10 epochs, 5 folds, seed 0, L1 and L2 off, the bundled sample.
    static reglab::TrainConfig defaultConfig();

    // The panel in a scroll area that keeps it whole on a low screen (the dock holds that).
    QScrollArea *inScrollArea();

    void loadSettings(QSettings &settings);
    void saveSettings(QSettings &settings) const;

    void setRunState(RunState state);
    RunState runState() const { return m_state; }

    // Selects a data source ("sample", "fashion" or a folder), adding a folder entry when needed.
    void setDataSource(const QString &spec);
    QString dataSource() const;

    QAction *startAction() const { return m_start; }
    QAction *pauseAction() const { return m_pause; }
    QAction *stopAction() const { return m_stop; }
    QAction *resetAction() const { return m_reset; }

    // For tests and the window.
    LogSlider *l1Slider() const { return m_l1; }
    LogSlider *l2Slider() const { return m_l2; }
    QDoubleSpinBox *learningRateBox() const { return m_lr; }
    QSpinBox *epochsBox() const { return m_epochs; }
    QSpinBox *batchBox() const { return m_batch; }
    QComboBox *deviceBox() const { return m_device; }
    QComboBox *dataBox() const { return m_data; }
    QSpinBox *paceBox() const { return m_pace; }
    QToolButton *startButton() const { return m_startButton; }
    QToolButton *pauseButton() const { return m_pauseButton; }
    QToolButton *stopButton() const { return m_stopButton; }

Q_SIGNALS:
    // A live hyperparameter was committed by the user.
    void l1Changed(double value);
    void l2Changed(double value);
    void learningRateChanged(double value);
    // The teacher's pace: at most this many steps a second (0: full speed); live, and kept between runs.
    void paceChanged(double stepsPerSecond);
    void startRequested();
    // Pause or Resume (Space): the panel shows the new state at once; whoever trains follows.
    void pauseRequested();
    void resumeRequested();
    void stopRequested();
    void resetRequested();

private:
    void chooseFolder();
    int addFolderItem(const QString &folder);
    int addFashionItem(bool installed);
    QToolButton *makeButton(QAction *action);

    LogSlider *m_l1, *m_l2;
    QComboBox *m_l1Scope, *m_l2Mode, *m_device, *m_data;
    QDoubleSpinBox *m_lr;
    QSpinBox *m_batch, *m_epochs, *m_folds, *m_seed, *m_pace;
    QAction *m_start, *m_pause, *m_stop, *m_reset;
    QToolButton *m_startButton, *m_pauseButton, *m_stopButton, *m_resetButton;
    QList<QWidget *> m_fixedWhileRunning;
    RunState m_state = RunState::Idle;
    int m_lastDataIndex = 0;
};

} // namespace reglab::ui
