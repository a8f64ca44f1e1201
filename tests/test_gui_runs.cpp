// A run's life between the window and the controller: the window follows the controller's running state, a
// start during a thread's end is queued rather than lost, a stale run's events never reach a new run or the
// charts cleared by Reset, a failed run says so in the header and can be saved, destruction after a shutdown
// that timed out is clean.
#include "app/guiwiring.h"
#include "app/trainingcontroller.h"
#include "guitest.h"

#include "ui/charts/accuracychart.h"
#include "ui/charts/losschart.h"
#include "ui/controls/controlpanel.h"
#include "ui/live/digitpanel.h"
#include "ui/window/mainwindow.h"

#include <QAction>
#include <QElapsedTimer>
#include <QFile>
#include <QPointer>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTest>
#include <QThread>
#include <QToolButton>

#include <memory>

using reglab::app::TrainingController;
using reglab::ui::AccuracyChart;
using reglab::ui::ControlPanel;
using reglab::ui::LossChart;
using reglab::ui::MainWindow;

using guitest::Dashboard;
using guitest::statusText;

namespace {

reglab::TrainConfig configWith(int epochs)
{
    reglab::TrainConfig c = ControlPanel::defaultConfig();
    c.epochs = epochs;
    return c;
}

reglab::RunStatus statusAt(const guitest::Spy<reglab::RunRecord> &spy, int i)
{
    return spy.at(i).status;
}

} // namespace

