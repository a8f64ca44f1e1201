#include "ui/window/mainwindow.h"

#include "model/runfiles.h"
#include "ui/controls/controlpanel.h"
#include "ui/figures/exportmenu.h"
#include "ui/live/banner.h"
#include "ui/live/digitpanel.h"
#include "ui/live/liveview.h"
#include "ui/network/networkpanel.h"
#include "ui/runs/eventrouter.h"
#include "ui/runs/runlist.h"
#include "ui/runs/runmodel.h"
#include "ui/window/presentation.h"
#include "ui/window/presetmenu.h"
#include "ui/window/regionfocus.h"
#include "ui/window/screenfit.h"
#include "ui/window/spacekey.h"
#include "ui/window/statusline.h"
#include "ui/window/viewmenu.h"

#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QLayout>
#include <QMimeData>
#include <QScrollArea>
#include <QSettings>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTimer>
#include <QToolButton>
#include <QUrl>

namespace reglab::ui {

MainWindow::MainWindow(bool persistSettings, QWidget *parent) : QMainWindow(parent), m_store(persistSettings)
{
    setWindowTitle(tr("L1 and L2 regularization, live"));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);
    m_runs = new RunModel(this);
    m_live = new LiveView(m_runs, this);
    setCentralWidget(m_live);

    // Docks, so a teacher can enlarge, float or hide what they show. The charts fill the centre; the controls
    // are a narrow sidebar (the run's buttons sit over the charts, always in view) and the predictions, runs
    // and network views are tabs beside them, or on the right in a very wide window.
    m_controls = new ControlPanel();
    // Over the charts: the side panels' switch, then the run's buttons.
    auto *bar = new QWidget();
    auto *barLayout = new QHBoxLayout(bar);
    barLayout->setContentsMargins(0, 0, 0, 0);
    auto *panelsButton = new QToolButton(bar);
    panelsButton->setMinimumHeight(30);
    barLayout->addWidget(panelsButton);
    barLayout->addWidget(m_controls->runBar());
    m_live->setRunBar(bar);
    m_controlDock =
        addDock(tr("Controls"), QStringLiteral("controlsDock"), m_controls->inScrollArea(), Qt::LeftDockWidgetArea);
    m_digits = new DigitPanel();
    m_digitDock = addDock(tr("Predictions on test images"), QStringLiteral("digitsDock"), m_digits->inScrollArea(),
                          Qt::RightDockWidgetArea);
    m_runList = new RunList(m_runs);
    m_runsDock = addDock(tr("Runs"), QStringLiteral("runsDock"), m_runList, Qt::RightDockWidgetArea);
    tabifyDockWidget(m_digitDock, m_runsDock);
    m_network = new NetworkPanel();
    m_network->setRunModel(m_runs);
    m_networkDock =
        addDock(tr("Inside the network"), QStringLiteral("networkDock"), m_network, Qt::RightDockWidgetArea);
    tabifyDockWidget(m_runsDock, m_networkDock);
    m_digitDock->raise();
    resizeDocks({m_controlDock, m_digitDock}, {kSidebarWidth, kDrawerWidth}, Qt::Horizontal);
    m_status = new StatusLine(this);
    setStatusBar(m_status);
    setAcceptDrops(true);
    m_presentation = new PresentationMode(this);
    connect(m_presentation, &PresentationMode::activeChanged, m_live, &LiveView::restyle);
    new SpaceKeyFilter(this, m_controls->pauseAction());
    m_regions = new RegionFocus(this, bar, m_live, m_live->splitter(),
                                {m_controlDock, m_digitDock, m_runsDock, m_networkDock});
    connect(m_live, &LiveView::restartRequested, this, &MainWindow::restart);
    // The views of the run, the run model first: each view after it finds the run as the event left it.
    m_router = new EventRouter(this);
    for (RunView *view : std::initializer_list<RunView *>{m_runs, m_live, m_status, m_digits, m_network})
        m_router->add(view);
    connect(m_live, &LiveView::changeNoted, m_status,
            [this](const QString &text) { m_status->showMessage(text, 5000); });
    connect(m_router, &EventRouter::finished, this, &MainWindow::finishRun);

