// Legend names of the runs a view compares: runNames() (the figures' naming) over the run model's shown runs.
#include "ui/runs/runlegend.h"

#include "ui/runs/runmodel.h"
#include "ui/runs/runnames.h"

namespace reglab::ui {

QHash<int, LegendName> legendNames(const RunModel &runs, const QList<int> &shown)
{
    QList<int> ids;
    QList<RunNaming> naming;
    for (int id : shown)
        if (runs.contains(id)) {
            ids << id;
            naming << RunNaming{runs.record(id), runs.givenName(id), runs.name(id)};
        }
    const QList<RunNames> names = runNames(naming);
    QHash<int, LegendName> out;
    for (int i = 0; i < ids.size(); ++i)
        out.insert(ids[i], {names[i].legend, names[i].shortLegend});
    return out;
}

} // namespace reglab::ui
