// Figures for slides and papers, read back: PDFs (whole dashboard and one chart) carry every legend entry as
// text (pdftotext) and their swatches' colours inside the legend (rendered by poppler and by Ghostscript); SVGs
// have one <text> element per legend entry and render in rsvg; the pgfplots .tex compiles with pdflatex and
// names the runs; the summary table's numbers, CSV and Markdown; a failed export keeps the old file.
#include "guitest.h"

#include "app/plotcommand.h"
#include "model/summarytable.h"
#include "ui/charts/figureexport.h"
#include "ui/charts/accuracychart.h"
#include "ui/charts/livechart.h"
#include "ui/charts/losschart.h"
#include "ui/charts/pgfplotsexport.h"
#include "ui/live/liveview.h"
#include "ui/figures/summaryexport.h"
#include "ui/runs/runplot.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMenuBar>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QValueAxis>
#include <QXmlStreamReader>

#include <cmath>
#include <memory>

using namespace reglab;

namespace {

// A finished run: accuracy climbing to a peak at epoch 4, then slipping; fc1 sparsity growing.
RunRecord syntheticRun(double l1, int epochs = 6)
{
    RunRecord r;
    r.config.l1 = l1;
    r.status = RunStatus::Finished;
    for (int e = 1; e <= epochs; ++e) {
        EpochRecord rec;
        rec.epoch = e;
        rec.step = 160 * e;
        rec.testAccuracy = std::max(0.1, 0.80 + 0.03 * std::min(e, 4) - 0.01 * std::max(0, e - 4) - l1);
        rec.valAccuracy = rec.testAccuracy + 0.01;
        rec.trainLoss = 1.5 / e;
        rec.valLoss = 1.6 / e;
        rec.layers = {{"fc1", std::min(1.0, 0.05 * e), 100, 8, std::min(1.0, 0.01 * e)}};
        r.epochs.push_back(rec);
        for (int s = 0; s < 3; ++s) {
            StepRecord step;
            step.step = 160 * (e - 1) + 60 * s + 1;
            step.epoch = e;
            step.dataLoss = 2.0 / e;
            step.l1Term = l1 * 40 / e;
            step.loss = step.dataLoss + step.l1Term;
            r.steps.push_back(step);
        }
    }
    return r;
}

// Runs a tool; its output, or a null string when it is missing or fails.
QString runTool(const QString &program, const QStringList &args, const QString &dir = {})
{
    if (QStandardPaths::findExecutable(program).isEmpty())
        return {};
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    if (!dir.isEmpty())
        p.setWorkingDirectory(dir);
    p.start(program, args);
    if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        qWarning("%s failed: %s", qPrintable(program), p.readAll().constData());
        return {};
    }
    const QString out = QString::fromUtf8(p.readAll());
    return out.isNull() ? QStringLiteral("") : out;
}

QString squeeze(QString text)
{
    return text.replace(QRegularExpression(QStringLiteral("\\s+")), QStringLiteral(" "));
}

struct LegendEntry {
    QString label;
    QColor color;
    QRect area; // the legend's rectangle in the exported figure's coordinates (pixels = points)
};

// Every visible legend entry of every chart shown in `root`, with its legend's place in `root`.
QList<LegendEntry> legendEntries(QWidget *root)
{
    QList<LegendEntry> entries;
    QList<QChartView *> views = root->findChildren<QChartView *>();
    if (auto *self = qobject_cast<QChartView *>(root))
        views << self;
    for (QChartView *view : views) {
        if ((view != root && !view->isVisibleTo(root)) || !view->chart()->legend()->isVisible())
            continue;
        const QRectF scene = view->chart()->legend()->sceneBoundingRect();
        const QRect inView = view->mapFromScene(scene).boundingRect();
        const QRect area(view->viewport()->mapTo(root, inView.topLeft()), inView.size());
        for (QLegendMarker *marker : view->chart()->legend()->markers()) {
            if (marker->isVisible() && !marker->label().isEmpty())
                entries << LegendEntry{marker->label(),
                                       marker->series()->type() == QAbstractSeries::SeriesTypeLine
                                           ? static_cast<QXYSeries *>(marker->series())->color()
                                           : marker->brush().color(),
                                       area};
        }
    }
    return entries;
}

