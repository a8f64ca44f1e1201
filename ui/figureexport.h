// Figures for slides and papers: a chart or any widget to PNG (at 1x, 2x or 3x), SVG or PDF, or the clipboard,
// and the plotted numbers as CSV. White background, titles, axes and legend as on screen.
#pragma once

#include <QImage>
#include <QSize>
#include <QString>

class QChart;
class QWidget;

namespace reglab::ui {

// Renders `chart` at `size` logical pixels; PNG gets `scale` times the pixels (sharp text, not an upscale).
QImage renderChart(QChart *chart, const QSize &size, qreal scale = 1.0);
// Saves by the file's suffix: .png, .svg or .pdf. Returns "" or what went wrong, in words.
QString saveChart(QChart *chart, const QSize &size, const QString &path, qreal scale = 1.0);
// The same for a whole widget (the dashboard): PNG at `scale`, SVG, or PDF.
QString saveWidget(QWidget *widget, const QString &path, qreal scale = 1.0);
void copyImageToClipboard(const QImage &image);
// Every line series of the chart: "series,x,y" rows.
QString chartCsv(QChart *chart);

} // namespace reglab::ui
