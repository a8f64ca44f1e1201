// Figures: `reglab plot` and the export functions write a PNG of the requested size that is not blank, an SVG
// that parses, a PDF that is a PDF; bad input gets a clear message and writes nothing.
#include "app/plotcommand.h"
#include "model/runrecord.h"
#include "ui/charts/figureexport.h"
#include "ui/runs/runmodel.h"
#include "ui/runs/runplot.h"

#include <QChart>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QSet>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

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
