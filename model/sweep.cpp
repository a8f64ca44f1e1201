#include "model/sweep.h"

#include "model/datasource.h"
#include "model/jsonio.h"
#include "model/preset.h"
#include "model/safefile.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace reglab {

using namespace jsonio;

namespace {

// The field a sweep names: by its config key ("batch_size"), its flag ("--batch") or the flag's name ("batch",
// "l1_method" for --l1-method).
const ConfigField *sweepField(const std::string &name)
{
    if (const ConfigField *f = findField(name))
        return f;
    std::string flag = "--" + name;
    for (char &c : flag)
        if (c == '_')
            c = '-';
    return findField(flag);
}

// {"from": a, "to": b, "points": n, "log": true}: n values from a to b, log-spaced when asked, to three
// significant digits (a grid of 1e-05, 3.16e-05, 0.0001, ...); whole numbers for whole-number settings.
std::vector<std::string> rangeValues(const Json &range, const ConfigField &field)
{
    for (const auto &[key, value] : range.items()) // a misspelt "lgo" would quietly make a linear range
        if (key != "from" && key != "to" && key != "points" && key != "log")
            throw RecordError("unknown key \"" + key + "\" in a range (its keys are from, to, points, log)");
    if (range.contains("log") && !range["log"].is_boolean())
        throw RecordError("\"log\" is true or false");
    for (const char *key : {"from", "to", "points"})
        if (!range.contains(key) || !range[key].is_number())
            throw RecordError(std::string("a range needs \"from\", \"to\" and \"points\" as numbers (\"") + key +
                              "\" is missing or not a number)");
    const double from = range["from"].get<double>(), to = range["to"].get<double>();
    const double pointsValue = range["points"].get<double>();
    const bool log = range.contains("log") && range["log"].is_boolean() && range["log"].get<bool>();
    if (!(pointsValue >= 1 && pointsValue <= 10000 && pointsValue == std::floor(pointsValue)))
        throw RecordError("\"points\" is a whole number from 1 to 10000");
    if (!std::isfinite(from) || !std::isfinite(to))
        throw RecordError("\"from\" and \"to\" must be finite numbers");
    if (log && !(from > 0 && to > 0))
        throw RecordError("a log range needs \"from\" and \"to\" above 0 (use \"log\": false for a range through 0)");
    const int points = int(pointsValue);
    const bool whole = field.kind == ConfigField::Kind::Integer || field.kind == ConfigField::Kind::Seed;
    std::vector<std::string> values;
    for (int i = 0; i < points; ++i) {
        const double t = points == 1 ? 0.0 : double(i) / double(points - 1);
        double v = log ? from * std::pow(to / from, t) : from + (to - from) * t;
        std::string text;
        if (whole) {
            text = std::to_string(std::llround(v));
        } else {
            char buffer[32];
            std::snprintf(buffer, sizeof buffer, "%.3g", v);
            text = formatNumber(std::strtod(buffer, nullptr));
        }
        if (values.empty() || values.back() != text) // whole numbers from a fine range repeat
            values.push_back(text);
    }
    return values;
}

std::string safeName(const std::string &text)
{
    std::string out;
    for (char c : text) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                          c == '-' || c == '+';
        out += keep ? c : '-';
    }
    return out;
}

// A file name holds at most 255 bytes, and a run's name becomes NAME.json, NAME.log and NAME.lock: a longer
// name (a data folder's path among the settings) keeps its start and ends with a hash of the whole, the same on
// every machine (FNV-1a), so two runs never share a shortened name by accident.
std::string boundedRunName(const std::string &name)
{
    if (name.size() <= kMaxRunNameBytes)
        return name;
    std::uint64_t hash = 14695981039346656037ull;
    for (unsigned char c : name) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    char tail[24];
    std::snprintf(tail, sizeof tail, "-%016llx", static_cast<unsigned long long>(hash));
    return name.substr(0, kMaxRunNameBytes - std::strlen(tail)) + tail;
}