// Whether `image` (the figure drawn at `scale` pixels per point) has a pixel near `color` inside `area`.
bool hasColorIn(const QImage &image, const QRect &area, const QColor &color, double scale)
{
    const QRect box(int(area.x() * scale), int(area.y() * scale), int(area.width() * scale),
                    int(area.height() * scale));
    const QRect r = box.intersected(image.rect());
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (std::abs(c.red() - color.red()) + std::abs(c.green() - color.green()) +
                    std::abs(c.blue() - color.blue()) <
                40)
                return true;
        }
    return false;
}

using guitest::svgTexts;

} // namespace

class TestFigures : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

    // A dashboard comparing two finished runs whose names need escaping in LaTeX and CSV.
    std::unique_ptr<guitest::Dashboard> comparison()
    {
        auto d = std::make_unique<guitest::Dashboard>();
        // A laptop's screen (the offscreen screen is smaller: fixed, as --screenshot sizes it): room for legends.
        d->window->setFixedSize(1680, 1050);
        d->window->runs()->addRun(syntheticRun(0.01), QStringLiteral("L1 0.01 & 50% #1"));
        d->window->runs()->addRun(syntheticRun(0.001), QStringLiteral("L2_0.01, \"mild\""));
        d->window->flushCharts();
        QTest::qWait(50);
        return d;
    }

    // Checks a rendered figure: every legend entry's colour inside its legend.
    void checkSwatches(const QString &png, const QList<LegendEntry> &entries, double scale, const char *viewer)
    {
        const QImage image(png);
        QVERIFY2(!image.isNull(), qPrintable(png));
        for (const LegendEntry &e : entries)
            QVERIFY2(hasColorIn(image, e.area, e.color, scale),
                     qPrintable(QStringLiteral("%1: no swatch of %2 (%3) in the legend")
                                    .arg(QString::fromLatin1(viewer), e.label, e.color.name())));
    }

    void checkPdf(const QString &pdf, const QList<LegendEntry> &entries)
    {
        const QString text = runTool(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")});
        if (text.isNull())
            QSKIP("pdftotext (poppler-utils) is not installed; scripts/setup.sh installs it");
        for (const LegendEntry &e : entries)
            QVERIFY2(squeeze(text).contains(squeeze(e.label)),
                     qPrintable(QStringLiteral("'%1' is not text in the PDF:\n%2").arg(e.label, text)));
        QVERIFY(
            !runTool(QStringLiteral("pdftoppm"), {QStringLiteral("-r"), QStringLiteral("144"), QStringLiteral("-png"),
                                                  QStringLiteral("-singlefile"), pdf, pdf + QStringLiteral(".poppler")})
                 .isNull());
        checkSwatches(pdf + QStringLiteral(".poppler.png"), entries, 2, "poppler");
        if (runTool(QStringLiteral("gs"),
                    {QStringLiteral("-q"), QStringLiteral("-dSAFER"), QStringLiteral("-dBATCH"),
                     QStringLiteral("-dNOPAUSE"), QStringLiteral("-sDEVICE=png16m"), QStringLiteral("-r144"),
                     QStringLiteral("-sOutputFile=") + pdf + QStringLiteral(".gs.png"), pdf})
                .isNull())
            QSKIP("gs (ghostscript) is not installed; scripts/setup.sh installs it");
        checkSwatches(pdf + QStringLiteral(".gs.png"), entries, 2, "Ghostscript");
    }

    void checkSvg(const QString &svg, const QList<LegendEntry> &entries, int width)
    {
        const QStringList texts = svgTexts(svg);
        for (const LegendEntry &e : entries)
            QVERIFY2(texts.contains(squeeze(e.label)), // one element: rsvg lays it out as one run, without gaps
                     qPrintable(QStringLiteral("no <text> '%1' in the SVG: '%2'")
                                    .arg(e.label, texts.join(QStringLiteral("', '")))));
        const QString png = svg + QStringLiteral(".rsvg.png");
        if (runTool(QStringLiteral("rsvg-convert"),
                    {QStringLiteral("-w"), QString::number(width * 2), QStringLiteral("-o"), png, svg})
                .isNull())
            QSKIP("rsvg-convert (librsvg2-bin) is not installed; scripts/setup.sh installs it");
        checkSwatches(png, entries, 2, "rsvg");
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // REGLAB_KEEP_FIGURES=1: the figures stay for a look in a viewer (their folder is printed).
        if (qEnvironmentVariableIntValue("REGLAB_KEEP_FIGURES")) {
            m_dir.setAutoRemove(false);
            qInfo("figures in %s", qPrintable(m_dir.path()));
        }
        guitest::isolateSettings(m_dir.filePath(QStringLiteral("settings")));
    }

    void dashboardPdfAndSvgCarryEveryLegendEntry()
    {
        auto d = comparison();
        const QList<LegendEntry> entries = legendEntries(d->window.get());
        QVERIFY(entries.size() >= 4);
        const QStringList labels = [&] {
            QStringList l;
            for (const LegendEntry &e : entries)
                l << e.label;
            return l;
        }();
        QVERIFY2(labels.contains(QStringLiteral("L1 0.01 & 50% #1")), qPrintable(labels.join(u'|')));
        const QString pdf = path(QStringLiteral("dashboard.pdf")), svg = path(QStringLiteral("dashboard.svg"));
        QCOMPARE(d->window->exports()->exportDashboard(pdf), QString());
        QCOMPARE(d->window->exports()->exportDashboard(svg), QString());
        checkSvg(svg, entries, d->window->width());
        if (!QTest::currentTestFailed())
            checkPdf(pdf, entries);
    }

    // The whole dashboard as SVG shows the menu bar's titles as text, and rsvg draws them on the bar (Qt's own
    // painting of a menu bar needs a clip, which the SVG generator cannot do: the bar came out blank).
    void dashboardSvgShowsTheMenuBar()
    {
        guitest::Dashboard d;
        const QString svg = path(QStringLiteral("menubar.svg"));
        QCOMPARE(d.window->exports()->exportDashboard(svg), QString());
        const QStringList texts = svgTexts(svg);
        for (const char *title : {"File", "Run", "Presets", "View", "Help"})
            QVERIFY2(texts.contains(QLatin1String(title)),
                     qPrintable(QStringLiteral("no <text> '%1' in '%2'").arg(QLatin1String(title), texts.join(u'|'))));
        const QString png = svg + QStringLiteral(".rsvg.png");
        if (runTool(QStringLiteral("rsvg-convert"), {QStringLiteral("-o"), png, svg}).isNull())
            QSKIP("rsvg-convert (librsvg2-bin) is not installed; scripts/setup.sh installs it");
        const QImage image(png);
        const QMenuBar *bar = d.window->menuBar();
        const QRect area = QRect(bar->mapTo(d.window.get(), QPoint(0, 0)), bar->size()).intersected(image.rect());
        int ink = 0; // dark pixels: the titles' letters
        for (int y = area.top(); y <= area.bottom(); ++y)
            for (int x = area.left(); x <= area.right(); ++x)
                ink += qGray(image.pixel(x, y)) < 110 ? 1 : 0;
        QVERIFY2(ink > 60, qPrintable(QStringLiteral("%1 dark pixels on the menu bar").arg(ink)));
    }

    void chartPdfAndSvgCarryEveryLegendEntry()
    {
        auto d = comparison();
        ui::LiveChart *chart = d->window->liveView()->lossChart();
        const QList<LegendEntry> entries = legendEntries(chart);
        QVERIFY(!entries.isEmpty());
        const QString pdf = path(QStringLiteral("loss.pdf")), svg = path(QStringLiteral("loss.svg"));
        QCOMPARE(d->window->exports()->exportChart(chart, pdf), QString());
        QCOMPARE(d->window->exports()->exportChart(chart, svg), QString());
        checkSvg(svg, entries, chart->width());
        if (!QTest::currentTestFailed())
            checkPdf(pdf, entries);

        // The same chart for a paper: every legend entry, the run names escaped, compiled by pdflatex.
        const QString tex = path(QStringLiteral("loss-latex.tex"));
        QCOMPARE(d->window->exports()->exportChart(chart, tex), QString());
        QFile file(tex);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString source = QString::fromUtf8(file.readAll());
        QCOMPARE(source.count(QStringLiteral("\\addlegendentry{")), entries.size());
        QVERIFY(source.contains(QStringLiteral("\\addlegendentry{L1 0.01 \\& 50\\% \\#1}")));
        // Two runs shown: one series per run (the live run's loss parts, with their lambda labels, only alone; the
        // math-mode lambda is checked in latexTextEscapesAndUsesMath and pgfplotsFigureCompilesWithTheRunNames).
        QVERIFY(!source.contains(QStringLiteral("L1 term")));
        if (QStandardPaths::findExecutable(QStringLiteral("pdflatex")).isEmpty())
            QSKIP("pdflatex is not installed (texlive-latex-base, texlive-pictures; scripts/setup.sh installs them)");
        QVERIFY(!runTool(QStringLiteral("pdflatex"),
                         {QStringLiteral("-interaction=nonstopmode"), QStringLiteral("-halt-on-error"), tex},
                         m_dir.path())
                     .isNull());
        const QString text = squeeze(
            runTool(QStringLiteral("pdftotext"), {path(QStringLiteral("loss-latex.pdf")), QStringLiteral("-")}));
        QVERIFY2(text.contains(QStringLiteral("L1 0.01 & 50% #1")) &&
                     text.contains(QStringLiteral("L2_0.01, \"mild\"")),
                 qPrintable(text));
    }

    void latexTextEscapesAndUsesMath()
    {
        QCOMPARE(ui::latexText(QStringLiteral("L1 0.01 & 50% #1 a_b {x} $")),
                 QStringLiteral("L1 0.01 \\& 50\\% \\#1 a\\_b \\{x\\} \\$"));
        QCOMPARE(ui::latexText(QStringLiteral("~^\\")),
                 QStringLiteral("\\textasciitilde{}\\textasciicircum{}\\textbackslash{}"));
        QCOMPARE(ui::latexText(QStringLiteral("L1 term \u03bb\u2081\u00b7\u03a3|p|")),
                 QStringLiteral("L1 term $\\lambda_1\\cdot\\Sigma$\\textbar{}p\\textbar{}"));
        QCOMPARE(ui::latexText(QStringLiteral("\u03bb\u2082 = 0.01")), QStringLiteral("$\\lambda_2$ = 0.01"));
    }

    void thinningKeepsEndsAndSpikes()
    {
        QList<QPointF> points;
        for (int i = 0; i < 20000; ++i)
            points << QPointF(i, i == 12345 ? 50.0 : std::sin(i / 100.0));
        const QList<QPointF> thin = ui::thinPoints(points, 400);
        QVERIFY(thin.size() <= 400);
        QVERIFY(thin.size() > 300);
        QCOMPARE(thin.first(), points.first());
        QCOMPARE(thin.last(), points.last());
        QVERIFY(thin.contains(QPointF(12345, 50.0)));
        for (int i = 1; i < thin.size(); ++i)
            QVERIFY(thin[i].x() > thin[i - 1].x());
        QCOMPARE(ui::thinPoints(points.mid(0, 10), 400), points.mid(0, 10));
    }

    // The same reopened runs give the same figure from the window's export and from `reglab plot` (one function
    // builds both): the same texts (legend names, chance line, axis titles, ticks), the same stroke colours (each
    // run's), and the same .tex (its markers too); the window names opened runs by what differs, not by file.
    void windowAndPlotDrawTheSameFigure()
    {
        QStringList files;
        for (double l1 : {0.0, 0.001, 0.01}) {
            files << path(QStringLiteral("same-%1.json").arg(files.size()));
            RunRecord run = syntheticRun(l1);
            for (EpochRecord &e : run.epochs) // a gap of a few points
                e.trainAccuracy = e.testAccuracy + 0.005 * e.epoch;
            QVERIFY(writeFileAtomically(QFile::encodeName(files.last()).toStdString(), toJson(run)).empty());
        }
        guitest::Dashboard d;
        d.window->setFixedSize(1680, 1050);
        QCOMPARE(d.window->runList()->openFiles(files), 3);
        d.window->flushCharts();
        ui::LiveView *live = d.window->liveView();
        const QStringList legend = live->accuracyChart()->overlayLabels();
        QVERIFY2(legend.contains(QStringLiteral("L1 0.001")) && !legend.join(u'|').contains(QStringLiteral("same-")),
                 qPrintable(legend.join(u'|')));
        // A name a person gives stays in the legend; the others are still named by what differs.
        const int renamed = d.window->runs()->ids().first();
        d.window->runs()->setName(renamed, QStringLiteral("baseline"));
        d.window->flushCharts();
        QVERIFY2(live->accuracyChart()->overlayLabels().contains(QStringLiteral("baseline")) &&
                     live->accuracyChart()->overlayLabels().contains(QStringLiteral("L1 0.01")),
                 qPrintable(live->accuracyChart()->overlayLabels().join(u'|')));
        d.window->runs()->setName(renamed, QStringLiteral("same-0")); // its file's name again: automatic
        d.window->flushCharts();
        QCOMPARE(live->accuracyChart()->overlayLabels(), legend);
        ui::ExportMenu *menu = d.window->exports();
        menu->setFigureUse(QStringLiteral("column"));
        const auto strokes = [](const QString &svg) {
            static const QRegularExpression stroke(QStringLiteral("stroke=\"(#[0-9a-f]{6})\""));
            QStringList colours;
            const QString text = QString::fromStdString(readTextFile(QFile::encodeName(svg).toStdString()));
            for (auto it = stroke.globalMatch(text); it.hasNext();)
                colours << it.next().captured(1);
            colours.removeDuplicates();
            colours.sort();
            return colours;
        };
        for (const char *metric : {"test_accuracy", "gap", "loss"}) {
            const QString key = QString::fromLatin1(metric);
            const bool perStep = key == QLatin1String("loss");
            QComboBox *box = perStep ? live->lossMetricBox() : live->accuracyMetricBox();
            box->setCurrentIndex(box->findData(key));
            QCOMPARE(box->currentData().toString(), key);
            d.window->flushCharts();
            ui::LiveChart *chart = perStep ? static_cast<ui::LiveChart *>(live->lossChart()) : live->accuracyChart();
            for (const char *suffix : {"svg", "tex"}) {
                const QString window = path(QStringLiteral("window-%1.%2").arg(key, QLatin1String(suffix)));
                const QString plot = path(QStringLiteral("plot-%1.%2").arg(key, QLatin1String(suffix)));
                QCOMPARE(menu->exportChart(chart, window), QString());
                QCOMPARE(app::runPlotCommand(files + QStringList{QStringLiteral("--metric"), key, QStringLiteral("--for"),
                                                                 QStringLiteral("column"), QStringLiteral("--out"), plot}),
                         0);
                if (QLatin1String(suffix) == QLatin1String("tex")) {
                    const std::string tex = readTextFile(QFile::encodeName(window).toStdString());
                    QCOMPARE(tex, readTextFile(QFile::encodeName(plot).toStdString()));
                    QVERIFY(perStep || QString::fromStdString(tex).contains(QStringLiteral("mark=")));
                    continue;
                }
                const QStringList texts = svgTexts(window);
                QCOMPARE(texts, svgTexts(plot));
                QVERIFY2(texts.contains(QStringLiteral("L1 0.01")), qPrintable(texts.join(u'|')));
                QCOMPARE(texts.contains(QStringLiteral("Chance (10 %)")), key == QLatin1String("test_accuracy"));
                const QStringList colours = strokes(window);
                QCOMPARE(colours, strokes(plot));
                for (int id : d.window->runs()->ids())
                    QVERIFY2(colours.contains(d.window->runs()->color(id).name()), qPrintable(colours.join(u' ')));
            }
        }
    }

    void pgfplotsFigureCompilesWithTheRunNames()
    {
        const QString a = path(QStringLiteral("a.json")), b = path(QStringLiteral("b.json"));
        QVERIFY(writeFileAtomically(a.toStdString(), toJson(syntheticRun(0.01, 300))).empty());
        QVERIFY(writeFileAtomically(b.toStdString(), toJson(syntheticRun(0.001, 300))).empty());
        const QString tex = path(QStringLiteral("fig.tex"));
        QCOMPARE(app::runPlotCommand({a, b, QStringLiteral("--metric"), QStringLiteral("val_accuracy"),
                                      QStringLiteral("--labels"), QStringLiteral("L1 0.01 & 50% #1,L2_0.01"),
                                      QStringLiteral("--out"), tex}),
                 0);
        QFile file(tex);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString source = QString::fromUtf8(file.readAll());
        QVERIFY(source.contains(QStringLiteral("\\addlegendentry{L1 0.01 \\& 50\\% \\#1}")));
        QVERIFY(source.contains(QStringLiteral("\\addlegendentry{L2\\_0.01}")));
        // 300 epochs thinned to at most 400 points a series: the two runs' coordinates stay well under 2 x 400.
        QVERIFY(source.count(QLatin1Char('(')) < 1000);

        // A log axis and a Greek axis title, as the loss chart has them.
        QChart chart;
        auto *series = new QLineSeries;
        series->setName(QStringLiteral("L1 term  \u03bb\u2081\u00b7\u03a3|p|"));
        series->append({{1, 0.5}, {2, 0.05}, {3, 0.005}});
        chart.addSeries(series);
        auto *x = new QValueAxis;
        auto *y = new QLogValueAxis;
        y->setTitleText(QStringLiteral("\u03bb\u2081 term"));
        y->setRange(0.001, 1);
        chart.addAxis(x, Qt::AlignBottom);
        chart.addAxis(y, Qt::AlignLeft);
        series->attachAxis(x);
        series->attachAxis(y);
        const QString logTex = ui::chartToPgfplots(&chart, QStringLiteral("Loss"));
        QVERIFY(logTex.contains(QStringLiteral("ymode=log")));
        QVERIFY(logTex.contains(QStringLiteral("ylabel={$\\lambda_1$ term}")));
        QCOMPARE(ui::saveChart(&chart, QSize(600, 400), path(QStringLiteral("log.tex"))), QString());

        if (QStandardPaths::findExecutable(QStringLiteral("pdflatex")).isEmpty())
            QSKIP("pdflatex is not installed (texlive-latex-base, texlive-pictures; scripts/setup.sh installs them)");
        for (const QString &name : {QStringLiteral("fig"), QStringLiteral("log")}) {
            QVERIFY2(!runTool(QStringLiteral("pdflatex"),
                              {QStringLiteral("-interaction=nonstopmode"), QStringLiteral("-halt-on-error"),
                               name + QStringLiteral(".tex")},
                              m_dir.path())
                          .isNull(),
                     qPrintable(name));
        }
        const QString text =
            squeeze(runTool(QStringLiteral("pdftotext"), {path(QStringLiteral("fig.pdf")), QStringLiteral("-")}));
        QVERIFY2(text.contains(QStringLiteral("L1 0.01 & 50% #1")) && text.contains(QStringLiteral("L2_0.01")),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Validation accuracy")), qPrintable(text));
        QVERIFY(squeeze(runTool(QStringLiteral("pdftotext"), {path(QStringLiteral("log.pdf")), QStringLiteral("-")}))
                    .contains(QStringLiteral("term")));
    }

    void summaryTableHasBestEpochsAndSparsity()
    {
        const SummaryRow row = summarizeRun("L1, \"strong\"", syntheticRun(0.01));
        QCOMPARE(row.epochs, 6);
        QCOMPARE(row.bestEpoch("test_accuracy"), 4);
        QCOMPARE(row.bestEpoch("val_accuracy"), 4);
        QVERIFY(std::abs(row.best("test_accuracy") - 0.91) < 1e-9);
        QVERIFY(std::abs(row.final("test_accuracy") - 0.89) < 1e-9);
        QVERIFY(std::abs(row.final("small_fraction") - 0.30) < 1e-9);
        QVERIFY(std::abs(row.final("zero_fraction") - 0.06) < 1e-9);
        const std::vector<SummaryRow> rows{row, summarizeRun("empty | run", RunRecord{})};
        const QString csv = QString::fromStdString(summaryCsv(rows));
        QVERIFY2(csv.contains(QStringLiteral("\"L1, \"\"strong\"\"\",6,0.89")), qPrintable(csv));
        QVERIFY(csv.contains(QStringLiteral(",0.91,4,")));
        QVERIFY(csv.contains(QStringLiteral("empty | run,0,,,,,,,,,,,\n")));
        const QString md = QString::fromStdString(summaryMarkdown(rows));
        QVERIFY2(md.contains(QStringLiteral("| 91.00 % (4) |")), qPrintable(md));
        QVERIFY(md.contains(QStringLiteral("| 30.00 % | 6.00 % |")));
        QVERIFY(md.contains(QStringLiteral("empty \\| run")));
        QCOMPARE(md.count(QLatin1Char('\n')), 4);
    }

    void summaryExportsAndAFailedExportKeepsTheOldFile()
    {
        auto d = comparison();
        ui::ExportMenu *menu = d->window->exports();
        const QString csv = path(QStringLiteral("summary.csv")), md = path(QStringLiteral("summary.md"));
        QCOMPARE(menu->exportSummary(csv), QString());
        QCOMPARE(menu->exportSummary(md), QString());
        QFile c(csv), m(md);
        QVERIFY(c.open(QIODevice::ReadOnly) && m.open(QIODevice::ReadOnly));
        const QString csvText = QString::fromUtf8(c.readAll()), mdText = QString::fromUtf8(m.readAll());
        QVERIFY2(csvText.contains(QStringLiteral("L1 0.01 & 50% #1,6,")), qPrintable(csvText));
        QVERIFY(csvText.contains(QStringLiteral("\"L2_0.01, \"\"mild\"\"\",6,")));
        QVERIFY(mdText.contains(QStringLiteral("| L1 0.01 & 50% #1 | 6 |")));
        menu->copySummary();
        QVERIFY(QApplication::clipboard()->text().contains(QStringLiteral("| L2_0.01, \"mild\" | 6 |")));

        // A failed export: a clear message and the old file as it was.
        QSignalSpy problems(menu, &ui::ExportMenu::problem);
        QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("locked")));
        const QString locked = path(QStringLiteral("locked/loss.svg"));
        QCOMPARE(menu->exportChart(d->window->liveView()->lossChart(), locked), QString());
        const QByteArray before = [&] {
            QFile f(locked);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        }();
        QVERIFY(QFile::setPermissions(path(QStringLiteral("locked")), QFileDevice::ReadOwner | QFileDevice::ExeOwner));
        if (QFileInfo(path(QStringLiteral("locked"))).isWritable()) { // root writes anywhere
            QFile::setPermissions(path(QStringLiteral("locked")),
                                  QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        } else {
            QVERIFY(!menu->exportChart(d->window->liveView()->lossChart(), locked).isEmpty());
            QVERIFY(
                !menu->exportChart(d->window->liveView()->lossChart(), path(QStringLiteral("locked/a.tex"))).isEmpty());
            QFile f(locked);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.readAll(), before);
            QFile::setPermissions(path(QStringLiteral("locked")),
                                  QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        }
        // A folder where the file should be: refused in words, nothing replaced.
        const int seen = int(problems.size());
        QVERIFY(!menu->exportDashboard(path(QStringLiteral("locked"))).isEmpty());
        QVERIFY(!menu->exportSummary(path(QStringLiteral("locked"))).isEmpty());
        QVERIFY(problems.size() >= seen + 2);
        QVERIFY(QFileInfo(path(QStringLiteral("locked"))).isDir());
        QVERIFY(problems.last().first().toString().contains(QStringLiteral("summary")));
    }

    void screenshotWritesVectors()
    {
        const QString pdf = path(QStringLiteral("shot.pdf"));
        QProcess reglab;
        reglab.setProcessChannelMode(QProcess::MergedChannels);
        reglab.start(QStringLiteral(REGLAB_GUI_EXE),
                     {QStringLiteral("--screenshot"), pdf, QStringLiteral("--epochs"), QStringLiteral("1"),
                      QStringLiteral("--size"), QStringLiteral("1280x800")});
        QVERIFY(reglab.waitForFinished(110000));
        const QByteArray output = reglab.readAll();
        QVERIFY2(reglab.exitCode() == 0, output.constData());
        QVERIFY(output.contains("saved"));
        const QString text = runTool(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")});
        if (text.isNull())
            QSKIP("pdftotext (poppler-utils) is not installed");
        QVERIFY2(text.contains(QStringLiteral("Training loss and its parts")) &&
                     text.contains(QStringLiteral("Loss (nats)")) && text.contains(QStringLiteral("Regularization")),
                 qPrintable(text));
        QProcess refused;
        refused.start(QStringLiteral(REGLAB_GUI_EXE), {QStringLiteral("--screenshot"), path(QStringLiteral("x.gif"))});
        QVERIFY(refused.waitForFinished(30000));
        QVERIFY(refused.exitCode() != 0);
        QVERIFY(!QFile::exists(path(QStringLiteral("x.gif"))));
    }
};

QTEST_MAIN(TestFigures)
#include "test_gui_figures.moc"
