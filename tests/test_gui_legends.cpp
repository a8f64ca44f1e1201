// Legends of compared runs: with the forum thread's five runs at 1600x900 and 1024x768 (laid out as --screenshot
// --size lays the window out), every chart shows its legend with all five entries, none wider than its room (Qt
// cut none; each lies on one line inside its legend, the legend inside its chart). A chart too small for whole
// names shortens them in the middle and names the run in full on hover; its exports still carry whole names.
#include "guitest.h"

#include "model/runrecord.h"
#include "ui/charts/accuracychart.h"
#include "ui/charts/chartbase.h"
#include "ui/charts/figureexport.h"
#include "ui/charts/livechart.h"
#include "ui/charts/losschart.h"
#include "ui/live/liveview.h"
#include "ui/runs/runmodel.h"
#include "ui/window/screenfit.h"

#include <QApplication>
#include <QChart>
#include <QDir>
#include <QFile>
#include <QFontMetricsF>
#include <QGraphicsScene>
#include <QGraphicsTextItem>
#include <QLegend>
#include <QLegendMarker>
#include <QTest>
#include <QTextDocument>
#include <QXmlStreamReader>

#include <cmath>

using reglab::ui::ChartBase;

namespace {

const QStringList kForumRuns{QStringLiteral("No regularization"), QStringLiteral("L2 0.01 (weight decay)"),
                             QStringLiteral("L1 0.01 (the forum code)"), QStringLiteral("L1 0.001"),
                             QStringLiteral("L1 0.01 on weights only")};

// The forum thread's runs, reopened (each an overlay with its curves).
void addForumRuns(reglab::ui::RunModel *runs)
{
    for (int i = 0; i < kForumRuns.size(); ++i)
        runs->addRun(guitest::finishedRun(0.001 * i, 10), kForumRuns[i], true);
}

void settle()
{
    for (int i = 0; i < 6; ++i) {
        QApplication::processEvents();
        QTest::qWait(20);
    }
}

// The visible legend entries' labels of `chart`, and what is wrong with its legend ("" when nothing): hidden, a
// text Qt cut ("..."), a text on more than one line or wider than the room its entry has, an entry outside its
// legend or the legend outside the chart.
QString legendProblem(ChartBase *chart, QStringList &labels)
{
    labels.clear();
    QLegend *legend = chart->chart()->legend();
    if (!legend->isVisible())
        return QStringLiteral("the legend is hidden");
    for (QLegendMarker *m : legend->markers())
        if (m->isVisible())
            labels << m->label();
    const QRectF legendArea = legend->sceneBoundingRect().adjusted(-1, -1, 1, 1);
    if (!chart->chart()->sceneBoundingRect().adjusted(-1, -1, 1, 1).contains(legendArea))
        return QStringLiteral("the legend lies outside the chart");
    int texts = 0;
    QList<QGraphicsItem *> todo = legend->childItems();
    while (!todo.isEmpty()) {
        QGraphicsItem *item = todo.takeLast();
        todo << item->childItems();
        auto *text = dynamic_cast<QGraphicsTextItem *>(item);
        if (!text || !text->isVisible() || text->toPlainText().isEmpty())
            continue;
        ++texts;
        const QString shown = text->toPlainText();
        const QRectF box = text->sceneBoundingRect();
        const double lineHeight = QFontMetricsF(text->font()).height();
        if (!labels.contains(shown))
            return QStringLiteral("'%1' is not a whole label: Qt cut it").arg(shown);
        if (text->document()->idealWidth() > box.width() + 0.5 || box.height() > 1.8 * lineHeight)
            return QStringLiteral("'%1' is wider than its room (%2 > %3)")
                .arg(shown)
                .arg(text->document()->idealWidth())
                .arg(box.width());
        if (!legendArea.contains(box))
            return QStringLiteral("'%1' lies outside its legend").arg(shown);
    }
    return texts == labels.size() ? QString() : QStringLiteral("%1 texts for %2 entries").arg(texts).arg(labels.size());
}

using guitest::svgTexts;

QList<ChartBase *> comparisonCharts(reglab::ui::LiveView *view)
{
    return {view->lossChart(), view->accuracyChart()};
}

} // namespace

