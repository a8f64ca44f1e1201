// Legend names of compared runs: configDifferences() for runs named after their configuration.
#include "ui/runs/runlegend.h"

#include "model/config.h"
#include "model/summarytable.h"
#include "ui/runs/runmodel.h"

#include <QRegularExpression>

#include <vector>

namespace reglab::ui {

QString shortRunName(const QString &name)
{
    static const QRegularExpression number(QStringLiteral(" \\(\\d+\\)$"));
    const QRegularExpressionMatch m = number.match(name);
    const bool numbered = m.hasMatch() && name.contains(QStringLiteral(" - "));
    return name.section(QStringLiteral(" - "), 0, 0) + (numbered ? m.captured() : QString());
}

QHash<int, LegendName> legendNames(const RunModel &runs, const QList<int> &shown)
{
    QList<int> ids;
    std::vector<const reglab::RunRecord *> records;
    for (int id : shown)
        if (runs.contains(id)) {
            ids << id;
            records.push_back(runs.record(id));
        }
    // Runs of different data sets compared: each name says which (their accuracies are not comparable).
    const bool otherData = records.size() >= 2 && reglab::dataSetsDiffer(records);
    const auto runName = [&](int id) {
        return otherData ? QString::fromStdString(reglab::withDataSet(runs.name(id).toStdString(), *runs.record(id)))
                         : runs.name(id);
    };
    // A run named after its configuration is told apart by what differs from the other such runs shown; a name
    // given by a person or a preset says what it is, and stays.
    QList<int> unnamed;
    std::vector<reglab::TrainConfig> configs;
    for (int id : ids) {
        const QString full = runs.name(id);
        const QString label = QString::fromStdString(reglab::shortLabel(runs.record(id)->config));
        if (full == label || full.startsWith(label + QStringLiteral(" ("))) {
            unnamed << id;
            configs.push_back(runs.record(id)->config);
        }
    }
    QStringList differing;
    for (const std::string &name : reglab::configDifferences(configs))
        differing << QString::fromStdString(name);
    QHash<int, LegendName> out;
    for (int id : ids) {
        const QString full = runName(id);
        if (const QString difference = differing.value(int(unnamed.indexOf(id))); !difference.isEmpty())
            out.insert(id, {difference, difference});
        else
            out.insert(id, {full, shortRunName(full)});
    }
    return out;
}

} // namespace reglab::ui
