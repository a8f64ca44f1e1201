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

// A chart with titled axes, a legend, a white background and readable fonts. The caller owns it.
QChart *makeRunChart(const QList<PlotRun> &runs, const Metric &metric, const QString &title = {});

} // namespace reglab::ui
