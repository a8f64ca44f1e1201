// A run's look besides its colour: a dash pattern and a marker shape, so that runs compared in one chart still
// differ where colour does not reach (a greyscale print, a colour-vision deficiency). Given with the colour: the
// run whose colour is runPalette()[k] has dash and marker k, in every chart, legend and export.
#pragma once

#include <QColor>
#include <QImage>
#include <QList>
#include <QPointF>
#include <QString>

class QAbstractSeries;
class QChart;
class QLineSeries;
class QPainter;
class QPen;
class QScatterSeries;
class QXYSeries;

namespace reglab::ui {

enum class MarkerShape { Circle, Square, Triangle, Diamond, Star, Pentagon };

struct RunStyle {
    int index = -1;             // the colour's place in runPalette(); -1: not a run's colour (solid, circle)
    QList<qreal> dashes;        // dash pattern in line widths, drawn with flat caps; empty: solid
    MarkerShape marker = MarkerShape::Circle;
    bool solid() const { return dashes.isEmpty(); }
};

// Six patterns that stay apart at 2-3 px and in print: solid, long dash, short dash, dot, dash-dot,
// dash-dot-dot; and six filled shapes (Qt Charts draws them as vectors).
inline constexpr int kRunDashCount = 6;
inline constexpr int kRunMarkerCount = 6;

// The k-th run style: dash k mod 6 and marker (k + k/6) mod 6, so that the palette's 18 colours have 18 different
// pairs (run 6, the first light companion, is long-dashed with squares where run 0 is solid with circles).
RunStyle runStyleAt(int index);
// The style of the run with this colour (its place in runPalette()); a colour that is not a run's: solid, circle.
RunStyle runStyleOf(const QColor &color);

// The pen drawn in the style's dashes (flat caps, so that dots stay dots), or solid with its own caps.
void applyRunDashes(QPen &pen, const RunStyle &style);
// Draws the style's marker centred at `centre`, `size` pixels across, filled with `fill` and outlined in `outline`
// (the chart's background: overlapping markers stay apart).
void paintMarker(QPainter &painter, const QPointF &centre, qreal size, MarkerShape shape, const QColor &fill,
                 const QColor &outline);
// A legend's sample of the marker, `pixels` square (drawn scaled down: sharp in a PDF).
QImage markerImage(MarkerShape shape, const QColor &fill, const QColor &outline, int pixels = 64);
// The Qt Charts scatter shape of a marker.
int scatterShape(MarkerShape shape); // a QScatterSeries::MarkerShape

// Names, for pgfplots (TikZ's own styles) and for words: "dashed", "square*"; "dashed line with squares".
QString pgfplotsDash(const RunStyle &style);
QString pgfplotsMark(const RunStyle &style);
QString describeRunStyle(const RunStyle &style);

// Series drawn in a run's style say so (an exported .tex, an animation and the figure's styling read it): the
// style's index, -1 for a series that is not.
void setSeriesRunStyle(QAbstractSeries *series, const RunStyle &style);
int seriesRunStyle(const QAbstractSeries *series);
// A run's marker series (the shapes along its line, not in the legend) says so too.
void setSeriesRunMarks(QAbstractSeries *series, const RunStyle &style);
bool seriesIsRunMarks(const QAbstractSeries *series);

// Where a line of these points gets its markers: every point up to `maxMarks`, else about `maxMarks` of them
// evenly along x, shifted by the style's index so that the markers of runs sharing an x stay apart.
QList<QPointF> markPoints(const QList<QPointF> &points, const RunStyle &style, int maxMarks = 12);

// The marker size of a sample and of marks: a legend's sample is kept a little larger than the marks (legible).
inline constexpr qreal kRunMarkSize = 9;

// A run's markers, placed by the caller (replace()): a scatter series in the run's colour and shape, outlined in
// the chart's background, marked as a run's marks (setSeriesRunMarks) and kept out of the legend.
QScatterSeries *newRunMarkSeries(const QString &name, const QColor &color, const RunStyle &style,
                                 qreal size = kRunMarkSize);
// The markers of a run along `line`: a scatter series in the run's colour and shape, outlined in the chart's
// background, that follows the line's points (markPoints) and visibility as they change. Not in the legend; the
// caller adds it to the chart after the line (drawn on top) and removes it with the line.
QScatterSeries *newRunMarks(QXYSeries *line, const RunStyle &style, qreal size = kRunMarkSize, int maxMarks = 12);
// An empty line that carries a run's legend entry: a stroke in its colour and dashes with its marker on it.
QLineSeries *newRunSample(const QString &name, const QColor &color, qreal width, const RunStyle &style,
                          qreal markerSize = 10);
// Once the sample is on the chart: its legend entry shows the stroke and marker, not a swatch.
void showRunSample(QChart *chart, QAbstractSeries *sample);
// Once marks are on the chart: no legend entry of their own (the run's entry is its line's or its sample's).
void hideRunMarks(QChart *chart, QAbstractSeries *marks);
// A legend's sample drawn by hand (a legend outside a chart): a stroke from `from` to `to` in the run's colour,
// in its dashes or solid, with its marker in the middle, outlined in `background`.
void paintRunSample(QPainter &painter, const QPointF &from, const QPointF &to, const QColor &color, qreal width,
                    const RunStyle &style, bool dashed, qreal markerSize, const QColor &background);

} // namespace reglab::ui
