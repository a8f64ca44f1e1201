// "Inside the network": each view fed known values shows them (tile colours, histogram counts, confusion
// cells, sparsity shares, gradient points, the probabilities of a clicked miss), every view exports, and a short
// run on the bundled sample fills them all through the controller's queued signals.
#include "app/guiwiring.h"
#include "app/trainingcontroller.h"
#include "guitest.h"
#include "model/runfiles.h"
#include "model/trainer.h"
#include "ui/charts/chartbase.h"
#include "ui/charts/legendstrip.h"
#include "ui/charts/palette.h"
#include "ui/charts/runstyle.h"

#include "ui/controls/controlpanel.h"
#include "ui/network/confusionview.h"
#include "ui/network/gradientchart.h"
#include "ui/network/histogramview.h"
#include "ui/network/networkpanel.h"
#include "ui/network/sparsitychart.h"
#include "ui/network/weightsview.h"
#include "ui/network/weighttiles.h"
#include "ui/runs/runlegend.h"
#include "ui/runs/runlist.h"
#include "ui/window/mainwindow.h"

#include <QAccessible>
#include <QAbstractButton>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QLineEdit>
#include <QAction>
#include <QApplication>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QGraphicsTextItem>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QListWidget>
#include <QPushButton>
#include <QScatterSeries>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>

using reglab::app::TrainingController;
using namespace reglab::ui;

using guitest::Dashboard;

namespace {

// How far a pixel is from white toward a saturated colour, 0..1, measured on the channel that moves most.
double towards(const QColor &pixel, const QColor &end)
{
    int best = 0;
    double t = 0;
    for (auto [p, e] : {std::pair{pixel.red(), end.red()}, {pixel.green(), end.green()}, {pixel.blue(), end.blue()}})
        if (255 - e > best) {
            best = 255 - e;
            t = double(255 - p) / double(255 - e);
        }
    return t;
}

reglab::WeightHistogram histogram(const std::string &name, int offset)
{
    reglab::WeightHistogram h;
    h.name = name;
    h.counts.resize(reglab::kHistogramBins);
    for (int i = 0; i < reglab::kHistogramBins; ++i)
        h.counts[std::size_t(i)] = (i + offset) % 7 == 0 ? 0 : i + offset;
    h.zeros = 7;
    h.below = 3;
    h.above = 5;
    return h;
}

// The entries a chart's legend shows, by their whole names, in order.
QStringList legendEntries(ChartBase *view)
{
    QStringList named;
    for (QAbstractSeries *series : view->chart()->series())
        if (!series->property("reglabNoLegend").toBool())
            for (QLegendMarker *marker : view->chart()->legend()->markers(series))
                named << view->legendFullName(marker->label());
    return named;
}

QList<QPointF> seriesPoints(ChartBase *view, int index)
{
    auto *line = qobject_cast<QLineSeries *>(view->chart()->series().value(index));
    return line ? line->points() : QList<QPointF>();
}

reglab::WeightSnapshot snapshot(int epoch, const std::vector<float> &fc2)
{
    reglab::WeightSnapshot s;
    s.epoch = epoch;
    s.step = 100 * epoch;
    s.layers.push_back({"fc1", 2, 784, std::vector<float>(2 * 784, 0.02f)});
    s.layers.push_back({"fc2", 1, int(fc2.size()), fc2});
    s.histograms = {histogram("fc1", 0), histogram("fc2", 1)};
    return s;
}

} // namespace

