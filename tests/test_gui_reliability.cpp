// Reliability of the dashboard: a run killed mid-training (kill -9) is recovered from its journal into the runs
// list; the GUI's own runs are journalled while they train and leave no journal when they end; thousands of
// Start/Stop/Pause/Resume/slider actions during training neither deadlock nor crash, and a normal run still
// finishes after them, with the L1 and L2 its sliders were moved to by key and by typing in force; a run record
// whose write fails leaves the old file as it was and says why.
#include "app/guiwiring.h"
#include "app/trainingcontroller.h"
#include "guitest.h"

#include "model/journal.h"

#include "ui/controls/controlpanel.h"
#include "ui/controls/logslider.h"
#include "ui/runs/runlist.h"
#include "ui/window/mainwindow.h"

#include <QAction>
#include <QCoreApplication>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

using guitest::Dashboard;
using reglab::ui::ControlPanel;
using reglab::ui::LogSlider;
using reglab::ui::MainWindow;

namespace {

// Moves a strength slider the way a user does, one notch up or down with the arrow keys; the value it landed on.
double stepSlider(LogSlider *slider, bool up)
{
    QTest::keyClick(slider->slider(), up ? Qt::Key_Right : Qt::Key_Left);
    return slider->value();
}

// Types `value` into a strength slider's number box and presses Return, as a user does; the value taken.
double typeInto(LogSlider *slider, double value)
{
    slider->spinBox()->selectAll();
    QTest::keyClicks(slider->spinBox(), QString::number(value));
    QTest::keyClick(slider->spinBox(), Qt::Key_Return);
    return slider->value();
}

// Equal but for the last digits a value loses on its way through text.
bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b));
}

// The changes of `key` in a run record, in order.
std::vector<reglab::SettingChange> changesOf(const reglab::RunRecord &record, const std::string &key)
{
    std::vector<reglab::SettingChange> changes;
    for (const reglab::SettingChange &change : record.settingChanges)
        if (change.key == key)
            changes.push_back(change);
    return changes;
}

QString journalDir()
{
    return QString::fromStdString(reglab::defaultJournalDir());
}

// The journals in the journal folder, with their contents.
QStringList journals()
{
    QStringList paths;
    const QDir dir(journalDir());
    for (const QString &name : dir.entryList({QStringLiteral("*.jsonl")}, QDir::Files))
        paths << dir.filePath(name);
    return paths;
}

QByteArray contents(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Waits until a journal holds an epoch line; its path, or "" after `timeoutMs`.
QString waitForEpochInJournal(int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        for (const QString &path : journals())
            if (contents(path).contains("\"type\":\"epoch\""))
                return path;
        QTest::qWait(50);
    }
    return {};
}

} // namespace

