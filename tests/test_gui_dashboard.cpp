// The dashboard end to end on the bundled sample: runs started from the window's own controls, live charts,
// digit predictions, a slider moved mid-run reaching the trainer, Stop, Pause, closing during training,
// errors shown in the window, settings that persist.
#include "app/guiwiring.h"
#include "app/trainingcontroller.h"
#include "guitest.h"

#include "ui/charts/accuracychart.h"
#include "ui/charts/losschart.h"
#include "ui/controls/controlpanel.h"
#include "ui/controls/logslider.h"
#include "ui/live/digitpanel.h"
#include "ui/window/mainwindow.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QPointer>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTest>
#include <QThread>
#include <QToolButton>

#include <memory>

using reglab::app::TrainingController;
using reglab::ui::AccuracyChart;
using reglab::ui::ControlPanel;
using reglab::ui::LogSlider;
using reglab::ui::LossChart;
using reglab::ui::MainWindow;

using guitest::Dashboard;
using guitest::statusText;

class TestDashboard : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.enter()); }

    void init() { QSettings(QStringLiteral("RegLab"), QStringLiteral("RegLab")).clear(); }

    void firstStartIsTheForumSetup()
    {
        MainWindow window(true);
        const reglab::TrainConfig c = window.controls()->config();
        QCOMPARE(c.data, std::string("sample"));
        QCOMPARE(c.learningRate, 0.01);
        QCOMPARE(c.batchSize, 50);
        QCOMPARE(c.epochs, 10);
        QCOMPARE(c.folds, 5);
        QCOMPARE(c.seed, std::uint64_t(0));
        QCOMPARE(c.l1, 0.0);
        QCOMPARE(c.l2, 0.0);
        QCOMPARE(c.device, std::string("cpu"));
    }

    void settingsPersist()
    {
        {
            MainWindow window(true);
            window.controls()->widget<reglab::ui::LogSlider>("l1")->spinBox()->setValue(0.01);
            window.controls()->widget<reglab::ui::LogSlider>("l2")->slider()->setValue(LogSlider::valueToPosition(1e-4));
            window.controls()->widget<QSpinBox>("epochs")->setValue(7);
            window.controls()->widget<QSpinBox>("batch_size")->setValue(100);
            window.saveSettings();
        }
        MainWindow again(true);
        const reglab::TrainConfig c = again.controls()->config();
        QCOMPARE(c.l1, 0.01);
        QCOMPARE(c.l2, 1e-4);
        QCOMPARE(c.epochs, 7);
        QCOMPARE(c.batchSize, 100);
    }

    void runFromControlsWithLiveSlider()
    {
        Dashboard d;
        TrainingController &c = *d.controller;
        guitest::Spy<reglab::RunInfo> started(&c);
        guitest::Spy<reglab::StepRecord> steps(&c);
        guitest::Spy<reglab::EpochRecord> epochs(&c);
        guitest::Spy<reglab::SettingChange> changes(&c);
        guitest::Spy<reglab::RunRecord> finished(&c);

        // 10 epochs of the sample take about a second: time enough to move the slider mid-run.
        d.controls()->widget<QSpinBox>("epochs")->setValue(10);
        QVERIFY(d.controls()->startButton()->isEnabled());
        QTest::mouseClick(d.controls()->startButton(), Qt::LeftButton);
        QVERIFY(c.isRunning());
        QVERIFY(!d.controls()->startButton()->isEnabled());
        QVERIFY(!d.controls()->widget<QSpinBox>("epochs")->isEnabled()); // fixed during a run
        QVERIFY(d.controls()->widget<reglab::ui::LogSlider>("l1")->isEnabled());   // live during a run

        QTRY_VERIFY_WITH_TIMEOUT(!steps.isEmpty(), 60000);
        QVERIFY(epochs.count() < 10);
        d.controls()->widget<reglab::ui::LogSlider>("l1")->slider()->setValue(LogSlider::valueToPosition(0.001));

        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!c.isRunning(), 2000);
        const reglab::RunRecord record = finished.last();
        QCOMPARE(statusText(record.status), statusText(reglab::RunStatus::Finished));
        QCOMPARE(started.count(), 1);
        QCOMPARE(epochs.count(), 10);
        QVERIFY(!record.settingChanges.empty());
        QCOMPARE(record.settingChanges.front(), (reglab::SettingChange{record.settingChanges.front().step, "l1", "0.001"}));
        QCOMPARE(changes.count(), int(record.settingChanges.size()));
        QVERIFY(record.steps.back().l1Term > 0); // the trainer used it

        d.window->flushCharts();
        QCOMPARE(d.window->liveView()->accuracyChart()->pointCount(AccuracyChart::Validation), 10);
        QCOMPARE(d.window->liveView()->accuracyChart()->pointCount(AccuracyChart::Test), 10);
        QCOMPARE(d.window->liveView()->lossChart()->pointCount(LossChart::Data), steps.count());
        QCOMPARE(d.window->liveView()->lossChart()->pointCount(LossChart::L1), steps.count());
        QVERIFY(d.window->liveView()->lossChart()->pointCount(LossChart::Total) > 20);
        QCOMPARE(d.window->liveView()->lossChart()->markerCount(), 1);
        QCOMPARE(d.window->liveView()->lossChart()->markerLabels().front(), QStringLiteral("L1=0.001"));
        QCOMPARE(d.window->liveView()->accuracyChart()->markerCount(), 1);
        QCOMPARE(d.window->liveView()->accuracyChart()->markerLabels().front(), QStringLiteral("L1=0.001"));

        QCOMPARE(d.window->digitPanel()->tileCount(), 16);
        QCOMPARE(d.window->digitPanel()->predictionCount(), 16);
        QVERIFY(d.window->digitPanel()->rightCount() >= 8); // ~90 % after 10 epochs
        QVERIFY(!d.window->liveView()->banner()->isShown());

        // The log axis keeps every point.
        d.window->liveView()->lossChart()->setLogScale(true);
        QCOMPARE(d.window->liveView()->lossChart()->pointCount(LossChart::Data), steps.count());
        d.window->liveView()->lossChart()->setLogScale(false);
        QCOMPARE(d.window->liveView()->lossChart()->pointCount(LossChart::Data), steps.count());

        // A second run reuses the loaded data and starts from clean charts (compared with the first: asked for).
        guitest::Spy<reglab::RunRecord> finished2(&c);
        d.controls()->widget<QSpinBox>("epochs")->setValue(1);
        d.window->runList()->keepShownBox()->setChecked(true);
        d.controls()->startAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(finished2.count(), 1, 60000);
        d.window->flushCharts();
        // The first run is compared with it now: one series per run (test accuracy); the markers are the first
        // run's (the new one changed nothing).
        QVERIFY(d.window->liveView()->comparing());
        QCOMPARE(d.window->liveView()->accuracyChart()->pointCount(AccuracyChart::Test), 1);
        QCOMPARE(d.window->liveView()->accuracyChart()->overlayCount(), 1);
        QCOMPARE(d.window->liveView()->lossChart()->markerCount(), int(record.settingChanges.size()));
        QCOMPARE(d.window->liveView()->lossChart()->markerLabels().front(), QStringLiteral("L1=0.001"));
    }

    // AdamW with proximal L1 from the controls; both dropout rates changed while paused reach the trainer as one
    // change at the next step, marked on the charts; exact zeros in the weight images and the sparsity view.
    void adamProximalAndLiveDropoutFromControls()
    {
        Dashboard d;
        TrainingController &c = *d.controller;
        guitest::Spy<reglab::StepRecord> steps(&c);
        guitest::Spy<reglab::RunRecord> finished(&c);
        ControlPanel *p = d.controls();
        p->widget<QComboBox>("optimizer")->setCurrentIndex(p->widget<QComboBox>("optimizer")->findData(QStringLiteral("adamw")));
        p->widget<QDoubleSpinBox>("learning_rate")->setValue(0.001);
        p->widget<reglab::ui::LogSlider>("l1")->setValue(0.001);
        p->widget<QComboBox>("l1_method")->setCurrentIndex(p->widget<QComboBox>("l1_method")->findData(QStringLiteral("proximal")));
        p->widget<QSpinBox>("epochs")->setValue(3);
        p->startAction()->trigger();
        QVERIFY(!p->widget<QComboBox>("optimizer")->isEnabled()); // fixed during a run
        QVERIFY(!p->hiddenBoxes().front()->isEnabled());
        QVERIFY(p->dropoutBoxes().front()->isEnabled()); // live
        QTRY_VERIFY_WITH_TIMEOUT(!steps.isEmpty(), 60000);
        p->pauseAction()->trigger();
        p->dropoutBoxes()[0]->setValue(0.5);
        p->dropoutBoxes()[1]->setValue(0.5);
        p->pauseAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!c.isRunning(), 2000);
        const reglab::RunRecord record = finished.last();
        QCOMPARE(statusText(record.status), statusText(reglab::RunStatus::Finished));
        QCOMPARE(int(record.config.optimizer), int(reglab::Optimizer::AdamW));
        QCOMPARE(int(record.config.l1Method), int(reglab::L1Method::Proximal));
        QCOMPARE(record.settingChanges.size(), std::size_t(1));
        QCOMPARE(record.settingChanges.front().value, std::string("0.5,0.5"));
        d.window->flushCharts();
        QCOMPARE(d.window->liveView()->lossChart()->markerLabels(), QStringList{QStringLiteral("dropout=0.5/0.5")});
        QCOMPARE(d.window->liveView()->accuracyChart()->markerLabels(), QStringList{QStringLiteral("dropout=0.5/0.5")});
        QVERIFY(record.epochs.back().layers.front().zeroFraction > 0);
    }

    void stopEndsTheThread()
    {
        Dashboard d;
        TrainingController &c = *d.controller;
        guitest::Spy<reglab::EpochRecord> epochs(&c);
        guitest::Spy<reglab::RunRecord> finished(&c);
        d.controls()->widget<QSpinBox>("epochs")->setValue(1000);
        d.controls()->startButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!epochs.isEmpty(), 60000);
        QPointer<QThread> thread = c.thread();
        QVERIFY(thread);
        QSignalSpy threadFinished(thread.data(), &QThread::finished);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(d.controls()->stopButton()->isEnabled());
        d.controls()->stopButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!threadFinished.isEmpty() || !thread, 1000);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 1000);
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(statusText(finished.last().status), statusText(reglab::RunStatus::Stopped));
        QTRY_VERIFY(!c.isRunning());
        QVERIFY(d.controls()->startButton()->isEnabled());
        d.window->flushCharts();
        QVERIFY(d.window->liveView()->accuracyChart()->pointCount(AccuracyChart::Test) >= 1); // the curves stay
    }

    void pauseHoldsAndResumes()
    {
        Dashboard d;
        TrainingController &c = *d.controller;
        guitest::Spy<reglab::StepRecord> steps(&c);
        d.controls()->widget<QSpinBox>("epochs")->setValue(1000);
        d.controls()->startAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!steps.isEmpty(), 60000);
        d.controls()->pauseButton()->click();
        QVERIFY(c.isPaused());
        QCOMPARE(d.controls()->pauseAction()->text(), QStringLiteral("Resume"));
        QTest::qWait(150); // steps already queued arrive
        const int held = steps.count();
        QTest::qWait(300);
        QCOMPARE(steps.count(), held);
        d.controls()->pauseAction()->trigger();
        QVERIFY(!c.isPaused());
        QTRY_VERIFY_WITH_TIMEOUT(steps.count() > held, 60000);
        // Stop while paused ends the run at once.
        d.controls()->pauseAction()->trigger();
        guitest::Spy<reglab::RunRecord> finished(&c);
        d.controls()->stopAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 1000);
        QCOMPARE(statusText(finished.last().status), statusText(reglab::RunStatus::Stopped));
    }

    void closingDuringTrainingEndsTheThread()
    {
        Dashboard d;
        TrainingController &c = *d.controller;
        guitest::Spy<reglab::StepRecord> steps(&c);
        d.controls()->widget<QSpinBox>("epochs")->setValue(1000);
        d.controls()->startAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!steps.isEmpty(), 60000);
        QPointer<QThread> thread = c.thread();
        QVERIFY(thread);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(d.window->close());
        QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
        QVERIFY(!c.isRunning());
        QVERIFY(!thread || thread->isFinished());
        QVERIFY(c.lastShutdownMs() < 1000);
    }

    void unreadableDataShowsABanner()
    {
        Dashboard d;
        TrainingController &c = *d.controller;
        guitest::Spy<reglab::RunRecord> finished(&c);
        d.controls()->setDataSource(m_dir.path() + QStringLiteral("/no-such-folder"));
        d.controls()->startButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(statusText(finished.last().status), statusText(reglab::RunStatus::Failed));
        QVERIFY(d.window->liveView()->banner()->isShown());
        QVERIFY2(d.window->liveView()->banner()->text().contains(QStringLiteral("could not run")),
                 qPrintable(d.window->liveView()->banner()->text()));
        QVERIFY(d.window->liveView()->banner()->text().contains(QStringLiteral("bundled MNIST sample")));
        QTRY_VERIFY(!c.isRunning());
        QVERIFY(d.controls()->startButton()->isEnabled());
    }

    void divergedRunShowsABanner()
    {
        Dashboard d;
        TrainingController &c = *d.controller;
        guitest::Spy<reglab::RunRecord> finished(&c);
        d.controls()->widget<QSpinBox>("epochs")->setValue(3);
        // Far too large: every weight is thrown to ~1e5 at the first step and the loss overflows within a few.
        d.controls()->widget<QDoubleSpinBox>("learning_rate")->setValue(1e5);
        d.controls()->startButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        const reglab::RunRecord record = finished.last();
        QCOMPARE(statusText(record.status), statusText(reglab::RunStatus::Diverged));
        QVERIFY(record.errorKind == reglab::ErrorKind::Diverged);
        QVERIFY(d.window->liveView()->banner()->isShown());
        QVERIFY(d.window->liveView()->banner()->text().contains(QStringLiteral("diverged")));
        QVERIFY(d.window->liveView()->banner()->text().contains(QStringLiteral("Lower the learning rate")));
    }

    void longRunsAreThinned()
    {
        LossChart chart;
        reglab::StepRecord r;
        for (int i = 1; i <= 12000; ++i) {
            r.step = i;
            r.dataLoss = r.loss = 1.0 / i;
            chart.addStep(r);
            if (i % 1000 == 0)
                chart.flush();
        }
        QVERIFY(chart.pointCount(LossChart::Data) <= LiveChart_max());
        QVERIFY(chart.pointCount(LossChart::Data) >= LiveChart_max() / 4);
    }

    // At a run's start the window lays itself out for the run at one redraw tick and draws the run's first points
    // at the next: the two in one tick were the longest stall of a run (reglab-bench-ui --explain).
    void aRunsStartAndItsFirstPointsTakeTwoTicks()
    {
        guitest::Dashboard d;
        d.window->setRunning(true); // the redraw tick runs: events wait for it
        reglab::RunInfo info;
        info.device = "cpu";
        info.dataName = "synthetic";
        info.stepsPerEpoch = 10;
        info.totalSteps = 100;
        d.window->onEvent(info);
        reglab::StepRecord step;
        step.step = 1;
        step.epoch = 1;
        step.dataLoss = step.loss = 2.3;
        d.window->onEvent(step);
        LossChart *loss = d.window->liveView()->lossChart();
        d.window->flushCharts();
        QCOMPARE(loss->pointCount(LossChart::Data), 0); // the start alone
        d.window->flushCharts();
        QCOMPARE(loss->pointCount(LossChart::Data), 1);
        d.window->setRunning(false); // no tick: what is queued is handed out at once, start and points together
        step.step = 2;
        d.window->onEvent(info);
        d.window->onEvent(step);
        d.window->flushCharts();
        QCOMPARE(loss->pointCount(LossChart::Data), 2);
    }

private:
    static int LiveChart_max() { return reglab::ui::LiveChart::kMaxShownPoints; }
    guitest::TestFolder m_dir;
};

QTEST_MAIN(TestDashboard)
#include "test_gui_dashboard.moc"
