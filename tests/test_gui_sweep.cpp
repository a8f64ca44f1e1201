// The sweep view: a folder of records becomes a regularization path that follows the folder as records land,
// offers the settings that differ, and opens a point's runs when it is clicked.
#include "guitest.h"

#include "app/plotcommand.h"
#include "ui/charts/figureexport.h"
#include "model/runrecord.h"
#include "ui/runs/runlist.h"
#include "ui/runs/runmodel.h"
#include "ui/sweeps/sweepview.h"

#include <QApplication>
#include <QAbstractAxis>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDir>
#include <QLineSeries>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using reglab::ui::SweepView;

namespace {

void writeRecord(const QString &dir, const QString &name, double l1, double l2, std::uint64_t seed, double accuracy)
{
    reglab::RunRecord r;
    r.config.l1 = l1;
    r.config.l2 = l2;
    r.config.seed = seed;
    r.status = reglab::RunStatus::Finished;
    reglab::EpochRecord e;
    e.epoch = 1;
    e.testAccuracy = e.valAccuracy = accuracy;
    e.layers.push_back({"fc1", 0.5, 1, 1, 0});
    r.epochs.push_back(e);
    const std::string error = reglab::writeFileAtomically(QDir(dir).filePath(name).toStdString(), reglab::toJson(r));
    QVERIFY2(error.empty(), error.c_str());
}

QLineSeries *meanOf(QChart *chart, const QString &name)
{
    for (QAbstractSeries *s : chart->series())
        if (s->name() == name && s->property("reglabCurve").isValid())
            return qobject_cast<QLineSeries *>(s);
    return nullptr;
}

} // namespace

