// Finished runs overlaid on the live charts: one series each in its colour and with its label in the legend,
// under the live series, kept by clear(), re-transformed by the log scale, thinned when long, and covered by
// the axes.
#include "ui/charts/accuracychart.h"
#include "ui/charts/losschart.h"

#include <QApplication>
#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
#include <QTest>
#include <QValueAxis>

#include <cmath>
#include <limits>

using reglab::ui::AccuracyChart;
using reglab::ui::LiveChart;
using reglab::ui::LossChart;
using reglab::ui::Overlay;

namespace {

QList<QPointF> lossCurve(int steps, double start)
{
    QList<QPointF> points;
    for (int i = 1; i <= steps; ++i)
        points << QPointF(i, start / std::sqrt(double(i)));
    return points;
}

QList<Overlay> twoLossOverlays()
{
    return {{QStringLiteral("L1 0.01 (all) - L2 off - bs 50"), QColor(Qt::red), lossCurve(300, 2.5)},
            {QStringLiteral("L2 0.001"), QColor(Qt::darkGreen), lossCurve(200, 2.0)}};
}

void addSteps(LossChart &chart, int from, int to, double value)
{
    reglab::StepRecord r;
    for (int i = from; i <= to; ++i) {
        r.step = i;
        r.dataLoss = r.loss = value;
        chart.addStep(r);
    }
    chart.flush();
}

// The labels of the legend's visible entries, in order, on a chart wide enough for all of them (a narrow chart
// shortens, moves or hides its legend rather than cut it: test_gui_screens covers that).
QStringList legendLabels(LiveChart &chart)
{
    QStringList labels;
    chart.resize(1400, 500);
    // Legend markers report themselves visible once the chart is on screen.
    if (!chart.isVisible()) {
        chart.show();
        if (!QTest::qWaitForWindowExposed(&chart))
            return {QStringLiteral("<not exposed>")};
    }
    for (int i = 0; i < 3; ++i) // entries are laid out (and shown) on posted events, then fitted after the resize
        QTest::qWait(20);
    for (QLegendMarker *m : chart.chart()->legend()->markers())
        if (m->isVisible())
            labels << m->label();
    return labels;
}

// The position in chart()->series() (the drawing order: later is on top) of the first series named `name`.
// A series goes by its full name even while a narrow chart shows its short one.
bool named(const QAbstractSeries *series, const QString &name)
{
    return series->name() == name || series->property("reglabLongName").toString() == name;
}

int seriesIndex(LiveChart &chart, const QString &name)
{
    const QList<QAbstractSeries *> all = chart.chart()->series();
    for (int i = 0; i < all.size(); ++i)
        if (named(all[i], name))
            return i;
    return -1;
}

QLineSeries *seriesNamed(LiveChart &chart, const QString &name)
{
    for (QAbstractSeries *s : chart.chart()->series())
        if (named(s, name))
            return qobject_cast<QLineSeries *>(s);
    return nullptr;
}

} // namespace

