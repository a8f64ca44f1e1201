// The comparison as small multiples: loss, validation accuracy, test accuracy and sparsity of the shown runs,
// side by side in one figure, each run in its colour from the RunModel. Painted on any QPainter (PNG, SVG, PDF).
#pragma once

#include "ui/runs/runplot.h"

#include <QImage>
#include <QList>
#include <QRectF>
#include <QSize>

class QPainter;

namespace reglab::ui {

class RunModel;

// The shown runs of `runs`, named (by what differs, as the window's legends) and coloured as in the window.
QList<PlotRun> shownPlotRuns(const RunModel &runs);
// The panels' metrics, in order: `loss` (Loss or DataLoss), validation accuracy, test accuracy, sparsity.
QList<Metric> smallMultipleMetrics(const Metric &loss = "loss");
// Paints the panels into `target`: one row when it is wide (more than twice as wide as high), else two by two.
void paintSmallMultiples(QPainter &painter, const QRectF &target, const QList<PlotRun> &runs,
                         const Metric &loss = "loss");
// The same as an image of `size` logical pixels at `scale` (2: sharp on a slide).
QImage renderSmallMultiples(const QList<PlotRun> &runs, const QSize &size, qreal scale = 1.0,
                            const Metric &loss = "loss");

} // namespace reglab::ui
