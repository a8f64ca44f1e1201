// reglab: the live dashboard. With --screenshot it also runs unattended: trains, grabs the window, exits.
#include "app/guiwiring.h"
#include "app/plotcommand.h"
#include "app/trainingcontroller.h"

#include "ui/controlpanel.h"
#include "ui/logslider.h"
#include "ui/mainwindow.h"
#include "ui/networkpanel.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QMessageBox>
#include <QPixmap>
#include <QSettings>
#include <QSpinBox>
#include <QTimer>

#include <csignal>
#include <cstdio>

namespace {

bool parseSize(const QString &text, QSize &out)
{
    const QStringList parts = text.toLower().split(QLatin1Char('x'));
    if (parts.size() != 2)
        return false;
    bool okW = false, okH = false;
    const int w = parts[0].toInt(&okW), h = parts[1].toInt(&okH);
    if (!okW || !okH || w < 640 || h < 400 || w > 7680 || h > 4320)
        return false;
    out = QSize(w, h);
    return true;
}

int fail(const QString &message)
{
    std::fprintf(stderr, "reglab: %s\n", qPrintable(message));
    return 2;
}

// Without a display Qt aborts while starting. --help and --screenshot need none: they get the offscreen
// platform; an interactive start gets a message that says what to do instead of an abort.
bool prepareDisplay(int argc, char **argv)
{
    if (qEnvironmentVariableIsSet("QT_QPA_PLATFORM") || qEnvironmentVariableIsSet("DISPLAY") ||
        qEnvironmentVariableIsSet("WAYLAND_DISPLAY"))
        return true;
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "-h" || arg == "--help" || arg == "--help-all" || arg == "-v" || arg == "--version" ||
            arg.startsWith("--screenshot") || (i == 1 && arg == "plot")) {
            qputenv("QT_QPA_PLATFORM", "offscreen");
            return true;
        }
    }
    std::fprintf(stderr, "reglab: no display (DISPLAY and WAYLAND_DISPLAY are not set). Start it from a desktop "
                         "session; or train headless with reglab-train; or take a picture of the dashboard with "
                         "reglab --screenshot FILE.png.\n");
    return false;
}

} // namespace

