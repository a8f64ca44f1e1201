// The names legends give the shown runs of the run model, the same in every view that compares them (the live
// charts and the network views) and in figures: runNames() (runnames.h) over the model's runs.
#pragma once

#include "ui/runs/runnames.h"

#include <QHash>
#include <QList>
#include <QString>

namespace reglab::ui {

class RunModel;

struct LegendName {
    QString full;  // the legend's entry
    QString brief; // for a crowded legend: a configuration label's first part; the colour tells the rest
};

// Each of `shown`'s legend names, as compared together (usually RunModel::shownIds()).
QHash<int, LegendName> legendNames(const RunModel &runs, const QList<int> &shown);

} // namespace reglab::ui
