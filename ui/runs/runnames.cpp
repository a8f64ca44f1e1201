// Legend names of runs drawn together, by what differs between them (runnames.h).
#include "ui/runs/runnames.h"

#include "model/config.h"
#include "model/summarytable.h"

#include <QRegularExpression>
#include <QSet>
#include <QStringList>

#include <vector>

namespace reglab::ui {
namespace {

// A run's whole name for a table: its configuration label, and the settings that differ from the other runs
// which the label does not show ("L1 off - L2 off - bs 50 (lr 0.02)").
QString withDifference(const QString &label, const QString &difference)
{
    QStringList missing;
    for (const QString &part : difference.split(QStringLiteral(", "), Qt::SkipEmptyParts))
        if (!label.contains(part))
            missing << part;
    return missing.isEmpty() ? label : QStringLiteral("%1 (%2)").arg(label, missing.join(QStringLiteral(", ")));
}

} // namespace

QString shortRunName(const QString &name)
{
    static const QRegularExpression number(QStringLiteral(" \\(\\d+\\)$"));
    const QRegularExpressionMatch m = number.match(name);
    const bool numbered = m.hasMatch() && name.contains(QStringLiteral(" - "));
    return name.section(QStringLiteral(" - "), 0, 0) + (numbered ? m.captured() : QString());
}

QList<RunNames> runNames(const QList<RunNaming> &runs)
{
    std::vector<const reglab::RunRecord *> records;
    for (const RunNaming &run : runs)
        records.push_back(run.record);
    // Runs of different data sets each say which (their accuracies are not comparable); the data set is then
    // named on its own, not among the differing settings.
    const bool otherData = records.size() >= 2 && reglab::dataSetsDiffer(records);
    std::vector<reglab::TrainConfig> configs;
    QList<int> unnamed; // the runs named after their configurations: told apart by what differs among them
    for (int i = 0; i < runs.size(); ++i)
        if (runs[i].given.isEmpty()) {
            unnamed << i;
            configs.push_back(runs[i].record->config);
            configs.back().data = runs[unnamed.front()].record->config.data;
        }
    const std::vector<std::string> differing = reglab::configDifferences(configs);
    const auto dataSet = [&](const QString &name, int i) {
        return otherData ? QString::fromStdString(reglab::withDataSet(name.toStdString(), *runs[i].record)) : name;
    };
    QList<RunNames> out;
    QSet<QString> used, usedFull;
    for (int i = 0; i < runs.size(); ++i) {
        const RunNaming &run = runs[i];
        const int k = int(unnamed.indexOf(i));
        const QString difference = k >= 0 ? QString::fromStdString(differing[std::size_t(k)]) : QString();
        RunNames names;
        if (k < 0) {
            names.full = dataSet(run.given, i);
            names.legend = names.full;
            names.shortLegend = dataSet(shortRunName(run.given), i);
        } else {
            const QString label = QString::fromStdString(reglab::shortLabel(run.record->config));
            names.full = dataSet(withDifference(label, difference), i);
            if (!difference.isEmpty())
                names.legend = dataSet(difference, i);
            else if (otherData) // only the data set differs
                names.legend = QString::fromStdString(reglab::dataSetName(*run.record));
            else if (runs.size() == 1 || run.fallback.isEmpty())
                names.legend = names.full;
            else // runs of one configuration: their files (or list names) tell them apart
                names.legend = run.fallback;
            names.shortLegend = names.legend == names.full ? dataSet(shortRunName(label), i) : names.legend;
        }
        // Two runs of one name: told apart by their fallbacks.
        if (!run.fallback.isEmpty() && run.fallback != names.legend) {
            const QString suffix = QStringLiteral(" (%1)").arg(run.fallback);
            if (used.contains(names.legend)) {
                names.legend += suffix;
                names.shortLegend += suffix;
            }
            if (usedFull.contains(names.full))
                names.full += suffix;
        }
        used.insert(names.legend);
        usedFull.insert(names.full);
        out << names;
    }
    return out;
}

} // namespace reglab::ui