// One grid: {key: values, ...}, each key a setting, each value list checked against the setting's range.
std::vector<SweepAxis> parseGrid(const Json &vary, const TrainConfig &base)
{
    if (!vary.is_object())
        throw RecordError("\"vary\" is an object, {\"l1\": [0.001, 0.01], ...}, or a list of them");
    std::vector<SweepAxis> axes;
    for (const auto &[name, values] : vary.items()) {
        const ConfigField *field = sweepField(name);
        if (!field)
            throw RecordError("vary \"" + name + "\": no such setting (the keys are a run record's config keys, "
                                                 "such as l1, l2, l1_method, optimizer, batch_size, seed, dropout)");
        for (const SweepAxis &axis : axes)
            if (axis.key == field->key)
                throw RecordError("vary \"" + name + "\": " + field->key + " is varied twice");
        SweepAxis axis{field->key, {}};
        try {
            if (values.is_array()) {
                for (const Json &v : values)
                    axis.values.push_back(fieldText(v));
            } else if (values.is_object()) {
                axis.values = rangeValues(values, *field);
            } else {
                throw RecordError("give a list of values or {\"from\", \"to\", \"points\", \"log\"}");
            }
            if (axis.values.empty())
                throw RecordError("no values");
            for (const std::string &v : axis.values) {
                TrainConfig probe = base;
                if (const std::string problem = field->set(probe, v); !problem.empty())
                    throw RecordError(problem);
            }
        } catch (const RecordError &e) {
            throw RecordError("vary \"" + name + "\": " + e.what());
        }
        axes.push_back(std::move(axis));
    }
    return axes;
}

// JSON on one line with a space after each comma and colon, as people write it: [0, 1, 2], {"from": 1e-05}.
std::string compact(const Json &j)
{
    std::string out;
    if (j.is_array()) {
        for (const Json &item : j)
            out += (out.empty() ? "" : ", ") + compact(item);
        return "[" + out + "]";
    }
    if (j.is_object()) {
        for (const auto &[key, value] : j.items())
            out += (out.empty() ? "" : ", ") + dumpJson(Json(key)) + ": " + compact(value);
        return "{" + out + "}";
    }
    return dumpJson(j);
}

// An object with one key a line, indented by `indent`: readable in a preview and in a diff.
std::string block(const Json &j, const std::string &indent)
{
    std::string out;
    for (const auto &[key, value] : j.items())
        out += (out.empty() ? "" : ",\n") + indent + "  " + dumpJson(Json(key)) + ": " + compact(value);
    return out.empty() ? "{}" : "{\n" + out + "\n" + indent + "}";
}

} // namespace

std::vector<std::string> sweepRangeValues(const std::string &key, double from, double to, int points, bool log)
{
    const ConfigField *field = sweepField(key);
    if (!field)
        throw RecordError("vary \"" + key + "\": no such setting");
    try {
        return rangeValues(Json{{"from", num(from)}, {"to", num(to)}, {"points", points}, {"log", log}}, *field);
    } catch (const RecordError &e) {
        throw RecordError("vary \"" + key + "\": " + e.what());
    }
}

std::string sweepFileText(const SweepSpec &spec)
{
    Json base = configJson(spec.base);
    base.erase("threads"); // the machine's, not the experiment's: the pool and the job script set it
    Json vary = Json::object();
    for (const SweepAxisSpec &axis : spec.axes) {
        const ConfigField *field = sweepField(axis.key);
        if (!field)
            throw RecordError("vary \"" + axis.key + "\": no such setting");
        if (vary.contains(field->key))
            throw RecordError("vary \"" + axis.key + "\": " + field->key + " is varied twice");
        base.erase(field->key);
        if (axis.range) {
            vary[field->key] =
                Json{{"from", num(axis.from)}, {"to", num(axis.to)}, {"points", axis.points}, {"log", axis.log}};
            continue;
        }
        Json values = Json::array();
        for (const std::string &v : axis.values) {
            try {
                values.push_back(fieldJson(*field, v));
            } catch (const RecordError &e) {
                throw RecordError("vary \"" + field->key + "\": " + e.what());
            }
        }
        vary[field->key] = values;
    }
    Json head{{"format", "reglab-sweep"}};
    putText(head, "name", spec.name);
    if (!spec.description.empty())
        putText(head, "description", spec.description);
    std::string out = "{\n";
    for (const auto &[key, value] : head.items())
        out += "  " + dumpJson(Json(key)) + ": " + dumpJson(value) + ",\n";
    // What varies first: it is the sweep; the base is the long list of everything else.
    return out + "  \"vary\": " + block(vary, "  ") + ",\n  \"base\": " + block(base, "  ") + "\n}\n";
}

