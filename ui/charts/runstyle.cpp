// The runs' dash patterns and marker shapes, given with their colours (runstyle.h).
#include "ui/charts/runstyle.h"

#include "ui/charts/palette.h"

#include <QAbstractSeries>
#include <QChart>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QPainterPath>
#include <QPen>
#include <QPolygonF>
#include <QScatterSeries>

#include <algorithm>
#include <cmath>

namespace reglab::ui {

namespace {
// In line widths, with flat caps: at 2.5 px a long dash is 15 px, a dot 2.5 px.
const QList<qreal> kDashes[kRunDashCount] = {
    {},                       // solid
    {6, 2.5},                 // long dash
    {2.5, 2},                 // short dash
    {1, 1.6},                 // dot
    {6, 2, 1.2, 2},           // dash-dot
    {6, 2, 1.2, 2, 1.2, 2},   // dash-dot-dot
};
const char *const kPgfDashes[kRunDashCount] = {"solid", "dashed", "densely dashed", "densely dotted", "dash dot",
                                               "dash dot dot"};
const char *const kDashWords[kRunDashCount] = {"solid line", "long dashes", "short dashes", "dots", "dash-dot",
                                               "dash-dot-dot"};
const char *const kPgfMarks[kRunMarkerCount] = {"*", "square*", "triangle*", "diamond*", "star", "pentagon*"};
const char *const kMarkWords[kRunMarkerCount] = {"circles", "squares", "triangles", "diamonds", "stars", "pentagons"};

QPolygonF regular(int corners, const QPointF &c, qreal r, qreal inner = 0)
{
    QPolygonF poly;
    const int n = inner > 0 ? 2 * corners : corners;
    for (int i = 0; i < n; ++i) {
        const double a = -M_PI / 2 + 2 * M_PI * i / n;
        const qreal radius = inner > 0 && i % 2 ? inner : r;
        poly << QPointF(c.x() + radius * std::cos(a), c.y() + radius * std::sin(a));
    }
    return poly;
}
} // namespace

RunStyle runStyleAt(int index)
{
    RunStyle style;
    if (index < 0)
        return style;
    style.index = index;
    style.dashes = kDashes[index % kRunDashCount];
    style.marker = MarkerShape((index + index / kRunDashCount) % kRunMarkerCount);
    return style;
}

RunStyle runStyleOf(const QColor &color)
{
    const QList<QColor> palette = runPalette();
    for (qsizetype i = 0; i < palette.size(); ++i)
        if (palette[i].rgb() == color.rgb())
            return runStyleAt(int(i));
    return {};
}

void applyRunDashes(QPen &pen, const RunStyle &style)
{
    if (style.solid()) {
        pen.setStyle(Qt::SolidLine);
        return;
    }
    pen.setDashPattern(style.dashes); // sets Qt::CustomDashLine
    pen.setCapStyle(Qt::FlatCap);
}

void paintMarker(QPainter &painter, const QPointF &centre, qreal size, MarkerShape shape, const QColor &fill,
                 const QColor &outline)
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(outline, std::max(1.0, size / 9)));
    painter.setBrush(fill);
    const qreal r = size / 2;
    switch (shape) {
    case MarkerShape::Circle:
        painter.drawEllipse(centre, r * 0.9, r * 0.9);
        break;
    case MarkerShape::Square:
        painter.drawRect(QRectF(centre.x() - r * 0.8, centre.y() - r * 0.8, 1.6 * r, 1.6 * r));
        break;
    case MarkerShape::Triangle:
        painter.drawPolygon(regular(3, centre + QPointF(0, r * 0.15), r));
        break;
    case MarkerShape::Diamond:
        painter.drawPolygon(regular(4, centre, r));
        break;
    case MarkerShape::Star:
        painter.drawPolygon(regular(5, centre, r, r * 0.45));
        break;
    case MarkerShape::Pentagon:
        painter.drawPolygon(regular(5, centre, r * 0.95));
        break;
    }
    painter.restore();
}

