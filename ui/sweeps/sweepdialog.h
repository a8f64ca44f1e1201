// File > New sweep: builds a grid of runs (settings with their ranges or values, seeds, epochs) on top of the
// window's current settings, shows how many runs it makes and the sweep file it is, checked by the core's
// parseSweep so the messages are the CLI's; writes the file for a cluster with the commands to run there, or
// runs it here (reglab-train's pool) with progress, Stop and Run again to resume, the path filling in live.
#pragma once

#include "model/config.h"
#include "model/sweep.h"
#include "ui/controls/settingsstore.h"
#include "ui/sweeps/sweepjob.h"

#include <QDialog>
#include <QString>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSettings;
class QSpinBox;
class QTabWidget;
class QTimer;

namespace reglab::ui {

class RunList;
class SweepGrid;

class SweepDialog : public QDialog {
    Q_OBJECT
public:
    // `job` runs the sweep here (the dialog owns it: app/'s SweepRunner); `runs` opens the sweep's folder in the
    // sweep view when it runs here (may be null); `store` remembers the dialog's values: the window's store.
    SweepDialog(SweepJob *job, RunList *runs, QWidget *parent = nullptr, const SettingsStore &store = SettingsStore());
    ~SweepDialog() override; // a sweep still running is stopped: no runs are left behind

    // The window's one sweep dialog, made when needed (with a job from `makeJob`), on `base` (the control panel's
    // settings) unless its sweep is running, shown and raised.
    static SweepDialog *showIn(QWidget *window, const reglab::TrainConfig &base, RunList *runs,
                               const SweepJobFactory &makeJob, const SettingsStore &store);

    // The settings every run starts from (the grid's values replace theirs); its data set is offered first.
    void setBase(const reglab::TrainConfig &base);

    // The sweep file the dialog describes now; "" with error() when the grid is refused.
    QString sweepJson() const { return m_json; }
    QString error() const { return m_error; }
    int runCount() const { return m_runCount; }
    // Where Run here keeps the sweep file: beside the output folder, as FOLDER.json.
    QString sweepFilePath() const;

    // Writes the sweep file to `path` (whole or not at all); false with the reason in the status line.
    bool writeSweepFile(const QString &path);
    // Runs the sweep here; false with the reason in the status line.
    bool runHere();
    void stop();
    bool isRunning() const;

    void loadSettings(const QSettings &settings);
    void saveSettings(QSettings &settings) const;

    // For tests.
    SweepGrid *grid() const { return m_grid; }
    SweepJob *runner() const { return m_runner; }
    QLineEdit *nameEdit() const { return m_name; }
    QLineEdit *outDirEdit() const { return m_outDir; }
    QSpinBox *seedsBox() const { return m_seeds; }
    QSpinBox *epochsBox() const { return m_epochs; }
    QSpinBox *jobsBox() const { return m_jobs; }
    QComboBox *dataBox() const { return m_data; }
    QLabel *countLabel() const { return m_count; }
    QLabel *noteLabel() const { return m_note; }
    QLabel *statusLabel() const { return m_status; }
    QPlainTextEdit *preview() const { return m_preview; }
    QPlainTextEdit *commands() const { return m_commands; }
    QTabWidget *tabs() const { return m_tabs; }
    QProgressBar *progressBar() const { return m_bar; }
    QPushButton *runButton() const { return m_run; }
    QPushButton *stopButton() const { return m_stopButton; }
    QPushButton *writeButton() const { return m_write; }
    // Brings the grid's text up to date now (it follows edits after a short pause).
    void refresh();

public Q_SLOTS:
    void reject() override; // Escape, Close: asks whether a running sweep goes on or stops

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    reglab::SweepSpec spec() const;
    QString defaultOutDir() const;
    void writeDialog();
    void updateCommands();
    void updateButtons();
    void showProgress(const SweepProgress &p);
    void onFinished(bool ok, const QString &message);
    void setStatus(const QString &text, bool problem);

    RunList *m_runs;
    SettingsStore m_store;
    reglab::TrainConfig m_base;
    SweepJob *m_runner;
    SweepGrid *m_grid;
    QLineEdit *m_name, *m_outDir;
    QSpinBox *m_seeds, *m_epochs, *m_jobs;
    QComboBox *m_data;
    QLabel *m_baseLabel, *m_count, *m_note, *m_status;
    QTabWidget *m_tabs;
    QPlainTextEdit *m_preview, *m_commands;
    QProgressBar *m_bar;
    QPushButton *m_write, *m_showPath, *m_run, *m_stopButton;
    QTimer *m_refresh;
    QString m_json, m_error;
    int m_runCount = 0;
    QString m_writtenFile, m_writtenJson; // where Write sweep file put which text last
    bool m_outDirFollowsName = true;      // until the user picks a folder
};

} // namespace reglab::ui
