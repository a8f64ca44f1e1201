// File > New sweep: the grid becomes the sweep file the core reads (ranges, log spacing, choices, seeds), a grid
// the core refuses gets the core's words, the file is written whole, and a sweep runs here through reglab-train
// with its progress, stops with its runs' work kept, resumes, and leaves no process behind when the dialog goes.
#include "app/sweeprunner.h"
#include "guitest.h"
#include "model/safefile.h"
#include "model/sweep.h"
#include "ui/runs/runlist.h"
#include "ui/runs/runmodel.h"
#include "ui/sweeps/sweepdialog.h"
#include "ui/sweeps/sweepgrid.h"
#include "ui/sweeps/sweepview.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QMap>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using reglab::app::SweepRunner;
using reglab::ui::SweepDialog;
using reglab::ui::SweepGrid;

namespace {

// The runner a dialog was made with: app/'s, reglab-train as a child process.
SweepRunner *runnerOf(const SweepDialog &dialog)
{
    return qobject_cast<SweepRunner *>(dialog.runner());
}

// A network small enough that an epoch of the bundled sample is a blink.
reglab::TrainConfig tinyBase()
{
    reglab::TrainConfig c;
    c.hidden = {16};
    c.dropout = {0};
    c.device = "cpu";
    return c;
}

QStringList recordsIn(const QString &dir)
{
    return QDir(dir).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
}

// Whether a process whose command line names `text` is still alive (a run the dialog left behind).
bool processMentions(const QString &text)
{
    for (const QString &pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (pid.toInt() > 0 && cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains(text.toUtf8()))
            return true;
    }
    return false;
}

// The window's File > New sweep action; null when there is none.
QAction *newSweepAction(QMainWindow *window)
{
    for (QAction *menu : window->menuBar()->actions())
        if (menu->menu())
            for (QAction *a : menu->menu()->actions())
                if (a->text() == QStringLiteral("New s&weep\u2026"))
                    return a;
    return nullptr;
}

// The saved settings, key by key.
QMap<QString, QVariant> savedSettings()
{
    const QSettings settings(QStringLiteral("RegLab"), QStringLiteral("RegLab"));
    QMap<QString, QVariant> values;
    for (const QString &key : settings.allKeys())
        values.insert(key, settings.value(key));
    return values;
}

} // namespace