class TestRuns : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.enter()); }

    // The window shows a run as going when the controller has one, whoever started it.
    void windowFollowsTheController()
    {
        Dashboard d;
        TrainingController &c = *d.controller;
        guitest::Spy<reglab::StepRecord> steps(&c);
        guitest::Spy<reglab::RunRecord> finished(&c);
        c.start(configWith(1000)); // not through the window
        QVERIFY(d.window->isRunning());
        QVERIFY(!d.controls()->startButton()->isEnabled());
        QVERIFY(d.controls()->stopButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!steps.isEmpty(), 60000);
        d.controls()->stopButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!c.isRunning(), 60000);
        QVERIFY(!d.window->isRunning());
        QVERIFY(d.controls()->startButton()->isEnabled());
    }

    // A start while the previous thread is still ending is queued and runs once that thread is gone.
    void startWhileEndingIsQueued()
    {
        Dashboard d;
        TrainingController &c = *d.controller;
        guitest::Spy<reglab::StepRecord> steps(&c);
        guitest::Spy<reglab::RunInfo> started(&c);
        guitest::Spy<reglab::RunRecord> finished(&c);
        c.start(configWith(1000));
        QTRY_VERIFY_WITH_TIMEOUT(!steps.isEmpty(), 60000);
        c.stop();
        c.start(configWith(1)); // the first thread has not ended yet
        QVERIFY(c.hasQueuedStart());
        QVERIFY(c.isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 60000);
        QCOMPARE(statusText(statusAt(finished, 0)), statusText(reglab::RunStatus::Stopped));
        QCOMPARE(statusText(statusAt(finished, 1)), statusText(reglab::RunStatus::Finished));
        QCOMPARE(finished.at(1).config.epochs, 1);
        QCOMPARE(started.count(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(!c.isRunning(), 60000);
        QVERIFY(!c.hasQueuedStart());
        QVERIFY(!d.window->isRunning());
    }

    // After shutdown() let go of a run, its events still queued never reach the next run.
    void staleEventsAreDropped()
    {
        Dashboard d;
        TrainingController &c = *d.controller;
        guitest::Spy<reglab::StepRecord> firstSteps(&c);
        c.start(configWith(1000));
        QTRY_VERIFY_WITH_TIMEOUT(firstSteps.count() >= 3, 60000);
        QVERIFY(c.shutdown(5000)); // the old run's finished (Stopped) and last steps are still queued
        guitest::Spy<reglab::RunInfo> started(&c);
        guitest::Spy<reglab::StepRecord> steps(&c);
        guitest::Spy<reglab::RunRecord> finished(&c);
        c.start(configWith(1));
        QTRY_VERIFY_WITH_TIMEOUT(!c.isRunning(), 60000);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(statusText(statusAt(finished, 0)), statusText(reglab::RunStatus::Finished));
        QCOMPARE(started.count(), 1);
        QVERIFY(!steps.isEmpty());
        std::int64_t last = 0;
        for (const auto &r : steps.values()) { // one run's steps, in order
            QVERIFY2(r.step > last, qPrintable(QStringLiteral("%1 after %2").arg(r.step).arg(last)));
            QCOMPARE(r.epoch, 1);
            last = r.step;
        }
    }

    // Reset during a run: nothing of that run comes back onto the cleared charts.
    void resetDuringARunStaysClear()
    {
        Dashboard d;
        TrainingController &c = *d.controller;
        guitest::Spy<reglab::StepRecord> steps(&c);
        guitest::Spy<reglab::EpochRecord> epochs(&c);
        guitest::Spy<reglab::RunRecord> finished(&c);
        d.controls()->widget<QSpinBox>("epochs")->setValue(1000);
        d.controls()->startButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!epochs.isEmpty() && steps.count() > 5, 60000);
        d.controls()->resetAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!c.isRunning(), 60000);
        QTest::qWait(2 * MainWindow::kRedrawIntervalMs);
        d.window->flushCharts();
        QCOMPARE(d.window->liveView()->lossChart()->pointCount(LossChart::Data), 0);
        QCOMPARE(d.window->liveView()->accuracyChart()->pointCount(AccuracyChart::Test), 0);
        QCOMPARE(d.window->digitPanel()->predictionCount(), 0);
        QVERIFY(!d.window->liveView()->banner()->isShown());
        QVERIFY2(d.window->liveView()->headline().startsWith(QStringLiteral("Reset")),
                 qPrintable(d.window->liveView()->headline()));
        QVERIFY(d.controls()->startButton()->isEnabled());

        // The next run draws normally.
        guitest::Spy<reglab::RunRecord> finished2(&c);
        d.controls()->widget<QSpinBox>("epochs")->setValue(1);
        d.controls()->startButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished2.count(), 1, 60000);
        d.window->flushCharts();
        QCOMPARE(d.window->liveView()->accuracyChart()->pointCount(AccuracyChart::Test), 1);
        QVERIFY(d.window->liveView()->lossChart()->pointCount(LossChart::Data) > 0);
    }

    // A data set that cannot load: the header says so (not "Loading..."), and the record can be saved.
    void failedLoadIsShownAndSaved()
    {
        Dashboard d;
        TrainingController &c = *d.controller;
        guitest::Spy<reglab::RunRecord> finished(&c);
        QVERIFY(!d.window->saveRecordTo(m_dir.filePath(QStringLiteral("none.json"))));
        QVERIFY2(d.window->liveView()->banner()->text().contains(QStringLiteral("no run record")),
                 qPrintable(d.window->liveView()->banner()->text()));
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("none.json"))));

        d.controls()->setDataSource(m_dir.filePath(QStringLiteral("no-such-folder")));
        d.controls()->startButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!c.isRunning(), 60000);
        const QString header = d.window->liveView()->headline();
        QVERIFY2(!header.contains(QStringLiteral("Loading")), qPrintable(header));
        QVERIFY2(header.contains(QStringLiteral("could not run")), qPrintable(header));
        QVERIFY2(header.contains(QStringLiteral("no-such-folder")), qPrintable(header));

        const QString path = m_dir.filePath(QStringLiteral("failed.json"));
        QVERIFY(d.window->saveRecordTo(path));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const reglab::RunRecord saved = reglab::runRecordFromJson(file.readAll().toStdString());
        QCOMPARE(statusText(saved.status), statusText(reglab::RunStatus::Failed));
        QVERIFY(!saved.message.empty());
        QVERIFY(!saved.startedAt.empty());
        QVERIFY(!saved.versions.empty());
    }

    // A shutdown that gave up leaves the thread running; destroying the controller then still waits for it.
    void destroyAfterAShutdownThatTimedOut()
    {
        auto controller = std::make_unique<TrainingController>();
        guitest::Spy<reglab::StepRecord> steps(controller.get());
        controller->start(configWith(1000));
        QTRY_VERIFY_WITH_TIMEOUT(!steps.isEmpty(), 60000);
        QPointer<QThread> thread = controller->thread();
        controller->shutdown(0); // may well time out
        controller.reset();      // must neither abort ("destroyed while thread is still running") nor hang
        QVERIFY(!thread);
    }

    // Opening many records once removed and re-added every overlay per record, and the list measured every row
    // per record: 200 took 72 s with the window frozen. Now the charts and the list are updated once for the lot
    // (with a progress dialog past 50 files).
    void manyRecordsOpenAtOnce()
    {
        QVERIFY(m_dir.enter());
        QStringList paths;
        for (int i = 0; i < 200; ++i) {
            const QString file = m_dir.filePath(QStringLiteral("many-%1.json").arg(i));
            QVERIFY(reglab::writeFileAtomically(file.toStdString(), reglab::toJson(guitest::finishedRun(1e-4 * (i + 1))))
                        .empty());
            paths << file;
        }
        Dashboard d;
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(d.window->runList()->openFiles(paths), 200);
        const qint64 ms = timer.elapsed();
        QCOMPARE(d.window->liveView()->lossChart()->overlayCount(), 200);
        QCOMPARE(d.window->liveView()->accuracyChart()->overlayCount(), 200);
        QVERIFY2(ms < 4000, qPrintable(QStringLiteral("%1 ms").arg(ms)));
    }

    // Runs of different data sets compared: the legend names each one's data set (and only then).
    void comparedRunsOfOtherDataSetsSaySo()
    {
        Dashboard d;
        reglab::RunRecord sample = guitest::finishedRun(0.001), fashion = guitest::finishedRun(0.01);
        fashion.config.data = "fashion";
        fashion.dataName = "Fashion-MNIST";
        reglab::ui::RunModel *runs = d.window->runs();
        runs->addRun(sample, QStringLiteral("first"), true);
        const int second = runs->addRun(sample, QStringLiteral("second"), true);
        QCOMPARE(d.window->liveView()->accuracyChart()->overlayLabels(),
                 (QStringList{QStringLiteral("first"), QStringLiteral("second")}));
        runs->setRecord(second, fashion);
        QCOMPARE(d.window->liveView()->accuracyChart()->overlayLabels(),
                 (QStringList{QStringLiteral("first [sample]"), QStringLiteral("second [Fashion-MNIST]")}));
    }

private:
    guitest::TestFolder m_dir;
};

QTEST_MAIN(TestRuns)
#include "test_gui_runs.moc"
