// "Inside the network": each view fed known values shows them (tile colours, histogram counts, confusion
// cells, sparsity shares, gradient points, the probabilities of a clicked miss), every view exports, and a short
// run on the bundled sample fills them all through the controller's queued signals.
#include "app/guiwiring.h"
#include "app/trainingcontroller.h"
#include "guitest.h"
#include "model/trainer.h"
#include "ui/charts/chartbase.h"

#include "ui/controls/controlpanel.h"
#include "ui/network/confusionview.h"
#include "ui/network/gradientchart.h"
#include "ui/network/histogramview.h"
#include "ui/network/networkpanel.h"
#include "ui/network/sparsitychart.h"
#include "ui/network/weighttiles.h"
#include "ui/runs/runlist.h"
#include "ui/window/mainwindow.h"

#include <QAction>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QFileInfo>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

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
    void initTestCase() { QVERIFY(m_dir.enter()); }

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
        QVERIFY(view.summaryText().contains(QStringLiteral("below: 3")));

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
        QCOMPARE(chart.shareView()->chart()->series().size(), 4); // fc1 and fc2, below the threshold and exactly 0
        QCOMPARE(chart.shareView()->chart()->series().at(1)->name(), QStringLiteral("fc1 exactly 0"));
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
        QCOMPARE(chart.normView()->chart()->series().size(), 4);
        // The legend says which line is which norm, whatever room the axis' title has.
        QStringList named;
        for (QAbstractSeries *series : chart.normView()->chart()->series())
            if (!series->property("reglabNoLegend").toBool())
                for (QLegendMarker *marker : chart.normView()->chart()->legend()->markers(series))
                    named << chart.normView()->legendFullName(marker->label());
        for (const char *name : {"fc1 L1", "fc1 L2", "fc2 L1", "fc2 L2"})
            QVERIFY2(named.contains(QLatin1String(name)), qPrintable(named.join(u'|')));
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

private:
    guitest::TestFolder m_dir;
};

QTEST_MAIN(TestNetwork)
#include "test_gui_network.moc"
