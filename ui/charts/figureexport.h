// Figures for slides and papers: a chart or any widget to PNG (at 1x, 2x or 3x), SVG or PDF, or the clipboard,
// and the plotted numbers as CSV. White background, titles, axes and legend as on screen.
#pragma once

#include <QImage>
#include <QSize>
#include <QString>

class QChart;
class QWidget;

namespace reglab::ui {

// Renders `chart` at `size` logical pixels; PNG gets `scale` times the pixels (sharp text, not an upscale). A null
// image when its pixels cannot be allocated.
QImage renderChart(QChart *chart, const QSize &size, qreal scale = 1.0);
// Saves by the file's suffix: .png, .svg, .pdf or .tex (pgfplots). Returns "" or what went wrong, in words (for a
// PNG too large for the memory, that it is the memory). Laid out at `size`; drawn on a page of `pageSize` points
// where given (a print figure laid out larger than its page, so Qt's fixed paddings take less of it), `scale` PNG
// pixels to each point.
QString saveChart(QChart *chart, const QSize &size, const QString &path, qreal scale = 1.0,
                  const QSize &pageSize = {});
// The same for a whole widget (the dashboard): PNG at `scale`, SVG, or PDF.
QString saveWidget(QWidget *widget, const QString &path, qreal scale = 1.0);
// An image drawn already, as a PNG (saved atomically, as the others); a null image was one too large for the memory.
QString saveImage(const QImage &image, const QString &path);
void copyImageToClipboard(const QImage &image);
// Renders a widget at twice its size (sharp on a slide) onto the clipboard.
void copyWidget(QWidget *widget);
// Asks where to save `widget` as a figure (PNG at `scale`, SVG or PDF, by the chosen name; `baseName` is the
// suggestion) and saves it. Returns the path ("" when the user cancelled); `error` gets what went wrong.
QString exportWithDialog(QWidget *parent, QWidget *widget, const QString &baseName, qreal scale, QString &error);
// Writes text through the core's checkWritableTarget and writeFileAtomically (the old file stays when it
// fails); "" or what went wrong.
QString saveText(const QString &path, const QString &text);
// Every line series of the chart: "series,x,y" rows.
QString chartCsv(QChart *chart);

} // namespace reglab::ui
