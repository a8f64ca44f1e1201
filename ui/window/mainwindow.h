// The dashboard: it assembles the widgets (controls, live view, digits, runs, network views, status line) and
// routes the run's events to them. It knows nothing of threads: it emits requests and receives the run's
// events as plain values.
#pragma once

#include "model/config.h"
#include "model/events.h"
#include "model/preset.h"
#include "ui/controls/settingsstore.h"
#include "ui/sweeps/sweepjob.h"

#include <QMainWindow>

#include <vector>

class QDockWidget;
class QTimer;

namespace reglab::ui {

class ControlPanel;
class DigitPanel;
class EventRouter;
class ExportMenu;
class HelpMenu;
class PresentationMode;
class ViewMenu;
class LiveView;
class NetworkPanel;
class PresetMenu;
class RegionFocus;
class RunList;
class RunModel;
class StatusLine;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    static constexpr int kRedrawIntervalMs = 40; // at most 25 redraws a second, however fast events arrive
    // The docks' widths at a first start: a narrow sidebar of controls, and the panels on the right in a window
    // wide enough for three columns.
    static constexpr int kSidebarWidth = 290;
    static constexpr int kDrawerWidth = 400;
    // The version of the saved dock layout: 2 since the charts come first (older layouts are not restored).
    static constexpr int kStateVersion = 2;

    // `persistSettings` false: read the saved settings but never write them (screenshots, benchmarks).
    explicit MainWindow(bool persistSettings = true, QWidget *parent = nullptr);

    void saveSettings() const;
    // Puts the controls back to the forum's configuration.
    void restoreDefaults();
    // A problem in plain words above the charts (the curves stay); empty text hides it.
    void showBanner(const QString &text);
    // A passing note in the status bar.
    void showStatus(const QString &text);

    ControlPanel *controls() const { return m_controls; }
    LiveView *liveView() const { return m_live; }
    DigitPanel *digitPanel() const { return m_digits; }
    RunModel *runs() const { return m_runs; }
    RunList *runList() const { return m_runList; }
    // Where the window and its dialogs remember their settings; not writable when `persistSettings` was false.
    const SettingsStore &settingsStore() const { return m_store; }
    NetworkPanel *networkPanel() const { return m_network; }
    QDockWidget *networkDock() const { return m_networkDock; }
    QDockWidget *runsDock() const { return m_runsDock; }
    StatusLine *statusLine() const { return m_status; }
    PresetMenu *presetMenu() const { return m_presets; }
    // The record of the last run that ended (status Running: none yet).
    const reglab::RunRecord &lastRecord() const { return m_lastRecord; }
    bool isRunning() const { return m_running; }

    // Writes the last run's record (a failed one too) as JSON; false, with a banner saying why, when there is
    // none or it cannot be written.
    bool saveRecordTo(const QString &path);
    // Queues a preset's runs: the current settings, overridden by the preset's values. False, with a banner,
    // when the file cannot be read or a run is going.
    bool startPreset(const QString &file, bool withOptional);
    ExportMenu *exports() const { return m_exports; }
    ViewMenu *viewMenu() const { return m_view; }
    HelpMenu *helpMenu() const { return m_help; }
    PresentationMode *presentation() const { return m_presentation; }
    // F6 between the window's regions, Ctrl+Tab between tabbed panels.
    RegionFocus *regionFocus() const { return m_regions; }
    // Whether the docks share one tabbed column (a small screen) rather than three columns.
    bool compactLayout() const { return m_compact; }
    void setCompactLayout(bool compact);
    // What File > New sweep runs its sweeps with (app/ gives it reglab-train's runner); none: it says so.
    void setSweepJobs(SweepJobFactory makeJob) { m_sweepJobs = std::move(makeJob); }

public Q_SLOTS:
    // Whether a run is going, as whoever trains sees it (TrainingController::runningChanged): locks the
    // structural controls and drives the redraw timer.
    void setRunning(bool running);
    // The run's events, in order: queued during a run and handed out at the redraw tick (EventRouter).
    void onEvent(const reglab::TrainEvent &event);
    // Hands out the queued events and pushes what arrived to the charts (the redraw timer calls it).
    void flushCharts();
    // A preset's run is about to start (PresetQueue::runStarting): the charts clear and the header names it.
    void onQueuedRunStarting(int index, int count, const QString &label, const reglab::TrainConfig &config);
    void onQueueEnded(const QString &presetName, bool completed, const QString &why);

Q_SIGNALS:
    void startRequested(const reglab::TrainConfig &config);
    // Reset during a run: whoever trains stops it (the window drops its remaining events).
    void stopRequested();
    // Emitted from closeEvent: whoever trains must stop now (the window closes right after).
    void closing();

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    // Tab and Shift+Tab go from panel to panel in the layout's order (RegionFocus::tabAcross).
    bool focusNextPrevChild(bool next) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void start();
    // Stops the run (if one goes) and starts a fresh one with the controls' settings.
    void restart();
    // What every run's start does to the window, whoever asked for it; `name` is the run's name in the list.
    void beginRun(const reglab::TrainConfig &config, const QString &name);
    void finishRun(const reglab::RunRecord &record);
    // Its problems go to the banner, its messages to the status bar.
    template <typename Source> void report(Source *source)
    {
        connect(source, &Source::problem, this, &MainWindow::showBanner);
        connect(source, &Source::message, this, &MainWindow::showStatus);
    }
    void reset();
    void saveRecord();
    // The menu bar (mainwindowmenus.cpp).
    void buildMenus();
    QDockWidget *addDock(const QString &title, const QString &name, QWidget *content, Qt::DockWidgetArea area);

    SettingsStore m_store; // not writable: the no-write mode
    ControlPanel *m_controls;
    LiveView *m_live;
    DigitPanel *m_digits;
    RunModel *m_runs;
    RunList *m_runList;
    NetworkPanel *m_network;
    StatusLine *m_status;
    PresetMenu *m_presets = nullptr;
    ExportMenu *m_exports = nullptr;
    ViewMenu *m_view = nullptr;
    HelpMenu *m_help = nullptr;
    PresentationMode *m_presentation;
    RegionFocus *m_regions;
    EventRouter *m_router;
    bool m_restartPending = false;
    bool m_compact = false;
    bool m_shown = false;
    bool m_layoutRestored = false; // the docks as the user left them (not a first start's)
    QDockWidget *m_controlDock, *m_digitDock, *m_runsDock, *m_networkDock;
    QTimer *m_redraw;
    SweepJobFactory m_sweepJobs;

    reglab::RunRecord m_lastRecord;
    bool m_running = false;
};

} // namespace reglab::ui
