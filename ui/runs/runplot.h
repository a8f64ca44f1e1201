// Static charts of finished runs: one metric, one series per run. `reglab plot` draws these for scripts and
// papers, and exports use them, so a figure looks the same wherever it is made.
#pragma once

#include "model/runrecord.h"

#include <QColor>
#include <QList>
#include <QString>
#include <QStringList>

#include <string>

class QChart;

namespace reglab::ui {

// A metric of the core's table (model/metrics.h: key, label, unit, how to read it), by its key: "test_accuracy".
using Metric = std::string;

// The plotted metrics' keys, as the command line and files name them: test_accuracy, val_accuracy, ...
QStringList metricNames();
// By key or an older name ("sparsity"); `out` is the key.
bool parseMetric(const QString &name, Metric &out);
QString metricTitle(const Metric &metric);

struct PlotRun {
    QString label;
    QColor color;
    RunRecord record;
};

// The n-th run's colour from runPalette() (Tableau 10 without grey, then its lighter companions), cycling.
QColor runColor(int index);
// Each run's colour: the one its record keeps (the window gave it), or else, in order, the palette's first
// colour that no other plotted run has: the same runs get the same colours as in the window.
void colourRuns(QList<PlotRun> &runs);

// The runs a figure's legend names at most: more would be cut by the figure's edge without a word (500 runs
// showed ~31 unnamed swatches). The rest are drawn, and a last entry says how many the legend leaves out.
inline constexpr int kMaxLegendRuns = 20;
// Up to this many runs the legend is a row under the chart; more are listed down its right side.
inline constexpr int kMaxBottomLegendRuns = 5;
// How many runs a legend down the right side of a figure `height` pixels high can name (the note and the chance
// line take a line each), from 1 to kMaxLegendRuns; in the legend type of a figure of that many pixels, or the
// screen's (0).
int legendCapacity(int height, qreal legendPixels = 0);

// A chart with titled axes, a legend, a white background and readable fonts. The caller owns it. The legend
// names the first `maxNamed` runs and says how many more there are.
QChart *makeRunChart(const QList<PlotRun> &runs, const Metric &metric, const QString &title = {},
                     int maxNamed = kMaxLegendRuns);

} // namespace reglab::ui
