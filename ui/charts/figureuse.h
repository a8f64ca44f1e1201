// What a figure is for, and so its size and type: a paper's column (3.5 in wide), a paper's page width (7 in),
// a slide (16:9, 1920x1080 pixels), or a size given in inches, points or pixels. A figure is laid out afresh at
// that size with fonts in points that read there (8 pt ticks in a column, not a screen's 11 pt shrunk to 4).
#pragma once

#include <QSize>
#include <QString>

class QChart;

namespace reglab::ui {

struct FigureUse {
    QString name;     // "column", "page", "slide", "custom" or "screen" (a size in pixels, fonts as on screen)
    QSize size;       // in points (one logical pixel each; a PDF's page size)
    qreal pngScale;   // pixels per point for PNG (300 dpi for print, 2 for a 1920x1080 slide)
    qreal tickPt = 0; // 0: the screen's fonts and lines are kept (a size given in pixels)
    qreal axisPt = 0, titlePt = 0, legendPt = 0;
    qreal line = 0; // a run's line width in points
    // How much larger than its page the figure is laid out (and then scaled down): Qt's charts keep fixed
    // paddings of a few units, too much of a 3.5 in figure.
    qreal layoutScale = 1;
    QSize layoutSize() const { return size * layoutScale; }
};

// "column", "page" or "slide"; false for another name.
bool figureUseNamed(const QString &name, FigureUse &out);
// A size as WxH with a unit: "3.5x2.5in", "252x180pt", "1920x1080px" (no unit: pixels); "" or what is wrong.
QString parseFigureSize(const QString &text, FigureUse &out);
// What a figure file gets when no use or size is given: a column for .pdf, .svg and .tex, a slide for .png.
FigureUse defaultFigureUse(const QString &path);
// The legend's type size in the layout's units (0: the screen's, for a size in pixels).
qreal legendPixels(const FigureUse &use);
// Sets the chart's fonts and line widths for its use (nothing for a size in pixels).
void styleForUse(QChart *chart, const FigureUse &use);

} // namespace reglab::ui