    report(m_network);
    report(m_runList);
    connect(m_runList, &RunList::runsAdded, m_runsDock, &QDockWidget::raise);
    connect(m_controls, &ControlPanel::startRequested, this, &MainWindow::start);
    m_status->follow(m_controls);
    connect(m_controls, &ControlPanel::resetRequested, this, &MainWindow::reset);
    m_redraw = new QTimer(this);
    m_redraw->setInterval(kRedrawIntervalMs);
    connect(m_redraw, &QTimer::timeout, this, &MainWindow::flushCharts);
    buildMenus();
    panelsButton->setDefaultAction(m_view->panelsAction());

    QByteArray savedState, savedGeometry, savedSplitter;
    m_store.read([&](QSettings &settings) {
        m_controls->loadSettings(settings);
        m_live->loadSettings(settings);
        m_view->loadSettings(settings);
        m_runList->loadSettings(settings);
        m_exports->loadSettings(settings);
        savedState = settings.value(QStringLiteral("window/state")).toByteArray();
        savedGeometry = settings.value(QStringLiteral("window/geometry")).toByteArray();
        savedSplitter = settings.value(QStringLiteral("window/splitter")).toByteArray();
    });
    connect(m_view, &ViewMenu::themeChanged, this, [this] {
        restyleCharts(this);
        saveSettings();
    });
    // A first start fits the screen: the docks in one column unless the window is wide enough for three (a
    // saved layout of an older version, with less room for the charts, is not restored). A saved layout from a
    // larger screen gives way to the compact one. The layout first: a size below the three-column layout's
    // minimum would not be taken.
    const QRect available = screenfit::availableArea(this);
    const bool restored = m_layoutRestored = restoreState(savedState, kStateVersion);
    const QSize firstSize = screenfit::firstStartSize(available);
    if (restored ? minimumSizeHint().width() > available.width() : screenfit::isSmall(QRect(QPoint(), firstSize)))
        setCompactLayout(true);
    layout()->activate(); // the window's minimum follows the layout now, not at the next event
    if (!restoreGeometry(savedGeometry))
        resize(firstSize);
    m_live->splitter()->restoreState(savedSplitter);
    // Files left out at start-up (a damaged preset, a kept run that cannot be read) are named in one banner.
    QStringList skipped;
    if (!m_presets->skipped().isEmpty())
        skipped << m_presets->skipped();
    if (m_store.writable()) { // every run is kept, and the kept runs are listed again
        m_runList->setLibrary(QString::fromStdString(reglab::runLibraryDir()));
        const QMetaObject::Connection collect =
            connect(m_runList, &RunList::problem, this, [&skipped](const QString &text) { skipped << text; });
        m_runList->openLibrary();
        disconnect(collect);
    }
    if (!skipped.isEmpty())
        showBanner(skipped.join(QStringLiteral("<br>")));
}

void MainWindow::setCompactLayout(bool compact)
{
    m_compact = compact;
    const QList<QDockWidget *> others{m_digitDock, m_runsDock, m_networkDock};
    for (QDockWidget *dock : others)
        addDockWidget(compact ? Qt::LeftDockWidgetArea : Qt::RightDockWidgetArea, dock);
    tabifyDockWidget(compact ? m_controlDock : m_digitDock, compact ? m_digitDock : m_runsDock);
    tabifyDockWidget(m_digitDock, m_runsDock);
    tabifyDockWidget(m_runsDock, m_networkDock);
    (compact ? m_controlDock : m_digitDock)->raise();
    resizeDocks({m_controlDock}, {kSidebarWidth}, Qt::Horizontal);
    if (!compact)
        resizeDocks({m_digitDock}, {kDrawerWidth}, Qt::Horizontal);
    // One word each in one column, so the four tabs fit.
    m_digitDock->setWindowTitle(compact ? tr("Predictions") : tr("Predictions on test images"));
    m_networkDock->setWindowTitle(compact ? tr("Network") : tr("Inside the network"));
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (!m_shown && !isFullScreen()) // the frame is known once shown: all of it on the screen
        QTimer::singleShot(0, this, [this] { screenfit::keepOnScreen(this); });
    if (!m_shown && !m_layoutRestored) // a first start: a narrow sidebar, the rest to the charts
        resizeDocks({m_controlDock}, {kSidebarWidth}, Qt::Horizontal);
    m_shown = true;
}

