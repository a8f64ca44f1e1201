#include "ui/mainwindow.h"

#include "model/runfiles.h"
#include "ui/accuracychart.h"
#include "ui/banner.h"
#include "ui/controlpanel.h"
#include "ui/digitpanel.h"
#include "ui/exportmenu.h"
#include "ui/liveview.h"
#include "ui/losschart.h"
#include "ui/networkpanel.h"
#include "ui/presetmenu.h"
#include "ui/runlist.h"
#include "ui/runmodel.h"
#include "ui/statusline.h"

#include <QAction>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QMenuBar>
#include <QMimeData>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QTimer>
#include <QUrl>

namespace reglab::ui {

namespace {

QSettings appSettings()
{
    return QSettings(QStringLiteral("RegLab"), QStringLiteral("RegLab"));
}

} // namespace

MainWindow::MainWindow(bool persistSettings, QWidget *parent) : QMainWindow(parent), m_persist(persistSettings)
{
    setWindowTitle(tr("L1 and L2 regularization, live"));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);
    m_runs = new RunModel(this);
    m_live = new LiveView(m_runs, this);
    setCentralWidget(m_live);

    // Docks, so a teacher can enlarge, float or hide what they show.
    m_controls = new ControlPanel();
    auto *scroll = new QScrollArea();
    scroll->setWidget(m_controls);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(m_controls->sizeHint().width() + 20);
    m_controlDock = addDock(tr("Controls"), QStringLiteral("controlsDock"), scroll, Qt::LeftDockWidgetArea);
    m_digits = new DigitPanel();
    m_digitDock =
        addDock(tr("Predictions on test images"), QStringLiteral("digitsDock"), m_digits, Qt::RightDockWidgetArea);
    m_digitDock->setMinimumWidth(300);
    resizeDocks({m_controlDock, m_digitDock}, {320, 430}, Qt::Horizontal);
    m_runList = new RunList(m_runs);
    m_runsDock = addDock(tr("Runs"), QStringLiteral("runsDock"), m_runList, Qt::RightDockWidgetArea);
    tabifyDockWidget(m_digitDock, m_runsDock);
    // Behind the predictions at first, so the default window stays readable at 1280x720.
    m_network = new NetworkPanel();
    m_network->setRunModel(m_runs);
    m_networkDock =
        addDock(tr("Inside the network"), QStringLiteral("networkDock"), m_network, Qt::RightDockWidgetArea);
    tabifyDockWidget(m_runsDock, m_networkDock);
    m_digitDock->raise();
    m_status = new StatusLine(this);
    setStatusBar(m_status);
    setAcceptDrops(true);

    connect(m_network, &NetworkPanel::exported, this,
            [this](const QString &path) { m_status->showMessage(tr("Saved %1").arg(path), 5000); });
    connect(m_network, &NetworkPanel::exportFailed, this, [this](const QString &error) {
        showBanner(tr("Could not export the figure: %1").arg(error.toHtmlEscaped()));
    });
    connect(m_runList, &RunList::problem, this, &MainWindow::showBanner);
    connect(m_runList, &RunList::message, this, [this](const QString &text) { m_status->showMessage(text, 10000); });
    connect(m_runList, &RunList::runsAdded, m_runsDock, &QDockWidget::raise);
    connect(m_controls, &ControlPanel::startRequested, this, &MainWindow::start);
    connect(m_controls, &ControlPanel::pauseToggled, this, &MainWindow::togglePause);
    connect(m_controls, &ControlPanel::resetRequested, this, &MainWindow::reset);

    m_redraw = new QTimer(this);
    m_redraw->setInterval(kRedrawIntervalMs);
    connect(m_redraw, &QTimer::timeout, this, &MainWindow::flushCharts);

    buildMenus();

    QSettings settings = appSettings();
    m_controls->loadSettings(settings);
    m_live->logScaleBox()->setChecked(settings.value(QStringLiteral("view/logScale"), false).toBool());
    resize(1440, 860);
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_live->splitter()->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
}

