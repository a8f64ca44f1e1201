// The regularization path as a chart: a swept setting on the x axis (log where the values span decades), a
// final metric on the y axis, one curve per group with its seeds' minimum-maximum band, and the unregularized
// runs' mean as a dashed line. `reglab plot --sweep` and the sweep view draw it.
#pragma once

#include "model/sweeppath.h"

#include <QString>

class QChart;

namespace reglab::ui {

// A path metric's name from the metrics table ("Test accuracy", as the window's charts say it), and its axis
// title ("Test accuracy (%)"); "L1 strength λ₁", ...: the x setting's.
QString pathMetricName(const std::string &metric);
QString pathMetricTitle(const std::string &metric);
QString pathXTitle(const std::string &xLabel);

// The caller owns the chart. Each curve's series is named after its group ("L1", "L2" or the value).
QChart *makePathChart(const SweepPath &path, const QString &title = {});

} // namespace reglab::ui