QImage markerImage(MarkerShape shape, const QColor &fill, const QColor &outline, int pixels)
{
    QImage image(pixels, pixels, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    paintMarker(painter, QPointF(pixels / 2.0, pixels / 2.0), pixels * 0.92, shape, fill, outline);
    return image;
}

int scatterShape(MarkerShape shape)
{
    switch (shape) {
    case MarkerShape::Circle:
        return QScatterSeries::MarkerShapeCircle;
    case MarkerShape::Square:
        return QScatterSeries::MarkerShapeRectangle;
    case MarkerShape::Triangle:
        return QScatterSeries::MarkerShapeTriangle;
    case MarkerShape::Diamond:
        return QScatterSeries::MarkerShapeRotatedRectangle;
    case MarkerShape::Star:
        return QScatterSeries::MarkerShapeStar;
    case MarkerShape::Pentagon:
        return QScatterSeries::MarkerShapePentagon;
    }
    return QScatterSeries::MarkerShapeCircle;
}

QString pgfplotsDash(const RunStyle &style)
{
    return QString::fromLatin1(kPgfDashes[style.index < 0 ? 0 : style.index % kRunDashCount]);
}

QString pgfplotsMark(const RunStyle &style)
{
    return QString::fromLatin1(kPgfMarks[int(style.marker)]);
}

QString describeRunStyle(const RunStyle &style)
{
    return QStringLiteral("%1 with %2")
        .arg(QString::fromLatin1(kDashWords[style.index < 0 ? 0 : style.index % kRunDashCount]),
             QString::fromLatin1(kMarkWords[int(style.marker)]));
}

void setSeriesRunStyle(QAbstractSeries *series, const RunStyle &style)
{
    series->setProperty("reglabRunStyle", style.index);
}

int seriesRunStyle(const QAbstractSeries *series)
{
    const QVariant v = series->property("reglabRunStyle");
    return v.isValid() ? v.toInt() : -1;
}

void setSeriesRunMarks(QAbstractSeries *series, const RunStyle &style)
{
    series->setProperty("reglabRunMarks", style.index);
    series->setProperty("reglabNoHover", true);
}

bool seriesIsRunMarks(const QAbstractSeries *series)
{
    return series->property("reglabRunMarks").isValid();
}

QList<QPointF> markPoints(const QList<QPointF> &points, const RunStyle &style, int maxMarks)
{
    QList<QPointF> finite;
    for (const QPointF &p : points)
        if (std::isfinite(p.x()) && std::isfinite(p.y()))
            finite << p;
    if (finite.size() <= maxMarks || maxMarks < 1)
        return finite;
    // At evenly spaced x, the nearest point each; runs start a third of a spacing apart (three phases).
    const double x0 = finite.first().x(), x1 = finite.last().x();
    const double spacing = (x1 - x0) / maxMarks;
    const double phase = (0.5 + (style.index < 0 ? 0 : style.index % 3)) / 3.0;
    QList<QPointF> out;
    qsizetype j = 0;
    for (int i = 0; i < maxMarks; ++i) {
        const double x = x0 + (i + phase) * spacing;
        while (j + 1 < finite.size() && std::abs(finite[j + 1].x() - x) <= std::abs(finite[j].x() - x))
            ++j;
        if (out.isEmpty() || out.last() != finite[j])
            out << finite[j];
    }
    return out;
}

QScatterSeries *newRunMarkSeries(const QString &name, const QColor &color, const RunStyle &style, qreal size)
{
    auto *marks = new QScatterSeries;
    marks->setName(name);
    marks->setColor(color);
    marks->setBorderColor(chartColors().background);
    marks->setMarkerShape(QScatterSeries::MarkerShape(scatterShape(style.marker)));
    marks->setMarkerSize(size);
    setSeriesRunMarks(marks, style);
    marks->setProperty("reglabNoLegend", true);
    return marks;
}

QScatterSeries *newRunMarks(QXYSeries *line, const RunStyle &style, qreal size, int maxMarks)
{
    QScatterSeries *marks = newRunMarkSeries(line->name(), line->pen().color(), style, size);
    marks->setVisible(line->isVisible());
    const auto follow = [line, marks, style, maxMarks] { marks->replace(markPoints(line->points(), style, maxMarks)); };
    follow();
    QObject::connect(line, &QXYSeries::pointsReplaced, marks, follow);
    QObject::connect(line, &QXYSeries::pointsRemoved, marks, follow);
    QObject::connect(line, &QXYSeries::pointAdded, marks, follow);
    QObject::connect(line, &QAbstractSeries::visibleChanged, marks,
                     [line, marks] { marks->setVisible(line->isVisible()); });
    return marks;
}

QLineSeries *newRunSample(const QString &name, const QColor &color, qreal width, const RunStyle &style,
                          qreal markerSize)
{
    auto *sample = new QLineSeries;
    sample->setName(name);
    QPen pen(color, width);
    applyRunDashes(pen, style);
    sample->setPen(pen);
    sample->setLightMarker(markerImage(style.marker, color, chartColors().background));
    sample->setMarkerSize(markerSize);
    setSeriesRunStyle(sample, style);
    sample->setProperty("reglabRunSample", true);
    return sample;
}

void showRunSample(QChart *chart, QAbstractSeries *sample)
{
    for (QLegendMarker *marker : chart->legend()->markers(sample))
        marker->setShape(QLegend::MarkerShapeFromSeries);
}

void hideRunMarks(QChart *chart, QAbstractSeries *marks)
{
    marks->setProperty("reglabNoLegend", true);
    for (QLegendMarker *marker : chart->legend()->markers(marks))
        marker->setVisible(false);
}

void paintRunSample(QPainter &painter, const QPointF &from, const QPointF &to, const QColor &color, qreal width,
                    const RunStyle &style, bool dashed, qreal markerSize, const QColor &background)
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    QPen pen(color, width);
    pen.setCapStyle(Qt::FlatCap);
    if (dashed)
        applyRunDashes(pen, style);
    painter.setPen(pen);
    painter.drawLine(from, to);
    painter.restore();
    paintMarker(painter, (from + to) / 2, markerSize, style.marker, color, background);
}

} // namespace reglab::ui
