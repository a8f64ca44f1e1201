// The controls of a run: regularization strengths and dropout rates (live during training), the optimizer, the
// network's shape and the rest of the configuration (fixed once a run starts) and the Start / Pause / Stop /
// Reset actions.
#pragma once

#include "model/config.h"

#include <QList>
#include <QWidget>

#include <vector>

class QAction;
class QCheckBox;
class QComboBox;
class QFormLayout;
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
    QComboBox *optimizerBox() const { return m_optimizer; }
    QDoubleSpinBox *momentumBox() const { return m_momentum; }
    QCheckBox *nesterovBox() const { return m_nesterov; }
    QDoubleSpinBox *beta1Box() const { return m_beta1; }
    QDoubleSpinBox *beta2Box() const { return m_beta2; }
    QDoubleSpinBox *epsBox() const { return m_eps; }
    QComboBox *l1MethodBox() const { return m_l1Method; }
    // One per possible hidden layer (kMaxHidden); those past the network's depth are hidden.
    const QList<QDoubleSpinBox *> &dropoutBoxes() const { return m_dropout; }
    // Layer 1 always exists; a later one exists while it and every one before it are above 0 ("none").
    const QList<QSpinBox *> &hiddenBoxes() const { return m_hidden; }
    QDoubleSpinBox *slopeBox() const { return m_slope; }
    // The hidden layer sizes the boxes describe, and one dropout rate per hidden layer.
    std::vector<int> hiddenSizes() const;
    std::vector<double> dropoutRates() const;

    // The window offers one to three hidden layers (reglab-train takes up to eight).
    static constexpr int kMaxHidden = 3;
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
    // One rate per hidden layer, whenever one of them is committed.
    void dropoutChanged(const std::vector<double> &rates);
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
    // Shows the optimizer's own settings (momentum for SGD, betas and epsilon for Adam) and a dropout box per
    // hidden layer.
    void updateVisibility();

    LogSlider *m_l1, *m_l2;
    QComboBox *m_l1Scope, *m_l1Method, *m_l2Mode, *m_device, *m_data, *m_optimizer;
    QDoubleSpinBox *m_lr, *m_momentum, *m_beta1, *m_beta2, *m_eps, *m_slope;
    QCheckBox *m_nesterov;
    QList<QDoubleSpinBox *> m_dropout;
    QList<QSpinBox *> m_hidden;
    QFormLayout *m_optimizerForm = nullptr;
    QWidget *m_dropoutRow = nullptr;
    QSpinBox *m_batch, *m_epochs, *m_folds, *m_seed, *m_pace;
    QAction *m_start, *m_pause, *m_stop, *m_reset;
    QToolButton *m_startButton, *m_pauseButton, *m_stopButton, *m_resetButton;
    QList<QWidget *> m_fixedWhileRunning;
    RunState m_state = RunState::Idle;
    int m_lastDataIndex = 0;
};

} // namespace reglab::ui