class TestNetwork : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.enter(true)); } // kept runs go to the test's folder

    void tileColours()
    {
        // Unit 0: +0.1 left half, +0.05 right half; unit 1 the same negated; unit 2 exact zeros but one pixel.
        std::vector<float> w(3 * 784, 0.0f);
        for (int y = 0; y < 28; ++y)
            for (int x = 0; x < 28; ++x) {
                w[std::size_t(y * 28 + x)] = x < 14 ? 0.1f : 0.05f;
                w[std::size_t(784 + y * 28 + x)] = x < 14 ? -0.1f : -0.05f;
            }
        w[2 * 784 + 5 * 28 + 6] = 0.1f;
        reglab::WeightSnapshot s;
        s.epoch = 3;
        s.layers.push_back({"fc1", 3, 784, w});
        WeightTiles tiles;
        tiles.resize(600, 400);
        tiles.setSnapshot(s);
        QVERIFY(!tiles.isEmpty());
        QCOMPARE(tiles.columns(), 3); // three units fit best side by side in a wide view
        QCOMPARE(WeightTiles::bestColumns(200, QSize(580, 290)), 20);
        QCOMPARE(tiles.scale(), 0.1f); // the 99th percentile of |w|, the same for every tile
        const QImage &img = tiles.image();
        const QColor red = WeightTiles::colorFor(1.0f, 0.1), blue = WeightTiles::colorFor(-1.0f, 0.1);
        QVERIFY(red.red() > red.blue() + 100);
        QVERIFY(blue.blue() > blue.red() + 100);

        const QColor pos = img.pixelColor(WeightTiles::pixelOf(0, 3, 10, tiles.columns()));
        const QColor neg = img.pixelColor(WeightTiles::pixelOf(1, 3, 10, tiles.columns()));
        QCOMPARE(pos, red); // saturated at the scale
        QCOMPARE(neg, blue);
        const QColor halfPos = img.pixelColor(WeightTiles::pixelOf(0, 20, 10, tiles.columns()));
        const QColor halfNeg = img.pixelColor(WeightTiles::pixelOf(1, 20, 10, tiles.columns()));
        QVERIFY(halfPos.red() > halfPos.blue());
        QVERIFY(halfNeg.blue() > halfNeg.red());
        // Symmetric: +0.05 and -0.05 are equally far from white, half way to their ends.
        QVERIFY(std::abs(towards(halfPos, red) - 0.5) < 0.02);
        QVERIFY(std::abs(towards(halfNeg, blue) - 0.5) < 0.02);

        QCOMPARE(img.pixelColor(WeightTiles::pixelOf(2, 0, 0, tiles.columns())), WeightTiles::zeroColor());
        QCOMPARE(img.pixelColor(WeightTiles::pixelOf(2, 6, 5, tiles.columns())), red);
        QVERIFY(WeightTiles::zeroColor() != WeightTiles::colorFor(1e-9f, 0.1)); // "almost 0" is white, not grey
        QCOMPARE(WeightTiles::colorFor(1e-9f, 0.1).lightness(), 255);

        tiles.clear();
        QVERIFY(tiles.isEmpty());
    }

    void histogramCounts()
    {
        HistogramView view;
        view.resize(500, 400);
        view.setHistograms(snapshot(2, {0.1f}).histograms, 2);
        QCOMPARE(view.layer(), QStringLiteral("fc1"));
        QCOMPARE(view.layerBox()->count(), 2);
        QCOMPARE(view.shownSeriesCount(), 1);
        const std::vector<double> shown = view.shownCounts(0);
        QCOMPARE(int(shown.size()), reglab::kHistogramBins);
        const auto expected = histogram("fc1", 0).counts;
        for (int i = 0; i < reglab::kHistogramBins; ++i)
            QCOMPARE(shown[std::size_t(i)], double(expected[std::size_t(i)]));
        QVERIFY(view.summaryText().contains(QStringLiteral("exactly 0: 7")));
        QVERIFY(view.summaryText().contains(QStringLiteral("below the range: 3")));

        // The bins sit on the fixed range: bin 0 starts at -0.25, the last ends at 0.25.
        auto *series = qobject_cast<QLineSeries *>(view.chartView()->chart()->series().first());
        QVERIFY(series);
        QCOMPARE(series->points().first().x(), -0.25);
        QVERIFY(std::abs(series->points().last().x() - 0.25) < 1e-12);

        view.setLayer(QStringLiteral("fc2"));
        QCOMPARE(view.shownCounts(0)[5], double(histogram("fc2", 1).counts[5]));

        // Log counts: empty bins sit on the axis floor, the rest keep their counts.
        view.setLayer(QStringLiteral("fc1"));
        view.setLogCounts(true);
        QCOMPARE(view.shownCounts(0)[0], 0.5);
        QCOMPARE(view.shownCounts(0)[1], 1.0);
        view.setLogCounts(false);

        // A compared run's histograms are drawn in its colour under its name.
        view.setOverlays({HistogramOverlay{QStringLiteral("L1 0.01"), Qt::red, {histogram("fc1", 3)}}});
        QCOMPARE(view.shownSeriesCount(), 2);
        QCOMPARE(view.shownCounts(1)[10], double(histogram("fc1", 3).counts[10]));
        QCOMPARE(view.chartView()->chart()->series().at(1)->name(), QStringLiteral("L1 0.01"));
        // The live run too, in its own colour and name (not a blue a compared run may have).
        view.setLiveLook(QStringLiteral("No regularization"), QColor(0x2C, 0xA0, 0x2C));
        auto *live = qobject_cast<QLineSeries *>(view.chartView()->chart()->series().at(0));
        QVERIFY(live);
        QCOMPARE(live->pen().color(), QColor(0x2C, 0xA0, 0x2C));
        QVERIFY(live->name().startsWith(QStringLiteral("No regularization")));
        view.clear();
        QCOMPARE(view.shownSeriesCount(), 1); // the overlay stays
    }

    // The summary bins by the float's bits checked against exact edges: at every decade (a bin edge) its share
    // must be the brute-force count's, for weights spread over all the decades it covers and beyond.
    void sparsitySummaryMatchesCounting()
    {
        std::vector<float> w;
        std::uint32_t state = 12345;
        for (int i = 0; i < 200000; ++i) {
            state = state * 1664525u + 1013904223u;
            const double decade = -15.0 + 18.0 * double(state >> 8) / double(1 << 24);
            w.push_back(float((i % 2 ? 1 : -1) * std::pow(10.0, decade)));
        }
        w.push_back(1e-3f); // on an edge, and just either side of it
        w.push_back(std::nextafter(1e-3f, 0.0f));
        w.push_back(std::nextafter(1e-3f, 1.0f));
        const SparsitySummary s(w);
        for (int decade = -11; decade <= 1; ++decade) {
            const double threshold = std::pow(10.0, decade);
            const auto below =
                std::count_if(w.begin(), w.end(), [&](float v) { return std::abs(double(v)) < threshold; });
            QCOMPARE(s.shareBelow(threshold), double(below) / double(w.size()));
        }
    }

    void sparsityShares()
    {
        const std::vector<float> w = {0.0f, 1e-5f, -5e-4f, 2e-3f, -0.1f, 0.5f, 0.0f, 9e-4f};
        const SparsitySummary s(w);
        QCOMPARE(s.total(), 8);
        QCOMPARE(s.zeros(), 2);
        QCOMPARE(s.shareBelow(1e-3), 5.0 / 8);
        QCOMPARE(s.shareBelow(1e-4), 3.0 / 8);
        QCOMPARE(s.shareBelow(1e-6), 2.0 / 8);
        QCOMPARE(s.shareBelow(1.0), 1.0);

        SparsityChart chart;
        chart.resize(500, 500);
        QCOMPARE(chart.threshold(), 1e-3);
        chart.addSnapshot(snapshot(1, {0.1f, 0.2f, 0.3f, 0.4f}));
        chart.addSnapshot(snapshot(2, w));
        QList<QPointF> fc2 = chart.sharePoints(QStringLiteral("fc2"));
        QCOMPARE(fc2.size(), 2);
        QCOMPARE(fc2[0], QPointF(1, 0));
        QCOMPARE(fc2[1], QPointF(2, 100 * 5.0 / 8));
        // A new threshold recomputes the whole curve from the summaries.
        chart.thresholdBox()->setValue(1e-4);
        fc2 = chart.sharePoints(QStringLiteral("fc2"));
        QCOMPARE(fc2[1], QPointF(2, 100 * 3.0 / 8));
        chart.shareView()->redrawNow(); // drawn lazily: at the redraw tick, or now for a reader
        // One layer at a time (fc1 first): the run below the threshold and exactly 0, and the grey key to the styles.
        QCOMPARE(chart.layer(), QStringLiteral("fc1"));
        QCOMPARE(chart.layerBox()->count(), 2);
        QCOMPARE(chart.shareView()->chart()->series().size(), 4);
        QCOMPARE(chart.shareView()->chart()->series().at(1)->name(), QStringLiteral("this run, exactly 0"));
        // The chart's legend is the key to the styles; the run is named in the strip under both charts.
        QCOMPARE(legendEntries(chart.shareView()), (QStringList{QStringLiteral("|w| below 0.0001"), QStringLiteral("exactly 0")}));
        QCOMPARE(chart.legend()->names(), QStringList{QStringLiteral("this run")});
        chart.setLayer(QStringLiteral("fc2"));
        chart.shareView()->redrawNow();
        QCOMPARE(seriesPoints(chart.shareView(), 0), chart.sharePoints(QStringLiteral("fc2")));
        // Exact zeros do not depend on the threshold.
        QCOMPARE(chart.zeroPoints(QStringLiteral("fc2")), (QList<QPointF>{QPointF(1, 0), QPointF(2, 100 * 2.0 / 8)}));
        QCOMPARE(chart.zeroPoints(QStringLiteral("fc1")).size(), 2);
        chart.thresholdBox()->stepBy(4);
        QVERIFY(std::abs(chart.threshold() - 1e-3) < 1e-12);

        reglab::EpochRecord e;
        e.epoch = 1;
        e.layers = {{"fc1", 0.5, 120.0, 3.5}, {"fc2", 0.1, 40.0, 2.0}};
        chart.addEpoch(e);
        QCOMPARE(chart.normPoints(QStringLiteral("fc1"), false), QList<QPointF>{QPointF(1, 120.0)});
        QCOMPARE(chart.normPoints(QStringLiteral("fc2"), true), QList<QPointF>{QPointF(1, 2.0)});
        chart.normView()->redrawNow();
        QCOMPARE(chart.normView()->chart()->series().size(), 4); // fc2's L1 and L2, and the key
        QCOMPARE(seriesPoints(chart.normView(), 1), (QList<QPointF>{QPointF(1, 2.0)}));
        // The legend says which line is which norm, whatever room the axis' title has: a grey stroke of each style.
        QCOMPARE(legendEntries(chart.normView()),
                 (QStringList{QStringLiteral("L1 norm \u03a3|w|"), QStringLiteral("L2 norm \u221a\u03a3w\u00b2")}));
        auto *l1Key = qobject_cast<QLineSeries *>(chart.normView()->chart()->series().at(2));
        auto *l2Key = qobject_cast<QLineSeries *>(chart.normView()->chart()->series().at(3));
        QCOMPARE(l1Key->pen().style(), Qt::SolidLine);
        QCOMPARE(l2Key->pen().style(), Qt::DashLine);
        QCOMPARE(chart.normView()->chart()->legend()->markers(l2Key).first()->shape(), QLegend::MarkerShapeFromSeries);
        QCOMPARE(qobject_cast<QLineSeries *>(chart.normView()->chart()->series().at(1))->pen().style(), Qt::DashLine);
        chart.clear();
        QVERIFY(chart.sharePoints(QStringLiteral("fc2")).isEmpty());
    }

    // Proximal L1 leaves exact zeros (the subgradient hardly any): the weight images show them in the colour kept
    // for "exactly 0", one pixel per zero weight, and the sparsity view's dashed line counts them.
    void proximalZerosInTheImages()
    {
        reglab::TrainConfig c = ControlPanel::defaultConfig();
        c.epochs = 1;
        c.l1 = 0.001;
        c.l1Method = reglab::L1Method::Proximal;
        struct Last : reglab::TrainObserver {
            reglab::WeightSnapshot snapshot;
            void onEvent(const reglab::TrainEvent &e) override
            {
                if (const auto *s = std::get_if<reglab::WeightSnapshot>(&e))
                    snapshot = *s;
            }
        } last;
        reglab::TrainControl control;
        const reglab::RunRecord r = reglab::train(c, control, &last);
        QCOMPARE(int(r.status), int(reglab::RunStatus::Finished));
        const auto &fc1 = last.snapshot.layers.at(0);
        const auto zeros = std::count(fc1.weights.begin(), fc1.weights.end(), 0.0f);
        QVERIFY2(zeros > 500, qPrintable(QString::number(zeros)));
        QCOMPARE(double(zeros) / double(fc1.weights.size()), r.epochs.back().layers.front().zeroFraction);

        WeightTiles tiles;
        tiles.resize(600, 400);
        tiles.setSnapshot(last.snapshot);
        const QImage &img = tiles.image();
        std::int64_t grey = 0;
        for (int unit = 0; unit < fc1.rows; ++unit)
            for (int y = 0; y < WeightTiles::kTileSide; ++y)
                for (int x = 0; x < WeightTiles::kTileSide; ++x)
                    grey +=
                        img.pixelColor(WeightTiles::pixelOf(unit, x, y, tiles.columns())) == WeightTiles::zeroColor();
        QCOMPARE(grey, std::int64_t(zeros));

        SparsityChart chart;
        chart.addSnapshot(last.snapshot);
        QCOMPARE(chart.zeroPoints(QStringLiteral("fc1")).front().y(),
                 100.0 * double(zeros) / double(fc1.weights.size()));
    }

    // Runs compared inside the network: the sparsity view draws each shown run in its colour under its legend name,
    // from its record's epochs; at a threshold its record did not measure, from its saved weights (its last epoch),
    // or it names the run it cannot draw; the live run unticked is not drawn, ticked it comes first.
    void sparsityComparesRuns()
    {
        auto [sparseRecord, sparseWeights] = guitest::networkRun(true, 4);
        auto [denseRecord, denseWeights] = guitest::networkRun(false, 4);
        const QColor blue(0x1F, 0x77, 0xB4), orange(0xFF, 0x7F, 0x0E);
        SparsityChart chart;
        chart.resize(600, 600);
        chart.addSnapshot(snapshot(1, {0.1f, 0.0f})); // the live run's fc1 and fc2
        chart.setLiveLook(QStringLiteral("live run"), QStringLiteral("live"), Qt::black, false); // unticked
        SparsityOverlay a = SparsityOverlay::fromRecord(sparseRecord, QStringLiteral("L1 0.01, L2 off"),
                                                        QStringLiteral("L1 0.01"), blue);
        const std::shared_ptr<const reglab::WeightSnapshot> saved = sparseWeights;
        int reads = 0;
        a.weights = [saved, &reads] {
            ++reads;
            return saved;
        };
        const SparsityOverlay b = SparsityOverlay::fromRecord(denseRecord, QStringLiteral("L1 off, L2 0.01"),
                                                              QStringLiteral("L2 0.01"), orange); // no saved weights
        chart.setOverlays({a, b});
        QCOMPARE(chart.layerBox()->count(), 3); // fc1 and fc2 (the live run), fc3 (the records)
        QCOMPARE(chart.layer(), QStringLiteral("fc1"));
        chart.shareView()->redrawNow();
        QCOMPARE(chart.legend()->names(), (QStringList{QStringLiteral("L1 0.01, L2 off"), QStringLiteral("L1 off, L2 0.01")}));
        QCOMPARE(chart.legend()->entries().at(1).color, orange);
        QCOMPARE(legendEntries(chart.shareView()), (QStringList{QStringLiteral("|w| below 0.001"), QStringLiteral("exactly 0")}));
        auto pen = [&](ChartBase *view, int i) { return qobject_cast<QLineSeries *>(view->chart()->series().at(i))->pen(); };
        QCOMPARE(pen(chart.shareView(), 0).color(), blue);
        QCOMPARE(pen(chart.shareView(), 1).color(), blue);
        QCOMPARE(pen(chart.shareView(), 1).style(), Qt::DashLine);
        QCOMPARE(pen(chart.shareView(), 2).color(), orange);
        // The record's own threshold (0.001): its epochs, as measured.
        QList<QPointF> expected, zeros, l1, l2;
        for (const auto &e : sparseRecord.epochs) {
            expected << QPointF(e.epoch, 100 * e.layers[0].smallFraction);
            zeros << QPointF(e.epoch, 100 * e.layers[0].zeroFraction);
            l1 << QPointF(e.epoch, e.layers[0].l1Norm);
            l2 << QPointF(e.epoch, e.layers[0].l2Norm);
        }
        QCOMPARE(chart.overlayPoints(0, SparsityChart::Share), expected);
        QCOMPARE(seriesPoints(chart.shareView(), 0), expected);
        QCOMPARE(chart.overlayPoints(0, SparsityChart::Zero), zeros);
        QCOMPARE(chart.overlayPoints(0, SparsityChart::L1Norm), l1);
        QCOMPARE(chart.overlayPoints(0, SparsityChart::L2Norm), l2);
        chart.normView()->redrawNow();
        QCOMPARE(pen(chart.normView(), 2).color(), orange);
        QCOMPARE(pen(chart.normView(), 3).style(), Qt::DashLine);
        QCOMPARE(reads, 0); // its weights are read only when needed
        QVERIFY(chart.noteText().isEmpty());

        // Another threshold: the records cannot say; the saved weights give the last epoch's share, exactly.
        chart.setThreshold(1e-2);
        const auto &fc1 = saved->layers[0].weights;
        const auto below = std::count_if(fc1.begin(), fc1.end(), [](float w) { return std::abs(w) < 1e-2f; });
        const QList<QPointF> last = chart.overlayPoints(0, SparsityChart::Share);
        QCOMPARE(last.size(), 1);
        QCOMPARE(last[0].x(), 4.0);
        QVERIFY2(std::abs(last[0].y() - 100.0 * double(below) / double(fc1.size())) < 1e-9, qPrintable(QString::number(last[0].y())));
        QVERIFY(chart.overlayPoints(1, SparsityChart::Share).isEmpty());
        QCOMPARE(chart.overlayPoints(1, SparsityChart::Zero).size(), 4); // exact zeros need no threshold
        QVERIFY2(chart.noteText().contains(QStringLiteral("L1 off, L2 0.01")), qPrintable(chart.noteText()));
        QVERIFY(!chart.noteText().contains(QStringLiteral("L1 0.01, L2 off")));
        QCOMPARE(reads, 1); // read once, summarized, kept
        chart.setThreshold(2e-2);
        QCOMPARE(reads, 1);

        // The live run ticked: drawn first, in its colour under its name.
        chart.setLiveLook(QStringLiteral("live run"), QStringLiteral("live"), Qt::black, true);
        chart.shareView()->redrawNow();
        QCOMPARE(chart.legend()->names().first(), QStringLiteral("live run"));
        QCOMPARE(pen(chart.shareView(), 0).color(), QColor(Qt::black));
        // A layer only the records have: the live run has nothing to draw there.
        chart.setLayer(QStringLiteral("fc3"));
        chart.shareView()->redrawNow();
        QCOMPARE(chart.legend()->names().first(), QStringLiteral("L1 0.01, L2 off"));
    }

    // Four runs compared in the sparsity and histogram views: each run's series carry its own marker (and, in the
    // histograms, its dashes) from runstyle, the strip under the charts shows them, and in a greyscale grab of the
    // sparsity chart the runs' markers differ in shape, not only in grey. A run alone keeps its dots.
    void networkViewsTellRunsApartInGrey()
    {
        applyTheme(Theme::Light);
        const QList<QColor> palette = runPalette();
        constexpr int kRuns = 4;
        QList<SparsityOverlay> overlays;
        QList<HistogramOverlay> histograms;
        for (int k = 0; k < kRuns; ++k) {
            // Flat lines far apart (20, 40, 60, 80 % below the threshold), none exactly 0.
            SparsityOverlay o;
            o.label = QStringLiteral("run %1").arg(k);
            o.brief = o.label;
            o.color = palette[k];
            o.threshold = SparsityChart::kDefaultThreshold;
            o.layerOrder = {QStringLiteral("fc1")};
            for (int e = 1; e <= 5; ++e)
                o.layers[QStringLiteral("fc1")].push_back({e, 0.2 * (k + 1), 0, 10.0 * (k + 1), 1.0 + k});
            overlays << o;
            histograms << HistogramOverlay{o.label, o.color, {histogram("fc1", 3 * k)}, o.brief};
        }
        SparsityChart sparsity;
        sparsity.resize(700, 800);
        sparsity.setLiveLook(QStringLiteral("live"), QStringLiteral("live"), palette[kRuns], false);
        sparsity.setOverlays(overlays);
        sparsity.show();
        QVERIFY(QTest::qWaitForWindowExposed(&sparsity));
        sparsity.shareView()->redrawNow();
        sparsity.normView()->redrawNow();

        // Each run's marks: its own shape, on both its lines; its lines keep solid and dashed for the measures.
        for (ChartBase *view : {sparsity.shareView(), sparsity.normView()}) {
            QMap<int, QSet<int>> shapes; // run style -> scatter shapes
            int marks = 0;
            for (QAbstractSeries *series : view->chart()->series()) {
                if (auto *scatter = qobject_cast<QScatterSeries *>(series); scatter && seriesIsRunMarks(scatter)) {
                    ++marks;
                    shapes[scatter->property("reglabRunMarks").toInt()] << int(scatter->markerShape());
                    QCOMPARE(scatter->count(), 5); // every epoch of five
                } else if (auto *line = qobject_cast<QLineSeries *>(series);
                           line && !line->property("reglabKey").toBool()) {
                    QVERIFY(!line->pointsVisible()); // the markers stand on the points instead of dots
                    QVERIFY(line->pen().style() == Qt::SolidLine || line->pen().style() == Qt::DashLine);
                }
            }
            QCOMPARE(marks, 2 * kRuns);
            QCOMPARE(shapes.size(), kRuns);
            QSet<int> all;
            for (int k = 0; k < kRuns; ++k) {
                QCOMPARE(shapes.value(k), QSet<int>{scatterShape(runStyleAt(k).marker)});
                all += shapes.value(k);
            }
            QCOMPARE(int(all.size()), kRuns);
        }
        // The strip under the charts: each run's stroke with its marker, solid (dashed means "exactly 0" here).
        QCOMPARE(sparsity.legend()->entries().size(), kRuns);
        for (int k = 0; k < kRuns; ++k) {
            QCOMPARE(sparsity.legend()->entries()[k].runStyle, k);
            QVERIFY(!sparsity.legend()->entries()[k].runDashes);
        }

        // In grey: around each run's marker at epoch 3, ink (grey below 215) in one run's patch where the other's is
        // plain paper (245 and up) in at least 3 pixels: the shapes differ, not the grey of their colours nor their
        // anti-aliased edges (the soft pixels in between count for neither: four runs' circles differ in none, a
        // circle and a square in 6, their corners; the closest pair of shapes in 4). Each patch is crossed by its
        // run's flat line alike.
        const QImage grey = sparsity.shareView()->grab().toImage().convertToFormat(QImage::Format_Grayscale8);
        QChart *chart = sparsity.shareView()->chart();
        QList<std::vector<int>> patches; // 15 x 15 grey levels, row by row
        for (QAbstractSeries *series : chart->series())
            if (auto *scatter = qobject_cast<QScatterSeries *>(series); scatter && seriesIsRunMarks(scatter)) {
                const QPointF at = scatter->at(2);
                if (at.y() == 0)
                    continue; // the "exactly 0" lines, all at 0 %
                const QPoint centre =
                    sparsity.shareView()->mapFromScene(chart->mapToScene(chart->mapToPosition(at, scatter)));
                std::vector<int> patch;
                for (int y = 0; y < 15; ++y)
                    for (int x = 0; x < 15; ++x)
                        patch.push_back(qGray(grey.pixel(centre.x() - 7 + x, centre.y() - 7 + y)));
                patches << patch;
            }
        QCOMPARE(patches.size(), kRuns);
        int fewest = 15 * 15;
        for (int a = 0; a < kRuns; ++a)
            for (int b = a + 1; b < kRuns; ++b) {
                int differ = 0;
                for (std::size_t i = 0; i < patches[a].size(); ++i) {
                    const int ga = patches[a][i], gb = patches[b][i];
                    differ += (ga < 215 && gb >= 245) || (gb < 215 && ga >= 245);
                }
                fewest = std::min(fewest, differ);
                QVERIFY2(differ >= 3,
                         qPrintable(QStringLiteral("runs %1 and %2: %3 pixels").arg(a).arg(b).arg(differ)));
            }
        qInfo("greyscale marker patches of %d runs differ in at least %d of 225 pixels", kRuns, fewest);

        // The histograms: each run's outline in its dashes, its marks in its shape; the strip shows both.
        HistogramView view;
        view.resize(600, 500);
        view.setOverlays(histograms);
        QCOMPARE(view.shownSeriesCount(), kRuns);
        QSet<int> histogramShapes;
        int histogramMarks = 0;
        for (QAbstractSeries *series : view.chartView()->chart()->series()) {
            if (auto *scatter = qobject_cast<QScatterSeries *>(series); scatter && seriesIsRunMarks(scatter)) {
                ++histogramMarks;
                histogramShapes << int(scatter->markerShape());
                QVERIFY(scatter->count() > 0 && scatter->count() <= 6);
                for (const QPointF &p : scatter->points())
                    QVERIFY(p.y() > 0); // on a non-empty bin
            } else if (auto *line = qobject_cast<QLineSeries *>(series)) {
                const int k = seriesRunStyle(line);
                QVERIFY(k >= 0 && k < kRuns);
                QCOMPARE(line->pen().color(), palette[k]);
                if (k == 0)
                    QCOMPARE(line->pen().style(), Qt::SolidLine);
                else
                    QCOMPARE(line->pen().dashPattern(), runStyleAt(k).dashes);
            }
        }
        QCOMPARE(histogramMarks, kRuns);
        QCOMPARE(int(histogramShapes.size()), kRuns);
        for (int k = 0; k < kRuns; ++k) {
            QCOMPARE(view.legend()->entries()[k].runStyle, k);
            QVERIFY(view.legend()->entries()[k].runDashes);
        }

        // A run alone: drawn as before (dots, no marks, a swatch in the strip).
        sparsity.setOverlays({});
        sparsity.setLiveLook(QStringLiteral("live"), QStringLiteral("live"), palette[0], true);
        sparsity.addSnapshot(snapshot(1, {0.1f, 0.0f}));
        sparsity.shareView()->redrawNow();
        for (QAbstractSeries *series : sparsity.shareView()->chart()->series()) {
            QVERIFY(!seriesIsRunMarks(series));
            if (auto *line = qobject_cast<QLineSeries *>(series); line && !line->property("reglabKey").toBool())
                QVERIFY(line->pointsVisible());
        }
        QCOMPARE(sparsity.legend()->entries().value(0).runStyle, -1);
    }

    // The panel compares the runs ticked in the runs list: histograms and sparsity in each run's colour under the
    // names the charts' legends give them (what differs between them), the weight images captioned likewise; a run
    // whose record keeps no histograms or weights (an older one) is named, not silently left out.
    // Every control of the network views is named for a screen reader (its label's text, as a buddy).
    void everyControlHasAnAccessibleName()
    {
        NetworkPanel panel;
        panel.resize(600, 700);
        panel.show();
        QStringList unnamed;
        for (QWidget *w : panel.findChildren<QWidget *>()) {
            // The controls a person sets (a spin box's or combo's own line edit is named with it).
            const bool control = qobject_cast<QAbstractButton *>(w) || qobject_cast<QComboBox *>(w) ||
                                 qobject_cast<QAbstractSpinBox *>(w) || qobject_cast<QAbstractSlider *>(w) ||
                                 (qobject_cast<QLineEdit *>(w) && !qobject_cast<QAbstractSpinBox *>(w->parent()) &&
                                  !qobject_cast<QComboBox *>(w->parent()));
            if (!control || w->focusPolicy() == Qt::NoFocus)
                continue;
            QAccessibleInterface *a = QAccessible::queryAccessibleInterface(w);
            if (a && a->text(QAccessible::Name).trimmed().isEmpty())
                unnamed << QString::fromLatin1(w->metaObject()->className()) + QLatin1Char(' ') + w->toolTip();
        }
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QStringLiteral("; "))));
    }

    void panelComparesShownRuns()
    {
        RunModel runs;
        NetworkPanel panel;
        panel.resize(600, 700);
        panel.setRunModel(&runs);
        auto [sparseRecord, sparseWeights] = guitest::networkRun(true, 3);
        auto [denseRecord, denseWeights] = guitest::networkRun(false, 3);
        const int a = runs.addRun(sparseRecord, {}, true);
        runs.setSnapshot(a, sparseWeights);
        const int b = runs.addRun(denseRecord, {}, true);
        runs.setSnapshot(b, denseWeights);
        reglab::RunRecord older = guitest::finishedRun(0.001, 3); // no histograms, no weights, nameless layers
        const int c = runs.addRun(older, {}, false);
        QVERIFY(runs.color(a) != runs.color(b));

        HistogramView *h = panel.histograms();
        QCOMPARE(h->shownSeriesCount(), 2);
        const QList<QAbstractSeries *> drawn = h->chartView()->chart()->series();
        QCOMPARE(drawn.at(0)->name(), QStringLiteral("L1 0.01, L2 off"));
        QCOMPARE(drawn.at(1)->name(), QStringLiteral("L1 off, L2 0.01"));
        QCOMPARE(qobject_cast<QLineSeries *>(drawn.at(0))->pen().color(), runs.color(a));
        QCOMPARE(qobject_cast<QLineSeries *>(drawn.at(1))->pen().color(), runs.color(b));
        QCOMPARE(h->legend()->names(), (QStringList{QStringLiteral("L1 0.01, L2 off"), QStringLiteral("L1 off, L2 0.01")}));
        QCOMPARE(h->legend()->entries().at(1).color, runs.color(b));
        const auto &counts = sparseRecord.weightHistograms[0].counts;
        QCOMPARE(h->shownCounts(0), std::vector<double>(counts.begin(), counts.end()));
        QVERIFY(h->noteText().isEmpty());
        QCOMPARE(panel.sparsity()->overlayPoints(1, SparsityChart::L2Norm).size(), 3);

        runs.setShown(c, true);
        const QString olderName = legendNames(runs, runs.shownIds()).value(c).full;
        QVERIFY(!olderName.isEmpty());
        QVERIFY2(h->noteText().contains(olderName), qPrintable(h->noteText()));
        QCOMPARE(h->shownSeriesCount(), 2);
        QCOMPARE(panel.sparsity()->layerBox()->count(), 3); // fc1, fc2, fc3: no nameless layer offered

        // The weight images: each names its run as the legends do, in its colour.
        panel.weights()->showRuns(a, b);
        QCOMPARE(panel.tiles()->caption(), legendNames(runs, runs.shownIds()).value(a).full);
        QCOMPARE(panel.tiles()->captionColor(), runs.color(a));
        QCOMPARE(panel.weights()->secondTiles()->captionColor(), runs.color(b));
        QCOMPARE(panel.tiles()->unitWeights(1), std::vector<float>(sparseWeights->layers[0].weights.begin() + 784,
                                                                   sparseWeights->layers[0].weights.begin() + 2 * 784));
        panel.weights()->showRuns(a, c);
        QVERIFY(panel.weights()->secondTiles()->isEmpty());
        QVERIFY2(panel.weights()->secondTiles()->message().contains(QStringLiteral("No weights were saved")),
                 qPrintable(panel.weights()->secondTiles()->message()));
        QCOMPARE(panel.weights()->secondTiles()->caption(), olderName);
    }

    // The histogram and sparsity views at the sizes the sidebar gives them (narrow, short, wide), with two runs
    // compared and counts and norms in the hundred thousands: every tick label, title and legend entry whole, none
    // past its chart's edge ("0000" for 140000) nor shortened with an ellipsis.
    void tickLabelsAreWhole()
    {
        auto [sparseRecord, sparseWeights] = guitest::networkRun(true, 12);
        auto [denseRecord, denseWeights] = guitest::networkRun(false, 12);
        for (auto &e : denseRecord.epochs)
            e.layers[0].l1Norm *= 30; // norms from 5 to 360,000: a wide log axis
        HistogramView histograms;
        histograms.setHistograms(sparseWeights->histograms, 12);
        histograms.setOverlays({HistogramOverlay{QStringLiteral("L1 off, L2 0.01"), Qt::red, denseWeights->histograms,
                                                 QStringLiteral("L2 0.01")}});
        SparsityChart sparsity;
        // The live run under a configuration's long name, as a run alone is named.
        sparsity.setLiveLook(QStringLiteral("L1 0.01 (all) - L2 off - bs 50"), QStringLiteral("L1 0.01 (all)"), Qt::blue);
        sparsity.addSnapshot(*sparseWeights);
        for (const auto &e : sparseRecord.epochs)
            sparsity.addEpoch(e);
        sparsity.setOverlays({SparsityOverlay::fromRecord(denseRecord, QStringLiteral("L1 off, L2 0.01"),
                                                          QStringLiteral("L2 0.01"), Qt::red)});
        for (QWidget *view : {static_cast<QWidget *>(&histograms), static_cast<QWidget *>(&sparsity)}) {
            view->show();
            for (const QSize size : {QSize(240, 330), QSize(280, 420), QSize(340, 560), QSize(410, 620), QSize(600, 700),
                                     QSize(900, 500), QSize(1200, 340), QSize(250, 900)})
                for (bool log : {false, true}) {
                    view->resize(size);
                    histograms.setLogCounts(log);
                    QApplication::processEvents();
                    histograms.chartView()->redrawNow();
                    sparsity.shareView()->redrawNow();
                    sparsity.normView()->redrawNow();
                    for (int i = 0; i < 5; ++i) {
                        QApplication::processEvents();
                        QTest::qWait(10);
                    }
                    const QStringList past = guitest::textsPastTheEdge(view);
                    QVERIFY2(past.isEmpty(), qPrintable(QStringLiteral("%1x%2: ").arg(size.width()).arg(size.height()) +
                                                        past.join(QStringLiteral("; "))));
                    for (ChartBase *chart : view->findChildren<ChartBase *>())
                        for (QGraphicsItem *item : chart->scene()->items())
                            if (auto *text = dynamic_cast<QGraphicsTextItem *>(item); text && item->isVisible()) {
                                const QString t = text->toPlainText();
                                const bool ellipsis = t.contains(QChar(0x2026)) || t.contains(QStringLiteral("..."));
                                QVERIFY2(chart->legendFullName(t) != t || !ellipsis,
                                         qPrintable(QStringLiteral("%1x%2, %3 (%4): '%5' cut short").arg(size.width()).arg(size.height()).arg(chart->chartTitle()).arg(chart->size().width()).arg(t)));
                            }
                    // The weights' axis keeps more than its middle: "-0.2 0 0.2", not "0" alone (its ticks were
                    // fitted to a guessed label, "-0.0833", that it never draws).
                    if (view == &histograms)
                        if (auto *x = qobject_cast<QValueAxis *>(histograms.chartView()->chart()->axes(Qt::Horizontal).value(0))) {
                            const double first = std::ceil(x->min() / x->tickInterval() - 1e-9) * x->tickInterval();
                            const int ticks = int(std::floor((x->max() - first) / x->tickInterval() + 1e-9)) + 1;
                            QVERIFY2(ticks >= 3, qPrintable(QStringLiteral("%1x%2: %3 tick(s) on the weights' axis")
                                                                .arg(size.width()).arg(size.height()).arg(ticks)));
                        }
                }
            view->hide();
        }
    }

    void gradientPoints()
    {
        GradientChart chart;
        chart.resize(500, 400);
        for (int i = 1; i <= 5; ++i) {
            reglab::GradientBalance b;
            b.step = 60 * i;
            b.epoch = 1;
            b.layers = {{"fc1", 1e-3 / i, 0.01, 0.0}, {"fc2", 2e-3, 0.01, 1e-4}};
            chart.addBalance(b);
        }
        QCOMPARE(chart.layer(), QStringLiteral("fc1"));
        QCOMPARE(chart.points(QStringLiteral("fc1"), GradientChart::Data).size(), 5);
        QCOMPARE(chart.points(QStringLiteral("fc1"), GradientChart::Data)[2], QPointF(180, 1e-3 / 3));
        QCOMPARE(chart.shownPoints(GradientChart::L1).size(), 5);
        QCOMPARE(chart.shownPoints(GradientChart::L2).size(), 0); // 0 has no place on a log axis
        chart.setLayer(QStringLiteral("fc2"));
        QCOMPARE(chart.shownPoints(GradientChart::L2).size(), 5);
        QCOMPARE(chart.shownPoints(GradientChart::Data).first(), QPointF(60, 2e-3));
        chart.clear();
        QCOMPARE(chart.shownPoints(GradientChart::Data).size(), 0);
    }

    void confusionAndMistakes()
    {
        reglab::ValidationDetail d;
        d.epoch = 4;
        for (int t = 0; t < 10; ++t)
            d.confusion[std::size_t(t)][std::size_t(t)] = 90;
        d.confusion[3][5] = 10;
        d.confusion[7][1] = 30;
        reglab::ValidationDetail::Miss miss;
        miss.index = 42;
        miss.label = 3;
        miss.predicted = 5;
        miss.probabilities = {0.0f, 0.0f, 0.0f, 0.3f, 0.0f, 0.6f, 0.1f, 0.0f, 0.0f, 0.0f};
        miss.pixels.fill(200);
        d.misclassified = {miss, miss};
        d.misclassified[1].index = 43;
        d.misclassified[1].probabilities[5] = 0.55f;

        ConfusionView view;
        view.resize(460, 460);
        view.setClassNames({"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"});
        view.setDetail(d);
        QCOMPARE(view.count(3, 5), 10);
        QCOMPARE(view.count(7, 1), 30);
        QCOMPARE(view.count(7, 7), 90);
        QCOMPARE(view.share(3, 5), 0.1);
        QCOMPARE(view.share(7, 1), 0.25);
        QCOMPARE(view.share(0, 0), 1.0);
        QVERIFY(view.cellColor(7, 1).lightness() < view.cellColor(3, 5).lightness());
        QCOMPARE(view.cellColor(2, 4), QColor(Qt::white));
        const QImage shot = view.grab().toImage();
        const QRect cell = view.cellRect(7, 1);
        QCOMPARE(shot.pixelColor(cell.topLeft() + QPoint(2, 2)).rgb(), view.cellColor(7, 1).rgb());

        MissGallery gallery;
        gallery.resize(460, 500);
        gallery.setDetail(d);
        QCOMPARE(gallery.count(), 2);
        // Hidden (another tab is in front): the epoch's end makes no icons; showing the gallery does.
        QCOMPARE(gallery.findChild<QListWidget *>()->count(), 0);
        gallery.show();
        QCOMPARE(gallery.findChild<QListWidget *>()->count(), 2);
        gallery.setDetail(d); // shown: filled at once
        QCOMPARE(gallery.findChild<QListWidget *>()->count(), 2);
        gallery.hide();
        QCOMPARE(gallery.list()->count(), 2);
        QVERIFY(!gallery.bars()->hasProbabilities());
        gallery.select(1);
        QVERIFY(gallery.bars()->hasProbabilities());
        QCOMPARE(gallery.bars()->probabilities()[5], 0.55f);
        QVERIFY(gallery.caption().contains(QStringLiteral("43")));
    }

    void panelExports()
    {
        NetworkPanel panel;
        panel.resize(600, 600);
        panel.show();
        panel.onWeights(snapshot(1, {0.1f, 0.0f}));
        QTemporaryDir dir;
        for (int v = 0; v < NetworkPanel::ViewCount; ++v)
            for (const char *suffix : {".png", ".svg"}) {
                const QString path =
                    dir.filePath(NetworkPanel::fileName(NetworkPanel::View(v)) + QString::fromLatin1(suffix));
                QCOMPARE(panel.exportView(NetworkPanel::View(v), path), QString());
                QVERIFY2(QFileInfo(path).size() > 100, qPrintable(path));
            }
        QVERIFY(!panel.refreshButton()->isEnabled()); // nothing to refresh without a run
    }

    void shortRunFillsEveryView()
    {
        Dashboard d;
        TrainingController &c = *d.controller;
        guitest::Spy<reglab::WeightSnapshot> weights(&c);
        guitest::Spy<reglab::GradientBalance> balances(&c);
        guitest::Spy<reglab::ValidationDetail> details(&c);
        guitest::Spy<reglab::RunRecord> finished(&c);
        QDockWidget *dock = d.window->networkDock();
        QVERIFY(dock);
        QVERIFY(dock->windowTitle().contains(QStringLiteral("etwork"))); // "Network" when the docks are tabbed
        dock->raise();

        d.window->controls()->widget<QSpinBox>("epochs")->setValue(2);
        d.window->controls()->startAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!c.isRunning(), 60000);
        QVERIFY(weights.count() >= 2);
        QVERIFY(!balances.isEmpty());
        QVERIFY(details.count() >= 2);

        NetworkPanel *p = d.window->networkPanel();
        QVERIFY(!p->tiles()->isEmpty());
        const int columns = p->tiles()->columns();
        const int step = WeightTiles::kTileSide + WeightTiles::kGap;
        QCOMPARE(p->tiles()->image().size(), QSize(1 + columns * step, 1 + (200 + columns - 1) / columns * step));
        QVERIFY(p->tiles()->scale() > 0);
        QCOMPARE(p->histograms()->shownSeriesCount(), 1);
        double binned = 0;
        for (double v : p->histograms()->shownCounts(0))
            binned += v;
        QVERIFY(binned > 1000); // most of fc1's 156800 weights lie in [-0.25, 0.25)
        QVERIFY(p->sparsity()->sharePoints(QStringLiteral("fc1")).size() >= 2);
        QVERIFY(!p->sparsity()->normPoints(QStringLiteral("fc1"), true).isEmpty());
        QVERIFY(!p->gradients()->shownPoints(GradientChart::Data).isEmpty());
        std::int64_t total = 0;
        for (int t = 0; t < 10; ++t)
            for (int q = 0; q < 10; ++q)
                total += p->confusion()->count(t, q);
        QVERIFY(total > 0);
        QVERIFY(!p->confusion()->isEmpty());
        QVERIFY(p->mistakes()->count() > 0);

        // The finished run keeps its last histograms; the next run, compared with it, draws them as a compared run.
        const auto record = finished.last();
        QVERIFY(!record.weightHistograms.empty());
        guitest::Spy<reglab::RunInfo> started(&c);
        d.window->controls()->widget<QSpinBox>("epochs")->setValue(1000);
        d.window->runList()->keepShownBox()->setChecked(true);
        d.window->controls()->startAction()->trigger();
        QVERIFY(p->tiles()->isEmpty());                   // a new run clears the views
        QCOMPARE(p->histograms()->shownSeriesCount(), 1); // the first run, now an overlay
        QTRY_VERIFY_WITH_TIMEOUT(!started.isEmpty(), 60000);

        // Refresh while paused: the trainer sends its weights and stays paused.
        d.window->controls()->pauseAction()->trigger();
        QVERIFY(c.isPaused());
        QVERIFY(p->refreshButton()->isEnabled());
        QTest::qWait(200);
        const int before = weights.count();
        p->refreshButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(weights.count() > before, 60000);
        QVERIFY(c.isPaused());
        QTRY_VERIFY_WITH_TIMEOUT(!p->tiles()->isEmpty(), 2000);
        d.window->controls()->stopAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!c.isRunning(), 60000);
    }

    // A run kept in the library keeps its last weights beside its record: after a restart its network views look as
    // they did (the same weight images, its histograms, its sparsity); a run saved with Save and opened again too; a
    // record without weights, or with a damaged weights file, opens and its view says why. Remove takes the weights
    // with the record, and Undo brings both back.
    void reopenedRunsHaveNetworkViews()
    {
        const QString library = QString::fromStdString(reglab::runLibraryDir());
        QVERIFY(library.startsWith(m_dir.path()));
        QDir(library).removeRecursively();
        const QString saved = m_dir.filePath(QStringLiteral("saved.json"));
        reglab::WeightSnapshot last;
        {
            Dashboard d(true);
            guitest::Spy<reglab::WeightSnapshot> weights(d.controller.get());
            guitest::Spy<reglab::RunRecord> finished(d.controller.get());
            d.window->controls()->widget<QSpinBox>("epochs")->setValue(1);
            d.window->controls()->startAction()->trigger();
            QVERIFY(finished.wait(60000));
            QTRY_VERIFY_WITH_TIMEOUT(!d.controller->isRunning(), 60000);
            last = weights.last();
            QCOMPARE(QDir(library).entryList({QStringLiteral("*.json")}).size(), 1);
            QCOMPARE(QDir(library).entryList({QStringLiteral("*.weights")}).size(), 1);
            QVERIFY(d.window->saveRecordTo(saved)); // File > Save run record: the weights beside it too
            QVERIFY(QFileInfo::exists(m_dir.filePath(QStringLiteral("saved.weights"))));
        }
        const auto unit = [](const reglab::WeightSnapshot &s, int u) {
            const auto &w = s.layers.at(0).weights;
            return std::vector<float>(w.begin() + u * 784, w.begin() + (u + 1) * 784);
        };

        Dashboard again(true);
        RunModel *runs = again.window->runs();
        QCOMPARE(runs->count(), 1);
        const int id = runs->ids().first();
        QVERIFY(runs->hasSnapshot(id));
        runs->setShown(id, true);
        NetworkPanel *p = again.window->networkPanel();
        p->weights()->showRuns(id);
        QVERIFY(!p->tiles()->isEmpty());
        QCOMPARE(p->tiles()->epoch(), last.epoch);
        QCOMPARE(p->tiles()->unitWeights(7), unit(last, 7));
        QCOMPARE(p->tiles()->caption(), runs->name(id));
        QCOMPARE(p->tiles()->captionColor(), runs->color(id));
        QCOMPARE(p->histograms()->shownSeriesCount(), 1);
        QCOMPARE(p->histograms()->shownCounts(0)[50], double(last.histograms.at(0).counts[50]));
        QCOMPARE(p->sparsity()->overlayPoints(0, SparsityChart::Share).size(), 1);
        QVERIFY(!p->sparsity()->overlayPoints(0, SparsityChart::L2Norm).isEmpty());
        // At a threshold its record did not measure: from the weights kept beside it.
        p->sparsity()->setThreshold(1e-2);
        const auto &fc1 = last.layers.at(0).weights;
        const auto below = std::count_if(fc1.begin(), fc1.end(), [](float w) { return std::abs(w) < 1e-2f; });
        QCOMPARE(p->sparsity()->overlayPoints(0, SparsityChart::Share),
                 (QList<QPointF>{QPointF(1, 100.0 * double(below) / double(fc1.size()))}));

        // File > Open run: the weights beside a saved record come with it.
        QCOMPARE(again.window->runList()->openFiles({saved}), 1);
        const int opened = runs->ids().last();
        QVERIFY(runs->snapshot(opened));
        QCOMPARE(unit(*runs->snapshot(opened), 150), unit(last, 150));

        // An older record (no weights beside it) opens; its view says it has none.
        const QString older = m_dir.filePath(QStringLiteral("older.json"));
        QVERIFY(QFile::copy(saved, older));
        QCOMPARE(again.window->runList()->openFiles({older}), 1);
        const int olderId = runs->ids().last();
        QVERIFY(!runs->hasSnapshot(olderId));
        p->weights()->showRuns(olderId);
        QVERIFY(p->tiles()->isEmpty());
        QVERIFY2(p->tiles()->message().contains(QStringLiteral("No weights were saved")), qPrintable(p->tiles()->message()));

        // A damaged weights file: the record opens, the view says what is wrong with its weights, nothing crashes.
        const QString damaged = m_dir.filePath(QStringLiteral("damaged.json"));
        QVERIFY(QFile::copy(saved, damaged));
        {
            QFile bytes(m_dir.filePath(QStringLiteral("saved.weights")));
            QVERIFY(bytes.open(QIODevice::ReadOnly));
            QFile cut(m_dir.filePath(QStringLiteral("damaged.weights")));
            QVERIFY(cut.open(QIODevice::WriteOnly));
            cut.write(bytes.read(bytes.size() / 2));
        }
        QCOMPARE(again.window->runList()->openFiles({damaged}), 1);
        const int damagedId = runs->ids().last();
        runs->setShown(damagedId, true);
        p->weights()->showRuns(damagedId);
        QVERIFY(p->tiles()->isEmpty());
        QVERIFY2(p->tiles()->message().contains(QStringLiteral("cannot be read")) &&
                     p->tiles()->message().contains(QStringLiteral("truncated")),
                 qPrintable(p->tiles()->message()));
        QVERIFY(!runs->hasSnapshot(damagedId));

        // Remove takes the kept run's weights with its record; Undo brings both back.
        again.window->runList()->remove(id);
        QVERIFY(QDir(library).entryList({QStringLiteral("*.weights")}).isEmpty());
        QVERIFY(again.window->runList()->canUndoRemove());
        again.window->runList()->undoRemove();
        QCOMPARE(QDir(library).entryList({QStringLiteral("*.weights")}).size(), 1);
        QVERIFY(runs->hasSnapshot(runs->ids().last()));
    }

private:
    guitest::TestFolder m_dir;
};

QTEST_MAIN(TestNetwork)
#include "test_gui_network.moc"
