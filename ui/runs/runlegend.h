// The names legends give the shown runs, the same in every view that compares them (the live charts and the
// network views): a run named after its configuration is told apart by what differs from the other such runs
// shown ("L2 0.001" beside "L1 0.001"), a name a person or a preset gave stays, and runs of different data sets
// each say which.
#pragma once

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
// A run's name for a crowded legend: a configuration label's first part ("L1 0.01 (all)" of "L1 0.01 (all) - L2
// off - bs 50"), with the " (2)" that tells apart runs of the same name.
QString shortRunName(const QString &name);

} // namespace reglab::ui
