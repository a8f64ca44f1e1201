// FigureUse: the sizes and type sizes of figures for papers and slides.
#include "ui/charts/figureuse.h"

#include "ui/charts/runstyle.h"

#include "ui/charts/palette.h"

#include <QAbstractAxis>
#include <QChart>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace reglab::ui {
namespace {

// Fonts and lines by the figure's width: a column's and a page's read at arm's length in print, a slide's from
// the back of a room (a slide is 960 points wide: 13.3 in at 72 points an inch).
void typeFor(FigureUse &use)
{
    const qreal w = use.size.width();
    use.layoutScale = w <= 620 ? 2.0 : 1.0;
    if (w <= 300) {
        use.tickPt = 7.5, use.axisPt = 8.5, use.titlePt = 9, use.legendPt = 7.5, use.line = 1.2;
    } else if (w <= 620) {
        use.tickPt = 8.5, use.axisPt = 9.5, use.titlePt = 10.5, use.legendPt = 8.5, use.line = 1.5;
    } else {
        const qreal k = w / 960.0;
        use.tickPt = 18 * k, use.axisPt = 20 * k, use.titlePt = 24 * k, use.legendPt = 18 * k, use.line = 3.5 * k;
    }
}

QFont pointFont(qreal points, bool bold = false)
{
    // Pixel sizes in the figure's own units, which are points: the type is the same in a PDF, an SVG and a PNG
    // whatever the screen's DPI.
    QFont font = chartFont(10, bold);
    font.setPixelSize(std::max(1, int(std::lround(points))));
    return font;
}

} // namespace

bool figureUseNamed(const QString &name, FigureUse &out)
{
    constexpr qreal kPrint = 300.0 / 72.0; // 300 dpi
    if (name == QLatin1String("column"))
        out = {name, QSize(252, 180), kPrint};
    else if (name == QLatin1String("page"))
        out = {name, QSize(504, 288), kPrint};
    else if (name == QLatin1String("slide"))
        out = {name, QSize(960, 540), 2.0}; // 1920x1080 pixels
    else
        return false;
    typeFor(out);
    return true;
}

QString parseFigureSize(const QString &text, FigureUse &out)
{
    QString t = text.trimmed().toLower();
    qreal unit = 0; // points per unit; 0: pixels
    for (const auto &[suffix, points] : {std::pair{"in", 72.0}, std::pair{"pt", 1.0}, std::pair{"px", 0.0}})
        if (t.endsWith(QLatin1String(suffix))) {
            t.chop(2);
            unit = points;
            break;
        }
    const QStringList wh = t.split(QLatin1Char('x'));
    bool okW = false, okH = false;
    const double w = wh.size() == 2 ? wh[0].toDouble(&okW) : 0, h = wh.size() == 2 ? wh[1].toDouble(&okH) : 0;
    const double k = unit > 0 ? unit : 1.0;
    const QSize size(int(std::lround(w * k)), int(std::lround(h * k)));
    const bool fits = unit > 0 ? size.width() >= 72 && size.height() >= 54 : size.width() >= 200 && size.height() >= 150;
    if (!okW || !okH || !fits || size.width() > 8000 || size.height() > 8000)
        return QStringLiteral("--size: '%1' is not allowed; give WxH in in, pt or px (no unit: px), such as 3.5x2.5in, "
                              "504x288pt or 1200x750, from 1x0.75 in (200x150 px) to 8000x8000 pt")
            .arg(text);
    if (unit > 0) {
        out = {QStringLiteral("custom"), size, 300.0 / 72.0};
        typeFor(out);
    } else {
        out = {QStringLiteral("screen"), size, 1.0};
    }
    return {};
}

FigureUse defaultFigureUse(const QString &path)
{
    FigureUse use;
    figureUseNamed(QFileInfo(path).suffix().toLower() == QLatin1String("png") ? QStringLiteral("slide")
                                                                               : QStringLiteral("column"),
                   use);
    return use;
}

qreal legendPixels(const FigureUse &use)
{
    return use.tickPt <= 0 ? 0 : std::lround(use.legendPt * use.layoutScale);
}

