// The regularization path as a chart: a swept setting on the x axis (log where the values span decades), a
// final metric on the y axis, one curve per group with its seeds' minimum-maximum band, and the unregularized
// runs' mean as a dashed line. `reglab plot --sweep` and the sweep view draw it.
#pragma once

#include "model/sweeppath.h"

#include <QString>

class QChart;

namespace reglab::ui {

// "Test accuracy (%)", "L1 strength λ₁", ...: axis titles for a path's metric and x setting.
QString pathMetricTitle(const std::string &metric);
QString pathXTitle(const std::string &xLabel);

// The caller owns the chart. Each curve's series is named after its group ("L1", "L2" or the value).
QChart *makePathChart(const SweepPath &path, const QString &title = {});

} // namespace reglab::ui
