// What a legend calls each of the runs drawn together, for the window's charts and for figures (`reglab plot`
// and the window's export): a run named after its configuration is called by what differs from the others so
// named ("L1 0.01" beside "L1 0.001"), a run a person named keeps that name, and runs of different data sets
// each say which. One function, so that a figure and the window name the same runs the same way.
#pragma once

#include "model/runrecord.h"

#include <QList>
#include <QString>

namespace reglab::ui {

struct RunNaming {
    const reglab::RunRecord *record = nullptr;
    QString given;    // the name a person (or a preset) gave the run; "": it is named after its configuration
    QString fallback; // what tells it apart when no setting does: its file's base name, or its name in the list
};

struct RunNames {
    QString legend;      // the legend's entry
    QString shortLegend; // the entry where the legend is crowded (a given name's first part)
    QString full;        // for a table: the whole configuration (or the given name), with what else differs
};

// The names of `runs`, in their order; two runs that would share a name are told apart by their fallbacks.
QList<RunNames> runNames(const QList<RunNaming> &runs);

// A configuration label's first part ("L1 0.01 (all)" of "L1 0.01 (all) - L2 off - bs 50"), with the " (2)"
// that tells apart runs of one name.
QString shortRunName(const QString &name);

} // namespace reglab::ui