QDockWidget *MainWindow::addDock(const QString &title, const QString &name, QWidget *content, Qt::DockWidgetArea area)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(name); // the name saveState() keys the layout by
    screenfit::keepFloatingOnScreen(dock, this);
    dock->setWidget(content);
    if (content->accessibleName().isEmpty()) // a scroll area the Tab key reaches reads as its dock
        content->setAccessibleName(title);
    addDockWidget(area, dock);
    return dock;
}

void MainWindow::saveSettings() const
{
    m_store.write([this](QSettings &settings) {
        m_controls->saveSettings(settings);
        m_live->saveSettings(settings);
        m_view->saveSettings(settings);
        m_runList->saveSettings(settings);
        m_exports->saveSettings(settings);
        settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
        settings.setValue(QStringLiteral("window/state"), saveState(kStateVersion));
        settings.setValue(QStringLiteral("window/splitter"), m_live->splitter()->saveState());
    });
}

void MainWindow::restoreDefaults()
{
    if (!m_running) { // the structural controls are locked during a run
        m_controls->setConfig(ControlPanel::defaultConfig());
        saveSettings();
    }
}

bool MainWindow::focusNextPrevChild(bool next)
{
    return m_regions->tabAcross(next) || QMainWindow::focusNextPrevChild(next);
}

void MainWindow::showBanner(const QString &text)
{
    m_live->banner()->showMessage(text);
}

void MainWindow::showStatus(const QString &text)
{
    m_status->showMessage(text, 8000);
}

void MainWindow::start()
{
    if (m_running)
        return;
    const reglab::TrainConfig config = m_controls->config();
    if (const std::string problem = reglab::validate(config); !problem.empty()) {
        showBanner(tr("These settings cannot run: %1.").arg(QString::fromStdString(problem).toHtmlEscaped()));
        return;
    }
    saveSettings();
    m_runList->runStarting(); // alone on the charts unless the list keeps the shown runs
    beginRun(config, QString::fromStdString(reglab::shortLabel(config)));
    // The controller answers with runningChanged(true), which locks the controls.
    Q_EMIT startRequested(config);
}

void MainWindow::beginRun(const reglab::TrainConfig &config, const QString &name)
{
    m_live->beginRun(config, m_controls->dataBox()->currentText());
    m_digits->clear();
    m_network->clear();
    m_status->begin();
    m_router->setDiscarding(false);
    // The run is listed from its start, named and coloured, and grows with its events.
    reglab::RunRecord record;
    record.config = config;
    m_runs->addRun(record, name, true, true);
}

void MainWindow::restart()
{
    if (!m_running) {
        start();
        return;
    }
    m_restartPending = true; // started once this run's thread is gone (setRunning(false))
    Q_EMIT stopRequested();
}

void MainWindow::onEvent(const reglab::TrainEvent &event)
{
    m_router->post(event, !m_redraw->isActive());
}

void MainWindow::finishRun(const reglab::RunRecord &record)
{
    m_lastRecord = record;
    const int id = m_runs->liveId();
    // It stays the live run (its series are the live charts') until the next run starts.
    m_runs->setRecord(id, record);
    if (const reglab::RunRecord *kept = m_runs->record(id)) // with its colour, which Save writes too
        m_lastRecord = *kept;
    if (m_router->discarding()) { // reset during the run: listed, not shown, on cleared charts
        m_router->setDiscarding(false);
        m_runs->setLive(-1);
        m_runs->setShown(id, false);
        m_live->clear(tr("Reset. Press Start (Ctrl+Return) to train a new network."));
        m_status->clearFigures();
        m_status->setState(tr("Idle"));
        return;
    }
    m_live->onFinished(record);
    m_status->onFinished(record);
    if (m_store.writable())
        m_runList->keep(id); // kept in the library: never lost, listed again at the next start
}

void MainWindow::reset()
{
    if (m_running) {
        // The run's events already queued must not draw on the cleared charts: drop them until it ends.
        m_router->setDiscarding(true);
        Q_EMIT stopRequested();
    }
    // Clean charts: no compared runs either (they stay in Runs, unticked).
    for (int id : m_runs->shownIds())
        if (id != m_runs->liveId() || !m_running)
            m_runs->setShown(id, false);
    if (!m_running)
        m_runs->setLive(-1);
    m_router->clear(); // the live charts, the digits, the network views, the status line's figures
    m_live->setHeadline(tr("Press Start (Ctrl+Return) to train a new network."));
    showBanner({});
    m_status->setState(m_running ? tr("Stopping") : tr("Idle"));
}

