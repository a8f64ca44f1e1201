#include "ui/charts/pgfplotsexport.h"

#include "ui/charts/runstyle.h"

#include <QChart>
#include <QGraphicsScene>
#include <QHash>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <memory>

namespace reglab::ui {
namespace {

// Characters that are math in LaTeX; a run of them goes into one $...$.
const QHash<QChar, QString> &mathChars()
{
    static const QHash<QChar, QString> map = {
        {QChar(0x03bb), QStringLiteral("\\lambda ")}, {QChar(0x03b1), QStringLiteral("\\alpha ")},
        {QChar(0x03b2), QStringLiteral("\\beta ")},   {QChar(0x03b5), QStringLiteral("\\epsilon ")},
        {QChar(0x03b7), QStringLiteral("\\eta ")},    {QChar(0x03bc), QStringLiteral("\\mu ")},
        {QChar(0x00b5), QStringLiteral("\\mu ")},     {QChar(0x03c3), QStringLiteral("\\sigma ")},
        {QChar(0x03a3), QStringLiteral("\\Sigma ")},  {QChar(0x00b7), QStringLiteral("\\cdot ")},
        {QChar(0x00d7), QStringLiteral("\\times ")},  {QChar(0x2212), QStringLiteral("-")},
        {QChar(0x2264), QStringLiteral("\\leq ")},    {QChar(0x2265), QStringLiteral("\\geq ")},
        {QChar(0x2248), QStringLiteral("\\approx ")}, {QChar(0x00b2), QStringLiteral("^2")},
        {QChar(0x00b3), QStringLiteral("^3")},        {QChar(0x2207), QStringLiteral("\\nabla ")},
    };
    return map;
}

QString mathOf(QChar c)
{
    if (c.unicode() >= 0x2080 && c.unicode() <= 0x2089) // subscript digits
        return QStringLiteral("_%1").arg(c.unicode() - 0x2080);
    return mathChars().value(c);
}

QString textOf(QChar c)
{
    switch (c.unicode()) {
    case '\\':
        return QStringLiteral("\\textbackslash{}");
    case '~':
        return QStringLiteral("\\textasciitilde{}");
    case '^':
        return QStringLiteral("\\textasciicircum{}");
    case '#':
    case '$':
    case '%':
    case '&':
    case '_':
    case '{':
    case '}':
        return QStringLiteral("\\") + c;
    case '<':
        return QStringLiteral("\\textless{}");
    case '>':
        return QStringLiteral("\\textgreater{}");
    case '|':
        return QStringLiteral("\\textbar{}");
    case 0x2013:
        return QStringLiteral("--");
    case 0x2014:
        return QStringLiteral("---");
    case 0x2026:
        return QStringLiteral("\\dots{}");
    case 0x2018:
    case 0x2019:
        return QStringLiteral("'");
    case 0x201c:
    case 0x201d:
        return QStringLiteral("\"");
    case 0x00a0:
        return QStringLiteral("~");
    default:
        break;
    }
    // Latin-1 letters come through inputenc's utf8 and T1; beyond that pdflatex would stop with an error.
    return c.unicode() < 0x100 && (c.isPrint() || c == QLatin1Char(' ')) ? QString(c) : QStringLiteral("?");
}

QString num(double v)
{
    return QString::number(v, 'g', 8);
}

QString seriesName(QAbstractSeries *series)
{
    const QString longName = series->property("reglabLongName").toString();
    return longName.isEmpty() ? series->name() : longName;
}

QString axisTitle(QAbstractAxis *axis)
{
    const QString longTitle = axis->property("reglabLongTitle").toString();
    return longTitle.isEmpty() ? axis->titleText() : longTitle;
}

// The axis options for one direction ("x" or "y"): label, range, log mode.
QString axisOptions(QChart *chart, Qt::Orientation orientation, const QString &dir)
{
    const QList<QAbstractAxis *> axes = chart->axes(orientation);
    if (axes.isEmpty())
        return {};
    QAbstractAxis *axis = axes.first();
    QString out;
    if (!axisTitle(axis).isEmpty())
        out += QStringLiteral("  %1label={%2},\n").arg(dir, latexText(axisTitle(axis)));
    if (auto *v = qobject_cast<QValueAxis *>(axis)) {
        out += QStringLiteral("  %1min=%2, %1max=%3,\n").arg(dir, num(v->min()), num(v->max()));
    } else if (auto *l = qobject_cast<QLogValueAxis *>(axis)) {
        out += QStringLiteral("  %1mode=log, %1min=%2, %1max=%3,\n").arg(dir, num(l->min()), num(l->max()));
    }
    return out;
}

QString styleOf(QXYSeries *series)
{
    const bool marks = qobject_cast<QScatterSeries *>(series) != nullptr;
    const QPen pen = series->pen();
    QString style = QStringLiteral("color={rgb,255:red,%1;green,%2;blue,%3}")
                        .arg(series->color().red())
                        .arg(series->color().green())
                        .arg(series->color().blue());
    // A run compared with others: its dashes, and its marker shape on its marks and legend entry (runstyle.h).
    const int runStyle = seriesIsRunMarks(series) ? series->property("reglabRunMarks").toInt() : seriesRunStyle(series);
    if (runStyle >= 0) {
        const RunStyle run = runStyleAt(runStyle);
        const QString mark = QStringLiteral("mark=%1, mark size=2pt, mark options={solid, draw=white}")
                                 .arg(pgfplotsMark(run));
        if (marks)
            return style + QStringLiteral(", only marks, ") + mark;
        style +=
            QStringLiteral(", %1, line width=%2pt").arg(pgfplotsDash(run), num(std::max(0.4, pen.widthF() * 0.45)));
        return style + (series->property("reglabRunSample").toBool() ? QStringLiteral(", ") + mark
                                                                     : QStringLiteral(", no markers"));
    }
    if (marks)
        return style + QStringLiteral(", only marks, mark=*, mark size=1.5pt");
    style += QStringLiteral(", no markers, line width=%1pt").arg(num(std::max(0.4, pen.widthF() * 0.45)));
    if (pen.style() == Qt::DashLine)
        style += QStringLiteral(", dashed");
    else if (pen.style() == Qt::DotLine)
        style += QStringLiteral(", dotted");
    else if (pen.style() == Qt::DashDotLine)
        style += QStringLiteral(", dash dot");
    return style;
}

QString pgfplotsOf(QChart *chart, const QString &title, int maxPointsPerSeries);

bool inLegend(QChart *chart, QAbstractSeries *series)
{
    const QList<QLegendMarker *> markers = chart->legend()->markers(series);
    return !markers.isEmpty() && markers.first()->isVisible() && !series->name().isEmpty();
}

} // namespace

QString latexText(const QString &text)
{
    QString out, math;
    auto flush = [&] {
        if (!math.isEmpty())
            out += QLatin1Char('$') + math.trimmed() + QLatin1Char('$');
        math.clear();
    };
    for (QChar c : text) {
        if (c.isLowSurrogate())
            continue; // the second half of one character (an emoji): its '?' is already there
        const QString m = mathOf(c);
        if (!m.isEmpty()) {
            // A command's name ends at a non-letter: "\\lambda" before "_1" needs no space, before "x" one.
            if (math.endsWith(QLatin1Char(' ')) && !m.front().isLetter())
                math.chop(1);
            math += m;
            continue;
        }
        flush();
        out += textOf(c);
    }
    flush();
    return out;
}

QStringList textsLatexLoses(QChart *chart, const QString &title)
{
    const auto loses = [](const QString &text) {
        for (QChar c : text)
            if (c != QLatin1Char('?') && mathOf(c).isEmpty() && textOf(c) == QLatin1String("?"))
                return true;
        return false;
    };
    QStringList texts{title.isEmpty() ? chart->title() : title};
    for (QAbstractAxis *axis : chart->axes())
        texts << axisTitle(axis);
    for (QAbstractSeries *series : chart->series())
        if (series->isVisible() && inLegend(chart, series))
            texts << seriesName(series);
    QStringList out;
    for (const QString &text : texts)
        if (loses(text) && !out.contains(text))
            out << text;
    return out;
}

QList<QPointF> thinPoints(const QList<QPointF> &points, int maxPoints)
{
    maxPoints = std::max(maxPoints, 4);
    if (points.size() <= maxPoints)
        return points;
    const int buckets = (maxPoints - 2) / 2;
    const qsizetype inner = points.size() - 2;
    QList<QPointF> out{points.first()};
    for (int b = 0; b < buckets; ++b) {
        const qsizetype from = 1 + inner * b / buckets, to = 1 + inner * (b + 1) / buckets;
        if (from >= to)
            continue;
        qsizetype lo = from, hi = from;
        for (qsizetype i = from; i < to; ++i) {
            if (points[i].y() < points[lo].y())
                lo = i;
            if (points[i].y() > points[hi].y())
                hi = i;
        }
        out << points[std::min(lo, hi)];
        if (lo != hi)
            out << points[std::max(lo, hi)];
    }
    out << points.last();
    return out;
}

QString chartToPgfplots(QChart *chart, const QString &title, int maxPointsPerSeries)
{
    // A legend's markers say whether they are shown only once the chart is in a scene (`reglab plot`'s is not).
    std::unique_ptr<QGraphicsScene> scene;
    if (!chart->scene()) {
        scene = std::make_unique<QGraphicsScene>();
        scene->addItem(chart);
        chart->resize(1200, 750);
    }
    const QString tex = pgfplotsOf(chart, title, maxPointsPerSeries);
    if (scene)
        scene->removeItem(chart);
    return tex;
}

namespace {

QString pgfplotsOf(QChart *chart, const QString &title, int maxPointsPerSeries)
{
    const QString heading = title.isEmpty() ? chart->title() : title;
    QString tex = QStringLiteral(
        "% A RegLab figure (pgfplots). On its own: pdflatex this file. In a paper: \\usepackage{pgfplots}\n"
        "% in the preamble and \\input this file where the figure goes (the lines for compiling alone are\n"
        "% skipped where pgfplots is already loaded).\n"
        "\\ifx\\pgfplotsset\\undefined\n"
        "\\def\\RegLabStandalone{}\n"
        "\\documentclass{article}\n"
        "\\usepackage[T1]{fontenc}\n"
        "\\usepackage[utf8]{inputenc}\n"
        "\\usepackage{pgfplots}\n"
        "\\pgfplotsset{compat=1.16}\n"
        "\\pagestyle{empty}\n"
        "\\begin{document}\n"
        "\\setbox0=\\hbox\\bgroup\n" // measured below: the page is cropped to the figure
        "\\fi\n");
    tex += QStringLiteral("\\begin{tikzpicture}\n\\begin{axis}[\n  width=12cm, height=7.5cm,\n");
    if (!heading.isEmpty())
        tex += QStringLiteral("  title={%1},\n").arg(latexText(heading));
    tex += axisOptions(chart, Qt::Horizontal, QStringLiteral("x"));
    tex += axisOptions(chart, Qt::Vertical, QStringLiteral("y"));
    tex += QStringLiteral("  legend pos=outer north east, legend cell align=left,\n"
                          "  legend style={font=\\footnotesize},\n"
                          "  grid=major, grid style={gray!25},\n"
                          "  scaled ticks=false, tick label style={/pgf/number format/fixed},\n"
                          "]\n");
    for (QAbstractSeries *abstract : chart->series()) {
        auto *series = qobject_cast<QXYSeries *>(abstract);
        if (!series || !series->isVisible())
            continue;
        const QList<QPointF> points = series->points();
        QList<QPointF> finite;
        for (const QPointF &p : points)
            if (std::isfinite(p.x()) && std::isfinite(p.y()))
                finite << p;
        const bool legend = inLegend(chart, series);
        const QString style = styleOf(series);
        if (finite.isEmpty()) {
            // An empty series that carries a legend entry (the live charts' legend twins): the entry alone.
            if (legend)
                tex += QStringLiteral("\\addlegendimage{%1}\n\\addlegendentry{%2}\n")
                           .arg(style, latexText(seriesName(series)));
            continue;
        }
        tex += QStringLiteral("\\addplot[%1%2] coordinates {\n")
                   .arg(style, legend ? QString() : QStringLiteral(", forget plot"));
        int column = 0;
        for (const QPointF &p : thinPoints(finite, maxPointsPerSeries)) {
            tex += QStringLiteral("(%1,%2)").arg(num(p.x()), num(p.y()));
            tex += ++column % 6 == 0 ? QStringLiteral("\n") : QStringLiteral(" ");
        }
        tex += QStringLiteral("\n};\n");
        if (legend)
            tex += QStringLiteral("\\addlegendentry{%1}\n").arg(latexText(seriesName(series)));
    }
    tex += QStringLiteral("\\end{axis}\n\\end{tikzpicture}\n"
                          "\\ifx\\RegLabStandalone\\undefined\\expandafter\\endinput\\fi\n"
                          "\\egroup\n"
                          "\\pdfpagewidth=\\dimexpr\\wd0+12pt\\relax \\pdfpageheight=\\dimexpr\\ht0+\\dp0+12pt\\relax\n"
                          "\\pdfhorigin=6pt \\pdfvorigin=6pt\n"
                          "\\shipout\\box0\n"
                          "\\end{document}\n");
    return tex;
}

} // namespace

} // namespace reglab::ui