class TestLegends : public QObject {
    Q_OBJECT
    guitest::TestFolder m_dir;
    // Kept for a person to look at, in the build folder (the test's own folder is removed when it ends).
    static QString shots() { return QStringLiteral(REGLAB_BINARY_DIR_FOR_TESTS "/tests/legends"); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.enter());
        QDir().mkpath(shots());
    }

    void fiveRunsOnAScreen_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1600x900") << QSize(1600, 900);
        QTest::newRow("1024x768") << QSize(1024, 768);
    }

    void fiveRunsOnAScreen()
    {
        QFETCH(QSize, size);
        guitest::Dashboard d(false, false);
        d.window->setCompactLayout(reglab::ui::screenfit::isSmall(QRect(QPoint(0, 0), size)));
        d.window->setFixedSize(size); // as `reglab --screenshot --size` lays it out
        d.window->show();
        addForumRuns(d.window->runs());
        d.window->flushCharts();
        settle();
        const QString shot = shots() + QStringLiteral("/%1.png").arg(QLatin1String(QTest::currentDataTag()));
        QVERIFY(d.window->grab().save(shot));
        for (ChartBase *chart : comparisonCharts(d.window->liveView())) {
            QStringList labels;
            const QString problem = legendProblem(chart, labels);
            QVERIFY2(problem.isEmpty(), qPrintable(chart->chartTitle() + QStringLiteral(": ") + problem));
            QCOMPARE(labels.size(), kForumRuns.size());
            // Each entry names its run: whole, or shortened with the whole name behind it.
            QStringList names;
            for (const QString &label : labels)
                names << chart->legendFullName(label);
            names.sort();
            QStringList expected = kForumRuns;
            expected.sort();
            QCOMPARE(names, expected);
            // Its figure (the export menu's) names every run in full, whatever the window shows.
            const QString svg = shots() + QStringLiteral("/%1-%2.svg")
                                    .arg(QLatin1String(QTest::currentDataTag()),
                                         chart == d.window->liveView()->lossChart() ? "loss" : "accuracy");
            QCOMPARE(d.window->exports()->exportChart(static_cast<reglab::ui::LiveChart *>(chart), svg), QString());
            const QStringList texts = svgTexts(svg);
            for (const QString &name : kForumRuns)
                QVERIFY2(texts.contains(name), qPrintable(name + QStringLiteral(" not in ") + texts.join(u'|')));
        }
    }

    // Runs named after their configuration are told apart by what differs between them (here the dropout and
    // the optimizer), not "Adam", "Adam (2)"; a name a person or a preset gave stays.
    void legendsSayWhatDiffers()
    {
        reglab::ui::RunModel runs;
        reglab::ui::LiveView view(&runs);
        view.resize(1400, 900);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const double rates[] = {0.3, 0.5, 0.5};
        for (int i = 0; i < 3; ++i) {
            reglab::RunRecord r = guitest::finishedRun(0, 4);
            r.config.optimizer = i < 2 ? reglab::Optimizer::Adam : reglab::Optimizer::Sgd;
            r.config.dropout = {rates[i], rates[i]};
            runs.addRun(r, QString::fromStdString(reglab::shortLabel(r.config)), true);
        }
        runs.addRun(guitest::finishedRun(0.01, 4), QStringLiteral("L1 0.01 (the forum code)"), true);
        view.flush();
        settle();
        QStringList labels;
        const QString problem = legendProblem(view.accuracyChart(), labels);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY2(labels.contains(QStringLiteral("Adam, dropout 0.3/0.3")), qPrintable(labels.join(u'|')));
        QVERIFY2(labels.contains(QStringLiteral("Adam, dropout 0.5/0.5")), qPrintable(labels.join(u'|')));
        QVERIFY2(labels.contains(QStringLiteral("SGD, dropout 0.5/0.5")), qPrintable(labels.join(u'|')));
        QVERIFY2(labels.contains(QStringLiteral("L1 0.01 (the forum code)")), qPrintable(labels.join(u'|')));
    }

    void aSmallChartShortensNamesInTheMiddle()
    {
        reglab::ui::RunModel runs;
        reglab::ui::LiveView view(&runs);
        view.resize(560, 620);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        addForumRuns(&runs);
        const QString longName = QStringLiteral("L1 0.01 on weights only, the second try");
        runs.setName(runs.ids().last(), longName);
        view.flush();
        settle();
        ChartBase *chart = view.lossChart();
        QStringList labels;
        const QString problem = legendProblem(chart, labels);
        QVERIFY2(problem.isEmpty(), qPrintable(problem + QStringLiteral(" in ") + labels.join(u'|')));
        QCOMPARE(labels.size(), kForumRuns.size());
        QString shortened;
        for (const QString &label : labels)
            if (chart->legendFullName(label) == longName)
                shortened = label;
        // The start and the end of the name stay ("(2)", "weights only" tell runs apart).
        QVERIFY2(shortened.contains(QChar(0x2026)) && shortened.startsWith(QStringLiteral("L1 0.01")) &&
                     !shortened.endsWith(QChar(0x2026)),
                 qPrintable(labels.join(u'|')));

        // Hovering the shortened entry names the run in full.
        QGraphicsTextItem *entry = nullptr;
        QList<QGraphicsItem *> todo = chart->chart()->legend()->childItems();
        while (!todo.isEmpty() && !entry) {
            QGraphicsItem *item = todo.takeLast();
            todo << item->childItems();
            if (auto *text = dynamic_cast<QGraphicsTextItem *>(item); text && text->toPlainText() == shortened)
                entry = text;
        }
        QVERIFY(entry);
        const QPointF at = chart->mapFromScene(entry->sceneBoundingRect().center());
        QCOMPARE(chart->hoverTextAt(at), longName);

        // A figure of it has room for whole names, and carries them; the window keeps its short ones.
        const QString svg = m_dir.filePath(QStringLiteral("small.svg"));
        QCOMPARE(reglab::ui::saveChart(chart->chart(), QSize(1200, 750), svg), QString());
        const QStringList texts = svgTexts(svg);
        QVERIFY2(texts.contains(longName), qPrintable(texts.join(u'|')));
        for (const QString &name : kForumRuns.mid(0, 4))
            QVERIFY2(texts.contains(name), qPrintable(name + QStringLiteral(" not in ") + texts.join(u'|')));
        settle();
        QStringList after;
        QVERIFY(legendProblem(chart, after).isEmpty());
        QCOMPARE(after, labels);
    }

    void aTinyChartHidesItsLegendRatherThanCutIt()
    {
        reglab::ui::RunModel runs;
        reglab::ui::LiveView view(&runs);
        view.resize(300, 330);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        addForumRuns(&runs);
        view.flush();
        settle();
        for (ChartBase *chart : comparisonCharts(&view)) {
            QStringList labels;
            const QString problem = legendProblem(chart, labels);
            QVERIFY2(problem.isEmpty() || problem == QStringLiteral("the legend is hidden"), qPrintable(problem));
        }
    }
};

QTEST_MAIN(TestLegends)
#include "test_gui_legends.moc"
