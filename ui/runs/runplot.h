// Static charts of finished runs: one metric, one series per run. `reglab plot` draws these for scripts and
// papers, and exports use them, so a figure looks the same wherever it is made.
#pragma once

#include "model/runrecord.h"

#include <QColor>
#include <QList>
#include <QString>
#include <QStringList>

class QChart;

namespace reglab::ui {

enum class Metric {
    TestAccuracy,
    ValAccuracy,
    TrainLoss, // mean cross-entropy per epoch
    ValLoss,
    TestLoss,
    Loss, // per logged step: data loss + L1 term + L2 term
    DataLoss,
    L1Term,
    L2Term,
    Sparsity, // share of first-layer weights below the sparsity threshold, per epoch
};

// The names used on the command line and in files: test_accuracy, val_accuracy, train_loss, ...
QStringList metricNames();
bool parseMetric(const QString &name, Metric &out);
QString metricTitle(Metric metric);

struct PlotRun {
    QString label;
    QColor color;
    RunRecord record;
};

// The n-th run's colour from runPalette() (Tableau 10 without grey), cycling.
QColor runColor(int index);

// A chart with titled axes, a legend, a white background and readable fonts. The caller owns it.
QChart *makeRunChart(const QList<PlotRun> &runs, Metric metric, const QString &title = {});

} // namespace reglab::ui
