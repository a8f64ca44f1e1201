// reglab: the live dashboard. With --screenshot or --record it runs unattended (app/unattended.*): trains, saves a
// still or a video of the window or of one view, exits.
#include "app/guiwiring.h"
#include "app/plotcommand.h"
#include "app/trainingcontroller.h"
#include "app/unattended.h"
#include "model/blaskernels.h"
#include "model/journal.h"

#include "ui/charts/palette.h"
#include "ui/controls/controlpanel.h"
#include "ui/controls/logslider.h"
#include "ui/live/liveview.h"
#include "ui/network/networkpanel.h"
#include "ui/runs/runlist.h"
#include "ui/window/mainwindow.h"
#include "ui/window/presentation.h"
#include "ui/window/viewmenu.h"

#include <QApplication>
#include <QCheckBox>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QMessageBox>
#include <QSettings>
#include <QTimer>

#include <csignal>
#include <cstdio>

namespace {

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
            arg.startsWith("--screenshot") || arg.startsWith("--record") || (i == 1 && arg == "plot")) {
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
    // First of all (the window, `reglab plot`): this may run the program again with faster matrix kernels.
    reglab::chooseBlasKernels(argc, argv);
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
    QApplication::setApplicationVersion(QStringLiteral(REGLAB_VERSION));
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.reglab.RegLab"));
    Q_INIT_RESOURCE(reglab);
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/reglab/reglab.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "RegLab: watch L1 and L2 regularization shape a 784-200-200-10 MLP while it trains.\n"
        "Without options it opens the dashboard with the saved settings (first start: the forum's set-up on the "
        "bundled MNIST sample)."));
    parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    // A setting's flag says what the setting means and allows, in the core's words.
    auto describe = [](const char *key, const char *extra = "") {
        const reglab::ConfigField &f = reglab::field(key);
        return QString::fromStdString(f.help + extra + " (" + f.allowed() + ")");
    };
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Train on its own, save the window to <file> (.png; .pdf or .svg as "
                       "vectors with text as text), exit."),
        QStringLiteral("file"));
    const QCommandLineOption record(
        QStringLiteral("record"),
        QStringLiteral("Train on its own like --screenshot and save a video of the run to <file>: .mp4 (H.264, "
                       "for slides), .webm (VP9, for the web) or .gif; exit. The run's steps are spread over "
                       "--seconds at --fps; the last frame is the still --screenshot saves."),
        QStringLiteral("file"));
    const QCommandLineOption view(
        QStringLiteral("view"),
        QStringLiteral("With --record or --screenshot: what is drawn, laid out at --size: dashboard (the window, "
                       "the default), loss, accuracy, weights (the first layer's weight images) or gap (the epoch "
                       "chart with the generalization gap)."),
        QStringLiteral("name"));
    const QCommandLineOption fps(QStringLiteral("fps"),
                                 QStringLiteral("With --record: frames a second, 1 to 60 (default 25; 10 for a GIF)."),
                                 QStringLiteral("n"));
    const QCommandLineOption seconds(
        QStringLiteral("seconds"),
        QStringLiteral("With --record: the video's length; the run's steps are spread over it (default 10)."),
        QStringLiteral("s"));
    const QCommandLineOption epochs(QStringLiteral("epochs"),
                                    describe("epochs", "; with --screenshot the shot is taken when they are done"),
                                    QStringLiteral("n"));
    const QCommandLineOption after(
        QStringLiteral("screenshot-after"),
        QStringLiteral("Take the screenshot after <n> epochs of the configured run, then stop it."),
        QStringLiteral("n"));
    const QCommandLineOption size(QStringLiteral("size"),
                                  QStringLiteral("Window size for --screenshot, laid out as on a screen of that size "
                                                 "(default: the size a first start picks on this screen)."),
                                  QStringLiteral("WxH"));
    const QCommandLineOption present(QStringLiteral("present"),
                                     QStringLiteral("Start in presentation mode: full screen, the charts alone, "
                                                    "large type (F11 leaves it, F9 shows the controls)."));
    const QCommandLineOption theme(
        QStringLiteral("theme"),
        QStringLiteral("Colours: system (follow the desktop, its high-contrast setting too), "
                       "light, dark or high-contrast."),
        QStringLiteral("name"));
    const QCommandLineOption data(QStringLiteral("data"), QString::fromStdString(reglab::field("data").help),
                                  QStringLiteral("spec"));
    const QCommandLineOption l1(QStringLiteral("l1"), describe("l1", "; 0 is off"), QStringLiteral("value"));
    const QCommandLineOption l2(QStringLiteral("l2"), describe("l2", "; 0 is off"), QStringLiteral("value"));
    const QCommandLineOption lr(QStringLiteral("lr"), describe("learning_rate"), QStringLiteral("value"));
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
    parser.addOptions({screenshot, record, view, fps, seconds, epochs, after, size, data, l1, l2, lr, changeL1, logScale, resetSettings, preset,
                       showNetwork, present, theme});
    parser.addPositionalArgument(QStringLiteral("runs"),
                                 QStringLiteral("Run records (JSON, from reglab-train --out or Save) to open for "
                                                "comparison. `reglab plot --help`: charts of runs with no window."),
                                 QStringLiteral("[RUN.json...]"));
    // --version names the matrix kernels too (QCommandLineParser's own says the version alone).
    if (parser.parse(QApplication::arguments()) && parser.isSet(version)) {
        std::printf("RegLab %s\nblas %s\n", REGLAB_VERSION, reglab::describeBlasKernels(reglab::blasKernels()).c_str());
        return 0;
    }
    parser.process(app);

    if (parser.isSet(resetSettings)) {
        QSettings settings(QStringLiteral("RegLab"), QStringLiteral("RegLab"));
        settings.clear();
        settings.sync();
    }
    const bool unattended = parser.isSet(screenshot) || parser.isSet(record);
    // Flags that only an unattended run uses are refused in a window, not ignored.
    for (const QCommandLineOption *option : {&view, &fps, &seconds})
        if (!unattended && parser.isSet(*option))
            return fail(QStringLiteral("--%1 is for --record or --screenshot").arg(option->names().constFirst()));
    reglab::ui::MainWindow window(!unattended); // an unattended run leaves the user's settings alone
    reglab::app::TrainingController controller;
    reglab::app::connectWindow(window, controller);
    reglab::ui::ControlPanel *controls = window.controls();

    // The settings' flags are checked exactly as reglab-train checks them (the core's fields), then against
    // what the window's controls can show.
    reglab::TrainConfig config = controls->config();
    auto setting = [&](const QCommandLineOption &option, const char *key, const QString &text) -> QString {
        const reglab::ConfigField &f = reglab::field(key);
        if (const std::string problem = f.set(config, text.toStdString()); !problem.empty())
            return QStringLiteral("--%1: %2").arg(option.names().constFirst(), QString::fromStdString(problem));
        return {};
    };
    const std::pair<const QCommandLineOption *, const char *> settings[] = {
        {&epochs, "epochs"}, {&data, "data"}, {&l1, "l1"}, {&l2, "l2"}, {&lr, "learning_rate"}};
    for (const auto &[option, key] : settings)
        if (parser.isSet(*option))
            if (const QString problem = setting(*option, key, parser.value(*option)); !problem.isEmpty())
                return fail(problem);
    for (const auto &[option, value] : {std::pair{&l1, config.l1}, std::pair{&l2, config.l2}})
        if (value > reglab::ui::LogSlider::kMax)
            return fail(QStringLiteral("--%1: '%2' is beyond the slider; give a number from 0 to %3")
                            .arg(option->names().constFirst(), parser.value(*option))
                            .arg(reglab::ui::LogSlider::kMax));
    controls->setConfig(config);
    int waitEpochs = config.epochs;
    if (parser.isSet(after)) {
        bool ok = false;
        waitEpochs = parser.value(after).toInt(&ok);
        if (!ok || waitEpochs < 1 || waitEpochs > config.epochs)
            return fail(QStringLiteral("--screenshot-after: '%1' is not allowed; give a whole number from 1 to %2")
                            .arg(parser.value(after))
                            .arg(config.epochs));
    } else if (!parser.isSet(epochs)) {
        waitEpochs = std::min(5, config.epochs);
    }
    int changeEpoch = 0;
    double changeValue = 0;
    if (parser.isSet(changeL1)) {
        const QStringList parts = parser.value(changeL1).split(QLatin1Char(':'));
        bool okEpoch = false;
        reglab::TrainConfig changed = config;
        std::string problem = "no value";
        if (parts.size() == 2) {
            changeEpoch = parts[0].toInt(&okEpoch);
            problem = reglab::field("l1").set(changed, parts[1].toStdString());
        }
        if (!okEpoch || changeEpoch < 1 || changeEpoch > config.epochs || !problem.empty() ||
            changed.l1 > reglab::ui::LogSlider::kMax)
            return fail(QStringLiteral("--change-l1: '%1' is not allowed; give EPOCH:VALUE with EPOCH from 1 to %2 and "
                                       "VALUE from 0 to 1, such as 2:0.001")
                            .arg(parser.value(changeL1))
                            .arg(config.epochs));
        changeValue = changed.l1;
    }
    if (parser.isSet(logScale))
        window.liveView()->logScaleBox()->setChecked(true);
    if (parser.isSet(theme)) {
        reglab::ui::Theme chosen = reglab::ui::Theme::System;
        if (!reglab::ui::parseTheme(parser.value(theme), chosen))
            return fail(QStringLiteral("--theme: '%1' is not allowed; use system, light, dark or high-contrast")
                            .arg(parser.value(theme)));
        window.viewMenu()->setTheme(chosen);
    }
    if (parser.isSet(showNetwork)) {
        const QString tab = parser.value(showNetwork);
        QStringList names;
        int chosen = -1;
        for (int v = 0; v < reglab::ui::NetworkPanel::ViewCount; ++v) {
            const QString name = reglab::ui::NetworkPanel::fileName(reglab::ui::NetworkPanel::View(v));
            names << name;
            if (chosen < 0 && !tab.isEmpty() && (name.startsWith(tab) || tab.startsWith(name)))
                chosen = v;
        }
        if (chosen < 0)
            return fail(QStringLiteral("--show-network: '%1' is not allowed; use %2").arg(tab, names.join(QStringLiteral(", "))));
        window.networkDock()->show();
        window.networkDock()->raise();
        window.networkPanel()->setCurrentIndex(chosen);
    }

    if (!unattended) {
        if (!parser.positionalArguments().isEmpty())
            window.runList()->openFiles(parser.positionalArguments());
        window.show();
        // Runs the program was training when it last ended (a crash, a kill) left their journals behind. Asked
        // once the window is up, so the question has the dashboard behind it.
        if (parser.isSet(present))
            QTimer::singleShot(0, &window, [&window] { window.presentation()->setActive(true); });
        QTimer::singleShot(0, &window, [&window] {
            QStringList interrupted;
            for (const std::string &path : reglab::interruptedJournals(reglab::defaultJournalDir()))
                interrupted << QString::fromStdString(path);
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
                window.runList()->recover(interrupted);
            else
                window.runList()->discard(interrupted);
        });
        return app.exec();
    }

    reglab::app::UnattendedJob job;
    job.shot = parser.value(screenshot);
    job.record = parser.value(record);
    job.view = parser.value(view);
    job.fps = parser.value(fps);
    job.seconds = parser.value(seconds);
    job.size = parser.value(size);
    job.waitEpochs = waitEpochs;
    job.changeEpoch = changeEpoch;
    job.changeValue = changeValue;
    job.preset = parser.value(preset);
    job.runs = parser.positionalArguments();
    job.present = parser.isSet(present);
    job.showNetwork = parser.isSet(showNetwork);
    return reglab::app::runUnattended(window, controller, job);
}
