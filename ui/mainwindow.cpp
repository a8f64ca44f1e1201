#include "ui/mainwindow.h"

#include "model/journal.h"
#include "ui/accuracychart.h"
#include "ui/controlpanel.h"
#include "ui/digitpanel.h"
#include "ui/figureexport.h"
#include "ui/logslider.h"
#include "ui/losschart.h"
#include "ui/networkpanel.h"
#include "ui/palette.h"
#include "ui/runlist.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>

#include <cmath>

namespace reglab::ui {

namespace {

QSettings appSettings()
{
    return QSettings(QStringLiteral("RegLab"), QStringLiteral("RegLab"));
}

QString clockText(double seconds)
{
    const long s = std::lround(std::max(0.0, seconds));
    if (s >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(s / 3600)
            .arg(s / 60 % 60, 2, 10, QLatin1Char('0'))
            .arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

// What to do about a failed run, in the user's terms.
QString adviceFor(const QString &message)
{
    const QString m = message.toLower();
    if (m.contains(QLatin1String("cuda")) || m.contains(QLatin1String("gpu")))
        return QObject::tr("Choose CPU as the device and start again.");
    if (m.contains(QLatin1String("idx")) || m.contains(QLatin1String("file")) || m.contains(QLatin1String("folder")) ||
        m.contains(QLatin1String("data")))
        return QObject::tr(
            "Choose another dataset (the bundled MNIST sample always works) or fix the folder, then start again.");
    return QObject::tr("Check the settings and start again.");
}

} // namespace

MainWindow::MainWindow(bool persistSettings, QWidget *parent) : QMainWindow(parent), m_persist(persistSettings)
{
    setWindowTitle(tr("RegLab \u2014 L1 and L2 regularization, live"));
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);

    // Centre: a banner for problems, a line saying what runs, and the two charts in a splitter.
    auto *centre = new QWidget(this);
    auto *centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(4, 4, 4, 4);
    m_banner = new QFrame(centre);
    m_banner->setObjectName(QStringLiteral("banner"));
    m_banner->setStyleSheet(QStringLiteral("#banner { background: %1; border: 2px solid %2; border-radius: 4px; }")
                                .arg(colors::bannerBackground.name(), colors::bannerBorder.name()));
    auto *bannerLayout = new QHBoxLayout(m_banner);
    m_bannerText = new QLabel(m_banner);
    m_bannerText->setWordWrap(true);
    m_bannerText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_bannerText->setFont(chartFont(kAxisTitlePointSize));
    auto *dismiss = new QToolButton(m_banner);
    dismiss->setText(QStringLiteral("\u2715"));
    dismiss->setToolTip(tr("Hide this message"));
    dismiss->setAutoRaise(true);
    connect(dismiss, &QToolButton::clicked, this, [this] { showBanner({}); });
    bannerLayout->addWidget(m_bannerText, 1);
    bannerLayout->addWidget(dismiss, 0, Qt::AlignTop);
    m_banner->hide();
    centreLayout->addWidget(m_banner);

    auto *header = new QHBoxLayout();
    m_runLabel = new QLabel(tr("Press Start (Ctrl+Return) to train the forum's 784-200-200-10 MLP."), centre);
    m_runLabel->setFont(chartFont(kLabelPointSize));
    // A narrow window clips the line instead of pushing it under the check box.
    m_runLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_logScale = new QCheckBox(tr("Log scale (loss)"), centre);
    m_logScale->setToolTip(tr("Show the loss on a logarithmic axis, so a small data loss stays visible\n"
                              "beside a large L1 term (Ctrl+L)"));
    m_logScale->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    header->addWidget(m_runLabel, 1);
    header->addWidget(m_logScale);
    centreLayout->addLayout(header);

    m_splitter = new QSplitter(Qt::Vertical, centre);
    m_loss = new LossChart(m_splitter);
    m_accuracy = new AccuracyChart(m_splitter);
    m_splitter->addWidget(m_loss);
    m_splitter->addWidget(m_accuracy);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setChildrenCollapsible(false);
    centreLayout->addWidget(m_splitter, 1);
    setCentralWidget(centre);
    connect(m_logScale, &QCheckBox::toggled, m_loss, &LossChart::setLogScale);

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

    m_runs = new RunList();
    m_runsDock = addDock(tr("Runs"), QStringLiteral("runsDock"), m_runs, Qt::RightDockWidgetArea);
    tabifyDockWidget(m_digitDock, m_runsDock);

    // Behind the predictions at first, so the default window stays readable at 1280x720.
    m_network = new NetworkPanel();
    m_networkDock =
        addDock(tr("Inside the network"), QStringLiteral("networkDock"), m_network, Qt::RightDockWidgetArea);
    tabifyDockWidget(m_runsDock, m_networkDock);
    m_digitDock->raise();
    connect(m_network, &NetworkPanel::refreshRequested, this, &MainWindow::snapshotRequested);
    connect(m_network, &NetworkPanel::exported, this,
            [this](const QString &path) { statusBar()->showMessage(tr("Saved %1").arg(path), 5000); });
    connect(m_network, &NetworkPanel::exportFailed, this, [this](const QString &error) {
        showBanner(tr("Could not export the figure: %1").arg(error.toHtmlEscaped()));
    });
    connect(m_runs, &RunList::overlaysChanged, this, &MainWindow::updateOverlays);
    connect(m_runs, &RunList::openRequested, this, &MainWindow::openRunsDialog);
    connect(m_runs, &RunList::saveRequested, this, &MainWindow::saveListedRun);
    setAcceptDrops(true);

    // Status bar: epoch x/N, the epoch's progress, samples/s, ETA, device.
    m_epochLabel = new QLabel(tr("Idle"), this);
    m_epochProgress = new QProgressBar(this);
    m_epochProgress->setRange(0, 1000);
    m_epochProgress->setValue(0);
    m_epochProgress->setMaximumWidth(220);
    m_epochProgress->setFormat(tr("epoch %p%"));
    m_rateLabel = new QLabel(this);
    m_etaLabel = new QLabel(this);
    m_deviceLabel = new QLabel(this);
    statusBar()->addPermanentWidget(m_epochLabel);
    statusBar()->addPermanentWidget(m_epochProgress);
    statusBar()->addPermanentWidget(m_rateLabel);
    statusBar()->addPermanentWidget(m_etaLabel);
    statusBar()->addPermanentWidget(m_deviceLabel);

    m_redraw = new QTimer(this);
    m_redraw->setInterval(kRedrawIntervalMs);
    connect(m_redraw, &QTimer::timeout, this, &MainWindow::flushCharts);

    connect(m_controls, &ControlPanel::startRequested, this, &MainWindow::start);
    connect(m_controls, &ControlPanel::pauseToggled, this, &MainWindow::togglePause);
    connect(m_controls, &ControlPanel::stopRequested, this, [this] {
        if (m_running)
            Q_EMIT stopRequested();
    });
    connect(m_controls, &ControlPanel::resetRequested, this, &MainWindow::reset);
    connect(m_controls, &ControlPanel::l1Changed, this, &MainWindow::l1Changed);
    connect(m_controls, &ControlPanel::l2Changed, this, &MainWindow::l2Changed);
    connect(m_controls, &ControlPanel::learningRateChanged, this, &MainWindow::learningRateChanged);

    buildMenus();

    QSettings settings = appSettings();
    m_controls->loadSettings(settings);
    m_logScale->setChecked(settings.value(QStringLiteral("view/logScale"), false).toBool());
    resize(1440, 860);
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
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
    QAction *open = file->addAction(tr("Open runs (JSON)\u2026"), this, &MainWindow::openRunsDialog);
    open->setShortcut(QKeySequence::Open);
    QAction *save = file->addAction(tr("Save run record (JSON)\u2026"), this, &MainWindow::saveRecord);
    save->setShortcut(QKeySequence::Save);
    file->addSeparator();
    QMenu *exports = file->addMenu(tr("Export figure"));
    exports->addAction(tr("Loss chart (PNG, SVG, PDF)\u2026"), this, [this] { exportDialog(m_loss); });
    exports->addAction(tr("Accuracy chart (PNG, SVG, PDF)\u2026"), this, [this] { exportDialog(m_accuracy); });
    exports->addAction(tr("Whole dashboard (PNG, SVG, PDF)\u2026"), this, [this] { exportDialog(nullptr); });
    exports->addSeparator();
    exports->addAction(tr("Copy loss chart"), this, [this] { copyChart(m_loss); });
    exports->addAction(tr("Copy accuracy chart"), this, [this] { copyChart(m_accuracy); });
    exports->addSeparator();
    auto csvOf = [this](LiveChart *chart, const QString &name) {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export plotted data"), name, tr("CSV (*.csv)"));
        if (!path.isEmpty())
            exportChartCsv(chart, path);
    };
    exports->addAction(tr("Loss data (CSV)\u2026"), this, [=] { csvOf(m_loss, QStringLiteral("loss.csv")); });
    exports->addAction(tr("Accuracy data (CSV)\u2026"), this,
                       [=] { csvOf(m_accuracy, QStringLiteral("accuracy.csv")); });
    exports->addSeparator();
    auto *scales = new QActionGroup(exports);
    for (int scale : {1, 2, 3}) {
        QAction *a = exports->addAction(tr("PNG at %1x").arg(scale));
        a->setCheckable(true);
        a->setChecked(scale == int(m_exportScale));
        scales->addAction(a);
        connect(a, &QAction::triggered, this, [this, scale] { m_exportScale = scale; });
    }
    file->addSeparator();
    QAction *quit = file->addAction(tr("Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    for (QAction *a :
         {m_controls->startAction(), m_controls->pauseAction(), m_controls->stopAction(), m_controls->resetAction()}) {
        run->addAction(a);
        addAction(a); // shortcuts work wherever the focus is in the window
    }
    run->addSeparator();
    run->addAction(tr("Restore default settings"), this, &MainWindow::restoreDefaults);

    QMenu *presetMenu = menuBar()->addMenu(tr("&Presets"));
    const QStringList files = presetFiles();
    if (files.isEmpty())
        presetMenu->addAction(tr("No presets found"))->setEnabled(false);
    for (const QString &file : files) {
        try {
            const reglab::Preset preset = reglab::parsePreset(reglab::readTextFile(file.toStdString()));
            QAction *a = presetMenu->addAction(QString::fromStdString(preset.name) + QStringLiteral("\u2026"), this,
                                               [this, file] { choosePreset(file); });
            a->setToolTip(QString::fromStdString(preset.description));
        } catch (const std::exception &e) {
            qWarning("RegLab: skipping preset %s: %s", qPrintable(file), e.what());
        }
    }
    presetMenu->addSeparator();
    presetMenu->addAction(tr("Stop the preset after this run"), this, &MainWindow::presetCancelRequested);
    presetMenu->setToolTipsVisible(true);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_controlDock->toggleViewAction());
    view->addAction(m_digitDock->toggleViewAction());
    view->addAction(m_runsDock->toggleViewAction());
    view->addAction(m_networkDock->toggleViewAction());
}

void MainWindow::saveSettings() const
{
    if (!m_persist)
        return;
    QSettings settings = appSettings();
    m_controls->saveSettings(settings);
    settings.setValue(QStringLiteral("view/logScale"), m_logScale->isChecked());
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
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
    m_bannerText->setText(text);
    m_banner->setVisible(!text.isEmpty());
}

QString MainWindow::bannerText() const
{
    return m_banner->isHidden() ? QString() : m_bannerText->text();
}

bool MainWindow::bannerVisible() const
{
    return !m_banner->isHidden();
}

void MainWindow::start()
{
    if (m_running)
        return;
    const reglab::TrainConfig config = m_controls->config();
    if (const std::string problem = reglab::validate(config); !problem.empty()) {
        showBanner(tr("These settings cannot run: %1.").arg(QString::fromStdString(problem)));
        return;
    }
    saveSettings();
    beginRun(config, QString::fromStdString(reglab::shortLabel(config)));
    // The controller answers with runningChanged(true), which locks the controls.
    Q_EMIT startRequested(config);
}

void MainWindow::beginRun(const reglab::TrainConfig &config, const QString &name)
{
    showBanner({});
    m_accuracy->setEpochs(config.epochs);
    clearRunView();
    m_runConfig = config;
    m_l1 = config.l1;
    m_l2 = config.l2;
    m_lr = config.learningRate;
    m_stepsPerEpoch = 0;
    m_epochEnds.clear();
    m_hasRun = false;
    m_discarding = false;
    m_pendingName = name;
    m_liveRunId = -1; // the previous run, if listed, is now an overlay
    updateOverlays();
    m_runName = m_controls->dataBox()->currentText();
    m_runHeadline.clear();
    m_runLabel->setText(tr("Loading %1\u2026").arg(m_runName));
    m_runLabel->setToolTip({});
    m_epochLabel->setText(tr("Starting"));
}

void MainWindow::clearRunView()
{
    m_loss->clear();
    m_accuracy->clear();
    m_digits->clear();
    m_network->clear();
    m_epochProgress->setValue(0);
    m_epochProgress->setFormat(tr("epoch %p%"));
    m_rateLabel->clear();
    m_etaLabel->clear();
}

QString MainWindow::runLabelText() const
{
    return m_runLabel->text();
}

void MainWindow::togglePause()
{
    if (!m_running)
        return;
    if (m_controls->runState() == ControlPanel::RunState::Paused) {
        m_controls->setRunState(ControlPanel::RunState::Running);
        statusBar()->clearMessage();
        Q_EMIT resumeRequested();
    } else {
        m_controls->setRunState(ControlPanel::RunState::Paused);
        statusBar()->showMessage(tr("Paused \u2014 press Space to resume"));
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
    clearRunView();
    showBanner({});
    m_epochLabel->setText(m_running ? tr("Stopping") : tr("Idle"));
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
    m_loss->flush();
    m_accuracy->flush();
}

void MainWindow::onRunStarted(const reglab::RunInfo &info)
{
    if (m_discarding)
        return;
    m_hasRun = true;
    m_stepsPerEpoch = info.stepsPerEpoch;
    m_loss->setTotalSteps(info.totalSteps);
    m_digits->setDigits(info.panelPixels, info.panelLabels, info.classNames);
    m_network->setClassNames(info.classNames);
    m_deviceLabel->setText(tr("Device: %1").arg(QString::fromStdString(info.device)));
    m_runName = QString::fromStdString(info.dataName);
    m_runHeadline =
        tr("%1 \u00b7 started with %2").arg(m_runName, QString::fromStdString(reglab::shortLabel(m_runConfig)));
    m_runLabel->setText(m_runHeadline);
    m_runLabel->setToolTip(tr("%1 training and %2 test images, %3 steps per epoch, %4 parameters")
                               .arg(info.trainCount)
                               .arg(info.testCount)
                               .arg(info.stepsPerEpoch)
                               .arg(QLocale().toString(qlonglong(info.parameterCount))));
}

void MainWindow::onStep(const reglab::StepRecord &record)
{
    if (m_discarding)
        return;
    m_loss->addStep(record);
}

void MainWindow::onLambdaChange(const reglab::LambdaChange &change)
{
    if (m_discarding)
        return;
    QStringList parts;
    if (change.l1 != m_l1)
        parts << QStringLiteral("L1=%1").arg(LogSlider::format(change.l1));
    if (change.l2 != m_l2)
        parts << QStringLiteral("L2=%1").arg(LogSlider::format(change.l2));
    if (change.learningRate != m_lr)
        parts << QStringLiteral("lr=%1").arg(QString::number(change.learningRate, 'g', 6));
    if (parts.isEmpty())
        return;
    m_l1 = change.l1;
    m_l2 = change.l2;
    m_lr = change.learningRate;
    const QString label = parts.join(QStringLiteral(", "));
    flushCharts(); // the curve reaches the marker before it is drawn
    m_loss->addMarker(double(change.step), label);
    m_accuracy->addMarker(epochsAt(change.step - 1), label);
    statusBar()->showMessage(tr("%1 from step %2").arg(label).arg(change.step), 5000);
}

void MainWindow::onProgress(const reglab::Progress &p)
{
    if (m_discarding)
        return;
    m_epochLabel->setText(tr("Epoch %1/%2").arg(p.epoch).arg(p.epochs));
    const double fraction = p.stepsPerEpoch > 0 ? double(p.stepInEpoch) / double(p.stepsPerEpoch) : 0.0;
    m_epochProgress->setValue(int(std::lround(1000 * fraction)));
    m_epochProgress->setFormat(p.evaluating ? tr("evaluating\u2026") : tr("epoch %p%"));
    if (p.samplesPerSecond > 0)
        m_rateLabel->setText(tr("%1 samples/s").arg(QLocale().toString(std::lround(p.samplesPerSecond))));
    if (p.step > 0)
        m_etaLabel->setText(tr("ETA %1").arg(clockText(p.etaSeconds)));
}

void MainWindow::onEpoch(const reglab::EpochRecord &record)
{
    if (m_discarding)
        return;
    if (record.epoch == int(m_epochEnds.size()) + 1)
        m_epochEnds.push_back(record.step);
    m_accuracy->addEpoch(record);
    m_network->onEpoch(record);
}

double MainWindow::epochsAt(std::int64_t stepsDone) const
{
    // Folds differ by a step per epoch when the training count does not divide by k: interpolate between the
    // epochs' own end steps, and estimate only within the epoch still running.
    std::int64_t previousEnd = 0;
    for (std::size_t i = 0; i < m_epochEnds.size(); ++i) {
        const std::int64_t end = m_epochEnds[i];
        if (stepsDone <= end)
            return double(i) + double(stepsDone - previousEnd) / double(std::max<std::int64_t>(1, end - previousEnd));
        previousEnd = end;
    }
    const double inEpoch = m_stepsPerEpoch > 0 ? double(stepsDone - previousEnd) / double(m_stepsPerEpoch) : 0.0;
    return double(m_epochEnds.size()) + std::min(inEpoch, 1.0);
}

void MainWindow::onPredictions(const reglab::Predictions &predictions)
{
    if (m_discarding)
        return;
    m_digits->setPredictions(predictions);
}

void MainWindow::onWeights(const reglab::WeightSnapshot &snapshot)
{
    if (!m_discarding)
        m_network->onWeights(snapshot);
}

void MainWindow::onGradientBalance(const reglab::GradientBalance &balance)
{
    if (!m_discarding)
        m_network->onGradientBalance(balance);
}

void MainWindow::onValidationDetail(const reglab::ValidationDetail &detail)
{
    if (!m_discarding)
        m_network->onValidationDetail(detail);
}

void MainWindow::onRunFinished(const reglab::RunRecord &record)
{
    m_lastRecord = record;
    // Every run of the session is kept in the list; one reset mid-run is listed unticked.
    const QString name =
        m_pendingName.isEmpty() ? QString::fromStdString(reglab::shortLabel(record.config)) : m_pendingName;
    m_liveRunId = m_runs->addRun(record, name, !m_discarding);
    updateOverlays();   // addRun redrew them before it was known to be the live run
    if (m_discarding) { // reset during the run: it ends on cleared charts
        m_liveRunId = -1;
        m_discarding = false;
        clearRunView();
        m_epochLabel->setText(tr("Idle"));
        m_runLabel->setText(tr("Reset. Press Start (Ctrl+Return) to train a new network."));
        return;
    }
    flushCharts();
    m_epochProgress->setFormat(tr("epoch %p%"));
    // The headline says how the run ended; a run that never started (data not loaded) names its data set.
    const QString headline = m_hasRun ? m_runHeadline : m_runName;
    const int epochs = int(record.epochs.size());
    const QString accuracy = record.epochs.empty()
                                 ? QString()
                                 : tr(", test accuracy %1 %").arg(100 * record.epochs.back().testAccuracy, 0, 'f', 2);
    const QString message = QString::fromStdString(record.message);
    switch (record.status) {
    case reglab::RunStatus::Finished:
        m_epochLabel->setText(tr("Finished"));
        m_runLabel->setText(tr("%1 \u00b7 finished").arg(headline));
        m_epochProgress->setValue(1000);
        statusBar()->showMessage(tr("Finished %n epoch(s)%1", nullptr, epochs).arg(accuracy));
        break;
    case reglab::RunStatus::Stopped:
        m_epochLabel->setText(tr("Stopped"));
        m_runLabel->setText(m_hasRun ? tr("%1 \u00b7 stopped").arg(headline)
                                     : tr("%1 \u00b7 stopped before training began").arg(headline));
        statusBar()->showMessage(tr("Stopped after %n epoch(s)%1", nullptr, epochs).arg(accuracy));
        break;
    case reglab::RunStatus::Diverged:
        m_epochLabel->setText(tr("Diverged"));
        m_runLabel->setText(tr("%1 \u00b7 diverged").arg(headline));
        showBanner(tr("<b>Training diverged.</b> %1<br>The loss grew without bound. Lower the learning rate or the "
                      "regularization strength, then press Start again. The curves so far stay below.")
                       .arg(message.toHtmlEscaped()));
        break;
    case reglab::RunStatus::Failed:
    case reglab::RunStatus::Running:
        m_epochLabel->setText(tr("Failed"));
        m_runLabel->setText(tr("%1 \u00b7 could not run").arg(headline));
        showBanner(tr("<b>Training could not run.</b> %1<br>%2").arg(message.toHtmlEscaped(), adviceFor(message)));
        break;
    }
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

void MainWindow::updateOverlays()
{
    QList<Overlay> loss, accuracy;
    QList<HistogramOverlay> histograms;
    for (int id : m_runs->checkedIds()) {
        if (id == m_liveRunId)
            continue; // its live series are on screen already
        const reglab::RunRecord *r = m_runs->record(id);
        if (!r->weightHistograms.empty())
            histograms << HistogramOverlay{m_runs->name(id), m_runs->color(id), r->weightHistograms};
        Overlay l{m_runs->name(id), m_runs->color(id), {}}, a{m_runs->name(id), m_runs->color(id), {}};
        for (const auto &step : r->steps)
            if (std::isfinite(step.loss))
                l.points.append(QPointF(double(step.step), step.loss));
        for (const auto &epoch : r->epochs)
            if (std::isfinite(epoch.testAccuracy))
                a.points.append(QPointF(epoch.epoch, 100 * epoch.testAccuracy));
        loss << l;
        accuracy << a;
    }
    m_loss->setOverlays(loss);
    m_accuracy->setOverlays(accuracy);
    m_network->setHistogramOverlays(histograms);
    // With runs compared, a legend beside the plot keeps every name whole.
    for (LiveChart *chart : {static_cast<LiveChart *>(m_loss), static_cast<LiveChart *>(m_accuracy)})
        chart->chart()->legend()->setAlignment(loss.isEmpty() ? Qt::AlignBottom : Qt::AlignRight);
}

int MainWindow::openRunFiles(const QStringList &paths)
{
    QStringList problems;
    int opened = 0;
    for (const QString &path : paths) {
        reglab::RunRecord record;
        if (const QString error = RunList::loadFile(path, record); !error.isEmpty()) {
            problems << error.toHtmlEscaped();
            continue;
        }
        m_runs->addRun(record, QFileInfo(path).completeBaseName(), true);
        ++opened;
    }
    if (!problems.isEmpty())
        showBanner(
            tr("<b>Could not open %n run file(s)</b> (nothing else changed):<br>%1", nullptr, int(problems.size()))
                .arg(problems.join(QStringLiteral("<br>"))));
    if (opened > 0) {
        m_runsDock->raise();
        statusBar()->showMessage(tr("Opened %n run(s)", nullptr, opened), 5000);
    }
    return opened;
}

QStringList MainWindow::interruptedRuns() const
{
    QStringList paths;
    for (const std::string &path : reglab::interruptedJournals(reglab::defaultJournalDir()))
        paths << QString::fromStdString(path);
    return paths;
}

int MainWindow::recoverInterruptedRuns(const QStringList &paths)
{
    QStringList problems, kept;
    int recovered = 0;
    for (const QString &path : paths) {
        reglab::RunRecord record;
        try {
            record = reglab::recoverJournal(path.toStdString());
        } catch (const std::exception &e) {
            problems << tr("%1: %2").arg(path, QString::fromUtf8(e.what())).toHtmlEscaped();
            continue; // kept: the user may want to look at it
        }
        m_runs->addRun(record, tr("Recovered: %1").arg(QString::fromStdString(reglab::shortLabel(record.config))),
                       true);
        ++recovered;
        if (!reglab::discardJournal(path.toStdString()))
            kept << path.toHtmlEscaped();
    }
    QStringList banner;
    if (!problems.isEmpty())
        banner << tr("<b>Could not recover %n interrupted run(s)</b> (their journals are kept):<br>%1", nullptr,
                     int(problems.size()))
                      .arg(problems.join(QStringLiteral("<br>")));
    if (!kept.isEmpty())
        banner << tr("Recovered, but could not remove the journal(s) (remove them by hand):<br>%1")
                      .arg(kept.join(QStringLiteral("<br>")));
    if (!banner.isEmpty())
        showBanner(banner.join(QStringLiteral("<br>")));
    if (recovered > 0) {
        m_runsDock->raise();
        statusBar()->showMessage(
            tr("Recovered %n interrupted run(s) into the runs list (stopped where the program ended)", nullptr,
               recovered),
            10000);
    }
    return recovered;
}

int MainWindow::discardInterruptedRuns(const QStringList &paths)
{
    int discarded = 0;
    for (const QString &path : paths)
        discarded += reglab::discardJournal(path.toStdString()) ? 1 : 0;
    statusBar()->showMessage(tr("Discarded %n interrupted run(s)", nullptr, discarded), 10000);
    return discarded;
}

void MainWindow::openRunsDialog()
{
    const QStringList paths =
        QFileDialog::getOpenFileNames(this, tr("Open runs"), QString(), tr("Run records (*.json);;All files (*)"));
    if (!paths.isEmpty())
        openRunFiles(paths);
}

void MainWindow::saveListedRun(int id)
{
    const reglab::RunRecord *record = m_runs->record(id);
    if (!record)
        return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Save run"), m_runs->name(id) + QStringLiteral(".json"),
                                                      tr("Run records (*.json)"));
    if (path.isEmpty())
        return;
    if (const QString error = RunList::saveFile(path, *record); !error.isEmpty())
        showBanner(tr("Could not save the run: %1").arg(error.toHtmlEscaped()));
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
        openRunFiles(paths);
        event->acceptProposedAction();
    }
}

QStringList MainWindow::presetFiles() const
{
    QStringList out;
    QStringList dirs;
    if (const std::string bundled = reglab::bundledPresetDir(); !bundled.empty())
        dirs << QString::fromStdString(bundled);
    dirs << QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/presets");
    for (const QString &dir : dirs)
        for (const std::string &file : reglab::presetFiles(dir.toStdString()))
            out << QString::fromStdString(file);
    return out;
}

void MainWindow::choosePreset(const QString &file)
{
    if (m_running) {
        showBanner(tr("A run is going: stop it first, then choose the preset again."));
        return;
    }
    reglab::Preset preset;
    try {
        preset = reglab::parsePreset(reglab::readTextFile(file.toStdString()), m_controls->config());
    } catch (const std::exception &e) {
        showBanner(tr("Could not read the preset %1: %2")
                       .arg(file.toHtmlEscaped(), QString::fromStdString(e.what()).toHtmlEscaped()));
        return;
    }
    QStringList lines;
    int optional = 0;
    for (const auto &run : preset.runs) {
        lines << QStringLiteral("\u2022 %1%2")
                     .arg(QString::fromStdString(run.label), run.optional ? tr(" (optional)") : QString());
        optional += run.optional ? 1 : 0;
    }
    QMessageBox box(QMessageBox::Question, QString::fromStdString(preset.name),
                    QString::fromStdString(preset.description) + QStringLiteral("\n\n") +
                        lines.join(QLatin1Char('\n')) +
                        tr("\n\nThe runs use the dataset, device, seed and folds set in the controls."),
                    QMessageBox::Cancel, this);
    QPushButton *run =
        box.addButton(tr("Run %n", nullptr, int(preset.runs.size()) - optional), QMessageBox::AcceptRole);
    QPushButton *all =
        optional ? box.addButton(tr("Run all %n", nullptr, int(preset.runs.size())), QMessageBox::AcceptRole) : nullptr;
    box.setDefaultButton(run);
    box.exec();
    if (box.clickedButton() == run || (all && box.clickedButton() == all))
        startPreset(file, box.clickedButton() == all);
}

bool MainWindow::startPreset(const QString &file, bool withOptional)
{
    if (m_running) {
        showBanner(tr("A run is going: stop it first, then choose the preset again."));
        return false;
    }
    reglab::Preset preset;
    try {
        preset = reglab::parsePreset(reglab::readTextFile(file.toStdString()), m_controls->config());
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
    m_inPreset = true;
    Q_EMIT presetRequested(QString::fromStdString(preset.name), runs);
    return true;
}

void MainWindow::onQueuedRunStarting(int index, int count, const QString &label, const reglab::TrainConfig &config)
{
    beginRun(config, label);
    statusBar()->showMessage(tr("Preset run %1 of %2: %3").arg(index).arg(count).arg(label));
}

void MainWindow::onQueueEnded(const QString &presetName, bool completed, const QString &why)
{
    m_inPreset = false;
    m_runsDock->raise();
    if (completed)
        statusBar()->showMessage(tr("%1: all runs done; tick or untick them in Runs to compare").arg(presetName));
    else
        statusBar()->showMessage(tr("%1 ended early (%2)").arg(presetName, why));
}

void MainWindow::exportDialog(LiveChart *chart)
{
    const QString name = chart == m_loss ? QStringLiteral("loss")
                         : chart         ? QStringLiteral("accuracy")
                                         : QStringLiteral("dashboard");
    QString filter;
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export figure"), name + QStringLiteral(".png"),
                                     tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"), &filter);
    if (path.isEmpty())
        return;
    const QString error = chart ? exportChart(chart, path, m_exportScale) : exportDashboard(path, m_exportScale);
    if (error.isEmpty())
        statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
}

QString MainWindow::exportChart(LiveChart *chart, const QString &path, qreal scale)
{
    flushCharts();
    const QString error = saveWidget(chart, path, scale);
    if (!error.isEmpty())
        showBanner(tr("Could not export the figure: %1").arg(error.toHtmlEscaped()));
    return error;
}

QString MainWindow::exportDashboard(const QString &path, qreal scale)
{
    flushCharts();
    const QString error = saveWidget(this, path, scale);
    if (!error.isEmpty())
        showBanner(tr("Could not export the dashboard: %1").arg(error.toHtmlEscaped()));
    return error;
}

void MainWindow::copyChart(LiveChart *chart)
{
    flushCharts();
    QImage image(chart->size() * 2, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(2);
    image.fill(Qt::white);
    static_cast<QWidget *>(chart)->render(&image); // QGraphicsView::render takes a painter; this one a device
    copyImageToClipboard(image);
    statusBar()->showMessage(tr("Copied the chart to the clipboard"), 3000);
}

QString MainWindow::exportChartCsv(LiveChart *chart, const QString &path)
{
    flushCharts();
    QSaveFile file(path);
    const QByteArray bytes = chartCsv(chart->chart()).toUtf8();
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        const QString error = tr("cannot write %1").arg(path);
        showBanner(tr("Could not export the data: %1").arg(error.toHtmlEscaped()));
        return error;
    }
    return {};
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    Q_EMIT closing(); // the trainer stops (bounded wait) before the window goes
    m_redraw->stop();
    event->accept();
}

} // namespace reglab::ui