void MainWindow::setRunning(bool running)
{
    m_running = running;
    m_network->setRunning(running);
    m_controls->setRunState(running ? ControlPanel::RunState::Running : ControlPanel::RunState::Idle);
    if (running) {
        m_redraw->start();
    } else {
        m_redraw->stop();
        flushCharts();
        if (m_restartPending) {
            m_restartPending = false;
            QTimer::singleShot(0, this, &MainWindow::start);
        }
    }
}

void MainWindow::flushCharts()
{
    while (m_router->drain()) // a run started: its first points at the next tick (with no tick running, now)
        if (m_redraw->isActive())
            return;
    m_router->flush();
}

void MainWindow::saveRecord()
{
    if (m_lastRecord.status == reglab::RunStatus::Running || !m_runs->contains(m_runs->liveId())) {
        saveRecordTo({}); // says why there is nothing to save
        return;
    }
    m_runList->saveDialog(m_runs->liveId()); // the same dialog, name and file name as the runs list's Save
}

bool MainWindow::saveRecordTo(const QString &path)
{
    // A failed or diverged run is saved too: its record says what went wrong, with what settings.
    if (m_lastRecord.status == reglab::RunStatus::Running) {
        showBanner(m_running ? tr("No run has ended yet: the record can be saved once this run finishes or is "
                                  "stopped.")
                             : tr("There is no run record to save yet: press Start to train a network first."));
        return false;
    }
    const std::string error = reglab::writeFileAtomically(path.toStdString(), reglab::toJson(m_lastRecord));
    if (!error.empty()) {
        showBanner(tr("Could not save the run record: %1").arg(QString::fromStdString(error).toHtmlEscaped()));
        return false;
    }
    // Its last weights beside it, so the run opened again shows its network views.
    if (const QString weightsError = m_runList->saveWeights(m_runs->liveId(), path); !weightsError.isEmpty())
        showBanner(tr("Saved the run record, but not its weights (reopened, it will have no network views): %1")
                       .arg(weightsError.toHtmlEscaped()));
    return true;
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    QStringList paths;
    for (const QUrl &url : event->mimeData()->urls())
        if (url.isLocalFile())
            paths << url.toLocalFile();
    if (!paths.isEmpty()) {
        m_runList->openFiles(paths);
        event->acceptProposedAction();
    }
}

bool MainWindow::startPreset(const QString &file, bool withOptional)
{
    if (m_running) {
        showBanner(tr("A run is going: stop it first, then choose the preset again."));
        return false;
    }
    saveSettings();
    return m_presets->start(file, withOptional, m_controls->config()); // the queue answers runStarting
}

void MainWindow::onQueuedRunStarting(int index, int count, const QString &label, const reglab::TrainConfig &config)
{
    if (index == 1) // a preset is a new comparison: the runs before it stay in Runs, unticked
        m_runList->startClean();
    {
        // The controls show the run's settings (a slider moved now changes what it has); they are its own, so
        // nothing is sent to it.
        const QSignalBlocker quiet(m_controls);
        m_controls->setConfig(config);
    }
    beginRun(config, label);
    m_status->showMessage(tr("Preset run %1 of %2: %3").arg(index).arg(count).arg(label));
}

void MainWindow::onQueueEnded(const QString &presetName, bool completed, const QString &why)
{
    m_runsDock->raise();
    // Brief, so that a 1024x768 window's bar shows it whole beside the figures; the whole advice in its tooltip.
    if (completed)
        m_status->showBrief(tr("%1: all runs done").arg(presetName),
                            tr("%1: all runs done; tick or untick them in Runs to compare").arg(presetName));
    else
        m_status->showMessage(tr("%1 ended early (%2)").arg(presetName, why)); // why it ended is the message
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    Q_EMIT closing(); // the trainer stops (bounded wait) before the window goes
    m_redraw->stop();
    event->accept();
}

} // namespace reglab::ui
