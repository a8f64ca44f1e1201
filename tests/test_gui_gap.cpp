// The generalization gap on the accuracy chart: a run's training accuracy beside validation and test, the gap
// between training and test shaded; in comparisons each run's training accuracy or gap in its colour; early
// stopping's restored epoch marked, for the live run and for reopened ones; the overfitting lab's settings as
// controls made from the settings table.
#include "guitest.h"

#include "model/config.h"
#include "model/runrecord.h"
#include "ui/charts/accuracychart.h"
#include "ui/controls/controlpanel.h"
#include "ui/live/liveview.h"
#include "ui/runs/runmodel.h"

#include <QComboBox>
#include <QTest>

using reglab::ui::AccuracyChart;
using reglab::ui::LiveView;
using reglab::ui::RunModel;

namespace {

// A run that memorizes: training accuracy climbs to 100 % while test accuracy stays near 75 %.
reglab::RunRecord overfitRun(int epochs = 6)
{
    reglab::RunRecord r = guitest::finishedRun(0, epochs);
    for (auto &e : r.epochs) {
        e.trainAccuracy = std::min(1.0, 0.5 + 0.1 * e.epoch);
        e.testAccuracy = 0.7 + 0.01 * e.epoch;
        e.valAccuracy = 0.6;
        e.valLoss = 1.0 + std::abs(e.epoch - 3);
    }
    return r;
}

void showAt(QWidget &w, int width, int height)
{
    w.resize(width, height);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QTest::qWait(20);
}

int indexOfKey(QComboBox *box, const char *key)
{
    return box->findData(QString::fromLatin1(key));
}

} // namespace

class GapTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aRunShowsItsTrainingAccuracyWithTheGapShaded()
    {
        RunModel runs;
        LiveView view(&runs);
        showAt(view, 1366, 768);
        runs.addRun({}, QStringLiteral("live"), true, true);
        const reglab::RunRecord r = overfitRun();
        for (const auto &e : r.epochs)
            view.onEpoch(e);
        view.flush();
        AccuracyChart *chart = view.accuracyChart();
        QVERIFY(chart->trackShown(AccuracyChart::Training));
        QVERIFY(!chart->trackShown(AccuracyChart::Gap)); // a single run shades the gap instead
        QCOMPARE(chart->pointCount(AccuracyChart::Training), 6);
        QVERIFY(chart->gapShaded());
        const QList<QPointF> upper = chart->gapUpper();
        QCOMPARE(upper.size(), 6);
        QCOMPARE(upper.last().y(), 100.0);
        QVERIFY(chart->trackName(AccuracyChart::Training).contains(QStringLiteral("Training")));

        // A run that did not measure it (--train-eval 0): no training line, nothing shaded.
        view.clear();
        reglab::EpochRecord unmeasured = r.epochs.front();
        unmeasured.trainAccuracy = std::nan("");
        view.onEpoch(unmeasured);
        view.flush();
        QCOMPARE(chart->pointCount(AccuracyChart::Training), 0);
        QVERIFY(!chart->gapShaded());
    }

    // Playground draws training and test loss together: the same chart shows a run's three losses on choosing a
    // loss, guessing's ln 10 as the reference, the gap shaded from test loss down to training loss; and back.
    void aRunsLossesTogetherOnChoosingALoss()
    {
        RunModel runs;
        LiveView view(&runs);
        showAt(view, 1366, 768);
        runs.addRun({}, QStringLiteral("live"), true, true);
        reglab::RunRecord r = overfitRun();
        for (auto &e : r.epochs) {
            e.trainEvalLoss = 1.0 / e.epoch;
            e.testLoss = 0.8 + 0.1 * e.epoch;
        }
        for (const auto &e : r.epochs)
            view.onEpoch(e);
        view.flush();
        AccuracyChart *chart = view.accuracyChart();
        QComboBox *box = view.accuracyMetricBox();
        QVERIFY(indexOfKey(box, "test_loss") >= 0 && indexOfKey(box, "train_eval_loss") >= 0);
        QCOMPARE(box->accessibleName(), QStringLiteral("Epoch chart shows"));
        box->setCurrentIndex(indexOfKey(box, "val_loss"));
        QCOMPARE(chart->measure(), AccuracyChart::Measure::Loss);
        QCOMPARE(chart->chartTitle(), QStringLiteral("Loss after each epoch"));
        QCOMPARE(chart->pointCount(AccuracyChart::Training), 6);
        QCOMPARE(chart->pointCount(AccuracyChart::Validation), 6);
        QVERIFY(chart->gapShaded());
        const QList<QPointF> upper = chart->gapUpper();
        QCOMPARE(upper.size(), 6);
        QVERIFY(std::abs(upper.last().y() - 1.4) < 1e-9); // the test loss, above training's 1/6
        const auto [low, high] = chart->yAxisRange();
        QCOMPARE(low, 0.0);
        QVERIFY2(high >= 4.0 && high < 5.0, qPrintable(QString::number(high))); // the highest, validation's 4.0
        // A new epoch arrives in the chosen measure.
        reglab::EpochRecord next = r.epochs.back();
        next.epoch = 7;
        view.onEpoch(next);
        view.flush();
        QCOMPARE(chart->gapUpper().size(), 7);
        box->setCurrentIndex(indexOfKey(box, "test_accuracy"));
        QCOMPARE(chart->measure(), AccuracyChart::Measure::Accuracy);
        QCOMPARE(chart->gapUpper().last().y(), 100.0);
        QCOMPARE(chart->yAxisRange().second, 100.0);
    }

    void comparedRunsShowTheirTrainingAccuracyOrGapInTheirColours()
    {
        RunModel runs;
        LiveView view(&runs);
        showAt(view, 1366, 768);
        const int a = runs.addRun(overfitRun(), QStringLiteral("overfit"), true);
        reglab::RunRecord decayed = overfitRun();
        for (auto &e : decayed.epochs)
            e.trainAccuracy = e.testAccuracy + 0.02;
        const int b = runs.addRun(decayed, QStringLiteral("L2"), true);
        QVERIFY(view.comparing());
        QComboBox *box = view.accuracyMetricBox();
        QVERIFY(indexOfKey(box, "train_accuracy") >= 0);
        QVERIFY(indexOfKey(box, "gap") >= 0);
        box->setCurrentIndex(indexOfKey(box, "gap"));
        AccuracyChart *chart = view.accuracyChart();
        QVERIFY(!chart->gapShaded());
        QCOMPARE(chart->overlayCount(), 2);
        QCOMPARE(chart->overlayLabels(), (QStringList{QStringLiteral("overfit"), QStringLiteral("L2")}));
        const auto &lastA = runs.record(a)->epochs.back();
        QCOMPARE(chart->overlayPoints(0).last().y(), 100 * (lastA.trainAccuracy - lastA.testAccuracy));
        QVERIFY(std::abs(chart->overlayPoints(1).last().y() - 2.0) < 1e-9);
        QVERIFY(chart->chartTitle().contains(QStringLiteral("Generalization gap")));
        // Gaps in points: the axis fits them (not 0-100) and guessing's 10 % is no reference for a gap.
        chart->flush();
        QCOMPARE(int(chart->measure()), int(AccuracyChart::Measure::Gap));
        double highest = 0;
        for (int i = 0; i < 2; ++i)
            for (const QPointF &p : chart->overlayPoints(i))
                highest = std::max(highest, p.y());
        const auto [low, high] = chart->yAxisRange();
        QVERIFY2(low <= 0 && high >= highest && high <= highest + 10,
                 qPrintable(QStringLiteral("%1..%2 for gaps up to %3").arg(low).arg(high).arg(highest)));
        QVERIFY(!chart->chart()->series().isEmpty());
        for (QAbstractSeries *series : chart->chart()->series())
            QVERIFY2(!series->isVisible() || !series->name().startsWith(QStringLiteral("Chance")),
                     qPrintable(series->name()));
        box->setCurrentIndex(indexOfKey(box, "train_accuracy"));
        QCOMPARE(int(chart->measure()), int(AccuracyChart::Measure::Accuracy));
        QCOMPARE(chart->yAxisRange().second, 100.0);
        QCOMPARE(chart->overlayPoints(1).last().y(), 100 * runs.record(b)->epochs.back().trainAccuracy);
        QVERIFY(chart->chartTitle().startsWith(QStringLiteral("Training accuracy")));
        // A loss is compared as it is, not as a percentage.
        box->setCurrentIndex(indexOfKey(box, "test_loss"));
        QCOMPARE(chart->overlayPoints(1).last().y(), runs.record(b)->epochs.back().testLoss);
        QVERIFY(chart->chartTitle().startsWith(QStringLiteral("Test loss")));
    }

    void earlyStoppingMarksTheRestoredEpoch()
    {
        RunModel runs;
        LiveView view(&runs);
        showAt(view, 1366, 768);
        reglab::RunRecord stopped = overfitRun();
        stopped.earlyStop = reglab::EarlyStop{6, 3, 3, 1.0};
        // Reopened beside another run: its marker comes with it.
        runs.addRun(stopped, QStringLiteral("stopped early"), true);
        runs.addRun(overfitRun(), QStringLiteral("other"), true);
        AccuracyChart *chart = view.accuracyChart();
        QVERIFY(chart->markerLabels().contains(QStringLiteral("best epoch 3")));
        QVERIFY(chart->markerPositions().contains(3.0));
        QCOMPARE(reglab::finalEpoch(stopped)->epoch, 3);
        QCOMPARE(runs.data(runs.index(0, RunModel::TestColumn)).toString(),
                 QStringLiteral("%1 %").arg(100 * stopped.epochs[2].testAccuracy, 0, 'f', 2));

        // The live run: marked when it ends.
        RunModel liveRuns;
        LiveView live(&liveRuns);
        showAt(live, 1366, 768);
        liveRuns.addRun({}, QStringLiteral("live"), true, true);
        for (const auto &e : stopped.epochs)
            live.onEpoch(e);
        live.onFinished(stopped);
        QVERIFY(live.accuracyChart()->markerLabels().contains(QStringLiteral("best epoch 3")));
    }

    void theLabsSettingsAreControls()
    {
        reglab::ui::ControlPanel panel;
        for (const char *key : {"early_stop", "label_smoothing", "input_noise", "shift", "max_norm", "train_size",
                                "label_noise", "validation"}) {
            QVERIFY2(panel.control(key) != nullptr, key);
            QVERIFY2(!panel.control(key)->widget()->accessibleName().isEmpty(), key);
        }
    }
};

QTEST_MAIN(GapTest)
#include "test_gui_gap.moc"