class TestOverlays : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void lossOverlaysAreShownUnderTheLiveSeries()
    {
        LossChart chart;
        chart.resize(640, 400);
        chart.setTotalSteps(100);
        addSteps(chart, 1, 50, 0.5);
        chart.setOverlays(twoLossOverlays());
        QCOMPARE(chart.overlayCount(), 2);
        QCOMPARE(chart.overlayLabels(),
                 QStringList({QStringLiteral("L1 0.01 (all) - L2 off - bs 50"), QStringLiteral("L2 0.001")}));
        QCOMPARE(chart.overlayPointCount(0), 300);
        QCOMPARE(chart.overlayPointCount(1), 200);
        QCOMPARE(chart.overlayPointCount(2), 0);

        // Colour and pen as given.
        QLineSeries *first = seriesNamed(chart, QStringLiteral("L2 0.001"));
        QVERIFY(first);
        QCOMPARE(first->pen().color(), QColor(Qt::darkGreen));
        QCOMPARE(first->pen().style(), Qt::SolidLine);

        // Live points still arrive, and the live series are drawn after (on top of) the overlays.
        addSteps(chart, 51, 80, 0.4);
        QCOMPARE(chart.pointCount(LossChart::Data), 80);
        QCOMPARE(chart.lastPoint(LossChart::Data), QPointF(80, 0.4));
        const int data = seriesIndex(chart, QStringLiteral("Data loss (cross-entropy)"));
        QVERIFY(data >= 0);
        for (const QString &label : chart.overlayLabels())
            QVERIFY(seriesIndex(chart, label) < data);
        // The live series keep their colours; the legend lists them first, then the overlays.
        const QStringList legend = legendLabels(chart);
        QCOMPARE(legend.size(), 6);
        QCOMPARE(legend.mid(4), chart.overlayLabels());
        QCOMPARE(legend.at(3), QStringLiteral("Total"));

        // The axes cover the overlays: the x axis reaches their last step, the y axis their largest value.
        QCOMPARE(chart.xAxisMax(), 300.0);
        QVERIFY(chart.yAxisRange().second >= 2.5);
        // The overlay longer than the live run sets the x axis even without a run length.
        chart.clear();
        QCOMPARE(chart.xAxisMax(), 300.0);
        chart.setTotalSteps(1000);
        QCOMPARE(chart.xAxisMax(), 1000.0);
    }

    void liveSeriesArePaintedOverOverlays()
    {
        LossChart chart;
        chart.resize(640, 400);
        chart.setTotalSteps(100);
        QList<QPointF> flat;
        for (int i = 1; i <= 100; ++i)
            flat << QPointF(i, 1.0);
        chart.setOverlays({{QStringLiteral("under"), QColor(Qt::red), flat}});
        reglab::StepRecord r;
        for (int i = 1; i <= 100; ++i) {
            r.step = i;
            r.dataLoss = 1.0; // on the overlay
            r.loss = 2.0;
            chart.addStep(r);
        }
        chart.flush();
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        QLineSeries *data = seriesNamed(chart, QStringLiteral("Data loss (cross-entropy)"));
        QVERIFY(data);
        const QImage image = chart.grab().toImage();
        const QPointF at = chart.mapFromScene(chart.chart()->mapToPosition(QPointF(50, 1.0), data));
        const QColor pixel = image.pixelColor(at.toPoint() * image.devicePixelRatio());
        QVERIFY2(pixel.blue() > pixel.red(), qPrintable(pixel.name())); // the live data loss is blue
    }

    void clearKeepsOverlays()
    {
        LossChart chart;
        chart.setOverlays(twoLossOverlays());
        addSteps(chart, 1, 20, 1.0);
        chart.addMarker(10, QStringLiteral("L1=0.01"));
        chart.clear();
        QCOMPARE(chart.pointCount(LossChart::Data), 0);
        QCOMPARE(chart.markerCount(), 0);
        QCOMPARE(chart.overlayCount(), 2);
        QCOMPARE(chart.overlayPointCount(0), 300);
        QCOMPARE(legendLabels(chart).size(), 6);
        addSteps(chart, 1, 10, 1.0);
        QCOMPARE(chart.pointCount(LossChart::Data), 10);
    }

    void logScaleKeepsOverlays()
    {
        LossChart chart;
        QList<Overlay> overlays = twoLossOverlays();
        overlays[1].points[5].setY(0.0); // an L1 term that is off: clamped to the log axis's floor
        overlays[1].points[6].setY(std::numeric_limits<double>::quiet_NaN());
        chart.setOverlays(overlays);
        addSteps(chart, 1, 30, 0.7);
        chart.setLogScale(true);
        QCOMPARE(chart.overlayPointCount(0), 300);
        QCOMPARE(chart.overlayPointCount(1), 200);
        QLineSeries *second = seriesNamed(chart, QStringLiteral("L2 0.001"));
        QVERIFY(second);
        for (const QPointF &p : second->points())
            QVERIFY(std::isfinite(p.y()) && p.y() > 0);
        QVERIFY(chart.yAxisRange().first > 0);
        QVERIFY(chart.yAxisRange().second >= 2.5);
        // Overlays set while the log axis is on are clamped too.
        chart.setOverlays(overlays);
        second = seriesNamed(chart, QStringLiteral("L2 0.001"));
        QVERIFY(second);
        QCOMPARE(second->count(), 200);
        QVERIFY(second->at(5).y() > 0);
        chart.setLogScale(false);
        QCOMPARE(chart.overlayPointCount(1), 200);
        QCOMPARE(seriesNamed(chart, QStringLiteral("L2 0.001"))->at(5).y(), 0.0);
        QCOMPARE(chart.pointCount(LossChart::Data), 30);
    }

    void emptyListRemovesOverlays()
    {
        LossChart chart;
        const int before = int(chart.chart()->series().size());
        const QStringList legendBefore = legendLabels(chart);
        chart.setOverlays(twoLossOverlays());
        QVERIFY(chart.chart()->series().size() > before);
        chart.setOverlays({});
        QCOMPARE(chart.overlayCount(), 0);
        QVERIFY(chart.overlayLabels().isEmpty());
        QCOMPARE(int(chart.chart()->series().size()), before);
        QCOMPARE(legendLabels(chart), legendBefore);
        QCOMPARE(chart.xAxisMax(), 100.0); // back to the default of an empty chart
    }

    void longOverlaysAreThinned()
    {
        LossChart chart;
        chart.setOverlays({{QStringLiteral("long"), QColor(Qt::blue), lossCurve(12001, 2.3)}});
        QVERIFY(chart.overlayPointCount(0) <= LiveChart::kMaxShownPoints);
        QVERIFY(chart.overlayPointCount(0) >= LiveChart::kMaxShownPoints / 4);
        QCOMPARE(seriesNamed(chart, QStringLiteral("long"))->points().last().x(), 12001.0);
        QCOMPARE(chart.xAxisMax(), 12001.0);
    }

    // A redraw costs by the points stroked: however many runs are compared, one chart draws at most its budget.
    void manyOverlaysShareThePointBudget()
    {
        LossChart chart;
        QList<reglab::ui::Overlay> many;
        for (int i = 0; i < 20; ++i)
            many.push_back({QStringLiteral("run %1").arg(i), QColor::fromHsv(i * 18, 200, 200), lossCurve(12001, 2.3)});
        chart.setOverlays(many.mid(0, 1));
        const int alone = chart.overlayPointCount(0);
        chart.setOverlays(many);
        int drawn = 0;
        for (int i = 0; i < chart.overlayCount(); ++i)
            drawn += chart.overlayPointCount(i);
        QVERIFY2(drawn <= LiveChart::kPointBudget, qPrintable(QString::number(drawn)));
        QVERIFY(chart.overlayPointCount(19) < alone);
        QVERIFY(chart.overlayPointCount(19) >= LiveChart::kMinShownPoints / 2);
        QCOMPARE(seriesNamed(chart, QStringLiteral("run 19"))->points().last().x(), 12001.0); // the newest kept
        chart.setOverlays(many.mid(0, 1)); // back to one run: its full share again
        QCOMPARE(chart.overlayPointCount(0), alone);
    }

    void divergedOverlayIsCapped()
    {
        LossChart chart;
        QList<QPointF> points = lossCurve(30, 2.3);
        for (int i = 20; i < 30; ++i)
            points[i].setY(std::pow(10.0, i - 10));
        chart.setOverlays({{QStringLiteral("diverged"), QColor(Qt::red), points}});
        const double before = chart.yAxisRange().second;
        addSteps(chart, 1, 10, 2.0);
        const double top = chart.yAxisRange().second;
        QVERIFY2(top >= 2.3 && top <= 2.3 * LossChart::kCapFactor * 1.5, qPrintable(QString::number(top)));
        QCOMPARE(top, before); // the same range however often it is fitted
        chart.flush();
        addSteps(chart, 11, 12, 2.0);
        QCOMPARE(chart.yAxisRange().second, before);
    }

    void accuracyOverlays()
    {
        AccuracyChart chart;
        chart.setEpochs(5);
        reglab::EpochRecord r;
        for (int e = 1; e <= 3; ++e) {
            r.epoch = e;
            r.valAccuracy = r.testAccuracy = 0.8 + 0.01 * e;
            chart.addEpoch(r);
        }
        chart.flush();
        QList<QPointF> a, b;
        for (int e = 1; e <= 12; ++e)
            a << QPointF(e, 80 + e);
        for (int e = 1; e <= 4; ++e)
            b << QPointF(e, 60 + e);
        chart.setOverlays(
            {{QStringLiteral("L1 0.01"), QColor(Qt::red), a}, {QStringLiteral("L2 0.001"), QColor(Qt::blue), b}});
        QCOMPARE(chart.overlayCount(), 2);
        QCOMPARE(chart.overlayPointCount(0), 12);
        QCOMPARE(chart.overlayPointCount(1), 4);
        QCOMPARE(chart.pointCount(AccuracyChart::Validation), 3);
        // Each epoch of a compared run carries its run's marker (runstyle.h), in place of a dot.
        bool marked = false;
        for (QAbstractSeries *s : chart.chart()->series())
            if (auto *marks = qobject_cast<QScatterSeries *>(s); marks && marks->name() == QLatin1String("L1 0.01"))
                marked = marks->count() == 12;
        QVERIFY(marked);
        for (const QString &label : chart.overlayLabels())
            QVERIFY(seriesIndex(chart, label) < seriesIndex(chart, QStringLiteral("Validation")));
        QCOMPARE(legendLabels(chart).mid(3), chart.overlayLabels());

        auto *x = qobject_cast<QValueAxis *>(chart.chart()->axes(Qt::Horizontal).first());
        QVERIFY(x);
        QCOMPARE(x->max(), 12.0);
        auto *y = qobject_cast<QValueAxis *>(chart.chart()->axes(Qt::Vertical).first());
        QVERIFY(y);
        QCOMPARE(y->min(), 0.0);
        QCOMPARE(y->max(), 100.0);
        // The chance line spans the axis.
        QCOMPARE(seriesNamed(chart, QStringLiteral("Chance (10 %)"))->points().last().x(), 12.0);

        // A new run keeps them; live points still show.
        chart.clear();
        QCOMPARE(chart.overlayCount(), 2);
        QCOMPARE(chart.pointCount(AccuracyChart::Validation), 0);
        QCOMPARE(seriesNamed(chart, QStringLiteral("Chance (10 %)"))->count(), 2);
        r.epoch = 1;
        chart.addEpoch(r);
        chart.flush();
        QCOMPARE(chart.pointCount(AccuracyChart::Validation), 1);
        QCOMPARE(chart.pointCount(AccuracyChart::Test), 1);

        chart.setOverlays({});
        QCOMPARE(chart.overlayCount(), 0);
        QCOMPARE(legendLabels(chart).size(), 3);
        QCOMPARE(x->max(), 5.0);
    }

    // A run of 100,000 epochs (16 million steps) sets the x axis at once: its ticks follow the new range rather
    // than being laid out at the old interval (160,000 tick items, minutes of layout and gigabytes).
    void hugeRunLengthKeepsTicksFew()
    {
        LossChart chart;
        chart.resize(640, 400);
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.setTotalSteps(100);
        addSteps(chart, 1, 20, 1.0);
        chart.redrawNow();
        auto *x = qobject_cast<QValueAxis *>(chart.chart()->axes(Qt::Horizontal).constFirst());
        QVERIFY(x);
        QVERIFY(x->tickInterval() <= 50);
        chart.setTotalSteps(16'000'000);
        QCOMPARE(x->max(), 16'000'000.0);
        QVERIFY2(x->max() / x->tickInterval() <= 50, qPrintable(QString::number(x->tickInterval())));
    }

    void markersStayOnTopAndOutOfTheLegend()
    {
        LossChart chart;
        addSteps(chart, 1, 20, 1.0);
        chart.addMarker(10, QStringLiteral("L1=0.01"));
        chart.setOverlays(twoLossOverlays());
        QCOMPARE(chart.markerCount(), 1);
        QVERIFY(seriesIndex(chart, QStringLiteral("L2 0.001")) < seriesIndex(chart, QStringLiteral("L1=0.01")));
        QVERIFY(!legendLabels(chart).contains(QStringLiteral("L1=0.01")));
        QCOMPARE(legendLabels(chart).size(), 6);
        // Rendering with overlays, markers and a log axis does not crash.
        chart.resize(640, 400);
        chart.setLogScale(true);
        QVERIFY(!chart.grab().isNull());
        QCOMPARE(chart.markerCount(), 1);
    }
};

QTEST_MAIN(TestOverlays)
#include "test_gui_overlays.moc"
