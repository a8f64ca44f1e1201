// reglab: the live dashboard. With --screenshot it also runs unattended: trains, grabs the window, exits.
#include "app/guiwiring.h"
#include "app/plotcommand.h"
#include "app/trainingcontroller.h"
#include "model/blaskernels.h"
#include "model/journal.h"
#include "model/runfiles.h"
#include "model/runrecord.h"

#include "ui/charts/figureexport.h"
#include "ui/charts/palette.h"
#include "ui/controls/controlpanel.h"
#include "ui/controls/logslider.h"
#include "ui/live/liveview.h"
#include "ui/network/networkpanel.h"
#include "ui/runs/runlist.h"
#include "ui/window/mainwindow.h"
#include "ui/window/presentation.h"
#include "ui/window/presetmenu.h"
#include "ui/window/screenfit.h"
#include "ui/window/viewmenu.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFile>
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
    const QCommandLineOption theme(QStringLiteral("theme"),
                                   QStringLiteral("Colours: system (follow the desktop), light or dark."),
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
    parser.addOptions({screenshot, epochs, after, size, data, l1, l2, lr, changeL1, logScale, resetSettings, preset,
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
    const bool shooting = parser.isSet(screenshot);
    reglab::ui::MainWindow window(!shooting); // an unattended run leaves the user's settings alone
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
            return fail(
                QStringLiteral("--theme: '%1' is not allowed; use system, light or dark").arg(parser.value(theme)));
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

    if (!parser.positionalArguments().isEmpty()) {
        // An unattended shot must not quietly leave out a run it was asked to draw (a truncated record, a FIFO):
        // the window would show a banner no one sees and exit 0.
        if (shooting) {
            std::vector<std::string> paths;
            for (const QString &run : parser.positionalArguments())
                paths.push_back(QFile::encodeName(run).toStdString());
            const reglab::LoadedRuns check = reglab::openRunFiles(paths);
            for (const std::string &newer : check.notUnderstood) // drawn, but said: no one sees the banner
                std::fprintf(stderr, "reglab: %s\n", newer.c_str());
            if (!check.problems.empty()) {
                for (const std::string &problem : check.problems)
                    std::fprintf(stderr, "reglab: %s\n", problem.c_str());
                std::fprintf(stderr, "reglab: --screenshot: %zu of the run files cannot be read; nothing was saved\n",
                             check.problems.size());
                return 3;
            }
        }
        window.runList()->openFiles(parser.positionalArguments());
        // A screenshot's run is compared with the runs named (the window keeps no settings then).
        if (shooting)
            window.runList()->keepShownBox()->setChecked(true);
    }
    if (!shooting) {
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

    // Without --size the picture is what a first start shows on this screen; with it, what a screen that size shows.
    QSize shotSize = window.size();
    if (parser.isSet(size)) {
        if (!parseSize(parser.value(size), shotSize))
            return fail(QStringLiteral("--size: '%1' is not allowed; give WxH from 640x400 to 7680x4320")
                            .arg(parser.value(size)));
        window.setCompactLayout(reglab::ui::screenfit::isSmall(QRect(QPoint(0, 0), shotSize)));
    }
    const QString file = parser.value(screenshot);
    const QString shotSuffix = QFileInfo(file).suffix().toLower();
    if (shotSuffix != QLatin1String("png") && shotSuffix != QLatin1String("pdf") && shotSuffix != QLatin1String("svg"))
        return fail(QStringLiteral("--screenshot: %1: use a .png, .pdf or .svg file name").arg(file));
    // Checked before training: a folder or an unwritable place fails now, not minutes later.
    if (const std::string e = reglab::checkWritableTarget(QFile::encodeName(file).toStdString()); !e.empty())
        return fail(QStringLiteral("--screenshot: %1").arg(QString::fromStdString(e)));
    std::vector<reglab::NamedFile> inputs; // the runs it opens: a shot named like one would replace it
    for (const QString &run : parser.positionalArguments())
        inputs.push_back({"the run record", QFile::encodeName(run).toStdString()});
    if (const std::string e = reglab::outputOverInput({{"--screenshot", QFile::encodeName(file).toStdString()}}, inputs);
        !e.empty())
        return fail(QString::fromStdString(e));
    window.setFixedSize(shotSize); // the same layout on every machine
    window.show();
    if (parser.isSet(present))
        window.presentation()->setActive(true);

    int status = 0;
    int epochsSeen = 0;
    bool shot = false;
    auto takeShot = [&](int exitCode) {
        if (shot)
            return;
        shot = true;
        // Let the last queued events and the charts settle before grabbing.
        QTimer::singleShot(150, &window, [&, exitCode] {
            if (parser.isSet(showNetwork)) // a preset's end brings the runs list to the front: the view asked for
                window.networkDock()->raise();
            window.flushCharts();
            QApplication::processEvents();
            QString error;
            QSize saved = window.size();
            if (shotSuffix == QLatin1String("png")) {
                const QPixmap pixmap = window.grab();
                saved = pixmap.size();
                error = pixmap.save(file, "PNG") ? QString() : QStringLiteral("cannot write %1").arg(file);
            } else {
                error = reglab::ui::saveWidget(&window, file); // vectors: legends, swatches, text as text
            }
            status = error.isEmpty() ? exitCode : 1;
            if (status == 1)
                std::fprintf(stderr, "reglab: %s\n", qPrintable(error));
            else
                std::fprintf(stdout, "reglab: saved %s (%dx%d) after %d epoch(s)\n", qPrintable(file), saved.width(),
                             saved.height(), epochsSeen);
            controller.shutdown(2000);
            QApplication::exit(status);
        });
    };
    QString presetFile;
    if (parser.isSet(preset)) {
        const QString wanted = parser.value(preset);
        QStringList known;
        presetFile = window.presetMenu()->fileFor(wanted, &known);
        if (presetFile.isEmpty())
            return fail(QStringLiteral("--preset: no preset '%1'; the presets in %2 are %3")
                            .arg(wanted, reglab::ui::PresetMenu::presetDirs().join(QStringLiteral(" and ")),
                                 known.isEmpty() ? QStringLiteral("none") : known.join(QStringLiteral(", "))));
        // The shot waits for the queue: each finished run lands in the runs list.
        QObject::connect(&controller, &reglab::app::TrainingController::event, &window,
                         [&](const reglab::TrainEvent &event) {
                             const auto *record = std::get_if<reglab::RunRecord>(&event);
                             if (!record)
                                 return;
                             if (record->status == reglab::RunStatus::Failed) {
                                 std::fprintf(stderr, "reglab: a preset run failed: %s\n", record->message.c_str());
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
    QObject::connect(&controller, &reglab::app::TrainingController::event, &window,
                     [&](const reglab::TrainEvent &event) {
                         if (const auto *e = std::get_if<reglab::EpochRecord>(&event)) {
                             epochsSeen = e->epoch;
                             if (changeEpoch > 0 && e->epoch == changeEpoch) // the way a typed value goes
                                 controls->widget<reglab::ui::LogSlider>("l1")->spinBox()->setValue(changeValue);
                             if (epochsSeen >= waitEpochs)
                                 takeShot(0);
                         } else if (const auto *record = std::get_if<reglab::RunRecord>(&event)) {
                             const bool ok = record->status == reglab::RunStatus::Finished ||
                                             record->status == reglab::RunStatus::Stopped;
                             if (!ok)
                                 std::fprintf(stderr, "reglab: the run ended: %s\n", record->message.c_str());
                             takeShot(ok ? 0 : 3);
                         }
                     });
    QTimer::singleShot(0, controls->startAction(), &QAction::trigger);
    QTimer::singleShot(600000, &app, [] {
        std::fprintf(stderr, "reglab: no screenshot after 10 minutes; giving up\n");
        QApplication::exit(1);
    });
    return app.exec();
}
