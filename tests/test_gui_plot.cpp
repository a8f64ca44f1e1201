// Figures: `reglab plot` and the export functions write a PNG of the requested size that is not blank, an SVG
// that parses, a PDF that is a PDF; bad input gets a clear message and writes nothing.
#include "app/plotcommand.h"
#include "model/runrecord.h"
#include "ui/charts/figureexport.h"
#include "ui/charts/palette.h"
#include "ui/charts/pgfplotsexport.h"
#include "ui/runs/runmodel.h"
#include "ui/runs/runplot.h"
#include "ui/charts/figureuse.h"
#include "ui/figures/runfigure.h"

#include <QChart>
#include <QCoreApplication>
#include <QDir>
#include <QFontMetricsF>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QFile>
#include <QImage>
#include <QLegend>
#include <QLegendMarker>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QScatterSeries>
#include <QSet>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>
#include <QXmlStreamReader>

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <memory>

using namespace reglab;

namespace {

// A finished run whose test accuracy climbs (or, with `collapse`, falls to chance) over `epochs` epochs.
RunRecord syntheticRun(double l1, bool collapse, int epochs = 6)
{
    RunRecord r;
    r.config.l1 = l1;
    r.status = RunStatus::Finished;
    for (int e = 1; e <= epochs; ++e) {
        EpochRecord rec;
        rec.epoch = e;
        rec.step = 160 * e;
        rec.testAccuracy = collapse ? std::max(0.1135, 0.6 - 0.12 * e) : 0.7 + 0.03 * e;
        rec.valAccuracy = rec.testAccuracy + 0.01;
        rec.trainLoss = collapse ? 2.3 : 1.5 / e;
        rec.layers = {{"fc1", collapse ? std::min(1.0, 0.2 * e) : 0.03, 100, 8}};
        r.epochs.push_back(rec);
        for (int s = 0; s < 3; ++s) {
            StepRecord step;
            step.step = 160 * (e - 1) + 60 * s + 1;
            step.epoch = e;
            step.dataLoss = 2.0 / e;
            step.l1Term = l1 * 4000 / e;
            step.loss = step.dataLoss + step.l1Term;
            r.steps.push_back(step);
        }
    }
    return r;
}

int distinctColours(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    return int(colours.size());
}

// The text of each <text> element of an SVG, white space folded.
QStringList svgTexts(const QString &file)
{
    QXmlStreamReader xml(QString::fromStdString(readTextFile(QFile::encodeName(file).toStdString())));
    QStringList texts;
    while (!xml.atEnd())
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("text"))
            texts << xml.readElementText(QXmlStreamReader::IncludeChildElements).simplified();
    return texts;
}

// Texts Qt cut or squeezed: ending in "..." or an ellipsis, or a tick label squeezed to "3....".
QStringList cutTexts(const QStringList &texts)
{
    static const QRegularExpression squeezed(QStringLiteral("^\\d*\\.{2,}$"));
    QStringList cut;
    for (const QString &t : texts)
        if (t.endsWith(QStringLiteral("...")) || t.endsWith(QChar(0x2026)) || squeezed.match(t).hasMatch())
            cut << t;
    return cut;
}

} // namespace

class PlotTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString &name) const { return m_dir.filePath(name); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(writeFileAtomically(path(QStringLiteral("strong.json")).toStdString(), toJson(syntheticRun(0.01, true)))
                    .empty());
        QVERIFY(writeFileAtomically(path(QStringLiteral("mild.json")).toStdString(), toJson(syntheticRun(0.001, false)))
                    .empty());
        QFile broken(path(QStringLiteral("broken.json")));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("{\"config\": {\"epochs\": 3}, \"status\": \"finished\", \"epochs\": [");
        // Nested 100,000 levels deep before the other members: once a stack overflow.
        QFile deep(path(QStringLiteral("deep.json")));
        QVERIFY(deep.open(QIODevice::WriteOnly));
        deep.write("{\"x\": " + QByteArray(100000, '[') + QByteArray(100000, ']') +
                   ", \"config\": {}, \"status\": \"finished\"}");
    }

    void pngHasTheRequestedSizeAndIsNotBlank()
    {
        const QString out = path(QStringLiteral("accuracy.png"));
        QCOMPARE(app::runPlotCommand({path(QStringLiteral("strong.json")), path(QStringLiteral("mild.json")),
                                      QStringLiteral("--out"), out, QStringLiteral("--size"), QStringLiteral("800x500"),
                                      QStringLiteral("--scale"), QStringLiteral("2")}),
                 0);
        const QImage image(out);
        QCOMPARE(image.size(), QSize(1600, 1000));
        QVERIFY(distinctColours(image) > 20); // text, two run colours, grid, antialiasing
        QCOMPARE(image.pixelColor(5, 5), QColor(Qt::white));
        // The two runs' colours are on the figure.
        bool first = false, second = false;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x) {
                const QColor c = image.pixelColor(x, y);
                first = first || c == ui::runColor(0);
                second = second || c == ui::runColor(1);
            }
        QVERIFY(first && second);
    }

    // The runs the window coloured keep their colours in `reglab plot`, in any order and whichever were shown
    // when each was listed; a run the window never listed takes a colour none of the others has.
    void plotDrawsRunsInTheirWindowColours()
    {
        ui::RunModel model;
        QList<int> ids;
        for (int i = 0; i < 3; ++i)
            ids << model.addRun(syntheticRun(0.001 * (i + 1), false), QStringLiteral("run %1").arg(i));
        model.setShown(ids[0], false);
        ids << model.addRun(syntheticRun(0.01, true), QStringLiteral("run 3"));
        QStringList files;
        for (int id : ids) { // the window keeps each run's record, its colour in it
            files.prepend(path(QStringLiteral("window-%1.json").arg(id)));
            QVERIFY(writeFileAtomically(files.first().toStdString(), toJson(*model.record(id))).empty());
        }
        QList<ui::PlotRun> runs;
        for (const QString &file : files)
            runs << ui::PlotRun{file, {}, runRecordFromJson(readTextFile(file.toStdString()))};
        runs << ui::PlotRun{QStringLiteral("from reglab-train"), {}, syntheticRun(0.1, true)}; // no colour kept
        ui::colourRuns(runs);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(runs[i].color, model.color(ids[3 - i]));
        for (int i = 0; i < 4; ++i)
            QVERIFY(runs[4].color != runs[i].color);

        // The figure itself: the last-listed run's colour (not the palette's first) is on it.
        const QString out = path(QStringLiteral("window-colours.png"));
        QCOMPARE(app::runPlotCommand({files.first(), QStringLiteral("--out"), out}), 0);
        const QImage image(out);
        bool found = false;
        for (int y = 0; y < image.height() && !found; ++y)
            for (int x = 0; x < image.width() && !found; ++x)
                found = image.pixelColor(x, y) == model.color(ids[3]);
        QVERIFY(found);
        QVERIFY(model.color(ids[3]) != ui::runColor(0));
    }

    void svgParsesAndPdfIsAPdf()
    {
        const QString svg = path(QStringLiteral("loss.svg")), pdf = path(QStringLiteral("l1.pdf")),
                      csv = path(QStringLiteral("l1.csv"));
        QCOMPARE(app::runPlotCommand({path(QStringLiteral("strong.json")), QStringLiteral("--metric"),
                                      QStringLiteral("loss"), QStringLiteral("--out"), svg}),
                 0);
        QSvgRenderer renderer(svg);
        QVERIFY(renderer.isValid());
        QCOMPARE(renderer.viewBox(), QRect(0, 0, 252, 180)); // a paper's column unless told otherwise
        QCOMPARE(app::runPlotCommand({path(QStringLiteral("strong.json")), path(QStringLiteral("mild.json")),
                                      QStringLiteral("--metric"), QStringLiteral("l1_term"), QStringLiteral("--out"),
                                      pdf, QStringLiteral("--csv"), csv}),
                 0);
        QFile file(pdf);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.read(5) == "%PDF-");
        QFile table(csv);
        QVERIFY(table.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(table.readAll());
        QVERIFY(text.startsWith(QStringLiteral("series,x,y\n")));
        QCOMPARE(text.count(QLatin1Char('\n')), 1 + 2 * 18); // 6 epochs x 3 logged steps per run
    }

    // A figure is laid out for its use: a paper's column is a 3.5 x 2.5 in page with type of 7.5 to 9 points
    // (not a screen chart's 17 pt shrunk to 4), a slide 1920x1080 pixels; a size of one's own in in, pt or px.
    void figuresTakeTheSizeOfTheirUse()
    {
        const QString strong = path(QStringLiteral("strong.json")), mild = path(QStringLiteral("mild.json"));
        const QString column = path(QStringLiteral("column.pdf"));
        QCOMPARE(app::runPlotCommand({strong, mild, QStringLiteral("--out"), column}), 0); // the default for a PDF
        QFile pdf(column);
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.readAll().contains("MediaBox [0 0 252.000000 180.000000]"));
        QProcess text;
        text.start(QStringLiteral("pdftotext"), {QStringLiteral("-bbox"), column, QStringLiteral("-")});
        if (!text.waitForFinished(30000) || text.exitCode() != 0)
            QSKIP("pdftotext (poppler-utils) is not installed; scripts/setup.sh installs it");
        QXmlStreamReader xml(text.readAllStandardOutput());
        int words = 0;
        while (!xml.atEnd())
            if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("word")) {
                const auto at = [&](const char *key) { return xml.attributes().value(QLatin1String(key)).toDouble(); };
                // A word's box is about 1.2 times its type size across the line (rotated: the y axis' title).
                const double w = at("xMax") - at("xMin"), h = at("yMax") - at("yMin");
                const QString word = xml.readElementText();
                const double across = word.size() > 2 && h > w ? w : h;
                QVERIFY2(across >= 7.5 && across <= 13,
                         qPrintable(QStringLiteral("'%1' is %2 pt across").arg(word).arg(across)));
                ++words;
            }
        QVERIFY(words > 10);

        const QString slide = path(QStringLiteral("slide.png")), page = path(QStringLiteral("page.svg"));
        QCOMPARE(app::runPlotCommand({strong, QStringLiteral("--for"), QStringLiteral("slide"), QStringLiteral("--out"),
                                      slide}),
                 0);
        QCOMPARE(QImage(slide).size(), QSize(1920, 1080));
        QCOMPARE(app::runPlotCommand({strong, QStringLiteral("--size"), QStringLiteral("7x4in"), QStringLiteral("--out"),
                                      page}),
                 0);
        QCOMPARE(QSvgRenderer(page).viewBox(), QRect(0, 0, 504, 288));
        QCOMPARE(app::runPlotCommand({strong, QStringLiteral("--for"), QStringLiteral("column"), QStringLiteral("--out"),
                                      path(QStringLiteral("column.png"))}),
                 0);
        QCOMPARE(QImage(path(QStringLiteral("column.png"))).size(), QSize(1050, 750)); // 300 dpi
        QCOMPARE(app::runPlotCommand({strong, QStringLiteral("--for"), QStringLiteral("poster"), QStringLiteral("--out"),
                                      slide}),
                 2);
        QCOMPARE(app::runPlotCommand({strong, QStringLiteral("--for"), QStringLiteral("page"), QStringLiteral("--size"),
                                      QStringLiteral("3x2in"), QStringLiteral("--out"), slide}),
                 2);
        QCOMPARE(app::runPlotCommand({strong, QStringLiteral("--size"), QStringLiteral("3x2cm"), QStringLiteral("--out"),
                                      slide}),
                 2);
    }

    void badInputIsRefusedAndWritesNothing()
    {
        const QString out = path(QStringLiteral("never.png"));
        QCOMPARE(app::runPlotCommand({path(QStringLiteral("broken.json")), QStringLiteral("--out"), out}), 3);
        QCOMPARE(app::runPlotCommand({path(QStringLiteral("missing.json")), QStringLiteral("--out"), out}), 3);
        QCOMPARE(app::runPlotCommand({path(QStringLiteral("deep.json")), QStringLiteral("--out"), out}), 3);
        QCOMPARE(app::runPlotCommand({path(QStringLiteral("strong.json")), QStringLiteral("--metric"),
                                      QStringLiteral("happiness"), QStringLiteral("--out"), out}),
                 2);
        QCOMPARE(app::runPlotCommand({path(QStringLiteral("strong.json")), QStringLiteral("--out"),
                                      path(QStringLiteral("figure.gif"))}),
                 2);
        QCOMPARE(app::runPlotCommand({path(QStringLiteral("strong.json"))}), 2);
        QVERIFY(!QFile::exists(out));
        // A folder that does not exist: the write fails with status 1.
        QCOMPARE(app::runPlotCommand({path(QStringLiteral("strong.json")), QStringLiteral("--out"),
                                      path(QStringLiteral("no/such/dir/fig.png"))}),
                 1);
    }

    // `reglab plot victim.json --out pv.png --csv victim.json` once replaced the run with its CSV, exit 0. Any
    // output that is an input (by name, through a link, a hard link, or "..") is refused before anything is drawn.
    void outputsThatAreInputsAreRefused()
    {
        const QString victim = path(QStringLiteral("victim.json"));
        const std::string text = toJson(syntheticRun(0.001, false));
        // Inputs named like outputs: a record may have any name.
        for (const QString &name : {victim, path(QStringLiteral("victim.csv")), path(QStringLiteral("victim.svg"))})
            QVERIFY(writeFileAtomically(QFile::encodeName(name).toStdString(), text).empty());
        QVERIFY(QFile::link(victim, path(QStringLiteral("link.csv"))));
        const QString png = path(QStringLiteral("pv.png")), dotted = m_dir.path() + QStringLiteral("/./victim.json");
        const QList<QStringList> cases{
            {victim, QStringLiteral("--out"), png, QStringLiteral("--csv"), victim},
            {victim, QStringLiteral("--out"), png, QStringLiteral("--csv"), dotted},
            {victim, QStringLiteral("--out"), png, QStringLiteral("--csv"), path(QStringLiteral("link.csv"))},
            {path(QStringLiteral("victim.csv")), QStringLiteral("--out"), png, QStringLiteral("--summary"),
             path(QStringLiteral("victim.csv"))},
            {path(QStringLiteral("strong.json")), path(QStringLiteral("victim.svg")), QStringLiteral("--out"),
             path(QStringLiteral("victim.svg"))},
        };
        for (const QStringList &args : cases) {
            QCOMPARE(app::runPlotCommand(args), 2);
            for (const QString &name : {victim, path(QStringLiteral("victim.csv")), path(QStringLiteral("victim.svg"))})
                QVERIFY2(readTextFile(QFile::encodeName(name).toStdString()) == text, qPrintable(args.join(u' ')));
        }
        QVERIFY(!QFile::exists(png));
        // A sweep's folder: its records are the inputs.
        const QString sweep = path(QStringLiteral("sweep"));
        QVERIFY(QDir().mkpath(sweep));
        const QString record = sweep + QStringLiteral("/0000-l1_0.001.json");
        QVERIFY(writeFileAtomically(QFile::encodeName(record).toStdString(), text).empty());
        QProcess reglab;
        reglab.start(QStringLiteral(REGLAB_GUI_EXE), {QStringLiteral("plot"), QStringLiteral("--sweep"), sweep,
                                                      QStringLiteral("--out"), png, QStringLiteral("--csv"), record});
        QVERIFY(reglab.waitForFinished(30000));
        QCOMPARE(reglab.exitCode(), 2);
        const QString err = QString::fromUtf8(reglab.readAllStandardError());
        QVERIFY2(err.contains(QStringLiteral("--csv %1 is an input of this command (the run record %1)").arg(record)),
                 qPrintable(err));
        QCOMPARE(readTextFile(QFile::encodeName(record).toStdString()), text);
        // reglab --screenshot over the run it opens.
        reglab.start(QStringLiteral(REGLAB_GUI_EXE),
                     {QStringLiteral("--screenshot"), path(QStringLiteral("victim.svg")), path(QStringLiteral("victim.svg"))});
        QVERIFY(reglab.waitForFinished(30000));
        QVERIFY(reglab.exitCode() != 0);
        QVERIFY(QString::fromUtf8(reglab.readAllStandardError()).contains(QStringLiteral("is an input of this command")));
        QCOMPARE(readTextFile(QFile::encodeName(path(QStringLiteral("victim.svg"))).toStdString()), text);
    }

    // --size 8000x8000 --scale 4 (each in its range) took 4 GB and 93 s, and a failed allocation blamed the disk.
    void pixelsAreLimitedAndMemoryIsNamed()
    {
        const QString out = path(QStringLiteral("huge.png"));
        for (const QStringList &sizeScale : {QStringList{QStringLiteral("8000x8000"), QStringLiteral("4")},
                                             QStringList{QStringLiteral("4001x4000"), QStringLiteral("2")}})
            QCOMPARE(app::runPlotCommand({path(QStringLiteral("mild.json")), QStringLiteral("--out"), out,
                                          QStringLiteral("--size"), sizeScale[0], QStringLiteral("--scale"),
                                          sizeScale[1]}),
                     2);
        QVERIFY(!QFile::exists(out));
        QProcess reglab;
        reglab.start(QStringLiteral(REGLAB_GUI_EXE),
                     {QStringLiteral("plot"), path(QStringLiteral("mild.json")), QStringLiteral("--out"), out,
                      QStringLiteral("--size"), QStringLiteral("8000x8000"), QStringLiteral("--scale"),
                      QStringLiteral("4")});
        QVERIFY(reglab.waitForFinished(30000));
        QCOMPARE(reglab.exitCode(), 2);
        const QString err = QString::fromUtf8(reglab.readAllStandardError());
        QVERIFY2(err.contains(QStringLiteral("makes a 32000x32000-pixel PNG (1024 megapixels); a PNG has at most 64 "
                                             "megapixels")),
                 qPrintable(err));
        // A picture whose pixels cannot be allocated (40 GB) says it is the memory, and writes nothing.
        QList<ui::PlotRun> runs{{QStringLiteral("mild"), ui::runColor(0), syntheticRun(0.001, false)}};
        std::unique_ptr<QChart> chart(ui::makeRunChart(runs, "test_accuracy"));
        const QString error = ui::saveChart(chart.get(), QSize(100000, 100000), out, 1);
        QVERIFY2(error.startsWith(QStringLiteral("not enough memory for a 100000x100000-pixel image (40000 MB)")),
                 qPrintable(error));
        QVERIFY(!QFile::exists(out));
    }