class TestReliability : public QObject {
    Q_OBJECT
    guitest::TestFolder m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.enter(true)); // journals of this test only, never the user's
        QVERIFY(journalDir().startsWith(m_dir.path()));
    }

    void cleanup()
    {
        for (const QString &path : journals())
            QFile::remove(path);
    }

    // reglab-train is killed with SIGKILL after its first epoch; the dashboard recovers the run.
    void killedRunIsRecovered()
    {
        QProcess train;
        train.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        train.start(QStringLiteral(REGLAB_TRAIN_EXE),
                    {QStringLiteral("--epochs"), QStringLiteral("1000"), QStringLiteral("--device"),
                     QStringLiteral("cpu"), QStringLiteral("--threads"), QStringLiteral("1"),
                     QStringLiteral("--quiet")});
        QVERIFY(train.waitForStarted(10000));
        const QString journal = waitForEpochInJournal(90000);
        if (journal.isEmpty()) {
            train.kill();
            train.waitForFinished(5000);
            QFAIL("reglab-train wrote no journal with an epoch in 90 s");
        }
        ::kill(pid_t(train.processId()), SIGKILL);
        QVERIFY(train.waitForFinished(10000));
        QCOMPARE(train.exitStatus(), QProcess::CrashExit);
        QVERIFY(QFile::exists(journal)); // a killed process cannot clean up

        MainWindow window(false);
        guitest::testModel(window.runs(), &window);
        const QStringList interrupted = guitest::interruptedRuns();
        QCOMPARE(interrupted.size(), 1);
        QCOMPARE(QFileInfo(interrupted.first()).fileName(), QFileInfo(journal).fileName());
        QCOMPARE(window.runList()->recover(interrupted), 1);
        QCOMPARE(window.runs()->count(), 1);
        const int id = window.runs()->ids().first();
        const reglab::RunRecord *record = window.runs()->record(id);
        QVERIFY(record);
        QVERIFY(record->status == reglab::RunStatus::Stopped);
        QVERIFY(record->epochs.size() >= 1);
        QVERIFY(!record->steps.empty());
        QCOMPARE(record->config.epochs, 1000);
        QVERIFY(window.runs()->name(id).startsWith(QStringLiteral("Recovered: ")));
        QVERIFY(!QFile::exists(journal));
        QVERIFY(guitest::interruptedRuns().isEmpty());
        QVERIFY(!window.liveView()->banner()->isShown());
    }

    // A journal that cannot be read is named in the banner and kept; the readable ones are recovered.
    void unreadableJournalIsKept()
    {
        QVERIFY(QDir().mkpath(journalDir()));
        const QString bad = QDir(journalDir()).filePath(QStringLiteral("damaged.jsonl"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not a journal\n");
        f.close();
        MainWindow window(false);
        guitest::testModel(window.runs(), &window);
        QCOMPARE(window.runList()->recover({bad}), 0);
        QCOMPARE(window.runs()->count(), 0);
        QVERIFY(window.liveView()->banner()->isShown());
        QVERIFY(window.liveView()->banner()->text().contains(QStringLiteral("damaged.jsonl")));
        QVERIFY(QFile::exists(bad));
        // Declined: the journals are removed.
        QCOMPARE(window.runList()->discard({bad}), 1);
        QVERIFY(!QFile::exists(bad));
    }

    // A dashboard run is journalled while it trains (a copy taken mid-run stands for a killed program) and its
    // journal is gone once it ends.
    void guiRunIsJournalled()
    {
        Dashboard d;
        d.window->controls()->widget<QSpinBox>("epochs")->setValue(1000);
        guitest::Spy<reglab::RunRecord> finished(d.controller.get());
        d.window->controls()->startAction()->trigger();
        const QString journal = waitForEpochInJournal(90000);
        QVERIFY2(!journal.isEmpty(), "the dashboard's run wrote no journal with an epoch");
        const QString copy = QDir(m_dir.path()).filePath(QStringLiteral("copy.jsonl"));
        QFile::remove(copy);
        QVERIFY(QFile::copy(journal, copy));
        d.window->controls()->stopAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() >= 1, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!d.controller->isRunning(), 60000);
        QVERIFY(!QFile::exists(journal)); // a run that ends removes its journal
        QVERIFY(journals().isEmpty());

        const int before = d.window->runs()->count();
        QCOMPARE(d.window->runList()->recover({copy}), 1);
        QCOMPARE(d.window->runs()->count(), before + 1);
        const reglab::RunRecord *record = d.window->runs()->record(d.window->runs()->ids().last());
        QVERIFY(record->status == reglab::RunStatus::Stopped);
        QVERIFY(record->epochs.size() >= 1);
        QVERIFY(!record->steps.empty());
        QVERIFY(!QFile::exists(copy));
    }

    // Random Start/Stop/Pause/Resume/slider changes from the UI thread while training, for ~25 s: no deadlock,
    // no crash, and a normal run still finishes afterwards.
    void hammer()
    {
        Dashboard d;
        ControlPanel *p = d.window->controls();
        p->widget<QSpinBox>("epochs")->setValue(2);
        QRandomGenerator rng(12345);
        QElapsedTimer clock;
        clock.start();
        int actions = 0;
        while (actions < 2000 && clock.elapsed() < 25000) {
            switch (rng.bounded(9)) {
            case 0:
            case 1:
                p->startAction()->trigger();
                break;
            case 2:
                p->stopAction()->trigger();
                break;
            case 3:
                p->pauseAction()->trigger(); // pause, or resume when paused
                break;
            case 4:
                stepSlider(p->widget<reglab::ui::LogSlider>("l1"), rng.bounded(2) == 0);
                break;
            case 5:
                typeInto(p->widget<reglab::ui::LogSlider>("l2"), rng.bounded(2) ? 0.0 : 1e-4 * (1 + rng.bounded(100)));
                break;
            case 6:
                p->widget<QDoubleSpinBox>("learning_rate")->setValue(0.001 * (1 + rng.bounded(50)));
                break;
            case 7:
                d.controller->pause();
                d.controller->resume();
                break;
            case 8:
                d.controller->requestSnapshot();
                break;
            }
            ++actions;
            QCoreApplication::processEvents();
            if (rng.bounded(20) == 0)
                QTest::qWait(5);
        }
        qInfo("hammer: %d actions in %lld ms", actions, qint64(clock.elapsed()));
        // Whatever state the hammering left: stop it, then a normal run finishes.
        QVERIFY(d.controller->shutdown(10000));
        QTRY_VERIFY_WITH_TIMEOUT(!d.window->isRunning(), 60000);
        if (d.controller->isPaused())
            d.controller->resume();
        p->widget<QSpinBox>("epochs")->setValue(2);
        typeInto(p->widget<reglab::ui::LogSlider>("l1"), 0);
        typeInto(p->widget<reglab::ui::LogSlider>("l2"), 0);
        p->widget<QDoubleSpinBox>("learning_rate")->setValue(0.01);
        guitest::Spy<reglab::RunRecord> finished(d.controller.get());
        guitest::Spy<reglab::StepRecord> steps(d.controller.get());
        p->startAction()->trigger();
        // During the run (paused, so that it is surely not over yet) L1 goes up a notch by key and L2 is typed
        // in: both reach the trainer.
        QVERIFY(steps.wait(60000));
        p->pauseAction()->trigger();
        const double l1 = stepSlider(p->widget<reglab::ui::LogSlider>("l1"), true);
        const double l2 = typeInto(p->widget<reglab::ui::LogSlider>("l2"), 0.002);
        p->pauseAction()->trigger();
        QVERIFY(l1 > 0);
        QCOMPARE(l2, 0.002);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() >= 1, 60000);
        const auto record = finished.last();
        QVERIFY(record.status == reglab::RunStatus::Finished);
        QCOMPARE(int(record.epochs.size()), 2);
        const auto l1Changes = changesOf(record, "l1"), l2Changes = changesOf(record, "l2");
        QCOMPARE(int(l1Changes.size()), 1);
        QCOMPARE(int(l2Changes.size()), 1);
        QVERIFY2(near(std::stod(l1Changes.front().value), l1), l1Changes.front().value.c_str());
        QVERIFY2(near(std::stod(l2Changes.front().value), l2), l2Changes.front().value.c_str());
        // The step records show them in force from the step each took effect at, and not before.
        QVERIFY(!record.steps.empty());
        QVERIFY(record.steps.back().step >= std::max(l1Changes.front().step, l2Changes.front().step));
        for (const reglab::StepRecord &step : record.steps) {
            QVERIFY(near(step.l1, step.step >= l1Changes.front().step ? l1 : 0.0));
            QVERIFY(near(step.l2, step.step >= l2Changes.front().step ? l2 : 0.0));
        }
        QTRY_VERIFY_WITH_TIMEOUT(!d.controller->isRunning(), 60000);
        QVERIFY(journals().isEmpty()); // every run of the hammering cleaned up its journal
    }

    // A save whose write fails leaves the old record intact and says why: a read-only folder (not for root, who
    // writes there anyway), and a write cut short (a file size limit, as a full disk would: root too).
    void failedSaveKeepsTheOldFile_data()
    {
        QTest::addColumn<bool>("readOnlyFolder");
        QTest::newRow("read-only folder") << true;
        QTest::newRow("write cut short") << false;
    }

    void failedSaveKeepsTheOldFile()
    {
        QFETCH(bool, readOnlyFolder);
        if (readOnlyFolder && ::geteuid() == 0)
            QSKIP("root writes into read-only folders");
        Dashboard d;
        d.window->controls()->widget<QSpinBox>("epochs")->setValue(1);
        guitest::Spy<reglab::RunRecord> finished(d.controller.get());
        d.window->controls()->startAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() >= 1, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!d.controller->isRunning(), 60000);

        QTemporaryDir folder(QDir(m_dir.path()).filePath(QStringLiteral("save-XXXXXX")));
        QVERIFY(folder.isValid());
        const QString path = folder.filePath(QStringLiteral("run.json"));
        const QByteArray old = "{\"old\": \"record\"}\n";
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(old);
        }
        if (readOnlyFolder)
            QVERIFY(QFile::setPermissions(folder.path(), QFileDevice::ReadOwner | QFileDevice::ExeOwner));
        rlimit sizeLimit{};
        QVERIFY(::getrlimit(RLIMIT_FSIZE, &sizeLimit) == 0);
        const rlimit unlimited = sizeLimit;
        if (!readOnlyFolder) { // files of this process stop at 16 bytes: a write past them fails (EFBIG)
            ::signal(SIGXFSZ, SIG_IGN);
            sizeLimit.rlim_cur = 16;
            QVERIFY(::setrlimit(RLIMIT_FSIZE, &sizeLimit) == 0);
        }
        d.window->showBanner({});
        const bool saved = d.window->saveRecordTo(path);
        const QString listError = QString::fromStdString(reglab::writeFileAtomically(
            path.toStdString(), reglab::toJson(*d.window->runs()->record(d.window->runs()->ids().last()))));
        QVERIFY(::setrlimit(RLIMIT_FSIZE, &unlimited) == 0);
        QVERIFY(QFile::setPermissions(folder.path(),
                                      QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
        QVERIFY(!saved);
        QVERIFY(d.window->liveView()->banner()->isShown());
        QVERIFY2(d.window->liveView()->banner()->text().contains(QStringLiteral("Could not save")) &&
                     d.window->liveView()->banner()->text().contains(QStringLiteral("run.json")),
                 qPrintable(d.window->liveView()->banner()->text()));
        QVERIFY2(listError.contains(QStringLiteral("cannot write")), qPrintable(listError));
        QCOMPARE(contents(path), old);
        QCOMPARE(QDir(folder.path()).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("run.json")});
    }
};

QTEST_MAIN(TestReliability)
#include "test_gui_reliability.moc"