class TestSweepView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void folderBecomesAPathAndFollowsIt()
    {
        QTemporaryDir dir;
        writeRecord(dir.path(), QStringLiteral("0000-l1_0.001-seed_0.json"), 0.001, 0, 0, 0.90);
        writeRecord(dir.path(), QStringLiteral("0001-l1_0.001-seed_1.json"), 0.001, 0, 1, 0.92);
        writeRecord(dir.path(), QStringLiteral("0002-l1_0.01-seed_0.json"), 0.01, 0, 0, 0.11);
        writeRecord(dir.path(), QStringLiteral("0003-l2_0.01-seed_0.json"), 0, 0.01, 0, 0.95);
        SweepView view;
        view.resize(900, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setFolder(dir.path());
        QCOMPARE(view.recordCount(), 4);
        QCOMPARE(view.xBox()->currentData().toString(), QStringLiteral("l1,l2")); // both vary: one axis
        QCOMPARE(view.metricBox()->currentData().toString(), QStringLiteral("test_accuracy"));
        QLineSeries *l1 = meanOf(view.chartView()->chart(), QStringLiteral("L1"));
        QVERIFY(l1);
        QCOMPARE(l1->count(), 2);
        QCOMPARE(l1->at(0), QPointF(0.001, 91.0)); // the mean of the two seeds, in %
        QVERIFY(meanOf(view.chartView()->chart(), QStringLiteral("L2")));
        QVERIFY2(view.summary().contains(QStringLiteral("4 run record(s)")), qPrintable(view.summary()));

        // A click on L1's first point asks for its two seeds' records.
        QCoreApplication::processEvents();
        QChart *chart = view.chartView()->chart();
        const QPoint at = view.chartView()->mapFromScene(chart->mapToScene(chart->mapToPosition(l1->at(0), l1)));
        QCOMPARE(view.runsAt(at).size(), 2);
        QSignalSpy open(&view, &SweepView::openRuns);
        QTest::mouseClick(view.chartView()->viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(open.count(), 1);
        QVERIFY(open.first().first().toStringList().first().endsWith(QStringLiteral("seed_0.json")));
        QVERIFY(view.runsAt(QPoint(2, 2)).isEmpty());

        // A record landing (a sweep still running) is drawn without asking; a damaged one is named.
        writeRecord(dir.path(), QStringLiteral("0004-l2_0.1-seed_0.json"), 0, 0.1, 0, 0.80);
        QTRY_COMPARE_WITH_TIMEOUT(view.recordCount(), 5, 10000);
        QCOMPARE(meanOf(view.chartView()->chart(), QStringLiteral("L2"))->count(), 2);
        QFile damaged(dir.filePath(QStringLiteral("0005-broken.json")));
        QVERIFY(damaged.open(QIODevice::WriteOnly));
        damaged.write("{\"config\": ");
        damaged.close();
        QTRY_VERIFY_WITH_TIMEOUT(view.summary().contains(QStringLiteral("could not be read")), 10000);
        QCOMPARE(view.recordCount(), 5);

        // Another metric and curves by a setting's value.
        view.metricBox()->setCurrentIndex(view.metricBox()->findData(QStringLiteral("small_fraction")));
        QCOMPARE(meanOf(view.chartView()->chart(), QStringLiteral("L1"))->at(0).y(), 50.0);
        view.xBox()->setCurrentIndex(view.xBox()->findData(QStringLiteral("l1")));
        view.groupBox()->setCurrentIndex(view.groupBox()->findData(QStringLiteral("seed")));
        QVERIFY(view.groupBox()->findData(QStringLiteral("seed")) < 0); // seeds are averaged, not curves
        // The curves are offered by the settings' labels in the window, not their keys.
        QCOMPARE(view.groupBox()->itemText(view.groupBox()->findData(QStringLiteral("l2"))),
                 QStringLiteral("L2 strength λ₂"));
        for (int i = 1; i < view.groupBox()->count(); ++i)
            QVERIFY2(view.groupBox()->itemText(i) != view.groupBox()->itemData(i).toString(),
                     qPrintable(view.groupBox()->itemText(i)));
    }

    // The path names its metric as the window's charts do ("Test accuracy", not "test_accuracy"), and a log axis
    // over 1e-4..1e-1 keeps every decade's tick (its first, 1e-4, was lost to rounding).
    void pathNamesItsMetricAndKeepsEveryDecade()
    {
        QTemporaryDir dir;
        int i = 0;
        for (double l1 : {1e-4, 1e-3, 1e-2, 1e-1})
            writeRecord(dir.path(), QStringLiteral("%1.json").arg(i++), l1, 0, 0, 0.9 - l1);
        SweepView view;
        view.resize(900, 600);
        view.setFolder(dir.path());
        QCOMPARE(view.metricBox()->currentText(), QStringLiteral("Test accuracy"));
        QChart *chart = view.chartView()->chart();
        QCOMPARE(chart->axes(Qt::Vertical).first()->titleText(), QStringLiteral("Test accuracy (%)"));
        const QString svg = dir.filePath(QStringLiteral("path.svg"));
        QCOMPARE(reglab::ui::saveChart(chart, QSize(900, 500), svg), QString());
        const QStringList texts = guitest::svgTexts(svg);
        for (const char *tick : {"0.0001", "0.001", "0.01", "0.1"})
            QVERIFY2(texts.contains(QLatin1String(tick)), qPrintable(texts.join(u'|')));
        QVERIFY2(!texts.join(u'|').contains(QStringLiteral("test_accuracy")), qPrintable(texts.join(u'|')));
        // Every metric a path shows is named from the metrics table.
        for (int m = 0; m < view.metricBox()->count(); ++m)
            QVERIFY2(!view.metricBox()->itemText(m).contains(u'_'), qPrintable(view.metricBox()->itemText(m)));
    }

    // File > Open sweep starts where sweeps are written: beside the run library, or above the folder the last
    // sweep was told to write into; never the folder the window was started from.
    void openSweepStartsWhereSweepsAreWritten()
    {
        guitest::TestFolder folder;
        QVERIFY(folder.enter(true));
        const QString data = QString::fromLocal8Bit(qgetenv("XDG_DATA_HOME"));
        const QString sweeps = QDir(data).filePath(QStringLiteral("RegLab/sweeps"));
        QVERIFY(QDir().mkpath(sweeps));
        QCOMPARE(SweepView::startFolder(), QDir::cleanPath(sweeps));
        const QString mine = folder.filePath(QStringLiteral("mine/sweep-a"));
        QVERIFY(QDir().mkpath(mine));
        {
            QSettings settings(QStringLiteral("RegLab"), QStringLiteral("RegLab"));
            settings.setValue(QStringLiteral("sweep/outDir"), mine);
        }
        QCOMPARE(SweepView::startFolder(), QDir::cleanPath(folder.filePath(QStringLiteral("mine"))));
        QVERIFY(QDir(sweeps).removeRecursively());
        QVERIFY(QDir(folder.filePath(QStringLiteral("mine"))).removeRecursively());
        QVERIFY(SweepView::startFolder() != QDir::currentPath());
    }

    // File > Open sweep: the path in a window of its own; a clicked point's runs join the runs list.
    void openedFromTheRunsList()
    {
        QTemporaryDir dir;
        writeRecord(dir.path(), QStringLiteral("0000-l1_0.001-seed_0.json"), 0.001, 0, 0, 0.90);
        writeRecord(dir.path(), QStringLiteral("0001-l1_0.001-seed_1.json"), 0.001, 0, 1, 0.92);
        writeRecord(dir.path(), QStringLiteral("0002-l1_0.01-seed_0.json"), 0.01, 0, 0, 0.11);
        reglab::ui::RunModel model;
        reglab::ui::RunList list(&model);
        SweepView *view = reglab::ui::SweepView::openFor(&list, dir.path());
        QVERIFY(view->isWindow());
        QVERIFY(QTest::qWaitForWindowExposed(view));
        QCOMPARE(view->recordCount(), 3);
        QCOMPARE(view->xBox()->currentData().toString(), QStringLiteral("l1"));
        QLineSeries *curve = nullptr;
        for (QAbstractSeries *s : view->chartView()->chart()->series())
            if (s->property("reglabCurve").isValid())
                curve = qobject_cast<QLineSeries *>(s);
        QVERIFY(curve);
        QChart *chart = view->chartView()->chart();
        const QPoint at = view->chartView()->mapFromScene(chart->mapToScene(chart->mapToPosition(curve->at(0), curve)));
        QTest::mouseClick(view->chartView()->viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(model.count(), 2); // the two seeds at lambda1 = 0.001
        QCOMPARE(reglab::ui::SweepView::openFor(&list, dir.path()), view); // one sweep window, reused
    }

    // reglab plot --sweep: the path as a figure and its numbers; bad choices are named.
    void plotCommandDrawsThePath()
    {
        QTemporaryDir dir, outDir;
        writeRecord(dir.path(), QStringLiteral("0000-l1_0.001-seed_0.json"), 0.001, 0, 0, 0.90);
        writeRecord(dir.path(), QStringLiteral("0001-l1_0.001-seed_1.json"), 0.001, 0, 1, 0.92);
        writeRecord(dir.path(), QStringLiteral("0002-l2_0.01-seed_0.json"), 0, 0.01, 0, 0.95);
        const QString svg = outDir.filePath(QStringLiteral("path.svg")), csv = outDir.filePath(QStringLiteral("p.csv"));
        QCOMPARE(reglab::app::runPlotCommand({QStringLiteral("--sweep"), dir.path(), QStringLiteral("--out"), svg,
                                              QStringLiteral("--csv"), csv}),
                 0);
        QFile numbers(csv);
        QVERIFY(numbers.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(numbers.readAll());
        QVERIFY2(text.contains(QStringLiteral("L1,0.001,91")) && text.contains(QStringLiteral("L2,0.01,95")),
                 qPrintable(text));
        QFile figure(svg);
        QVERIFY(figure.open(QIODevice::ReadOnly));
        QVERIFY(figure.readAll().contains("The regularization path"));
        QCOMPARE(reglab::app::runPlotCommand({QStringLiteral("--sweep"), dir.path(), QStringLiteral("--out"), svg,
                                              QStringLiteral("--metric"), QStringLiteral("accuracy")}),
                 2);
        QCOMPARE(reglab::app::runPlotCommand({QStringLiteral("--sweep"), outDir.filePath(QStringLiteral("none")),
                                              QStringLiteral("--out"), svg}),
                 3);
    }
};

QTEST_MAIN(TestSweepView)
#include "test_gui_sweep.moc"