QDockWidget *MainWindow::addDock(const QString &title, const QString &name, QWidget *content, Qt::DockWidgetArea area)
{
    auto *dock = new QDockWidget(title, this);
    dock->setObjectName(name); // the name saveState() keys the layout by
    dock->setWidget(content);
    addDockWidget(area, dock);
    return dock;
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("Open runs (JSON)\u2026"), m_runList, &RunList::openDialog)->setShortcut(QKeySequence::Open);
    file->addAction(tr("Save run record (JSON)\u2026"), this, &MainWindow::saveRecord)
        ->setShortcut(QKeySequence::Save);
    file->addSeparator();
    m_exports = new ExportMenu(this, m_live, file);
    file->addMenu(m_exports);
    connect(m_exports, &ExportMenu::problem, this, &MainWindow::showBanner);
    connect(m_exports, &ExportMenu::message, this, [this](const QString &text) { m_status->showMessage(text, 5000); });
    file->addSeparator();
    file->addAction(tr("Quit"), this, &QWidget::close)->setShortcut(QKeySequence::Quit);

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    for (QAction *a :
         {m_controls->startAction(), m_controls->pauseAction(), m_controls->stopAction(), m_controls->resetAction()}) {
        run->addAction(a);
        addAction(a); // shortcuts work wherever the focus is in the window
    }
    run->addSeparator();
    run->addAction(tr("Restore default settings"), this, &MainWindow::restoreDefaults);

    QStringList presetDirs;
    if (const std::string bundled = reglab::bundledPresetDir(); !bundled.empty())
        presetDirs << QString::fromStdString(bundled);
    presetDirs << QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/presets");
    m_presets = new PresetMenu(presetDirs, this);
    menuBar()->addMenu(m_presets);
    connect(m_presets, &PresetMenu::presetChosen, this, &MainWindow::startPreset);
    connect(m_presets, &PresetMenu::problem, this, &MainWindow::showBanner);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *dock : {m_controlDock, m_digitDock, m_runsDock, m_networkDock})
        view->addAction(dock->toggleViewAction());
}

void MainWindow::saveSettings() const
{
    if (!m_persist)
        return;
    QSettings settings = appSettings();
    m_controls->saveSettings(settings);
    settings.setValue(QStringLiteral("view/logScale"), m_live->logScaleBox()->isChecked());
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/splitter"), m_live->splitter()->saveState());
}

void MainWindow::restoreDefaults()
{
    if (m_running)
        return; // the structural controls are locked during a run
    m_controls->setConfig(ControlPanel::defaultConfig());
    saveSettings();
}

void MainWindow::showBanner(const QString &text)
{
    m_live->banner()->showMessage(text);
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
    m_discarding = false;
    // The run is listed from its start, named and coloured, and grows with its events.
    reglab::RunRecord record;
    record.config = config;
    m_runs->addRun(record, name, true, true);
}

void MainWindow::onEvent(const reglab::TrainEvent &event)
{
    const int live = m_runs->liveId();
    if (m_discarding && !std::holds_alternative<reglab::RunRecord>(event))
        return; // Reset during the run: it ends on cleared charts
    std::visit(reglab::Overloaded{
                   [&](const reglab::RunInfo &info) {
                       m_live->onStarted(info);
                       m_status->onStarted(info);
                       m_digits->setDigits(info.panelPixels, info.panelLabels, info.classNames);
                       m_network->setClassNames(info.classNames);
                   },
                   [&](const reglab::StepRecord &step) {
                       m_live->onStep(step);
                       m_runs->appendStep(live, step);
                   },
                   [&](const reglab::SettingChange &change) {
                       m_runs->appendChange(live, change);
                       if (const QString label = m_live->onChange(change); !label.isEmpty())
                           m_status->showMessage(tr("%1 from step %2").arg(label).arg(change.step), 5000);
                   },
                   [&](const reglab::Progress &progress) { m_status->onProgress(progress); },
                   [&](const reglab::EpochRecord &epoch) {
                       m_live->onEpoch(epoch);
                       m_network->onEpoch(epoch);
                       m_runs->appendEpoch(live, epoch);
                   },
                   [&](const reglab::Predictions &predictions) { m_digits->setPredictions(predictions); },
                   [&](const reglab::WeightSnapshot &snapshot) { m_network->onWeights(snapshot); },
                   [&](const reglab::GradientBalance &balance) { m_network->onGradientBalance(balance); },
                   [&](const reglab::ValidationDetail &detail) { m_network->onValidationDetail(detail); },
                   [&](const reglab::RunRecord &record) { finishRun(record); }},
               event);
}