Sweep parseSweep(const std::string &text, const TrainConfig &base)
{
    const Json doc = parseNamedDocument(text, "sweep", {"vary"});
    Sweep sweep;
    sweep.name = getStr(doc, "name");
    sweep.description = getStr(doc, "description");
    sweep.base = base;
    if (doc.contains("base"))
        sweep.base = configFromJson(doc["base"], sweep.base);
    // "vary" is one grid or a list of grids (L1's values with L2 off, then L2's with L1 off): the runs are each
    // grid's product in turn.
    std::vector<Json> grids;
    if (!doc.contains("vary"))
        grids.push_back(Json::object());
    else if (doc["vary"].is_array())
        grids.assign(doc["vary"].begin(), doc["vary"].end());
    else
        grids.push_back(doc["vary"]);
    if (grids.empty())
        throw RecordError("\"vary\" is an empty list");
    // Counted against the limit before each product, so no count can wrap (axes of 2^32 values each once
    // multiplied to a few runs, or to none).
    const std::string tooMany = "the sweep has more than " + std::to_string(kMaxSweepRuns) +
                                " runs (the limit); vary fewer settings or fewer values";
    std::size_t total = 0;
    for (const Json &vary : grids) {
        std::vector<SweepAxis> axes = parseGrid(vary, sweep.base);
        std::size_t count = 1;
        for (const SweepAxis &axis : axes) {
            if (axis.values.size() > kMaxSweepRuns / count)
                throw RecordError(tooMany);
            count *= axis.values.size();
        }
        if (count > kMaxSweepRuns - total)
            throw RecordError(tooMany);
        total += count;
        sweep.grids.push_back(std::move(axes));
    }
    const int width = std::max<int>(4, int(std::to_string(total - 1).size()));
    for (const std::vector<SweepAxis> &axes : sweep.grids) {
        std::size_t count = 1;
        for (const SweepAxis &axis : axes)
            count *= axis.values.size();
        for (std::size_t i = 0; i < count; ++i) {
            SweepRun run;
            run.index = sweep.runs.size();
            run.config = sweep.base;
            char number[32];
            std::snprintf(number, sizeof number, "%0*zu", width, run.index);
            run.name = number;
            // The last axis varies fastest: i = ((i0 * n1) + i1) * n2 + i2 ...
            std::size_t rest = i, stride = count;
            for (const SweepAxis &axis : axes) {
                stride /= axis.values.size();
                const std::string &value = axis.values[rest / stride];
                rest %= stride;
                field(axis.key).set(run.config, value);
                run.settings.emplace_back(axis.key, value);
                run.name += "-" + safeName(axis.key) + "_" + safeName(value);
            }
            run.name = boundedRunName(run.name);
            if (const std::string problem = validate(run.config); !problem.empty())
                throw RecordError("run " + std::to_string(run.index) + " (" + run.name + "): " + problem);
            sweep.runs.push_back(std::move(run));
        }
    }
    return sweep;
}

Sweep loadSweep(const std::string &path, const TrainConfig &base)
{
    const std::string text = readTextFile(path, kMaxPresetBytes);
    try {
        return parseSweep(text, base);
    } catch (const RecordError &e) {
        throw RecordError(path + ": " + e.what());
    }
}

std::string sweepRecordPath(const std::string &outDir, const SweepRun &run)
{
    return (outDir.empty() ? std::string(".") : outDir) + "/" + run.name + ".json";
}

std::string bundledSweepDir()
{
    return findBundledDir("REGLAB_SWEEP_DIR", "sweeps", "resources/sweeps");
}

} // namespace reglab
