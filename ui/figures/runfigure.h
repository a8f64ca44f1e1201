// One metric of finished (or growing) runs as a figure for its use: a paper's column or page, a slide, a size of
// one's own. `reglab plot` and the window's chart export both build and write their figures here, so the same
// runs give the same figure from either: colours, legend names, the chance line, markers in a .tex.
#pragma once

#include "ui/charts/figureuse.h"
#include "ui/runs/runplot.h"

#include <QList>
#include <QString>

class QChart;

namespace reglab::ui {

// How many runs the figure's legend names at `use` (the rest are drawn, and a last entry counts them).
int runFigureLegendCapacity(const FigureUse &use);
// The chart of `runs` (named and coloured) laid out for `use`; `title` "" : the metric's label. The caller owns it.
QChart *makeRunFigure(const QList<PlotRun> &runs, const Metric &metric, const FigureUse &use,
                      const QString &title = {});
// Writes a figure (of runs, or any chart) by the suffix of `path`: .tex (pgfplots), or .png, .svg, .pdf at the use's size, `scale` PNG
// pixels a point. "" or what went wrong.
QString saveFigure(QChart *chart, const FigureUse &use, const QString &path, qreal scale);

} // namespace reglab::ui