void MainWindow::finishRun(const reglab::RunRecord &record)
{
    m_lastRecord = record;
    const int id = m_runs->liveId();
    // It stays the live run (its series are the live charts') until the next run starts.
    m_runs->setRecord(id, record);
    if (m_discarding) { // reset during the run: listed, not shown, on cleared charts
        m_discarding = false;
        m_runs->setLive(-1);
        m_runs->setShown(id, false);
        m_live->clear(tr("Reset. Press Start (Ctrl+Return) to train a new network."));
        m_status->clearFigures();
        m_status->setState(tr("Idle"));
        return;
    }
    m_live->onFinished(record);
    m_status->onFinished(record);
}

void MainWindow::togglePause()
{
    if (!m_running)
        return;
    const bool paused = m_controls->runState() == ControlPanel::RunState::Paused;
    m_controls->setRunState(paused ? ControlPanel::RunState::Running : ControlPanel::RunState::Paused);
    if (paused) {
        m_status->clearMessage();
        Q_EMIT resumeRequested();
    } else {
        m_status->showMessage(tr("Paused \u2014 press Space to resume"));
        Q_EMIT pauseRequested();
    }
}

void MainWindow::reset()
{
    if (m_running) {
        // The run's events already queued must not draw on the cleared charts: drop them until it ends.
        m_discarding = true;
        Q_EMIT stopRequested();
    }
    m_live->clear();
    m_digits->clear();
    m_network->clear();
    m_status->clearFigures();
    showBanner({});
    m_status->setState(m_running ? tr("Stopping") : tr("Idle"));
}

void MainWindow::setRunning(bool running)
{
    m_running = running;
    m_network->setRunning(running);
    m_controls->setRunState(running ? ControlPanel::RunState::Running : ControlPanel::RunState::Idle);
    if (running)
        m_redraw->start();
    else
        m_redraw->stop();
}

void MainWindow::flushCharts()
{
    m_live->flush();
    m_network->flush();
}

void MainWindow::saveRecord()
{
    if (m_lastRecord.status == reglab::RunStatus::Running) {
        saveRecordTo({}); // says why there is nothing to save
        return;
    }
    const QString path = QFileDialog::getSaveFileName(this, tr("Save run record"), QStringLiteral("run.json"),
                                                      tr("Run records (*.json)"));
    if (!path.isEmpty())
        saveRecordTo(path);
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
    reglab::Preset preset;
    try {
        preset = reglab::loadPreset(file.toStdString(), m_controls->config());
    } catch (const std::exception &e) {
        showBanner(tr("Could not read the preset %1: %2")
                       .arg(file.toHtmlEscaped(), QString::fromStdString(e.what()).toHtmlEscaped()));
        return false;
    }
    std::vector<reglab::PresetRun> runs;
    for (const auto &run : preset.runs)
        if (withOptional || !run.optional)
            runs.push_back(run);
    saveSettings();
    Q_EMIT presetRequested(QString::fromStdString(preset.name), runs);
    return true;
}

void MainWindow::onQueuedRunStarting(int index, int count, const QString &label, const reglab::TrainConfig &config)
{
    beginRun(config, label);
    m_status->showMessage(tr("Preset run %1 of %2: %3").arg(index).arg(count).arg(label));
}

void MainWindow::onQueueEnded(const QString &presetName, bool completed, const QString &why)
{
    m_runsDock->raise();
    m_status->showMessage(completed ? tr("%1: all runs done; tick or untick them in Runs to compare").arg(presetName)
                                    : tr("%1 ended early (%2)").arg(presetName, why));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    Q_EMIT closing(); // the trainer stops (bounded wait) before the window goes
    m_redraw->stop();
    event->accept();
}

} // namespace reglab::ui
