// Comparison figures and charts a person can question: one colour per run from a colour-blind-safe palette (never
// a reference line's), the live run named in legends and CSV, one series per run when runs are compared and the
// live run's loss parts only when it is alone, a preset starting clean, unique names, a configuration that says
// what changed, a reopened run's change markers, zoom/pan/reset, hover values, the right-click menu, smoothing
// and the small multiples.
#include "guitest.h"

#include "model/runrecord.h"
#include "ui/charts/accuracychart.h"
#include "ui/charts/chartbase.h"
#include "ui/charts/figureexport.h"
#include "ui/charts/losschart.h"
#include "ui/charts/palette.h"
#include "ui/charts/smoothing.h"
#include "ui/figures/smallmultiples.h"
#include "ui/live/liveview.h"
#include "ui/runs/runmodel.h"

#include <QAction>
#include <QApplication>
#include <QChart>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMenu>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QTest>
#include <QWheelEvent>

#include <cmath>
#include <memory>

using reglab::ui::AccuracyChart;
using reglab::ui::ChartBase;
using reglab::ui::LiveView;
using reglab::ui::LossChart;
using reglab::ui::RunModel;

namespace {

using guitest::finishedRun;

// Where `point` of `series` is drawn, in the view's coordinates.
QPointF viewPosition(ChartBase &chart, const QPointF &point, QLineSeries *series)
{
    return chart.mapFromScene(chart.chart()->mapToScene(chart.chart()->mapToPosition(point, series)));
}

QLineSeries *seriesWithLongName(ChartBase &chart, const QString &name)
{
    for (QAbstractSeries *s : chart.chart()->series())
        if (s->property("reglabLongName").toString() == name || s->name() == name)
            return qobject_cast<QLineSeries *>(s);
    return nullptr;
}

void addSteps(LossChart &chart, const QList<double> &values)
{
    reglab::StepRecord r;
    for (int i = 0; i < values.size(); ++i) {
        r.step = i + 1;
        r.dataLoss = r.loss = values[i];
        chart.addStep(r);
    }
    chart.flush();
}

void showAt(QWidget &w, int width, int height)
{
    w.resize(width, height);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    for (int i = 0; i < 3; ++i)
        QTest::qWait(20);
}

void wheel(QWidget *viewport, const QPointF &pos, int delta)
{
    QWheelEvent event(pos, viewport->mapToGlobal(pos), QPoint(), QPoint(0, delta), Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(viewport, &event);
}

void mouse(QWidget *viewport, QEvent::Type type, const QPointF &pos, Qt::MouseButton button, Qt::MouseButtons buttons)
{
    QMouseEvent event(type, pos, viewport->mapToGlobal(pos), button, buttons, Qt::NoModifier);
    QApplication::sendEvent(viewport, &event);
}

} // namespace

class TestCompare2 : public QObject {
    Q_OBJECT
    guitest::TestFolder m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.enter()); }

    void shownRunsGetDistinctPaletteColours()
    {
        RunModel runs;
        QList<int> ids;
        for (int i = 0; i < 8; ++i)
            ids << runs.addRun(finishedRun(0.001 * (i + 1)), QStringLiteral("run %1").arg(i), true);
        QSet<QRgb> colours;
        for (int id : ids) {
            const QColor c = runs.color(id);
            QVERIFY2(reglab::ui::runPalette().contains(c), qPrintable(c.name()));
            QVERIFY2(!reglab::ui::referenceColors().contains(c), qPrintable(c.name()));
            QVERIFY(c != reglab::ui::colors::chance && c != reglab::ui::colors::marker);
            colours.insert(c.rgb());
        }
        QCOMPARE(colours.size(), 8);
        // A hidden run keeps its colour: the next run takes one not used yet, and shown again, it wears its own.
        const QColor kept = runs.color(ids[2]);
        runs.setShown(ids[2], false);
        const int next = runs.addRun(finishedRun(0.5), QStringLiteral("next"), true);
        QVERIFY(runs.color(next) != kept);
        runs.setShown(ids[2], true);
        QCOMPARE(runs.color(ids[2]), kept);
        QSet<QRgb> shown;
        for (int id : runs.shownIds())
            shown.insert(runs.color(id).rgb());
        QCOMPARE(shown.size(), runs.shownIds().size());
    }

    void namesAreUniqueAndConfigurationSaysWhatChanged()
    {
        RunModel runs;
        const QString name = QStringLiteral("L1 0.01 (all) - L2 off - bs 50");
        const int a = runs.addRun(finishedRun(0.01), name);
        const int b = runs.addRun(finishedRun(0.01), name);
        const int c = runs.addRun(finishedRun(0.01), name);
        QCOMPARE(runs.name(a), name);
        QCOMPARE(runs.name(b), name + QStringLiteral(" (2)"));
        QCOMPARE(runs.name(c), name + QStringLiteral(" (3)"));
        runs.setName(c, name); // renamed to a name taken: made unique again
        QCOMPARE(runs.name(c), name + QStringLiteral(" (3)"));

        reglab::RunRecord r = finishedRun(0.01, 10);
        reglab::SettingChange change;
        change.step = 800;
        change.key = "l1";
        change.value = "0.001";
        r.settingChanges.push_back(change);
        const int d = runs.addRun(r, QStringLiteral("changed"));
        const QString config = runs.data(runs.index(runs.rowOf(d), RunModel::ConfigColumn)).toString();
        QVERIFY2(config.contains(QStringLiteral("10 epochs")), qPrintable(config));
        QVERIFY2(config.contains(QStringLiteral("L1\u21920.001 at step 800")), qPrintable(config));
    }

    void aRunAloneNamesItsSeriesWithoutTheRun()
    {
        RunModel runs;
        LiveView view(&runs);
        showAt(view, 1700, 1000);
        runs.addRun({}, QStringLiteral("my run"), true, true);
        reglab::EpochRecord e;
        e.epoch = 1;
        e.valAccuracy = 0.8;
        e.testAccuracy = 0.7;
        view.onEpoch(e);
        view.flush();
        QVERIFY(!view.comparing());
        AccuracyChart *accuracy = view.accuracyChart();
        // A run alone: its series are named by what they are, without the run's name before each (which pushed
        // the legend to the side at 1024x768); the runs list and the headline say the run.
        QCOMPARE(accuracy->trackName(AccuracyChart::Validation), QStringLiteral("Validation"));
        QCOMPARE(accuracy->trackName(AccuracyChart::Test), QStringLiteral("Test"));
        QCOMPARE(view.lossChart()->partName(LossChart::Data), QStringLiteral("Data loss (cross-entropy)"));
        const QString csv = reglab::ui::chartCsv(accuracy->chart());
        QVERIFY2(csv.contains(QStringLiteral("\nTest,1,70\n")), qPrintable(csv));
    }

    void comparedRunsShowOneSeriesEachAndPartsOnlyAlone()
    {
        RunModel runs;
        LiveView view(&runs);
        showAt(view, 1700, 1000);
        const int other = runs.addRun(finishedRun(0.001), QStringLiteral("other"), false);
        const int live = runs.addRun({}, QStringLiteral("live one"), true, true);
        LossChart *loss = view.lossChart();
        AccuracyChart *accuracy = view.accuracyChart();
        // Alone: its four loss parts and both accuracies.
        for (auto part : {LossChart::Data, LossChart::L1, LossChart::L2, LossChart::Total})
            QVERIFY(loss->partShown(part));
        QVERIFY(accuracy->trackShown(AccuracyChart::Validation) && accuracy->trackShown(AccuracyChart::Test));
        QCOMPARE(loss->overlayCount(), 0);

        runs.setShown(other, true);
        QVERIFY(view.comparing());
        // One series per run, in the run's colour and under its name: the total loss and the test accuracy.
        for (auto part : {LossChart::Data, LossChart::L1, LossChart::L2})
            QVERIFY(!loss->partShown(part));
        QVERIFY(loss->partShown(LossChart::Total));
        QCOMPARE(loss->partName(LossChart::Total), QStringLiteral("live one"));
        QCOMPARE(loss->partColor(LossChart::Total), runs.color(live));
        QCOMPARE(loss->overlayLabels(), QStringList{QStringLiteral("other")});
        QCOMPARE(loss->overlayPoints(0).size(), 60);
        QCOMPARE(loss->overlayPoints(0).first().y(), runs.record(other)->steps.front().loss);
        QVERIFY(accuracy->trackShown(AccuracyChart::Test) && !accuracy->trackShown(AccuracyChart::Validation));
        QCOMPARE(accuracy->trackColor(AccuracyChart::Test), runs.color(live));
        QCOMPARE(accuracy->overlayPoints(0).last().y(), 100 * runs.record(other)->epochs.back().testAccuracy);
        QVERIFY(runs.color(live) != runs.color(other));

        // The choice, made in one place, applies to every chart: data loss and validation accuracy.
        view.lossMetricBox()->setCurrentIndex(1);
        view.accuracyMetricBox()->setCurrentIndex(1);
        QVERIFY(loss->partShown(LossChart::Data) && !loss->partShown(LossChart::Total));
        QCOMPARE(loss->overlayPoints(0).first().y(), runs.record(other)->steps.front().dataLoss);
        QVERIFY(accuracy->trackShown(AccuracyChart::Validation) && !accuracy->trackShown(AccuracyChart::Test));
        QCOMPARE(accuracy->overlayPoints(0).last().y(), 100 * runs.record(other)->epochs.back().valAccuracy);

        // The live run unticked: only the other run's series.
        runs.setShown(other, false);
        QVERIFY(!view.comparing());
        QVERIFY(loss->partShown(LossChart::L1));
        QCOMPARE(loss->partColor(LossChart::Data), reglab::ui::colors::dataLoss);
    }

    void comparedLegendsAreNeverCut()
    {
        RunModel runs;
        LiveView view(&runs);
        showAt(view, 360, 700); // too narrow for the whole configuration label beside or below the plot
        runs.addRun(finishedRun(0.01), QStringLiteral("r1"), true);
        runs.addRun(finishedRun(0.001), QStringLiteral("r2"), true);
        runs.addRun({}, QStringLiteral("L1 0.0001 (all) - L2 off - bs 50"), true, true);
        for (int i = 0; i < 5; ++i)
            QTest::qWait(20);
        // A narrow chart: the runs' short names (a configuration label's first part), no chance entry, nothing cut.
        const QStringList expected{QStringLiteral("L1 0.0001 (all)"), QStringLiteral("r1"), QStringLiteral("r2")};
        for (ChartBase *chart :
             {static_cast<ChartBase *>(view.lossChart()), static_cast<ChartBase *>(view.accuracyChart())}) {
            QStringList labels;
            for (QLegendMarker *m : chart->chart()->legend()->markers())
                if (m->isVisible())
                    labels << m->label();
            QVERIFY(chart->chart()->legend()->isVisible());
            QCOMPARE(labels, expected);
        }
    }

    void aPresetStartsClean()
    {
        guitest::Dashboard d;
        RunModel *runs = d.window->runs();
        const int a = runs->addRun(finishedRun(0.01), QStringLiteral("earlier a"), true);
        const int b = runs->addRun(finishedRun(0.001), QStringLiteral("earlier b"), true);
        QCOMPARE(runs->shownIds().size(), 2);
        d.window->onQueuedRunStarting(1, 2, QStringLiteral("No regularization"), d.controls()->config());
        QVERIFY(!runs->isShown(a) && !runs->isShown(b));
        QCOMPARE(runs->shownIds(), QList<int>{runs->liveId()});
        QCOMPARE(d.window->liveView()->lossChart()->overlayCount(), 0);
        // The preset's second run keeps its first to compare with.
        const int first = runs->liveId();
        d.window->onQueuedRunStarting(2, 2, QStringLiteral("L1 0.01"), d.controls()->config());
        QVERIFY(runs->isShown(first));
        QCOMPARE(d.window->liveView()->lossChart()->overlayLabels(), QStringList{QStringLiteral("No regularization")});
    }

    // A plain Start shows the new run alone (earlier runs stay listed, unticked, and the status line says how to
    // keep them); "Compare new runs with the shown runs" keeps the runs ticked now; the choice is remembered.
    void aStartShowsTheNewRunAloneUnlessAsked()
    {
        guitest::Dashboard d;
        RunModel *runs = d.window->runs();
        reglab::ui::RunList *list = d.window->runList();
        const int a = runs->addRun(finishedRun(0.01), QStringLiteral("earlier a"), true);
        const int b = runs->addRun(finishedRun(0.001), QStringLiteral("earlier b"), true);
        QSignalSpy notes(list, &reglab::ui::RunList::message);
        QVERIFY(!list->keepShownBox()->isChecked());
        d.controls()->widget<QSpinBox>("epochs")->setValue(1);
        guitest::Spy<reglab::RunRecord> finished(d.controller.get());
        d.controls()->startAction()->trigger();
        QCOMPARE(runs->count(), 3);
        QCOMPARE(runs->shownIds(), QList<int>{runs->liveId()});
        QCOMPARE(d.window->liveView()->lossChart()->overlayCount(), 0);
        QVERIFY(!d.window->liveView()->comparing());
        QCOMPARE(notes.count(), 1);
        QVERIFY(notes.last().first().toString().contains(list->keepShownBox()->text()));
        QVERIFY(finished.wait(60000));
        QTRY_VERIFY_WITH_TIMEOUT(!d.controller->isRunning(), 60000);

        list->keepShownBox()->setChecked(true);
        runs->setShown(a, true);
        const int first = runs->liveId();
        d.controls()->startAction()->trigger();
        QCOMPARE(runs->shownIds(), (QList<int>{a, first, runs->liveId()}));
        QCOMPARE(d.window->liveView()->lossChart()->overlayCount(), 2);
        QVERIFY(!runs->isShown(b));
        QCOMPARE(notes.count(), 1);
        QVERIFY(finished.wait(60000));
        QTRY_VERIFY_WITH_TIMEOUT(!d.controller->isRunning(), 60000);
        // A preset is a new comparison whatever the box says.
        d.window->onQueuedRunStarting(1, 2, QStringLiteral("No regularization"), d.controls()->config());
        QCOMPARE(runs->shownIds(), QList<int>{runs->liveId()});

        QSettings settings(m_dir.filePath(QStringLiteral("keep.ini")), QSettings::IniFormat);
        list->saveSettings(settings);
        RunModel otherRuns;
        reglab::ui::RunList other(&otherRuns);
        QVERIFY(!other.keepShownBox()->isChecked());
        other.loadSettings(settings);
        QVERIFY(other.keepShownBox()->isChecked());
    }

    void aReopenedRunShowsItsChangeMarkers()
    {
        reglab::RunRecord r = finishedRun(0.01, 4, 20);
        reglab::SettingChange change;
        change.step = 41; // the first step of epoch 3
        change.key = "l1";
        change.value = "0.001";
        r.settingChanges.push_back(change);
        const QString file = m_dir.filePath(QStringLiteral("changed.json"));
        QVERIFY(reglab::writeFileAtomically(file.toStdString(), reglab::toJson(r)).empty());

        guitest::Dashboard d;
        QCOMPARE(d.window->runList()->openFiles({file}), 1);
        LossChart *loss = d.window->liveView()->lossChart();
        AccuracyChart *accuracy = d.window->liveView()->accuracyChart();
        QCOMPARE(loss->markerLabels(), QStringList{QStringLiteral("L1=0.001")});
        QCOMPARE(loss->markerPositions(), QList<double>{41});
        QCOMPARE(accuracy->markerLabels(), QStringList{QStringLiteral("L1=0.001")});
        QCOMPARE(accuracy->markerPositions(), QList<double>{2}); // after 40 steps: two epochs
        // Unticked, its markers go with it.
        d.window->runs()->setShown(d.window->runs()->ids().first(), false);
        QCOMPARE(loss->markerCount(), 0);
    }

    void wheelZoomsDragPansDoubleClickResets()
    {
        LossChart chart;
        QList<double> values;
        for (int i = 0; i < 100; ++i)
            values << 2.0 / std::sqrt(i + 1.0);
        chart.setTotalSteps(100);
        addSteps(chart, values);
        showAt(chart, 900, 600);
        const auto x0 = chart.xRange(), y0 = chart.yRange();
        QWidget *viewport = chart.viewport();
        const QPointF centre = chart.mapFromScene(chart.chart()->mapToScene(chart.chart()->plotArea().center()));

        wheel(viewport, centre, 120); // in
        const auto x1 = chart.xRange(), y1 = chart.yRange();
        QVERIFY(chart.userView());
        QVERIFY(x1.second - x1.first < 0.9 * (x0.second - x0.first));
        QVERIFY(y1.second - y1.first < 0.9 * (y0.second - y0.first));
        QVERIFY(x1.first > x0.first && x1.second < x0.second); // about the cursor

        // New points keep the person's view.
        chart.addStep({101, 1, 0.1, 0.1});
        chart.flush();
        QCOMPARE(chart.xRange(), x1);

        // A drag to the right shows what lies left.
        mouse(viewport, QEvent::MouseButtonPress, centre, Qt::LeftButton, Qt::LeftButton);
        mouse(viewport, QEvent::MouseMove, centre + QPointF(80, 0), Qt::NoButton, Qt::LeftButton);
        mouse(viewport, QEvent::MouseButtonRelease, centre + QPointF(80, 0), Qt::LeftButton, Qt::NoButton);
        const auto x2 = chart.xRange();
        QVERIFY(x2.first < x1.first && x2.second < x1.second);
        QVERIFY(std::abs((x2.second - x2.first) - (x1.second - x1.first)) < 1e-6);

        mouse(viewport, QEvent::MouseButtonDblClick, centre, Qt::LeftButton, Qt::LeftButton);
        QVERIFY(!chart.userView());
        QCOMPARE(chart.xRange(), x0);
        QCOMPARE(chart.yRange(), y0);
    }

    // After a zoom, a pan and a double-click the accuracy axis is whole again (0 to 100 %); Reset view is
    // offered while zoomed; View > Reset chart views brings both charts home, and a new run starts there.
    void viewsComeHome()
    {
        RunModel runs;
        LiveView view(&runs);
        AccuracyChart *accuracy = view.accuracyChart();
        accuracy->setEpochs(10);
        for (const reglab::EpochRecord &e : finishedRun(0.0, 3).epochs)
            accuracy->addEpoch(e);
        showAt(view, 900, 800);
        accuracy->flush();
        const auto home = std::make_pair(0.0, 100.0);
        const auto x0 = accuracy->xRange();
        QCOMPARE(accuracy->yRange(), home);
        QWidget *viewport = accuracy->viewport();
        const QPointF centre =
            accuracy->mapFromScene(accuracy->chart()->mapToScene(accuracy->chart()->plotArea().center()));
        wheel(viewport, centre + QPointF(0, -40), 360);
        mouse(viewport, QEvent::MouseButtonPress, centre, Qt::LeftButton, Qt::LeftButton);
        mouse(viewport, QEvent::MouseMove, centre + QPointF(30, 60), Qt::NoButton, Qt::LeftButton);
        mouse(viewport, QEvent::MouseButtonRelease, centre + QPointF(30, 60), Qt::LeftButton, Qt::NoButton);
        QVERIFY(accuracy->yRange() != home);
        const auto resetOffered = [](ChartBase *chart) {
            std::unique_ptr<QMenu> menu(chart->contextMenu());
            for (QAction *a : menu->actions())
                if (a->text() == QStringLiteral("Reset view"))
                    return a->isEnabled();
            return false;
        };
        QVERIFY(resetOffered(accuracy));
        mouse(viewport, QEvent::MouseButtonDblClick, centre, Qt::LeftButton, Qt::LeftButton);
        QVERIFY(!accuracy->userView());
        QVERIFY(!resetOffered(accuracy));
        QCOMPARE(accuracy->yRange(), home);
        QCOMPARE(accuracy->xRange(), x0);

        // Both charts zoomed: one reset brings both home.
        LossChart *loss = view.lossChart();
        QList<double> values;
        for (int i = 0; i < 60; ++i)
            values << 2.0 / std::sqrt(i + 1.0);
        loss->setTotalSteps(60);
        addSteps(*loss, values);
        loss->flush();
        const auto lossX = loss->xRange(), lossY = loss->yRange();
        wheel(loss->viewport(), loss->mapFromScene(loss->chart()->mapToScene(loss->chart()->plotArea().center())), 240);
        wheel(viewport, centre, 240);
        QVERIFY(loss->userView() && accuracy->userView());
        view.resetViews();
        QVERIFY(!loss->userView() && !accuracy->userView());
        QCOMPARE(loss->xRange(), lossX);
        QCOMPARE(loss->yRange(), lossY);
        QCOMPARE(accuracy->yRange(), home);

        // A zoom into the last run does not carry over to the next.
        wheel(viewport, centre, 240);
        QVERIFY(accuracy->userView());
        view.beginRun(reglab::TrainConfig{}, QStringLiteral("MNIST sample"));
        QVERIFY(!accuracy->userView() && !loss->userView());
        QCOMPARE(accuracy->yRange(), home);
    }

    void hoverNamesTheSeriesAndValue()
    {
        LossChart chart;
        addSteps(chart, {2.0, 1.5, 1.25, 1.0, 0.875});
        showAt(chart, 900, 600);
        QLineSeries *data = seriesWithLongName(chart, QStringLiteral("Data loss (cross-entropy)"));
        QVERIFY(data);
        const QPointF at = viewPosition(chart, QPointF(3, 1.25), data);
        QMouseEvent move(QEvent::MouseMove, at, chart.viewport()->mapToGlobal(at), Qt::NoButton, Qt::NoButton,
                         Qt::NoModifier);
        QApplication::sendEvent(chart.viewport(), &move);
        const QString text = chart.hoverText();
        // Data loss and total coincide here: either names itself with the value under the cursor.
        QVERIFY2(text.contains(QStringLiteral("1.25 at 3")), qPrintable(text));
        QVERIFY2(text.startsWith(QStringLiteral("Data loss")) || text.startsWith(QStringLiteral("Total")),
                 qPrintable(text));
        QVERIFY(chart.hoverTextAt(QPointF(2, 2)).isEmpty()); // outside the plot

        // A compared run names itself too.
        chart.setOverlays({{QStringLiteral("compared run"), QColor(Qt::red), {{1, 0.3}, {2, 0.25}, {3, 0.2}}}});
        chart.flush();
        QLineSeries *overlay = seriesWithLongName(chart, QStringLiteral("compared run"));
        QVERIFY(overlay);
        const QString onOverlay = chart.hoverTextAt(viewPosition(chart, QPointF(2, 0.25), overlay));
        QVERIFY2(onOverlay.startsWith(QStringLiteral("compared run: 0.25 at 2")), qPrintable(onOverlay));

        // On a log axis the wheel zooms in log space and the range stays positive.
        chart.setLogScale(true);
        const auto before = chart.yRange();
        const QPointF centre = chart.mapFromScene(chart.chart()->mapToScene(chart.chart()->plotArea().center()));
        wheel(chart.viewport(), centre, 240);
        const auto after = chart.yRange();
        QVERIFY(after.first > before.first && after.second < before.second && after.first > 0);
        QVERIFY(std::abs(std::log10(after.second / after.first) - 0.64 * std::log10(before.second / before.first)) <
                1e-6);
    }

    void rightClickMenuOffersExportCopyLogScaleAndReset()
    {
        RunModel runs;
        LiveView view(&runs);
        std::unique_ptr<QMenu> menu(view.lossChart()->contextMenu());
        QStringList texts;
        QAction *log = nullptr;
        for (QAction *a : menu->actions()) {
            texts << a->text();
            if (a->text() == QStringLiteral("Log scale"))
                log = a;
        }
        QVERIFY2(texts.contains(QStringLiteral("Export figure\u2026")), qPrintable(texts.join(QLatin1Char('|'))));
        QVERIFY(texts.contains(QStringLiteral("Copy image")));
        QVERIFY(texts.contains(QStringLiteral("Reset view")));
        QVERIFY(log);
        log->trigger();
        QVERIFY(view.logScaleBox()->isChecked());
        QVERIFY(view.lossChart()->logScale());
        // The accuracy chart has no log scale.
        std::unique_ptr<QMenu> other(view.accuracyChart()->contextMenu());
        for (QAction *a : other->actions())
            QVERIFY(a->text() != QStringLiteral("Log scale"));
        // Export goes to whoever listens.
        QSignalSpy exports(view.accuracyChart(), &ChartBase::exportRequested);
        other->actions().first()->trigger();
        QCOMPARE(exports.count(), 1);
    }

    void smoothingIsTensorBoardsEma()
    {
        // w = 0.5 on 1, 2, 3: debiased, 1, 5/3, 17/7.
        reglab::ui::Ema ema(0.5);
        QCOMPARE(ema.add(1), 1.0);
        QVERIFY(std::abs(ema.add(2) - 5.0 / 3) < 1e-12);
        QVERIFY(std::abs(ema.add(3) - 17.0 / 7) < 1e-12);
        const QList<QPointF> none = reglab::ui::smoothed({{1, 4}, {2, 8}}, 0);
        QCOMPARE(none, (QList<QPointF>{{1, 4}, {2, 8}}));

        LossChart chart;
        addSteps(chart, {1, 2, 3});
        QVERIFY(!chart.rawShown(LossChart::Data));
        QCOMPARE(chart.lastRawPoint(LossChart::Data), QPointF()); // hidden: empty, so exports take what is shown
        chart.setSmoothing(0.5);
        QVERIFY(std::abs(chart.lastPoint(LossChart::Data).y() - 17.0 / 7) < 1e-12);
        QCOMPARE(chart.lastRawPoint(LossChart::Data).y(), 3.0); // the raw curve, faint beneath
        QVERIFY(chart.rawShown(LossChart::Data));
        addSteps(chart, {1, 2, 3, 4}); // steps 1-4 again: the average goes on where it was
        reglab::ui::Ema expected(0.5);
        double last = 0;
        for (double v : {1, 2, 3, 1, 2, 3, 4})
            last = expected.add(v);
        QVERIFY(std::abs(chart.lastPoint(LossChart::Data).y() - last) < 1e-12);
        chart.setSmoothing(0);
        QCOMPARE(chart.lastPoint(LossChart::Data).y(), 4.0);
        QVERIFY(!chart.rawShown(LossChart::Data));
    }

    void smallMultiplesShowEveryShownRun()
    {
        RunModel runs;
        runs.addRun(finishedRun(0.01), QStringLiteral("strong"), true);
        runs.addRun(finishedRun(0.001), QStringLiteral("weak"), true);
        runs.addRun(finishedRun(0), QStringLiteral("hidden"), false);
        const QList<reglab::ui::PlotRun> shown = reglab::ui::shownPlotRuns(runs);
        QCOMPARE(shown.size(), 2);
        QCOMPARE(shown[1].color, runs.color(runs.ids()[1]));
        const QImage image = reglab::ui::renderSmallMultiples(shown, QSize(1200, 800), 2);
        QCOMPARE(image.size(), QSize(2400, 1600));
        // For a person to look at, beside the screens test's pictures.
        QDir().mkpath(QStringLiteral(QT_TESTCASE_BUILDDIR "/screens"));
        QVERIFY(image.save(QStringLiteral(QT_TESTCASE_BUILDDIR "/screens/small-multiples.png")));
        // Both runs' colours are drawn in each quarter (loss, validation, test, sparsity).
        for (int quarter = 0; quarter < 4; ++quarter) {
            const QRect cell((quarter % 2) * 1200, (quarter / 2) * 800, 1200, 800);
            for (const auto &run : shown) {
                bool found = false;
                for (int y = cell.top(); y <= cell.bottom() && !found; y += 1)
                    for (int x = cell.left(); x <= cell.right() && !found; x += 1)
                        found = image.pixelColor(x, y).rgb() == run.color.rgb();
                QVERIFY2(found, qPrintable(QStringLiteral("%1 in panel %2").arg(run.label).arg(quarter)));
            }
        }
    }
};

QTEST_MAIN(TestCompare2)
#include "test_gui_compare2.moc"