void styleForUse(QChart *chart, const FigureUse &use)
{
    if (use.tickPt <= 0)
        return;
    const qreal k = use.layoutScale; // sizes in the layout's units, points once scaled to the page
    chart->setTitleFont(pointFont(use.titlePt * k, true));
    chart->legend()->setFont(pointFont(use.legendPt * k));
    // Qt cuts every name of a bottom row that is too long for the figure ("L1 off - L2 ..." twice): such a
    // legend is listed down the right side instead, a name a line.
    if (chart->legend()->alignment() == Qt::AlignBottom) {
        const QFontMetricsF metrics(chart->legend()->font());
        qreal row = 0;
        // The lines' entries (a run's dots have none; markers say they are visible only once drawn).
        for (QLegendMarker *marker : chart->legend()->markers())
            if (qobject_cast<QLineSeries *>(marker->series()) && !marker->series()->property("reglabNoLegend").toBool())
                row += metrics.horizontalAdvance(marker->label()) + 2.5 * metrics.height(); // swatch and gaps
        if (row > use.layoutSize().width() * 0.95)
            chart->legend()->setAlignment(Qt::AlignRight);
    }
    // Qt gives a legend down the side at most about 0.4 of the figure and cuts a longer name ("L1 0.001
    // [Fashion-..."): such a name is wrapped before its data set or its last part instead.
    if (chart->legend()->alignment() == Qt::AlignRight) {
        const QFontMetricsF metrics(chart->legend()->font());
        const qreal room = 0.4 * use.layoutSize().width() - 2.5 * metrics.height() - 8; // less swatch and gaps
        for (QLegendMarker *marker : chart->legend()->markers()) {
            const QString label = marker->label();
            if (!qobject_cast<QLineSeries *>(marker->series()) || metrics.horizontalAdvance(label) <= room)
                continue;
            qsizetype cut = label.lastIndexOf(QStringLiteral(" ["));
            if (cut <= 0)
                cut = label.lastIndexOf(QStringLiteral(", "));
            if (cut > 0)
                marker->setLabel(label.left(cut).toHtmlEscaped() + QStringLiteral("<br>") +
                                 label.mid(label.at(cut) == QLatin1Char(',') ? cut + 2 : cut + 1).toHtmlEscaped());
        }
    }
    // Qt centres the last x tick's label on the plot's right end and lets it (and an end dot) stick out past it:
    // the figure's right margin holds half of it, unless a legend down the side stands there.
    int right = 2;
    if (chart->legend()->alignment() != Qt::AlignRight || !chart->legend()->isVisible()) {
        const QFontMetricsF ticks(pointFont(use.tickPt * k));
        double half = 0;
        for (QAbstractAxis *axis : chart->axes(Qt::Horizontal))
            if (auto *value = qobject_cast<QValueAxis *>(axis))
                half = std::max(half, ticks.horizontalAdvance(QString::number(value->max(), 'g', 6)) / 2);
            else if (auto *log = qobject_cast<QLogValueAxis *>(axis))
                half = std::max(half, ticks.horizontalAdvance(QString::number(log->max(), 'g', 6)) / 2);
        right = std::max(right, int(std::ceil(std::max(half, use.line * 1.3 * k) + 1)));
    }
    chart->setMargins(QMargins(2, 2, right, 2));
    for (QAbstractAxis *axis : chart->axes()) {
        axis->setLabelsFont(pointFont(use.tickPt * k));
        axis->setTitleFont(pointFont(use.axisPt * k));
        QPen grid = axis->gridLinePen();
        grid.setWidthF(0.5 * k);
        axis->setGridLinePen(grid);
    }
    for (QAbstractSeries *series : chart->series()) {
        if (auto *dots = qobject_cast<QScatterSeries *>(series)) {
            // A compared run's marker shapes are a little larger than dots: a shape must be seen, not only a spot.
            dots->setMarkerSize(use.line * (seriesIsRunMarks(dots) ? 3.4 : 2.6) * k);
        } else if (auto *line = qobject_cast<QLineSeries *>(series)) {
            QPen pen = line->pen();
            // Reference lines (the chance line) stay thinner than the runs' (solid, or in a compared run's dashes).
            const bool run = pen.style() == Qt::SolidLine || seriesRunStyle(line) >= 0;
            pen.setWidthF((run ? use.line : use.line * 0.6) * k);
            line->setPen(pen);
            if (!line->lightMarker().isNull()) // a compared run's legend sample: as high as the legend's type
                line->setMarkerSize(QFontMetricsF(chart->legend()->font()).height());
        }
    }
}

} // namespace reglab::ui
