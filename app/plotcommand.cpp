#include "app/plotcommand.h"

#include "model/runfiles.h"
#include "model/runrecord.h"
#include "model/summarytable.h"
#include "model/sweeppath.h"
#include "ui/charts/figureexport.h"
#include "ui/charts/palette.h"
#include "ui/charts/figureuse.h"
#include "ui/charts/pgfplotsexport.h"
#include "ui/figures/runfigure.h"
#include "ui/runs/runnames.h"
#include "ui/runs/runplot.h"
#include "ui/sweeps/pathchart.h"

#include <QChart>
#include <QFile>
#include <QFileInfo>

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace reglab::app {
namespace {

QString usage()
{
    return QStringLiteral(
               "usage: reglab plot RUN.json [RUN.json ...] --out FIG.png|FIG.svg|FIG.pdf|FIG.tex [options]\n\n"
               "Draws one metric of finished runs (from reglab-train --out or the dashboard's Save) on one set\n"
               "of axes, one colour per run, with no window.\n\n"
               "  --metric M      %1 [test_accuracy]\n"
               "  --out FILE      .png, .svg, .pdf, or .tex (a pgfplots figure for pdflatex) (required)\n"
               "  --title TEXT    chart title [the metric]\n"
               "  --labels A,B,.. legend labels, one per run [each run's configuration in short]\n"
               "  --for USE       what the figure is for, laid out at its size with type that reads there:\n"
               "                  column (3.5 in wide), page (7 in) or slide (16:9, 1920x1080 px)\n"
               "                  [column for .pdf, .svg and .tex; slide for .png]\n"
               "  --size WxH      a size of your own in in, pt or px: 3.5x2.5in, 504x288pt, 1200x750px\n"
               "                  (no unit: pixels, with the screen's type)\n"
               "  --scale N       PNG pixels per point, 1 to 5 [300 dpi for column and page, 2 for a slide]\n"
               "  --csv FILE      also write the plotted numbers (series,x,y)\n"
               "  --summary FILE  also write the runs' summary table (.csv, or .md for Markdown)\n\n"
               "reglab plot --sweep DIR --out FIG [--x l1,l2] [--metric M] [--group KEY]: the regularization path\n"
               "of a sweep's folder of records (reglab-train --sweep): the final metric against the swept setting,\n"
               "mean over seeds with a min-max band, one curve per group.\n"
               "  --x KEYS        the swept setting; a list (l1,l2) makes one curve per key [l1,l2]\n"
               "  --metric M      %2 [test_accuracy]\n"
               "  --group KEY     one curve per value of this setting (l1_method, optimizer, ...)\n")
        .arg(ui::metricNames().join(QLatin1Char('|')),
             QString::fromStdString([] {
                 std::string names;
                 for (const std::string &m : pathMetrics())
                     names += (names.empty() ? "" : "|") + m;
                 return names;
             }()));
}

int fail(int status, const QString &message)
{
    std::fprintf(stderr, "reglab plot: %s\n", qPrintable(message));
    return status;
}

// The most pixels a PNG may have (8000x8000 at scale 1, 4000x4000 at 2): each is 4 bytes while it is drawn, and
// --size 8000x8000 --scale 4 alone would take 4 GB and minutes.
constexpr double kMaxPngPixels = 64e6;

// "" or why a PNG of `size` at `scale` is too large; the other formats draw vectors at `size` and ignore the scale.
QString pixelProblem(const QString &out, const QSize &size, double scale)
{
    if (QFileInfo(out).suffix().toLower() != QLatin1String("png"))
        return {};
    const double w = std::round(size.width() * scale), h = std::round(size.height() * scale);
    if (w * h <= kMaxPngPixels)
        return {};
    return QStringLiteral("--size %1x%2 at --scale %3 makes a %4x%5-pixel PNG (%6 megapixels); a PNG has at most %7 "
                          "megapixels (8000x8000 at scale 1, 4000x4000 at 2): lower --size or --scale, or write a "
                          ".svg or .pdf")
        .arg(size.width())
        .arg(size.height())
        .arg(scale)
        .arg(w, 0, 'f', 0)
        .arg(h, 0, 'f', 0)
        .arg(w * h / 1e6, 0, 'f', 0)
        .arg(kMaxPngPixels / 1e6, 0, 'f', 0);
}

// --out's name: "" or what is wrong with it (missing, or a format reglab plot does not write).
QString figureNameProblem(const QString &out)
{
    if (out.isEmpty())
        return QStringLiteral("--out FIG.png|svg|pdf|tex is required");
    const QString suffix = QFileInfo(out).suffix().toLower();
    if (suffix != QLatin1String("png") && suffix != QLatin1String("svg") && suffix != QLatin1String("pdf") &&
        suffix != QLatin1String("tex"))
        return QStringLiteral("--out: %1: use a .png, .svg, .pdf or .tex file name").arg(out);
    return {};
}

// Writes a chart as --out asks, at its use's size: .tex through the pgfplots writer, the rest as images; and its numbers as CSV.
int writeChart(QChart *chart, const QString &out, const ui::FigureUse &use, double scale, const QString &csv)
{
    if (const QString error = ui::saveFigure(chart, use, out, scale); !error.isEmpty())
        return fail(1, error);
    if (QFileInfo(out).suffix().toLower() == QLatin1String("tex"))
        if (const QStringList lost = ui::textsLatexLoses(chart); !lost.isEmpty())
            std::fprintf(stderr,
                         "reglab plot: warning: pdflatex's fonts lack characters of %s, which show as '?' in %s; "
                         "use Latin letters in the labels, or a .pdf or .svg figure\n",
                         qPrintable(QStringLiteral("\"") + lost.join(QStringLiteral("\", \"")) + QStringLiteral("\"")),
                         qPrintable(out));
    if (!csv.isEmpty()) {
        const QByteArray bytes = ui::chartCsv(chart).toUtf8();
        if (const std::string e = writeFileAtomically(QFile::encodeName(csv).toStdString(), bytes.toStdString());
            !e.empty())
            return fail(1, QString::fromStdString(e));
    }
    return 0;
}

int plotSweep(const QString &dir, const QString &xKeys, const QString &metric, const QString &group, const QString &out,
              const QString &title, const ui::FigureUse &use, double scale, const QStringList &files,
              const QString &csv, const QString &summary)
{
    if (!files.isEmpty())
        return fail(2, QStringLiteral("--sweep plots a folder of records; give run files without --sweep"));
    if (!summary.isEmpty())
        return fail(2, QStringLiteral("--summary goes with run files, not --sweep"));
    if (const QString e = figureNameProblem(out); !e.isEmpty())
        return fail(2, e);
    if (!QFileInfo(dir).isDir())
        return fail(3, QStringLiteral("--sweep: %1 is not a folder (give the --out-dir of reglab-train --sweep)").arg(dir));
    // The folder's records are the inputs: --csv D/0000-....json would replace one with the plotted numbers.
    std::vector<NamedFile> inputs;
    for (const std::string &record : presetFiles(QFile::encodeName(dir).toStdString()))
        inputs.push_back({"the run record", record});
    if (const std::string e = outputOverInput(
            {{"--out", QFile::encodeName(out).toStdString()}, {"--csv", QFile::encodeName(csv).toStdString()}}, inputs);
        !e.empty())
        return fail(2, QString::fromStdString(e));
    for (const QString &target : {out, csv})
        if (!target.isEmpty())
            if (const std::string e = checkWritableTarget(QFile::encodeName(target).toStdString()); !e.empty())
                return fail(1, QString::fromStdString(e));
    const LoadedRuns loaded = keptRuns(QFile::encodeName(dir).toStdString());
    for (const std::string &problem : loaded.problems) // a damaged record is left out, and said
        std::fprintf(stderr, "reglab plot: left out %s\n", problem.c_str());
    if (loaded.runs.empty())
        return fail(3, QStringLiteral("--sweep: no run records in %1 yet").arg(dir));
    std::vector<RunRecord> records;
    for (const LoadedRun &run : loaded.runs)
        records.push_back(run.record);
    SweepPath path;
    try {
        path = sweepPath(records, xKeys.toStdString(), metric.toStdString(), group.toStdString());
    } catch (const std::exception &e) {
        return fail(2, QString::fromStdString(e.what()));
    }
    std::unique_ptr<QChart> chart(ui::makePathChart(path, title));
    ui::styleForUse(chart.get(), use);
    if (const int status = writeChart(chart.get(), out, use, scale, csv); status != 0)
        return status;
    std::printf("reglab plot: wrote %s (the path of %zu run record(s), %zu curve(s), %d left out)\n", qPrintable(out),
                records.size(), path.curves.size(), path.skipped);
    return 0;
}

} // namespace

int runPlotCommand(const QStringList &args)
{
    QStringList files, labels;
    QString out, title, csv, summary, metricName = QStringLiteral("test_accuracy");
    QString sweepDir, xKeys = QStringLiteral("l1,l2"), group;
    ui::FigureUse use;
    bool useGiven = false, scaleGiven = false;
    double scale = 1;
    for (int i = 0; i < args.size(); ++i) {
        const QString &arg = args[i];
        if (arg == QLatin1String("-h") || arg == QLatin1String("--help")) {
            std::printf("%s", qPrintable(usage()));
            return 0;
        }
        if (!arg.startsWith(QLatin1String("--"))) {
            files << arg;
            continue;
        }
        if (i + 1 >= args.size())
            return fail(2, QStringLiteral("%1 needs a value; see reglab plot --help").arg(arg));
        const QString value = args[++i];
        if (arg == QLatin1String("--metric"))
            metricName = value;
        else if (arg == QLatin1String("--out"))
            out = value;
        else if (arg == QLatin1String("--title"))
            title = value;
        else if (arg == QLatin1String("--csv"))
            csv = value;
        else if (arg == QLatin1String("--summary"))
            summary = value;
        else if (arg == QLatin1String("--sweep"))
            sweepDir = value;
        else if (arg == QLatin1String("--x"))
            xKeys = value;
        else if (arg == QLatin1String("--group"))
            group = value;
        else if (arg == QLatin1String("--labels"))
            labels = value.split(QLatin1Char(','));
        else if (arg == QLatin1String("--for")) {
            if (useGiven || !ui::figureUseNamed(value, use))
                return fail(2, useGiven ? QStringLiteral("give --for or --size, not both")
                                        : QStringLiteral("--for: '%1' is not allowed; use column, page or slide").arg(value));
            useGiven = true;
        } else if (arg == QLatin1String("--size")) {
            if (useGiven)
                return fail(2, QStringLiteral("give --for or --size, not both"));
            if (const QString e = ui::parseFigureSize(value, use); !e.isEmpty())
                return fail(2, e);
            useGiven = true;
        } else if (arg == QLatin1String("--scale")) {
            bool ok = false;
            scale = value.toDouble(&ok);
            scaleGiven = true;
            if (!ok || !(scale >= 1 && scale <= 5)) // NaN fails every comparison: refused too
                return fail(2, QStringLiteral("--scale: '%1' is not allowed; give a number from 1 to 5").arg(value));
        } else {
            return fail(2, QStringLiteral("unknown option %1; see reglab plot --help").arg(arg));
        }
    }
    if (!useGiven)
        use = ui::defaultFigureUse(out);
    if (!scaleGiven)
        scale = use.pngScale;
    if (const QString e = pixelProblem(out, use.size, scale); !e.isEmpty())
        return fail(2, e);
    if (!sweepDir.isEmpty())
        return plotSweep(sweepDir, xKeys, metricName, group, out, title, use, scale, files, csv, summary);
    ui::Metric metric;
    if (!ui::parseMetric(metricName, metric))
        return fail(2, QStringLiteral("--metric: '%1' is not allowed; use one of %2")
                           .arg(metricName, ui::metricNames().join(QStringLiteral(", "))));
    if (files.isEmpty())
        return fail(2, QStringLiteral("give at least one run file (JSON); see reglab plot --help"));
    if (const QString e = figureNameProblem(out); !e.isEmpty())
        return fail(2, e);
    const QString summarySuffix = QFileInfo(summary).suffix().toLower();
    if (!summary.isEmpty() && summarySuffix != QLatin1String("csv") && summarySuffix != QLatin1String("md"))
        return fail(2, QStringLiteral("--summary: %1: use a .csv or .md file name").arg(summary));
    if (!labels.isEmpty() && labels.size() != files.size())
        return fail(2, QStringLiteral("--labels: %1 labels for %2 runs").arg(labels.size()).arg(files.size()));
    for (int i = 0; i < labels.size(); ++i)
        if (labels[i].trimmed().isEmpty())
            return fail(2, QStringLiteral("--labels: label %1 is empty; give each run a name, separated by commas")
                               .arg(i + 1));
    // The outputs, checked before anything is drawn: a folder, a device, a FIFO or an unwritable folder cannot be
    // written (status 1, as for a failed write); --out and --csv naming one file, where one would silently replace
    // the other, are bad arguments (2).
    const std::string outPath = QFile::encodeName(out).toStdString(), csvPath = QFile::encodeName(csv).toStdString();
    const std::string summaryPath = QFile::encodeName(summary).toStdString();
    std::vector<NamedFile> inputs; // each run file: an output naming one would replace the run
    for (const QString &file : files)
        inputs.push_back({"the run record", QFile::encodeName(file).toStdString()});
    if (const std::string e = outputOverInput({{"--out", outPath}, {"--csv", csvPath}, {"--summary", summaryPath}}, inputs);
        !e.empty())
        return fail(2, QString::fromStdString(e));
    if (const std::string e = checkWritableTarget(outPath); !e.empty())
        return fail(1, QStringLiteral("--out: %1").arg(QString::fromStdString(e)));
    if (!csv.isEmpty()) {
        if (const std::string e = checkWritableTarget(csvPath); !e.empty())
            return fail(1, QStringLiteral("--csv: %1").arg(QString::fromStdString(e)));
        if (sameSaveTarget(outPath, csvPath))
            return fail(2,
                        QStringLiteral("--out and --csv name the same file (%1); give two different files").arg(csv));
    }
    if (!summary.isEmpty()) {
        if (const std::string e = checkWritableTarget(summaryPath); !e.empty())
            return fail(1, QStringLiteral("--summary: %1").arg(QString::fromStdString(e)));
        if (sameSaveTarget(outPath, summaryPath) || (!csv.isEmpty() && sameSaveTarget(csvPath, summaryPath)))
            return fail(2, QStringLiteral("--summary names the same file as --out or --csv (%1); give different files")
                               .arg(summary));
    }

    QList<ui::PlotRun> runs;
    for (int i = 0; i < files.size(); ++i) {
        ui::PlotRun run;
        try {
            run.record = runRecordFromJson(readTextFile(files[i].toStdString()));
            if (const std::string text = notUnderstoodText(run.record); !text.empty())
                std::fprintf(stderr, "reglab plot: %s: drawn with what this version understands; not understood: %s "
                                     "(written by a newer RegLab?)\n",
                             qPrintable(files[i]), text.c_str());
        } catch (const std::exception &e) {
            const QString what = QString::fromStdString(e.what());
            return fail(3, what.startsWith(files[i]) ? what : files[i] + QStringLiteral(": ") + what);
        }
        runs << run;
    }
    // A legend names runs by what differs between their settings ("L1 0.01" beside "L1 0.001"), which a
    // column's legend has room for, as the window's do; the summary table by their whole configuration.
    QList<ui::RunNaming> naming;
    for (int i = 0; i < runs.size(); ++i)
        naming << ui::RunNaming{&runs[i].record, labels.value(i), QFileInfo(files[i]).completeBaseName()};
    const QList<ui::RunNames> names = ui::runNames(naming);
    QStringList fullNames;
    for (int i = 0; i < runs.size(); ++i) {
        runs[i].label = names[i].legend;
        fullNames << names[i].full;
    }
    ui::colourRuns(runs); // each in its own colour, as the window showed it

    const int named = ui::runFigureLegendCapacity(use);
    std::unique_ptr<QChart> chart(ui::makeRunFigure(runs, metric, use, title));
    if (const int status = writeChart(chart.get(), out, use, scale, csv); status != 0)
        return status;
    if (runs.size() > named)
        std::fprintf(stderr,
                     "reglab plot: the legend names the first %d of %lld runs (more would not fit), and runs share "
                     "the %lld colours; %s\n",
                     named, static_cast<long long>(runs.size()),
                     static_cast<long long>(ui::runPalette().size()),
                     summary.isEmpty() ? "--summary TABLE.md (or .csv) lists every run"
                                       : "the summary table lists every run");
    if (!summary.isEmpty()) {
        std::vector<SummaryRow> rows;
        for (int i = 0; i < runs.size(); ++i)
            rows.push_back(summarizeRun(fullNames[i].toStdString(), runs[i].record));
        const std::string text = summarySuffix == QLatin1String("md") ? summaryMarkdown(rows) : summaryCsv(rows);
        if (const std::string e = writeFileAtomically(summaryPath, text); !e.empty())
            return fail(1, QString::fromStdString(e));
    }
    std::printf("reglab plot: wrote %s (%s of %lld run(s))\n", qPrintable(out), qPrintable(ui::metricTitle(metric)),
                static_cast<long long>(runs.size()));
    return 0;
}

} // namespace reglab::app