private:
    // `reglab --screenshot FILE` with `args`: its exit status is `status` and its stderr holds every one of `needles`.
    void screenshot(const QStringList &args, int status, const QStringList &needles)
    {
        QProcess p;
        p.start(QStringLiteral(REGLAB_GUI_EXE), QStringList{QStringLiteral("--screenshot"), path(QStringLiteral("shot.png"))} + args);
        QVERIFY(p.waitForFinished(30000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        bool all = p.exitCode() == status;
        for (const QString &needle : needles)
            all = all && err.contains(needle);
        QVERIFY2(all, qPrintable(args.join(u' ') + QStringLiteral(": ") + err));
        QVERIFY(!QFile::exists(path(QStringLiteral("shot.png"))));
    }

private Q_SLOTS:
    // A truncated record or a FIFO given to --screenshot was dropped without a word, exit 0; a record from a newer
    // RegLab was drawn without a word. Each is said before anything trains.
    void screenshotSaysWhichRunsItCannotRead()
    {
        const QString fifo = path(QStringLiteral("fifo.json"));
        QVERIFY(::mkfifo(QFile::encodeName(fifo).constData(), 0644) == 0);
        const QString newer = path(QStringLiteral("newer.json"));
        const QString text = QString::fromStdString(toJson(syntheticRun(0.001, false)))
                                 .replace(QStringLiteral("\"format_version\": 2"), QStringLiteral("\"format_version\": 99"));
        QVERIFY(writeFileAtomically(QFile::encodeName(newer).toStdString(), text.toStdString()).empty());
        screenshot({path(QStringLiteral("mild.json")), path(QStringLiteral("broken.json")), fifo, newer}, 3,
                   {QStringLiteral("broken.json: not valid JSON"), QStringLiteral("named pipe"),
                    QStringLiteral("does not understand format_version 99"),
                    QStringLiteral("2 of the run files cannot be read; nothing was saved")});
    }

    // --show-network bogus was taken; --preset "The forum thread" (the menu's name) was refused with a message that
    // ignored the user's folder.
    void screenshotChecksItsOptions()
    {
        screenshot({QStringLiteral("--show-network"), QStringLiteral("bogus")}, 2,
                   {QStringLiteral("--show-network: 'bogus' is not allowed; use weights, histogram, sparsity")});
        screenshot({QStringLiteral("--preset"), QStringLiteral("No such thread")}, 2,
                   {QStringLiteral("\"The forum thread\" ("), QStringLiteral("RegLab/presets")});
    }

    // An empty label made a legend entry with no name: refused, with which one.
    void anEmptyLabelIsRefused()
    {
        const QString out = path(QStringLiteral("empty-label.svg"));
        QCOMPARE(app::runPlotCommand({path(QStringLiteral("strong.json")), path(QStringLiteral("mild.json")),
                                      QStringLiteral("--labels"), QStringLiteral("strong, "), QStringLiteral("--out"),
                                      out}),
                 2);
        QVERIFY(!QFile::exists(out));
    }

    // Labels in CJK or emoji became "??" in the .tex (and its PDF) without a word: the figure is written and the
    // labels pdflatex cannot typeset are named; an emoji is one '?', not two.
    void latexSaysWhichLabelsItLoses()
    {
        const QString tex = path(QStringLiteral("cjk.tex"));
        QProcess reglab;
        reglab.start(QStringLiteral(REGLAB_GUI_EXE),
                     {QStringLiteral("plot"), path(QStringLiteral("strong.json")), path(QStringLiteral("mild.json")),
                      QStringLiteral("--labels"), QStringLiteral("学习率 0.01,\U0001F642 mild"), QStringLiteral("--out"),
                      tex});
        QVERIFY(reglab.waitForFinished(30000));
        QCOMPARE(reglab.exitCode(), 0);
        const QString err = QString::fromUtf8(reglab.readAllStandardError());
        QVERIFY2(err.contains(QStringLiteral("warning: pdflatex's fonts lack characters of \"学习率 0.01\", "
                                             "\"\U0001F642 mild\", which show as '?'")),
                 qPrintable(err));
        const QString text = QString::fromUtf8(readTextFile(QFile::encodeName(tex).toStdString()).c_str());
        QVERIFY(text.contains(QStringLiteral("\\addlegendentry{??? 0.01}")));
        QVERIFY(text.contains(QStringLiteral("\\addlegendentry{? mild}")));
        QCOMPARE(ui::latexText(QStringLiteral("caf\u00e9 \u03bb\u2081")), QStringLiteral("caf\u00e9 $\\lambda_1$"));
    }

    // A 500-run plot's legend showed ~31 unnamed swatches and said nothing: it names the first runs and says how
    // many it leaves out, and reglab plot says where every run is listed.
    void aCutLegendSaysSo()
    {
        QList<ui::PlotRun> runs;
        for (int i = 0; i < 45; ++i)
            runs << ui::PlotRun{QStringLiteral("run %1").arg(i), ui::runColor(i), syntheticRun(0.001, false)};
        std::unique_ptr<QChart> chart(ui::makeRunChart(runs, "test_accuracy"));
        QVERIFY(!ui::renderChart(chart.get(), QSize(1200, 750)).isNull()); // laid out, as a figure is
        QStringList named;
        for (QLegendMarker *marker : chart->legend()->markers())
            if (marker->isVisible())
                named << marker->label();
        QCOMPARE(named.size(), ui::kMaxLegendRuns + 2); // the runs named, the note, the chance line
        QVERIFY(named.contains(QStringLiteral("run 19")) && !named.contains(QStringLiteral("run 20")));
        QVERIFY(named.contains(QStringLiteral("\u2026 and 25 more (the summary table lists all)")));
        QStringList args;
        for (int i = 0; i < 25; ++i)
            args << path(QStringLiteral("mild.json"));
        QProcess reglab;
        reglab.start(QStringLiteral(REGLAB_GUI_EXE),
                     QStringList{QStringLiteral("plot")} + args +
                         QStringList{QStringLiteral("--out"), path(QStringLiteral("many.svg")), QStringLiteral("--size"),
                                     QStringLiteral("1200x750")});
        QVERIFY(reglab.waitForFinished(30000));
        QCOMPARE(reglab.exitCode(), 0);
        const QString err = QString::fromUtf8(reglab.readAllStandardError());
        QVERIFY2(err.contains(QStringLiteral("the legend names the first 20 of 25 runs (more would not fit), and runs "
                                             "share the %1 colours; --summary TABLE.md (or .csv) lists every run")
                                  .arg(ui::runPalette().size())),
                 qPrintable(err));
    }

    // Runs on different data sets were plotted and tabulated together without a word.
    // A column figure's legend cut every configuration to "L1 off - L2 off - b...": runs are named by what
    // differs (where each departs, past three settings), whole, listed down the side when a row cannot hold them.
    void aColumnLegendTellsRunsApart()
    {
        RunRecord base = syntheticRun(0, false), lr = base, drop = base, many = base;
        lr.config.learningRate = 0.02;
        drop.config.dropout = {0.1, 0.2};
        many.config.optimizer = Optimizer::Adam;
        many.config.learningRate = 0.001;
        many.config.l1 = 0.001;
        many.config.l2 = 0.01;
        QStringList args;
        int i = 0;
        for (const RunRecord *r : {&base, &lr, &drop, &many}) {
            const QString file = path(QStringLiteral("col%1.json").arg(i++));
            QVERIFY(writeFileAtomically(QFile::encodeName(file).toStdString(), toJson(*r)).empty());
            args << file;
        }
        const QString out = path(QStringLiteral("column.svg"));
        QCOMPARE(app::runPlotCommand(args + QStringList{QStringLiteral("--out"), out}), 0);
        const QString svg = QString::fromStdString(readTextFile(QFile::encodeName(out).toStdString()));
        for (const char *name : {">lr 0.02<", ">dropout 0.1/0.2<", ">Chance (10 %)<"})
            QVERIFY2(svg.contains(QString::fromUtf8(name)), name);
        QVERIFY(!svg.contains(QStringLiteral("L2 off - b")));
    }

    void runsOfOtherDataSetsAreNamedSo()
    {
        RunRecord fashion = syntheticRun(0.001, false);
        fashion.config.data = "fashion";
        fashion.dataName = "Fashion-MNIST";
        const QString file = path(QStringLiteral("fashion.json")), table = path(QStringLiteral("data.md"));
        QVERIFY(writeFileAtomically(QFile::encodeName(file).toStdString(), toJson(fashion)).empty());
        QCOMPARE(app::runPlotCommand({path(QStringLiteral("mild.json")), file, QStringLiteral("--out"),
                                      path(QStringLiteral("data.svg")), QStringLiteral("--summary"), table}),
                 0);
        const QString text = QString::fromStdString(readTextFile(QFile::encodeName(table).toStdString()));
        QVERIFY2(text.contains(QStringLiteral("[Fashion-MNIST]")) && text.contains(QStringLiteral("[sample]")),
                 qPrintable(text));
        QVERIFY(QString::fromStdString(readTextFile(QFile::encodeName(path(QStringLiteral("data.svg"))).toStdString()))
                    .contains(QStringLiteral("Fashion-MNIST")));
    }

    // The gap of a few points: its column figure fits the y axis to the values (0-100 drew a flat line) and its
    // axis title fits ("Training - test accuracy (p..." was cut); the title says the whole metric.
    void aGapFigureFitsItsValues()
    {
        RunRecord r = syntheticRun(0.001, false);
        for (EpochRecord &e : r.epochs)
            e.trainAccuracy = e.testAccuracy + 0.01 * e.epoch - 0.02; // from -1 to 4 points
        const QString file = path(QStringLiteral("gap.json")), svg = path(QStringLiteral("gap.svg"));
        QVERIFY(writeFileAtomically(QFile::encodeName(file).toStdString(), toJson(r)).empty());
        QCOMPARE(app::runPlotCommand({file, QStringLiteral("--metric"), QStringLiteral("gap"), QStringLiteral("--out"), svg}),
                 0);
        QList<ui::PlotRun> runs{{QStringLiteral("gap"), ui::runColor(0), r}};
        ui::FigureUse column;
        QVERIFY(ui::figureUseNamed(QStringLiteral("column"), column));
        std::unique_ptr<QChart> chart(ui::makeRunFigure(runs, "gap", column));
        auto *y = qobject_cast<QValueAxis *>(chart->axes(Qt::Vertical).first());
        QVERIFY(y);
        QVERIFY2(y->min() < -1 && y->min() >= -5 && y->max() > 4 && y->max() <= 10,
                 qPrintable(QStringLiteral("%1..%2").arg(y->min()).arg(y->max())));
        QCOMPARE(y->titleText(), QStringLiteral("Gap (points)"));
        QVERIFY(chart->title().startsWith(QStringLiteral("Generalization gap")));
        const QStringList texts = svgTexts(svg);
        QVERIFY2(texts.contains(QStringLiteral("Gap (points)")), qPrintable(texts.join(u'|')));
        QVERIFY2(cutTexts(texts).isEmpty(), qPrintable(cutTexts(texts).join(u'|')));
    }

    // A run of one logged loss point is drawn as a dot (a line of one point draws nothing, yet set the axis).
    void aLonePointIsDrawn()
    {
        RunRecord r = syntheticRun(0.001, false, 1);
        r.steps.resize(1);
        r.steps[0].loss = 45;
        std::unique_ptr<QChart> chart(ui::makeRunChart({{QStringLiteral("one"), ui::runColor(0), r}}, "loss"));
        int dots = 0;
        for (QAbstractSeries *series : chart->series())
            if (auto *scatter = qobject_cast<QScatterSeries *>(series))
                dots += scatter->count();
        QCOMPARE(dots, 1);
    }

    // A column PNG keeps its last x tick label and end dots inside the figure: the right margin holds them.
    void aColumnKeepsItsRightEnd()
    {
        QList<ui::PlotRun> runs{{QStringLiteral("mild"), ui::runColor(0), syntheticRun(0.001, false)}};
        ui::FigureUse column;
        QVERIFY(ui::figureUseNamed(QStringLiteral("column"), column));
        std::unique_ptr<QChart> chart(ui::makeRunFigure(runs, "test_accuracy", column));
        QGraphicsScene scene;
        scene.addItem(chart.get());
        chart->setGeometry(QRectF(QPointF(0, 0), QSizeF(column.layoutSize())));
        chart->layout()->activate();
        QCoreApplication::processEvents();
        const QFontMetricsF ticks(chart->axes(Qt::Horizontal).first()->labelsFont());
        const double overhang = std::max(ticks.horizontalAdvance(QStringLiteral("6")) / 2, column.line * 1.3 * 2);
        QVERIFY2(chart->plotArea().right() + overhang <= column.layoutSize().width(),
                 qPrintable(QStringLiteral("plot ends at %1 of %2").arg(chart->plotArea().right()).arg(column.layoutSize().width())));
        // Qt clips the series to the plot: the last epoch's dot lies whole inside it.
        QAbstractSeries *line = chart->series().first();
        const double lastX = chart->mapToPosition(QPointF(6, 90), line).x();
        const double radius = qobject_cast<QScatterSeries *>(chart->series().at(1))->markerSize() / 2;
        QVERIFY2(lastX + radius <= chart->plotArea().right(),
                 qPrintable(QStringLiteral("the last dot reaches %1, the plot ends at %2").arg(lastX + radius).arg(chart->plotArea().right())));
        const auto *x = qobject_cast<QValueAxis *>(chart->axes(Qt::Horizontal).first());
        QCOMPARE(x->tickInterval(), 1.0); // ticks on whole epochs still
        scene.removeItem(chart.get());
    }

    // reglab --screenshot with no --size on the offscreen platform's own screen (800x600): the compact layout (the
    // docks a tab each in one column, under their short titles), and no tick label, title or legend entry cut or
    // squeezed ("3....").
    void aScreenshotOfTheSmallestScreenIsCompactAndWhole()
    {
        const QString svg = path(QStringLiteral("small-screen.svg"));
        QProcess reglab;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen")); // its screen: 800x600
        env.remove(QStringLiteral("QT_SCALE_FACTOR"));
        for (const char *name : {"HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"}) // nothing of the user's is read
            env.insert(QLatin1String(name), path(QStringLiteral("screen-%1").arg(QLatin1String(name))));
        reglab.setProcessEnvironment(env);
        reglab.setProcessChannelMode(QProcess::MergedChannels);
        reglab.start(QStringLiteral(REGLAB_GUI_EXE), {QStringLiteral("--reset-settings"), QStringLiteral("--epochs"),
                                                      QStringLiteral("1"), QStringLiteral("--screenshot"), svg});
        QVERIFY(reglab.waitForFinished(120000));
        QVERIFY2(reglab.exitCode() == 0, reglab.readAll().constData());
        const QStringList texts = svgTexts(svg);
        QVERIFY2(cutTexts(texts).isEmpty(), qPrintable(cutTexts(texts).join(u'|')));
        for (const char *text : {"Predictions", "Network", "Runs", "Epoch", "100", "Accuracy (%)"})
            QVERIFY2(texts.contains(QLatin1String(text)), qPrintable(QLatin1String(text) + QLatin1Char(':') + texts.join(u'|')));
        QVERIFY(!texts.contains(QStringLiteral("Inside the network"))); // the roomy layout's dock title
    }

    // A side legend's long name (a run with its data set) is wrapped before its data set, not cut ("L1 0.001
    // [Fashion-...").
    void aSideLegendWrapsALongName()
    {
        RunRecord off = syntheticRun(0, false), strong = syntheticRun(0.01, false), fashion = syntheticRun(0.001, false);
        fashion.config.data = "fashion";
        fashion.dataName = "Fashion-MNIST";
        QStringList args;
        int i = 0;
        for (const RunRecord *r : {&off, &strong, &fashion}) {
            args << path(QStringLiteral("side%1.json").arg(i++));
            QVERIFY(writeFileAtomically(QFile::encodeName(args.last()).toStdString(), toJson(*r)).empty());
        }
        const QString svg = path(QStringLiteral("side.svg"));
        QCOMPARE(app::runPlotCommand(args + QStringList{QStringLiteral("--out"), svg}), 0);
        const QStringList texts = svgTexts(svg);
        QVERIFY2(cutTexts(texts).isEmpty(), qPrintable(cutTexts(texts).join(u'|')));
        QVERIFY2(texts.contains(QStringLiteral("L1 0.001")) && texts.contains(QStringLiteral("[Fashion-MNIST]")),
                 qPrintable(texts.join(u'|')));
    }

    void exportsKeepWhatIsOnScreen()
    {
        QList<ui::PlotRun> runs{{QStringLiteral("strong"), ui::runColor(0), syntheticRun(0.01, true)}};
        std::unique_ptr<QChart> chart(ui::makeRunChart(runs, "small_fraction"));
        const QImage one = ui::renderChart(chart.get(), QSize(640, 400), 1);
        const QImage three = ui::renderChart(chart.get(), QSize(640, 400), 3);
        QCOMPARE(one.size(), QSize(640, 400));
        QCOMPARE(three.size(), QSize(1920, 1200));
        QVERIFY(distinctColours(three) > 20);
        QVERIFY(ui::chartCsv(chart.get()).contains(QStringLiteral("strong,6,100")));
    }

    void commandLineDispatch()
    {
        QProcess reglab;
        reglab.setProcessChannelMode(QProcess::MergedChannels);
        const QString out = path(QStringLiteral("cli.png"));
        reglab.start(QStringLiteral(REGLAB_GUI_EXE),
                     {QStringLiteral("plot"), path(QStringLiteral("mild.json")), QStringLiteral("--metric"),
                      QStringLiteral("val_accuracy"), QStringLiteral("--out"), out});
        QVERIFY(reglab.waitForFinished(30000));
        QCOMPARE(reglab.exitCode(), 0);
        QVERIFY(reglab.readAll().contains("wrote"));
        QCOMPARE(QImage(out).size(), QSize(1920, 1080)); // a PNG is a slide unless told otherwise
    }
};

QTEST_MAIN(PlotTest)
#include "test_gui_plot.moc"