class TestSweepDialog : public QObject {
    Q_OBJECT
    guitest::TestFolder m_settings;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_settings.enter()); }

    void gridBecomesTheSweepFile()
    {
        reglab::ui::RunModel model;
        reglab::ui::RunList list(&model);
        SweepDialog dialog(new SweepRunner, &list);
        dialog.setBase(tinyBase());
        dialog.nameEdit()->setText(QStringLiteral("Grid test"));
        SweepGrid *grid = dialog.grid();
        QCOMPARE(grid->rowCount(), 1);
        grid->paramBox(0)->setCurrentIndex(grid->paramBox(0)->findData(QStringLiteral("l1")));
        grid->setRange(0, 1e-4, 1e-2, 3, true);
        const int optimizer = grid->addRow(QStringLiteral("optimizer"));
        QCOMPARE(grid->choiceBoxes(optimizer).size(), 3);
        grid->setChoices(optimizer, {QStringLiteral("sgd"), QStringLiteral("adam")});
        const int dropout = grid->addRow(QStringLiteral("dropout"));
        grid->setRange(dropout, 0, 0.5, 2, false); // linear: 0 and 0.5, one rate per hidden layer
        dialog.seedsBox()->setValue(2);
        dialog.epochsBox()->setValue(1);
        dialog.refresh();
        QVERIFY2(dialog.error().isEmpty(), qPrintable(dialog.error()));
        QCOMPARE(dialog.runCount(), 3 * 2 * 2 * 2);
        const QString json = dialog.sweepJson();
        QCOMPARE(dialog.preview()->toPlainText(), json);
        QVERIFY2(
            json.contains(QStringLiteral("\"l1\": {\"from\": 0.0001, \"to\": 0.01, \"points\": 3, \"log\": true}")),
            qPrintable(json));
        QVERIFY(json.contains(QStringLiteral("\"optimizer\": [\"sgd\", \"adam\"]")));
        QVERIFY(json.contains(QStringLiteral("\"dropout\": [[0.0], [0.5]]")));
        QVERIFY(json.contains(QStringLiteral("\"seed\": [0, 1]")));
        QVERIFY(json.contains(QStringLiteral("\"epochs\": 1")));
        const reglab::Sweep sweep = reglab::parseSweep(json.toStdString());
        QCOMPARE(sweep.runs.size(), std::size_t(24));
        QCOMPARE(sweep.runs.back().config.l1, 0.01);
        QCOMPARE(sweep.runs.back().config.hidden, std::vector<int>{16});
        QVERIFY(sweep.runs.back().config.optimizer == reglab::Optimizer::Adam);
        QVERIFY2(dialog.countLabel()->text().contains(QStringLiteral("24 runs")),
                 qPrintable(dialog.countLabel()->text()));
        QVERIFY(dialog.countLabel()->text().contains(QStringLiteral("L1 strength (3)")));
        QVERIFY(dialog.runButton()->isEnabled());

        // Remembered: a new dialog shows the same grid.
        QSettings settings(QStringLiteral("RegLab"), QStringLiteral("RegLab"));
        dialog.saveSettings(settings);
        SweepDialog again(new SweepRunner, &list);
        again.setBase(tinyBase());
        again.refresh();
        QCOMPARE(again.sweepJson(), json);
    }

    // File > New sweep in the window: one dialog, on the control panel's settings.
    void openedFromTheFileMenu()
    {
        guitest::Dashboard d;
        reglab::TrainConfig c = reglab::ui::ControlPanel::defaultConfig();
        c.l2 = 0.01;
        c.leakySlope = 0.02;
        d.controls()->setConfig(c);
        QAction *action = newSweepAction(d.window.get());
        QVERIFY(action);
        action->trigger();
        auto *dialog = d.window->findChild<SweepDialog *>();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        dialog->refresh();
        QVERIFY2(dialog->sweepJson().contains(QStringLiteral("\"leaky_slope\": 0.02")),
                 qPrintable(dialog->sweepJson()));
        QVERIFY(dialog->sweepJson().contains(QStringLiteral("\"l2\": 0.01")));
        action->trigger();
        QCOMPARE(d.window->findChildren<SweepDialog *>().size(), 1); // the same one, raised
    }

    // The dialog remembers its values through the window's settings store: a window that writes no settings (the
    // mode screenshots and benchmarks use) gets a dialog that reads the remembered values and writes none, neither
    // on writing a sweep file nor on closing; a window that writes them gets one that does.
    void remembersThroughTheWindowsStore_data()
    {
        QTest::addColumn<bool>("persist");
        QTest::newRow("no-write mode") << false;
        QTest::newRow("writing") << true;
    }

    void remembersThroughTheWindowsStore()
    {
        QFETCH(bool, persist);
        QTemporaryDir dir;
        // The other tests find the settings as they were.
        const QMap<QString, QVariant> original = savedSettings();
        const auto restore = qScopeGuard([&original] {
            QSettings settings(QStringLiteral("RegLab"), QStringLiteral("RegLab"));
            settings.clear();
            for (auto it = original.begin(); it != original.end(); ++it)
                settings.setValue(it.key(), it.value());
        });
        {
            QSettings settings(QStringLiteral("RegLab"), QStringLiteral("RegLab"));
            settings.clear();
            settings.setValue(QStringLiteral("sweep/name"), QStringLiteral("Remembered"));
            settings.setValue(QStringLiteral("sweep/seeds"), 2);
        }
        guitest::Dashboard d(persist);
        QAction *action = newSweepAction(d.window.get());
        QVERIFY(action);
        const QMap<QString, QVariant> before = savedSettings();
        action->trigger();
        auto *dialog = d.window->findChild<SweepDialog *>();
        QVERIFY(dialog);
        QCOMPARE(dialog->nameEdit()->text(), QStringLiteral("Remembered")); // read in either mode
        QCOMPARE(dialog->seedsBox()->value(), 2);
        dialog->nameEdit()->setText(QStringLiteral("Changed"));
        dialog->seedsBox()->setValue(3);
        dialog->outDirEdit()->setText(dir.filePath(QStringLiteral("out")));
        QVERIFY(dialog->writeSweepFile(dir.filePath(QStringLiteral("grid.json"))));
        dialog->reject();
        const QMap<QString, QVariant> after = savedSettings();
        if (persist) {
            QCOMPARE(after.value(QStringLiteral("sweep/name")).toString(), QStringLiteral("Changed"));
            QCOMPARE(after.value(QStringLiteral("sweep/seeds")).toInt(), 3);
        } else {
            QCOMPARE(after, before);
        }
    }

    // The core checks the grid, so the dialog refuses what reglab-train would, in its words.
    void badGridsAreRefusedInTheCoresWords()
    {
        SweepDialog dialog(new SweepRunner, nullptr);
        dialog.setBase(tinyBase());
        SweepGrid *grid = dialog.grid();
        while (grid->rowCount() > 1)
            grid->removeRow(1);
        grid->paramBox(0)->setCurrentIndex(grid->paramBox(0)->findData(QStringLiteral("l1")));
        dialog.seedsBox()->setValue(1);
        grid->setRange(0, 0, 0.1, 3, true);
        dialog.refresh();
        std::string core;
        try {
            reglab::parseSweep(R"({"format": "reglab-sweep", "name": "x",
                "vary": {"l1": {"from": 0, "to": 0.1, "points": 3, "log": true}}})");
        } catch (const reglab::RecordError &e) {
            core = e.what();
        }
        QVERIFY(!core.empty());
        QCOMPARE(dialog.error(), QString::fromStdString(core));
        QVERIFY(dialog.sweepJson().isEmpty());
        QVERIFY(!dialog.runButton()->isEnabled());
        QVERIFY(!dialog.writeButton()->isEnabled());
        QVERIFY(dialog.countLabel()->text().contains(QStringLiteral("cannot run")));

        grid->setRange(0, 1e-6, 1, 10000, true); // 10,000 strengths x 20 seeds: past kMaxSweepRuns
        dialog.seedsBox()->setValue(20);
        dialog.refresh();
        QVERIFY2(dialog.error().contains(QStringLiteral("more than %1 runs").arg(reglab::kMaxSweepRuns)),
                 qPrintable(dialog.error()));
        dialog.seedsBox()->setValue(1);
        grid->fromEdit(0)->setText(QStringLiteral("abc"));
        dialog.refresh();
        QCOMPARE(dialog.error(), QStringLiteral("L1 strength: from \"abc\" is not a number"));
        grid->setRange(0, 1e-3, 1e-2, 2, true);
        const int choice = grid->addRow(QStringLiteral("l1_method"));
        grid->setChoices(choice, {});
        dialog.refresh();
        QCOMPARE(dialog.error(), QStringLiteral("L1 method: tick at least one value"));
        grid->paramBox(choice)->setCurrentIndex(grid->paramBox(choice)->findData(QStringLiteral("l1")));
        dialog.refresh();
        QCOMPARE(dialog.error(), QStringLiteral("L1 strength is in the grid twice: remove one of its rows"));
    }

    void writesTheSweepFileForACluster()
    {
        QTemporaryDir dir;
        SweepDialog dialog(new SweepRunner, nullptr);
        dialog.setBase(tinyBase());
        dialog.outDirEdit()->setText(dir.filePath(QStringLiteral("out dir")));
        dialog.refresh();
        const QString path = dir.filePath(QStringLiteral("grid.json"));
        QVERIFY(dialog.writeSweepFile(path));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(file.readAll()), dialog.sweepJson());
        QCOMPARE(int(reglab::loadSweep(path.toStdString()).runs.size()), dialog.runCount());
        const QString commands = dialog.commands()->toPlainText();
        QVERIFY2(commands.contains(QStringLiteral("reglab-train --sweep %1 --out-dir '%2'")
                                       .arg(path, dir.filePath(QStringLiteral("out dir")))),
                 qPrintable(commands));
        QVERIFY(commands.contains(QStringLiteral("--slurm --jobs 50")));
        QVERIFY(commands.contains(QStringLiteral("--slurm --dry-run")));
        QVERIFY(dialog.statusLabel()->text().contains(QStringLiteral("Wrote")));

        // A target that cannot be written is named, and nothing is written.
        QVERIFY(!dialog.writeSweepFile(dir.filePath(QStringLiteral("missing/grid.json"))));
        QVERIFY2(dialog.statusLabel()->text().contains(QStringLiteral("not written")),
                 qPrintable(dialog.statusLabel()->text()));
        QVERIFY(!dialog.writeSweepFile(dir.path())); // a folder
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("missing"))));

        // No reglab-train to run it with: said in words, with what to do instead.
        runnerOf(dialog)->setProgram(dir.filePath(QStringLiteral("bin/reglab-train")));
        QVERIFY(!dialog.runHere());
        QVERIFY2(dialog.statusLabel()->text().contains(QStringLiteral("was not found next to RegLab")),
                 qPrintable(dialog.statusLabel()->text()));
        QVERIFY(!dialog.isRunning());
    }

    // 1024x768 with a title bar and a panel: the dialog and all of its rows fit.
    void fitsASmallScreen()
    {
        SweepDialog dialog(new SweepRunner, nullptr);
        dialog.setBase(tinyBase());
        for (const QString &key : {QStringLiteral("optimizer"), QStringLiteral("dropout")})
            dialog.grid()->addRow(key);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.refresh();
        QVERIFY2(dialog.width() <= 1000 && dialog.height() <= 700,
                 qPrintable(QStringLiteral("%1x%2").arg(dialog.width()).arg(dialog.height())));
        QVERIFY(dialog.minimumSizeHint().height() <= 700);
        if (qEnvironmentVariableIsSet("REGLAB_SWEEP_SHOT"))
            dialog.grab().save(qEnvironmentVariable("REGLAB_SWEEP_SHOT") + QStringLiteral(".grid.png"));
    }

    void progressLinesAreRead()
    {
        reglab::ui::SweepProgress p;
        QVERIFY(SweepRunner::parseProgress(
            QStringLiteral("progress done=3 total=18 running=2 failed=1 eta_s=95"), p));
        QCOMPARE(p.done, 3);
        QCOMPARE(p.total, 18);
        QCOMPARE(p.running, 2);
        QCOMPARE(p.failed, 1);
        QCOMPARE(p.etaSeconds, 95);
        QVERIFY(SweepRunner::parseProgress(
            QStringLiteral("progress done=0 total=2 running=0 failed=0 eta_s=-1"), p));
        QCOMPARE(p.etaSeconds, -1);
        QVERIFY(!SweepRunner::parseProgress(QStringLiteral("3/18 done, 2 running"), p));
        QCOMPARE(reglab::ui::sweepDuration(95), QStringLiteral("1m35s"));
        QCOMPARE(reglab::ui::sweepDuration(7500), QStringLiteral("2h05m"));
    }

    // A real sweep through reglab-train: 2 runs of 1 epoch, the path filling in; then one that is stopped
    // mid-run and resumed.
    void runsHereStopsAndResumes()
    {
        QTemporaryDir dir;
        reglab::ui::RunModel model;
        reglab::ui::RunList list(&model);
        SweepDialog dialog(new SweepRunner, &list);
        runnerOf(dialog)->setProgram(QStringLiteral(REGLAB_TRAIN_EXE));
        dialog.setBase(tinyBase());
        SweepGrid *grid = dialog.grid();
        while (grid->rowCount() > 1)
            grid->removeRow(1);
        grid->paramBox(0)->setCurrentIndex(grid->paramBox(0)->findData(QStringLiteral("l1")));
        grid->setRange(0, 1e-3, 1e-2, 2, true);
        dialog.seedsBox()->setValue(1);
        dialog.epochsBox()->setValue(1);
        dialog.jobsBox()->setValue(2);
        const QString out = dir.filePath(QStringLiteral("quick"));
        dialog.outDirEdit()->setText(out);
        dialog.show();
        QElapsedTimer clock;
        clock.start();
        QVERIFY2(dialog.runHere(), qPrintable(dialog.statusLabel()->text()));
        QVERIFY(dialog.isRunning());
        QVERIFY(!dialog.runButton()->isEnabled());
        QVERIFY(dialog.stopButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isRunning(), 60000);
        qInfo("2 runs of 1 epoch through the dialog: %lld ms", clock.elapsed());
        QVERIFY2(dialog.statusLabel()->text().startsWith(QStringLiteral("Done")),
                 qPrintable(dialog.statusLabel()->text()));
        QCOMPARE(dialog.progressBar()->value(), 2);
        QCOMPARE(dialog.progressBar()->maximum(), 2);
        QCOMPARE(recordsIn(out).size(), 2);
        QVERIFY(QFileInfo::exists(out + QStringLiteral(".json"))); // the sweep file, beside its folder
        QVERIFY(dialog.commands()->toPlainText().startsWith(QStringLiteral("# On this computer or any other")));
        reglab::ui::SweepView *view = reglab::ui::SweepView::openFor(&list, out);
        QTRY_COMPARE_WITH_TIMEOUT(view->recordCount(), 2, 10000);
        QVERIFY(dialog.noteLabel()->text().contains(QStringLiteral("every run of this sweep")));

        // Stopped while its second run trains: the first keeps its record; Run here again resumes.
        const QString slow = dir.filePath(QStringLiteral("slow"));
        dialog.outDirEdit()->setText(slow);
        dialog.epochsBox()->setValue(8);
        dialog.jobsBox()->setValue(1);
        clock.restart();
        QVERIFY2(dialog.runHere(), qPrintable(dialog.statusLabel()->text()));
        QTRY_VERIFY_WITH_TIMEOUT(dialog.runner()->progress().done == 1 && dialog.runner()->progress().running == 1,
                                 60000);
        const QString first = QDir(slow).filePath(recordsIn(slow).first());
        const QDateTime firstWritten = QFileInfo(first).lastModified();
        dialog.stopButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isRunning(), 20000);
        QVERIFY2(dialog.statusLabel()->text().startsWith(QStringLiteral("Stopped: 1 of 2 runs done")),
                 qPrintable(dialog.statusLabel()->text()));
        QVERIFY(dialog.noteLabel()->text().contains(QStringLiteral("resumes")));
        QVERIFY(dialog.runButton()->isEnabled());
        dialog.epochsBox()->setValue(9); // another sweep in the same folder: said before it runs
        dialog.refresh();
        QVERIFY2(dialog.noteLabel()->text().contains(QStringLiteral("earlier version of this sweep")),
                 qPrintable(dialog.noteLabel()->text()));
        dialog.epochsBox()->setValue(8);
        dialog.refresh();
        QVERIFY(dialog.noteLabel()->text().contains(QStringLiteral("resumes")));
        QVERIFY(dialog.runHere());
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isRunning(), 60000);
        qInfo("an 8-epoch sweep stopped and resumed: %lld ms", clock.elapsed());
        QVERIFY2(dialog.statusLabel()->text().startsWith(QStringLiteral("Done")),
                 qPrintable(dialog.statusLabel()->text()));
        QCOMPARE(dialog.progressBar()->value(), 2);
        QCOMPARE(recordsIn(slow).size(), 2);
        QCOMPARE(QFileInfo(first).lastModified(), firstWritten); // done once, not again
        if (qEnvironmentVariableIsSet("REGLAB_SWEEP_SHOT")) {
            dialog.grab().save(qEnvironmentVariable("REGLAB_SWEEP_SHOT"));
            dialog.tabs()->setCurrentIndex(1);
            dialog.grab().save(qEnvironmentVariable("REGLAB_SWEEP_SHOT") + QStringLiteral(".cluster.png"));
        }
    }

    // A dialog that goes while its sweep runs (the window closed) stops it: no run is left behind.
    void closingStopsTheSweep()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("orphans"));
        auto dialog = std::make_unique<SweepDialog>(new SweepRunner, nullptr);
        runnerOf(*dialog)->setProgram(QStringLiteral(REGLAB_TRAIN_EXE));
        dialog->setBase(tinyBase());
        dialog->epochsBox()->setValue(1000);
        dialog->seedsBox()->setValue(1);
        dialog->jobsBox()->setValue(2);
        dialog->outDirEdit()->setText(out);
        QVERIFY(dialog->runHere());
        QTRY_VERIFY_WITH_TIMEOUT(dialog->runner()->progress().running > 0, 30000);
        QVERIFY(processMentions(out));
        dialog.reset();
        QVERIFY(!processMentions(out));
    }
};

QTEST_MAIN(TestSweepDialog)
#include "test_gui_sweepdialog.moc"
