#include "model/sweeppath.h"
#include "model/metrics.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace reglab {
namespace {

double finalValue(const EpochRecord &e, const std::string &metric)
{
    const Metric *m = findMetric(metric);
    if (!m || !m->read) // a first-layer metric without the layers reads NaN itself
        return std::nan("");
    return m->read(e);
}

std::vector<std::string> splitKeys(const std::string &text)
{
    std::vector<std::string> keys;
    std::stringstream s(text);
    std::string key;
    while (std::getline(s, key, ','))
        if (!key.empty())
            keys.push_back(key);
    return keys;
}

const ConfigField &checkedField(const std::string &key, const char *what)
{
    const ConfigField *f = findField(key);
    if (!f) {
        std::string keys;
        for (const ConfigField &c : configFields())
            keys += (keys.empty() ? "" : ", ") + c.key;
        throw RecordError(std::string(what) + " '" + key + "' is not a setting; use one of " + keys);
    }
    return *f;
}

PathPoint summary(double x, const std::vector<std::pair<double, std::size_t>> &values)
{
    PathPoint p;
    p.x = x;
    p.runs = int(values.size());
    p.min = p.max = values.front().first;
    double sum = 0;
    for (const auto &[v, index] : values) {
        p.min = std::min(p.min, v);
        p.max = std::max(p.max, v);
        sum += v;
        p.of.push_back(index);
    }
    p.mean = sum / double(values.size());
    return p;
}

} // namespace

const std::vector<std::string> &pathMetrics()
{
    // The epoch metrics of the table that a chart shows (not timings), by their keys.
    static const std::vector<std::string> names = [] {
        std::vector<std::string> keys;
        for (const Metric &m : metrics())
            if (m.per == Metric::Per::Epoch && m.plotted)
                keys.push_back(m.key);
        return keys;
    }();
    return names;
}

bool isPathMetric(const std::string &name)
{
    const Metric *m = findMetric(name);
    return m && std::find(pathMetrics().begin(), pathMetrics().end(), m->key) != pathMetrics().end();
}

SweepPath sweepPath(const std::vector<RunRecord> &records, const std::string &xKeys, const std::string &metric,
                    const std::string &groupKey)
{
    if (!isPathMetric(metric)) {
        std::string names;
        for (const std::string &m : pathMetrics())
            names += (names.empty() ? "" : ", ") + m;
        throw RecordError("metric '" + metric + "' is not one a path shows; use one of " + names);
    }
    const std::vector<std::string> keys = splitKeys(xKeys);
    if (keys.empty())
        throw RecordError("give the swept setting, such as l1 or l1,l2");
    std::vector<const ConfigField *> xFields;
    for (const std::string &k : keys)
        xFields.push_back(&checkedField(k, "x"));
    const ConfigField *group = groupKey.empty() ? nullptr : &checkedField(groupKey, "group");

    SweepPath path;
    path.metric = metric;
    path.xLabel = keys.size() == 1 ? xFields.front()->key : xKeys;
    std::map<std::string, std::map<double, std::vector<std::pair<double, std::size_t>>>> values; // group -> x -> runs
    std::vector<std::string> order;                                        // groups as first met
    std::vector<std::pair<double, std::size_t>> baseline;
    for (std::size_t index = 0; index < records.size(); ++index) {
        const RunRecord &r = records[index];
        if (r.epochs.empty() || r.status == RunStatus::Failed || r.status == RunStatus::Diverged) {
            ++path.skipped;
            continue;
        }
        const double v = finalValue(*finalEpoch(r), metric);
        if (!std::isfinite(v)) {
            ++path.skipped;
            continue;
        }
        double x = 0;
        std::string name;
        for (const ConfigField *f : xFields) {
            const double value = std::strtod(f->get(r.config).c_str(), nullptr);
            if (value != 0) {
                x = value;
                name = f->key;
                break;
            }
        }
        if (name.empty() && xFields.size() > 1) {
            baseline.emplace_back(v, index);
            continue;
        }
        if (group)
            name = group->get(r.config);
        else if (xFields.size() == 1)
            name = metric;
        if (!values.count(name))
            order.push_back(name);
        values[name][x].emplace_back(v, index);
    }
    double lo = 0, hi = 0;
    bool any = false;
    for (const std::string &name : order) {
        PathCurve curve{name, {}};
        for (const auto &[x, vs] : values[name]) {
            curve.points.push_back(summary(x, vs));
            lo = any ? std::min(lo, x) : x;
            hi = any ? std::max(hi, x) : x;
            any = true;
        }
        path.curves.push_back(std::move(curve));
    }
    path.logX = any && lo > 0 && hi / lo >= 10;
    if (!baseline.empty())
        path.baseline = summary(0, baseline);
    return path;
}

} // namespace reglab
