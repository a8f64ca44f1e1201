// Compared runs stay apart in a greyscale print: five runs' figure as a PDF, rendered in grey by pdftoppm, has
// lines whose dash-and-marker patterns differ however they are shifted along the line; the SVG gives each run's
// stroke its own dash array, and the .tex its own pgfplots dash style and mark.
#include "app/plotcommand.h"
#include "model/runrecord.h"
#include "ui/charts/figureuse.h"
#include "ui/charts/palette.h"
#include "ui/charts/runstyle.h"
#include "ui/figures/runfigure.h"
#include "ui/runs/runplot.h"

#include <QChart>
#include <QFile>
#include <QImage>
#include <QLineSeries>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace reglab;

namespace {

constexpr int kRuns = 5;

// Run k: a flat loss of k + 1 over 8 epochs of logged steps (flat lines lie apart, each on one row of pixels).
RunRecord flatRun(int k)
{
    RunRecord r;
    r.config.l1 = 0.001 * (k + 1);
    r.status = RunStatus::Finished;
    for (int e = 1; e <= 8; ++e) {
        EpochRecord rec;
        rec.epoch = e;
        rec.step = 100 * e;
        rec.testAccuracy = 0.5;
        r.epochs.push_back(rec);
        for (int s = 0; s < 100; s += 4) {
            StepRecord step;
            step.step = 100 * (e - 1) + s + 1;
            step.epoch = e;
            step.dataLoss = k + 1.0;
            step.loss = step.dataLoss;
            r.steps.push_back(step);
        }
    }
    return r;
}

// The fraction of positions where two signatures differ, at the shift that matches them best (a pattern of the
// same dashes drawn from another phase is the same pattern).
double bestMismatch(const std::vector<bool> &a, const std::vector<bool> &b, int maxShift)
{
    double best = 1;
    for (int s = -maxShift; s <= maxShift; ++s) {
        int differ = 0, compared = 0;
        for (int i = 0; i < int(a.size()); ++i) {
            const int j = i + s;
            if (j < 0 || j >= int(b.size()))
                continue;
            ++compared;
            differ += a[std::size_t(i)] != b[std::size_t(j)];
        }
        if (compared > int(a.size()) / 2)
            best = std::min(best, double(differ) / compared);
    }
    return best;
}

} // namespace

class GreyscaleTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QStringList m_files;
    QList<ui::PlotRun> m_runs;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        for (int k = 0; k < kRuns; ++k) {
            m_files << m_dir.filePath(QStringLiteral("run%1.json").arg(k));
            QVERIFY(writeFileAtomically(m_files.last().toStdString(), toJson(flatRun(k))).empty());
            m_runs << ui::PlotRun{QStringLiteral("run %1").arg(k), {}, flatRun(k)};
        }
        ui::colourRuns(m_runs);
    }

    // The check: each run's line is followed along its row of the greyscale raster (its y from the chart's own
    // mapping), a column inked where any pixel within 3 px of the row is darker than the light grid; the runs'
    // patterns of ink (dashes, dots, markers) differ from one another by more than 8 % of the line at every shift.
    // Drawn all solid without markers, as they were, every pair would match at shift 0 (0 % apart).
    void aGreyscalePrintTellsRunsApart()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("pdftoppm")).isEmpty())
            QSKIP("pdftoppm (poppler-utils) is not installed");
        ui::FigureUse use;
        QVERIFY(ui::figureUseNamed(QStringLiteral("page"), use));
        QChart *chart = ui::makeRunFigure(m_runs, "data_loss", use);
        const QString pdf = m_dir.filePath(QStringLiteral("runs.pdf"));
        QCOMPARE(ui::saveFigure(chart, use, pdf, use.pngScale), QString());
        // The CLI draws the same figure (one path for both): it writes one too.
        QCOMPARE(app::runPlotCommand({m_files[0], m_files[1], m_files[2], m_files[3], m_files[4],
                                      QStringLiteral("--metric"), QStringLiteral("data_loss"), QStringLiteral("--for"),
                                      QStringLiteral("page"), QStringLiteral("--out"), m_dir.filePath("cli.pdf")}),
                 0);
        constexpr int dpi = 100;
        QProcess render;
        render.start(QStringLiteral("pdftoppm"), {QStringLiteral("-gray"), QStringLiteral("-r"), QString::number(dpi),
                                                  QStringLiteral("-singlefile"), pdf, m_dir.filePath("grey")});
        QVERIFY(render.waitForFinished(30000));
        QCOMPARE(render.exitCode(), 0);
        const QImage grey(m_dir.filePath(QStringLiteral("grey.pgm")));
        QVERIFY(!grey.isNull());
        QCOMPARE(grey.format(), QImage::Format_Grayscale8);
        // Layout units to the raster's pixels: the page is use.size points, laid out at use.layoutSize().
        const double k = double(use.size.width()) / use.layoutSize().width() * dpi / 72.0;
        const QRectF plot = chart->plotArea();
        QList<QAbstractSeries *> lines;
        for (QAbstractSeries *s : chart->series())
            if (auto *line = qobject_cast<QLineSeries *>(s); line && line->count() > 0)
                lines << line;
        QCOMPARE(int(lines.size()), kRuns);
        const int x0 = int((plot.left() + 0.04 * plot.width()) * k), x1 = int((plot.right() - 0.04 * plot.width()) * k);
        std::vector<std::vector<bool>> signatures;
        for (int r = 0; r < kRuns; ++r) {
            const QPointF at = chart->mapToPosition(QPointF(400, r + 1.0), lines[r]) * k;
            const int row = int(std::lround(at.y()));
            std::vector<bool> ink;
            int inked = 0;
            for (int x = x0; x < x1; ++x) {
                int darkest = 255;
                for (int y = row - 3; y <= row + 3; ++y)
                    darkest = std::min(darkest, qGray(grey.pixel(x, std::clamp(y, 0, grey.height() - 1))));
                ink.push_back(darkest < 200);
                inked += ink.back();
            }
            const double duty = double(inked) / double(ink.size());
            qInfo("run %d (%s): %.0f %% of its line inked in grey", r,
                  qPrintable(ui::describeRunStyle(ui::runStyleOf(m_runs[r].color))), 100 * duty);
            QVERIFY2(duty > 0.25, "the line is found on its row"); // a dotted line is over a third ink
            signatures.push_back(ink);
        }
        QVERIFY2(double(std::count(signatures[0].begin(), signatures[0].end(), true)) / signatures[0].size() > 0.95,
                 "run 0 is solid");
        const int maxShift = int(40 * k); // more than a dash-dot-dot's period at the page's line width
        for (int a = 0; a < kRuns; ++a)
            for (int b = a + 1; b < kRuns; ++b) {
                const double apart = bestMismatch(signatures[std::size_t(a)], signatures[std::size_t(b)], maxShift);
                qInfo("runs %d and %d: %.0f %% apart at the best shift", a, b, 100 * apart);
                QVERIFY2(apart > 0.08, qPrintable(QStringLiteral("runs %1 and %2 look alike in grey").arg(a).arg(b)));
            }
        delete chart;
    }

    // The SVG: each run's line has its own stroke-dasharray (run 0 solid, none); the .tex names a dash style and
    // a mark per run, all different.
    void vectorExportsNameEachRunsStyle()
    {
        const QString svg = m_dir.filePath(QStringLiteral("runs.svg")),
                      tex = m_dir.filePath(QStringLiteral("runs.tex"));
        QStringList args = m_files;
        QCOMPARE(app::runPlotCommand(args + QStringList{QStringLiteral("--metric"), QStringLiteral("data_loss"),
                                                        QStringLiteral("--out"), svg}),
                 0);
        QCOMPARE(app::runPlotCommand(args + QStringList{QStringLiteral("--metric"), QStringLiteral("data_loss"),
                                                        QStringLiteral("--out"), tex}),
                 0);
        QFile file(svg);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        QHash<QString, QSet<QString>> dashes; // run colour -> dash arrays its strokes use
        while (!xml.atEnd())
            if (xml.readNext() == QXmlStreamReader::StartElement) {
                const QString stroke = xml.attributes().value(QStringLiteral("stroke")).toString().toLower();
                if (!stroke.isEmpty() && xml.attributes().value(QStringLiteral("fill")) == QLatin1String("none"))
                    dashes[stroke].insert(xml.attributes().value(QStringLiteral("stroke-dasharray")).toString());
            }
        QSet<QString> seen;
        for (int r = 0; r < kRuns; ++r) {
            const QSet<QString> own = dashes.value(m_runs[r].color.name());
            QVERIFY2(!own.isEmpty(), qPrintable(m_runs[r].color.name()));
            QString dash;
            for (const QString &d : own)
                if (!d.isEmpty() && d != QLatin1String("none"))
                    dash = d;
            QCOMPARE(dash.isEmpty(), r == 0); // run 0 is solid
            QVERIFY2(!seen.contains(dash), qPrintable(dash));
            seen.insert(dash);
        }
        QFile texFile(tex);
        QVERIFY(texFile.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(texFile.readAll());
        static const QRegularExpression legend(QStringLiteral("\\\\addlegendimage\\{[^\\n]*, (solid|dashed|densely "
                                                              "dashed|densely dotted|dash dot|dash dot dot), line "
                                                              "width=[0-9.]+pt, mark=([a-z*]+),"));
        QSet<QString> styles, marks;
        for (auto it = legend.globalMatch(text); it.hasNext();) {
            const auto m = it.next();
            styles.insert(m.captured(1) + QLatin1Char('/') + m.captured(2));
            marks.insert(m.captured(2));
        }
        QCOMPARE(int(styles.size()), kRuns);
        QCOMPARE(int(marks.size()), kRuns);
        QVERIFY(text.contains(QStringLiteral("only marks, mark=square*")));
    }
};

QTEST_MAIN(GreyscaleTest)
#include "test_gui_greyscale.moc"
