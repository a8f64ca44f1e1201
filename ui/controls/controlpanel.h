// The controls of a run, made from the core's settings table (configFields(): each setting's control kind, group,
// label and range): regularization strengths, dropout rates and the learning rate (live during training), the
// optimizer, the network's shape and the rest of the configuration (fixed once a run starts), and the Start /
// Pause / Stop / Reset actions.
#pragma once

#include "model/config.h"
#include "ui/controls/settingcontrol.h"

#include <QList>
#include <QWidget>

#include <vector>

class QAction;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QHBoxLayout;
class QScrollArea;
class QSettings;
class QSpinBox;
class QToolButton;

namespace reglab::ui {

class LogSlider;
class SettingControl;

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

    // The control of a setting, by its key in the core's table; null for a setting the window does not show.
    SettingControl *control(const std::string &key) const;
    const QList<SettingControl *> &controls() const { return m_controls; }
    // The widget of a setting's control, as its type: control<LogSlider>("l1").
    template <typename W> W *widget(const std::string &key) const
    {
        SettingControl *c = control(key);
        return c ? qobject_cast<W *>(c->widget()) : nullptr;
    }

    // For tests and the window: the widgets of the settings they name.
    QComboBox *deviceBox() const { return m_device; }
    QComboBox *dataBox() const { return m_data; }
    QSpinBox *paceBox() const { return m_pace; }
    // One per possible hidden layer (kMaxHidden); those past the network's depth are hidden.
    const QList<QDoubleSpinBox *> &dropoutBoxes() const;
    // Layer 1 always exists; a later one exists while it and every one before it are above 0 ("none").
    const QList<QSpinBox *> &hiddenBoxes() const;
    // The hidden layer sizes the boxes describe, and one dropout rate per hidden layer.
    std::vector<int> hiddenSizes() const;
    std::vector<double> dropoutRates() const;

    // The window offers one to three hidden layers (reglab-train takes up to eight).
    static constexpr int kMaxHidden = 3;
    // The row of Start, Pause, Stop and Reset: at the panel's top until the window places it elsewhere.
    QWidget *runBar() const { return m_runBar; }
    QToolButton *startButton() const { return m_startButton; }
    QToolButton *pauseButton() const { return m_pauseButton; }
    QToolButton *stopButton() const { return m_stopButton; }

Q_SIGNALS:
    // A live setting was committed by the user: its key and value as the table's text ("l1", "0.001").
    void settingChanged(const std::string &key, const std::string &value);
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
    // The group box of the table's settings in `group`, each in a form row made from its field.
    QWidget *makeGroup(const QString &title, const char *group);
    QComboBox *makeDeviceBox(QWidget *parent);
    QComboBox *makeDataBox(QWidget *parent);
    void committed(SettingControl *control);
    // Shows the settings that matter for the others (momentum for SGD, betas and epsilon for Adam) and a dropout
    // box per hidden layer.
    void updateVisibility();

    QList<SettingControl *> m_controls;
    QList<std::pair<SettingControl *, QHBoxLayout *>> m_rows; // each control and the row it is shown in
    QComboBox *m_device = nullptr, *m_data = nullptr;
    QSpinBox *m_pace = nullptr;
    QAction *m_start, *m_pause, *m_stop, *m_reset;
    QWidget *m_runBar;
    QToolButton *m_startButton, *m_pauseButton, *m_stopButton, *m_resetButton;
    RunState m_state = RunState::Idle;
    int m_lastDataIndex = 0;
};

} // namespace reglab::ui