int main(int argc, char **argv)
{
    // A file-size limit or a full quota must be a write error shown in the window, not a killed process.
    std::signal(SIGXFSZ, SIG_IGN);
    if (!prepareDisplay(argc, argv))
        return 2;
    QApplication app(argc, argv);
    if (argc > 1 && QByteArray(argv[1]) == "plot") // reglab plot RUN.json... --out FIG: no window
        return reglab::app::runPlotCommand(QApplication::arguments().mid(2));
    QApplication::setOrganizationName(QStringLiteral("RegLab"));
    QApplication::setApplicationName(QStringLiteral("RegLab"));
    QApplication::setApplicationDisplayName(QStringLiteral("RegLab"));
    Q_INIT_RESOURCE(reglab);
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/reglab/reglab.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "RegLab: watch L1 and L2 regularization shape a 784-200-200-10 MLP while it trains.\n"
        "Without options it opens the dashboard with the saved settings (first start: the forum's set-up on the "
        "bundled MNIST sample)."));
    parser.addHelpOption();
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Train on its own, save the window as a PNG to <file>, exit."),
                                        QStringLiteral("file"));
    const QCommandLineOption epochs(
        QStringLiteral("epochs"),
        QStringLiteral("Epochs to train (with --screenshot: the shot is taken when they are done)."),
        QStringLiteral("n"));
    const QCommandLineOption after(
        QStringLiteral("screenshot-after"),
        QStringLiteral("Take the screenshot after <n> epochs of the configured run, then stop it."),
        QStringLiteral("n"));
    const QCommandLineOption size(QStringLiteral("size"),
                                  QStringLiteral("Window size for --screenshot (default 1600x900)."),
                                  QStringLiteral("WxH"), QStringLiteral("1600x900"));
    const QCommandLineOption data(QStringLiteral("data"), QStringLiteral("Data source: sample, fashion or a folder."),
                                  QStringLiteral("spec"));
    const QCommandLineOption l1(QStringLiteral("l1"), QStringLiteral("L1 strength (0 = off)."),
                                QStringLiteral("value"));
    const QCommandLineOption l2(QStringLiteral("l2"), QStringLiteral("L2 strength (0 = off)."),
                                QStringLiteral("value"));
    const QCommandLineOption lr(QStringLiteral("lr"), QStringLiteral("Learning rate."), QStringLiteral("value"));
    const QCommandLineOption changeL1(
        QStringLiteral("change-l1"),
        QStringLiteral("With --screenshot: set L1 to <value> after epoch <e> (e:value), as a "
                       "moved slider would."),
        QStringLiteral("e:value"));
    const QCommandLineOption logScale(QStringLiteral("log-scale"), QStringLiteral("Show the loss on a log axis."));
    const QCommandLineOption resetSettings(QStringLiteral("reset-settings"),
                                           QStringLiteral("Forget the saved settings and start from the defaults."));
    const QCommandLineOption preset(
        QStringLiteral("preset"),
        QStringLiteral("With --screenshot: run a preset (file name or name, e.g. forum-thread) instead of one run; "
                       "the shot is taken when its last run ends."),
        QStringLiteral("name"));
    const QCommandLineOption showNetwork(
        QStringLiteral("show-network"),
        QStringLiteral("Raise the \"Inside the network\" dock at its <tab>: weights, histograms, sparsity, "
                       "gradients, confusion or mistakes."),
        QStringLiteral("tab"));
    parser.addOptions(
        {screenshot, epochs, after, size, data, l1, l2, lr, changeL1, logScale, resetSettings, preset, showNetwork});
    parser.addPositionalArgument(QStringLiteral("runs"),
                                 QStringLiteral("Run records (JSON, from reglab-train --out or Save) to open for "
                                                "comparison. `reglab plot --help`: charts of runs with no window."),
                                 QStringLiteral("[RUN.json...]"));
    parser.process(app);

    if (parser.isSet(resetSettings)) {
        QSettings settings(QStringLiteral("RegLab"), QStringLiteral("RegLab"));
        settings.clear();
        settings.sync();
    }
    auto positiveInt = [&](const QCommandLineOption &o, int &out) {
        bool ok = false;
        out = parser.value(o).toInt(&ok);
        return ok && out > 0;
    };
    auto number = [&](const QCommandLineOption &o, double &out) {
        bool ok = false;
        out = parser.value(o).toDouble(&ok);
        return ok && out >= 0;
    };

    const bool shooting = parser.isSet(screenshot);
    reglab::ui::MainWindow window(!shooting); // an unattended run leaves the user's settings alone
    reglab::app::TrainingController controller;
    reglab::app::connectWindow(window, controller);
    reglab::ui::ControlPanel *controls = window.controls();

    int waitEpochs = 0;
    if (parser.isSet(epochs)) {
        if (!positiveInt(epochs, waitEpochs))
            return fail(QStringLiteral("--epochs needs a positive whole number"));
        controls->epochsBox()->setValue(waitEpochs);
    }
    if (parser.isSet(after) && !positiveInt(after, waitEpochs))
        return fail(QStringLiteral("--screenshot-after needs a positive whole number"));
    if (parser.isSet(data))
        controls->setDataSource(parser.value(data));
    double value = 0;
    if (parser.isSet(l1)) {
        if (!number(l1, value) || value > 1)
            return fail(QStringLiteral("--l1 needs a value in 0..1"));
        controls->l1Slider()->setValue(value);
    }
    if (parser.isSet(l2)) {
        if (!number(l2, value) || value > 1)
            return fail(QStringLiteral("--l2 needs a value in 0..1"));
        controls->l2Slider()->setValue(value);
    }
    if (parser.isSet(lr)) {
        if (!number(lr, value) || value <= 0)
            return fail(QStringLiteral("--lr needs a value above 0"));
        controls->learningRateBox()->setValue(value);
    }
    int changeEpoch = 0;
    double changeValue = 0;
    if (parser.isSet(changeL1)) {
        const QStringList parts = parser.value(changeL1).split(QLatin1Char(':'));
        bool okE = false, okV = false;
        if (parts.size() == 2) {
            changeEpoch = parts[0].toInt(&okE);
            changeValue = parts[1].toDouble(&okV);
        }
        if (!okE || !okV || changeEpoch < 1 || changeValue < 0 || changeValue > 1)
            return fail(QStringLiteral("--change-l1 needs e:value, e.g. 2:0.001"));
    }
    if (parser.isSet(logScale))
        window.logScaleBox()->setChecked(true);
    if (parser.isSet(showNetwork)) {
        window.networkDock()->show();
        window.networkDock()->raise();
        const QString tab = parser.value(showNetwork);
        for (int v = 0; v < reglab::ui::NetworkPanel::ViewCount; ++v) {
            const QString name = reglab::ui::NetworkPanel::fileName(reglab::ui::NetworkPanel::View(v));
            if (!tab.isEmpty() && (name.startsWith(tab) || tab.startsWith(name)))
                window.networkPanel()->setCurrentIndex(v);
        }
    }

    if (!parser.positionalArguments().isEmpty())
        window.openRunFiles(parser.positionalArguments());
    if (!shooting) {
        window.show();
        // Runs the program was training when it last ended (a crash, a kill) left their journals behind. Asked
        // once the window is up, so the question has the dashboard behind it.
        QTimer::singleShot(0, &window, [&window] {
            const QStringList interrupted = window.interruptedRuns();
            if (interrupted.isEmpty())
                return;
            const auto answer = QMessageBox::question(
                &window, QApplication::translate("main", "Interrupted runs"),
                QApplication::translate("main",
                                        "%n run(s) were interrupted (the program ended while training). Recover "
                                        "them into the runs list?",
                                        nullptr, int(interrupted.size())),
                QMessageBox::Yes | QMessageBox::No, QMessageBox::Yes);
            if (answer == QMessageBox::Yes)
                window.recoverInterruptedRuns(interrupted);
            else
                window.discardInterruptedRuns(interrupted);
        });
        return app.exec();
    }

    QSize shotSize;
    if (!parseSize(parser.value(size), shotSize))
        return fail(QStringLiteral("--size needs WxH between 640x400 and 7680x4320"));
    if (waitEpochs == 0)
        waitEpochs = std::min(5, controls->epochsBox()->value());
    waitEpochs = std::min(waitEpochs, controls->epochsBox()->value());
    const QString file = parser.value(screenshot);
    window.setFixedSize(shotSize); // the same layout on every machine
    window.show();

    int status = 0;
    int epochsSeen = 0;
    bool shot = false;
    auto takeShot = [&](int exitCode) {
        if (shot)
            return;
        shot = true;
        // Let the last queued events and the charts settle before grabbing.
        QTimer::singleShot(150, &window, [&, exitCode] {
            window.flushCharts();
            QApplication::processEvents();
            const QPixmap pixmap = window.grab();
            status = pixmap.save(file, "PNG") ? exitCode : 1;
            if (status == 1)
                std::fprintf(stderr, "reglab: cannot write %s\n", qPrintable(file));
            else
                std::fprintf(stdout, "reglab: saved %s (%dx%d) after %d epoch(s)\n", qPrintable(file), pixmap.width(),
                             pixmap.height(), epochsSeen);
            controller.shutdown(2000);
            QApplication::exit(status);
        });
    };
    QString presetFile;
    if (parser.isSet(preset)) {
        for (const QString &f : window.presetFiles()) {
            const QString base = QFileInfo(f).completeBaseName();
            if (base == parser.value(preset) || base.section(QLatin1Char('-'), 1) == parser.value(preset))
                presetFile = f;
        }
        if (presetFile.isEmpty())
            return fail(QStringLiteral("--preset: no preset '%1' (the files are in resources/presets)")
                            .arg(parser.value(preset)));
        // The shot waits for the queue: each finished run lands in the runs list.
        QObject::connect(&controller, &reglab::app::TrainingController::finished, &window,
                         [&](const reglab::RunRecord &record) {
                             if (record.status == reglab::RunStatus::Failed) {
                                 std::fprintf(stderr, "reglab: a preset run failed: %s\n", record.message.c_str());
                                 takeShot(3);
                             }
                             QTimer::singleShot(200, &window, [&] {
                                 if (!controller.isRunning())
                                     takeShot(0);
                             });
                         });
        QTimer::singleShot(0, &window, [&] { window.startPreset(presetFile, false); });
        return app.exec();
    }
    QObject::connect(&controller, &reglab::app::TrainingController::epoch, &window, [&](const reglab::EpochRecord &e) {
        epochsSeen = e.epoch;
        if (changeEpoch > 0 && e.epoch == changeEpoch)
            controls->l1Slider()->spinBox()->setValue(changeValue); // goes the same way as a typed value
        if (epochsSeen >= waitEpochs)
            takeShot(0);
    });
    QObject::connect(
        &controller, &reglab::app::TrainingController::finished, &window, [&](const reglab::RunRecord &record) {
            const bool ok = record.status == reglab::RunStatus::Finished || record.status == reglab::RunStatus::Stopped;
            if (!ok)
                std::fprintf(stderr, "reglab: the run ended: %s\n", record.message.c_str());
            takeShot(ok ? 0 : 3);
        });
    QTimer::singleShot(0, controls->startAction(), &QAction::trigger);
    QTimer::singleShot(600000, &app, [] {
        std::fprintf(stderr, "reglab: no screenshot after 10 minutes; giving up\n");
        QApplication::exit(1);
    });
    return app.exec();
}
