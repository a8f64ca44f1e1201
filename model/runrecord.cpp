#include "model/runrecord.h"

#include "model/jsonio.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <iterator>
#include <sstream>

namespace reglab {

using json = jsonio::Json;

namespace {

using namespace jsonio;

json summaryJson(const RunRecord &r)
{
    json s{{"epochs_completed", r.epochs.size()},
           {"steps", r.steps.empty() ? 0 : r.steps.back().step},
           {"total_seconds", r.totalSeconds}};
    if (const EpochRecord *final = finalEpoch(r)) {
        const EpochRecord &last = *final;
        double best = 0;
        for (const auto &e : r.epochs)
            best = std::max(best, e.testAccuracy);
        s["final_val_accuracy"] = num(last.valAccuracy);
        s["final_test_accuracy"] = num(last.testAccuracy);
        s["best_test_accuracy"] = num(best);
        s["final_test_loss"] = num(last.testLoss);
        s["steps"] = r.epochs.back().step;
        if (!std::isnan(last.trainAccuracy))
            s["final_train_accuracy"] = num(last.trainAccuracy);
    }
    return s;
}

} // namespace

bool isRunColor(const std::string &color)
{
    return color.size() == 7 && color[0] == '#' &&
           std::all_of(color.begin() + 1, color.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

std::string toJson(const RunRecord &r)
{
    json doc;
    doc["format"] = "reglab-run";
    doc["format_version"] = kRunFormatVersion;
    doc["config"] = configJson(r.config);
    doc["label"] = shortLabel(r.config);
    if (!r.name.empty())
        putText(doc, "name", r.name);
    if (isRunColor(r.color))
        doc["color"] = r.color;
    doc["status"] = toString(r.status);
    putText(doc, "message", r.message);
    doc["error_kind"] = toString(r.errorKind);
    putText(doc, "device", r.device);
    putText(doc, "data_name", r.dataName);
    putText(doc, "started_at", r.startedAt);
    json versions = json::object();
    for (const auto &[k, v] : r.versions)
        putText(versions, k.c_str(), v); // recovered_from: a path
    doc["versions"] = versions;
    if (r.blas) {
        json blas = json::object();
        putText(blas, "library", r.blas->library);
        putText(blas, "version", r.blas->version);
        putText(blas, "core", r.blas->core);
        putText(blas, "chosen_by", r.blas->chosenBy);
        if (!r.blas->note.empty())
            putText(blas, "note", r.blas->note);
        doc["blas"] = blas;
    }
    doc["summary"] = summaryJson(r);
    if (r.trainImages > 0)
        doc["training_set"] = {{"images", r.trainImages}, {"flipped_labels", r.flippedLabels}};
    if (r.earlyStop)
        doc["early_stop"] = earlyStopJson(*r.earlyStop);

    json epochs = json::array();
    for (const auto &e : r.epochs)
        epochs.push_back(epochJson(e));
    doc["epochs"] = epochs;

    json steps = json::array();
    for (const auto &st : r.steps)
        steps.push_back(stepJson(st));
    doc["steps"] = steps;

    json changes = json::array();
    for (const auto &c : r.settingChanges)
        changes.push_back(changeJson(c));
    doc["setting_changes"] = changes;

    if (r.lastPredictions) {
        json digits = json::array();
        for (const auto &d : r.lastPredictions->digits) {
            json probs = json::array();
            for (float p : d.probabilities)
                probs.push_back(num(p));
            digits.push_back(
                {{"index", d.index}, {"label", d.label}, {"predicted", d.predicted}, {"probabilities", probs}});
        }
        doc["last_predictions"] = {
            {"epoch", r.lastPredictions->epoch}, {"step", r.lastPredictions->step}, {"digits", digits}};
    }
    json histograms = json::array();
    for (const auto &h : r.weightHistograms)
        histograms.push_back({{"name", h.name},
                              {"low", h.low},
                              {"high", h.high},
                              {"counts", h.counts},
                              {"below", h.below},
                              {"above", h.above},
                              {"zeros", h.zeros}});
    doc["weight_histograms"] = histograms;
    doc["total_seconds"] = r.totalSeconds;
    return dumpJson(doc, 1) + "\n";
}

RunRecord runRecordFromJson(const std::string &text)
{
    json doc = parseJsonOrThrow(text);
    if (!doc.is_object())
        throw RecordError("not a RegLab run record (the document is not an object)");
    if (!doc.contains("config") || !doc.contains("status"))
        throw RecordError("not a RegLab run record (no \"config\" or \"status\")");
    if (const auto format = doc.find("format"); format != doc.end() && *format != "reglab-run")
        throw RecordError("not a RegLab run record (\"format\" is " + dumpJson(*format) + ", not \"reglab-run\")");
    try {
        RunRecord r;
        std::vector<std::string> unknownConfig;
        r.config = configFromJson(doc["config"], TrainConfig{}, &unknownConfig);
        for (const std::string &key : unknownConfig)
            r.notUnderstood.push_back("config." + key);
        static const char *const kKnown[] = {
            "format", "format_version", "config", "label", "name", "name_hex", "status", "message", "message_hex",
            "error_kind", "device", "device_hex", "data_name", "data_name_hex", "started_at", "started_at_hex",
            "versions", "summary", "epochs", "steps", "lambda_changes", "setting_changes", "last_predictions",
            "weight_histograms", "total_seconds", "blas", "training_set", "early_stop", "color"};
        for (const auto &[key, value] : doc.items())
            if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown))
                r.notUnderstood.push_back(key);
        if (const std::int64_t version = getInt(doc, "format_version", 1); version > kRunFormatVersion)
            r.notUnderstood.insert(r.notUnderstood.begin(), "format_version " + std::to_string(version));
        if (!parseRunStatus(getStr(doc, "status"), r.status))
            throw RecordError("\"status\" is not one of running, finished, stopped, diverged, failed");
        r.message = getText(doc, "message");
        r.name = getText(doc, "name");
        if (const std::string color = getStr(doc, "color"); isRunColor(color)) // another value: the reader colours
            r.color = color;
        if (!parseErrorKind(getStr(doc, "error_kind", "none"), r.errorKind))
            throw RecordError("\"error_kind\" is not one of none, arguments, data, diverged, device, memory, io, "
                              "internal");
        if (r.status == RunStatus::Diverged && !doc.contains("error_kind"))
            r.errorKind = ErrorKind::Diverged; // a record written before error kinds
        r.device = getText(doc, "device");
        r.dataName = getText(doc, "data_name");
        r.startedAt = getText(doc, "started_at");
        if (doc.contains("versions") && doc["versions"].is_object()) {
            const json &versions = doc["versions"];
            for (const auto &[k, v] : versions.items()) {
                const bool hexOfAnother = k.size() > 4 && k.compare(k.size() - 4, 4, "_hex") == 0 &&
                                          versions.contains(k.substr(0, k.size() - 4));
                if (v.is_string() && !hexOfAnother)
                    r.versions[k] = getText(versions, k.c_str());
            }
        }
        if (doc.contains("blas") && doc["blas"].is_object()) { // optional: older records have none
            const json &blas = doc["blas"];
            r.blas = BlasKernels{getText(blas, "library"), getText(blas, "version"), getText(blas, "core"),
                                 getText(blas, "chosen_by"), getText(blas, "note")};
        }
        for (const auto &e : getArray(doc, "epochs"))
            r.epochs.push_back(epochFromJson(e));
        if (const auto set = doc.find("training_set"); set != doc.end() && set->is_object()) {
            r.trainImages = intValue(set->value("images", json(0)), "training_set.images", 0, std::int64_t(1) << 40);
            r.flippedLabels = intValue(set->value("flipped_labels", json(0)), "training_set.flipped_labels", 0,
                                       r.trainImages);
        }
        if (doc.contains("early_stop"))
            r.earlyStop = earlyStopFromJson(doc["early_stop"]);
        for (const auto &st : getArray(doc, "steps"))
            r.steps.push_back(stepFromJson(st));
        // Before format 2 each change listed every live value in force, under "lambda_changes".
        TrainConfig inForce = r.config;
        for (const auto &c : getArray(doc, "lambda_changes"))
            for (SettingChange &keyed : keyedChanges(legacyChangeFromJson(c), inForce))
                r.settingChanges.push_back(std::move(keyed));
        for (const auto &c : getArray(doc, "setting_changes"))
            r.settingChanges.push_back(changeFromJson(c));
        if (doc.contains("last_predictions") && doc["last_predictions"].is_object()) {
            const json &p = doc["last_predictions"];
            Predictions preds;
            preds.epoch = getInt32(p, "epoch", 0);
            preds.step = getInt(p, "step");
            for (const auto &d : getArray(p, "digits")) {
                if (!d.is_object())
                    throw RecordError("an entry of \"digits\" is not an object");
                DigitPrediction dp;
                dp.index = getInt32(d, "index", 0);
                dp.label = getInt32(d, "label", 0);
                dp.predicted = getInt32(d, "predicted", 0);
                const json &probs = getArray(d, "probabilities");
                for (std::size_t i = 0; i < dp.probabilities.size() && i < probs.size(); ++i) {
                    const double v = probs[i].is_number() ? probs[i].get<double>() : std::nan("");
                    dp.probabilities[i] = v >= 0 && v <= 1 ? static_cast<float>(v) : std::nanf("");
                }
                preds.digits.push_back(dp);
            }
            r.lastPredictions = std::move(preds);
        }
        for (const auto &h : getArray(doc, "weight_histograms")) {
            if (!h.is_object())
                throw RecordError("an entry of \"weight_histograms\" is not an object");
            WeightHistogram hist;
            hist.name = getStr(h, "name");
            hist.low = getNum(h, "low", hist.low);
            hist.high = getNum(h, "high", hist.high);
            for (const auto &c : getArray(h, "counts"))
                hist.counts.push_back(intValue(c, "counts", 0, std::int64_t(1) << 50));
            hist.below = getInt(h, "below");
            hist.above = getInt(h, "above");
            hist.zeros = getInt(h, "zeros");
            r.weightHistograms.push_back(std::move(hist));
        }
        r.totalSeconds = getNum(doc, "total_seconds");
        checkRecordValues(r);
        return r;
    } catch (const json::exception &e) {
        throw RecordError(std::string("malformed run record: ") + e.what());
    }
}

namespace {

// Throws RecordError for `where` holding `value` against `rule`.
[[noreturn]] void outOfRange(const std::string &where, double value, const char *rule)
{
    throw RecordError(where + " is " + formatNumber(value) + "; " + rule);
}

// NaN (null: a diverged run's last values) passes every check: it is not drawn.
void fraction(const std::string &where, double v, const char *rule = "an accuracy is a fraction from 0 to 1")
{
    if (!std::isnan(v) && !(v >= 0 && v <= 1))
        outOfRange(where, v, rule);
}

void notNegative(const std::string &where, double v, const char *rule)
{
    if (!std::isnan(v) && !(v >= 0 && std::isfinite(v)))
        outOfRange(where, v, rule);
}

} // namespace

void checkRecordValues(const RunRecord &r)
{
    constexpr double kMaxEpoch = 100000; // the epochs setting's range
    double lastEpoch = 0, lastStep = -1;
    for (std::size_t i = 0; i < r.epochs.size(); ++i) {
        const EpochRecord &e = r.epochs[i];
        const std::string at = "epochs[" + std::to_string(i) + "].";
        if (!(e.epoch >= 1 && e.epoch <= kMaxEpoch))
            outOfRange(at + "epoch", e.epoch, "epochs are numbered from 1 to 100000");
        if (e.epoch <= lastEpoch)
            outOfRange(
                at + "epoch", e.epoch,
                ("it follows epoch " + formatNumber(lastEpoch) + "; epochs must be in increasing order").c_str());
        lastEpoch = e.epoch;
        if (!(e.fold >= 0 && e.fold < 100))
            outOfRange(at + "fold", e.fold, "a fold is numbered from 0 to 99");
        if (e.step < 0 || double(e.step) < lastStep)
            outOfRange(at + "step", double(e.step), "steps must not be negative or go back");
        lastStep = double(e.step);
        notNegative(at + "train_loss", e.trainLoss, "a loss is not negative");
        notNegative(at + "val_loss", e.valLoss, "a loss is not negative");
        notNegative(at + "test_loss", e.testLoss, "a loss is not negative");
        fraction(at + "val_accuracy", e.valAccuracy);
        fraction(at + "train_accuracy", e.trainAccuracy);
        notNegative(at + "train_eval_loss", e.trainEvalLoss, "a loss is not negative");
        fraction(at + "test_accuracy", e.testAccuracy);
        notNegative(at + "train_seconds", e.trainSeconds, "a time is not negative");
        notNegative(at + "eval_seconds", e.evalSeconds, "a time is not negative");
        for (std::size_t k = 0; k < e.layers.size(); ++k) {
            const std::string layer = at + "layers[" + std::to_string(k) + "].";
            fraction(layer + "small_fraction", e.layers[k].smallFraction, "a share of weights is from 0 to 1");
            notNegative(layer + "l1_norm", e.layers[k].l1Norm, "a norm is not negative");
            notNegative(layer + "l2_norm", e.layers[k].l2Norm, "a norm is not negative");
        }
    }
    lastStep = 0;
    for (std::size_t i = 0; i < r.steps.size(); ++i) {
        const StepRecord &s = r.steps[i];
        const std::string at = "steps[" + std::to_string(i) + "].";
        if (s.step < 1 || double(s.step) <= lastStep)
            outOfRange(at + "step", double(s.step), "steps count from 1 and must be in increasing order");
        lastStep = double(s.step);
        if (!(s.epoch >= 1 && s.epoch <= kMaxEpoch))
            outOfRange(at + "epoch", s.epoch, "epochs are numbered from 1 to 100000");
        for (const auto &[key, v] : {std::pair<const char *, double>{"loss", s.loss},
                                     {"data_loss", s.dataLoss},
                                     {"l1_term", s.l1Term},
                                     {"l2_term", s.l2Term},
                                     {"l1", s.l1},
                                     {"l2", s.l2},
                                     {"learning_rate", s.learningRate},
                                     {"samples_per_second", s.samplesPerSecond}})
            notNegative(at + key, v, "it cannot be negative");
    }
    lastStep = 0;
    for (std::size_t i = 0; i < r.settingChanges.size(); ++i) {
        const SettingChange &c = r.settingChanges[i];
        const std::string at = "setting_changes[" + std::to_string(i) + "].";
        if (c.step < 0 || double(c.step) < lastStep)
            outOfRange(at + "step", double(c.step), "changes must be in the order of their steps");
        lastStep = double(c.step);
        // A key from a newer version is kept as it is (notUnderstood names it); a known one must be a value its
        // setting allows, as a live change would have been.
        if (const ConfigField *field = findField(c.key); field && field->key == c.key) {
            TrainConfig probe = r.config;
            if (const std::string problem = field->set(probe, c.value); !problem.empty())
                throw RecordError(at + "value (" + c.key + "): " + problem);
        }
    }
    if (r.lastPredictions)
        for (std::size_t i = 0; i < r.lastPredictions->digits.size(); ++i) {
            const DigitPrediction &d = r.lastPredictions->digits[i];
            const std::string at = "last_predictions.digits[" + std::to_string(i) + "].";
            if (d.label < 0 || d.label > 9)
                outOfRange(at + "label", d.label, "a class is from 0 to 9");
            if (d.predicted < 0 || d.predicted > 9)
                outOfRange(at + "predicted", d.predicted, "a class is from 0 to 9");
            if (d.index < 0)
                outOfRange(at + "index", d.index, "an index is not negative");
        }
    for (std::size_t i = 0; i < r.weightHistograms.size(); ++i) {
        const WeightHistogram &h = r.weightHistograms[i];
        const std::string at = "weight_histograms[" + std::to_string(i) + "].";
        if (!(std::isfinite(h.low) && std::isfinite(h.high) && h.low < h.high))
            outOfRange(at + "high", h.high, "a histogram's range must be finite, low below high");
        for (const auto &[key, v] :
             {std::pair<const char *, std::int64_t>{"below", h.below}, {"above", h.above}, {"zeros", h.zeros}})
            if (v < 0)
                outOfRange(at + key, double(v), "a count is not negative");
    }
    notNegative("total_seconds", r.totalSeconds, "a time is not negative");
}

namespace {
// Not measured (NaN) is an empty cell, as spreadsheets read it.
std::string csvNumber(double v)
{
    if (std::isnan(v))
        return {};
    std::ostringstream out;
    out.precision(8);
    out << v;
    return out.str();
}
} // namespace

std::string epochsCsv(const RunRecord &r)
{
    std::ostringstream out;
    out.precision(8);
    out << "epoch,fold,step,train_loss,val_loss,val_accuracy,test_loss,test_accuracy,train_seconds,eval_seconds,"
           "train_accuracy,train_eval_loss";
    const std::size_t layerCount = r.epochs.empty() ? 0 : r.epochs.front().layers.size();
    for (std::size_t i = 0; i < layerCount; ++i) {
        const std::string n = r.epochs.front().layers[i].name;
        out << ',' << n << "_small_fraction," << n << "_zero_fraction," << n << "_l1_norm," << n << "_l2_norm";
    }
    out << '\n';
    for (const auto &e : r.epochs) {
        out << e.epoch << ',' << e.fold << ',' << e.step << ',' << e.trainLoss << ',' << e.valLoss << ','
            << e.valAccuracy << ',' << e.testLoss << ',' << e.testAccuracy << ',' << e.trainSeconds << ','
            << e.evalSeconds << ',' << csvNumber(e.trainAccuracy) << ',' << csvNumber(e.trainEvalLoss);
        for (std::size_t i = 0; i < layerCount && i < e.layers.size(); ++i)
            out << ',' << e.layers[i].smallFraction << ',' << e.layers[i].zeroFraction << ',' << e.layers[i].l1Norm
                << ',' << e.layers[i].l2Norm;
        out << '\n';
    }
    return out.str();
}

const EpochRecord *finalEpoch(const RunRecord &r)
{
    if (r.epochs.empty())
        return nullptr;
    if (r.earlyStop)
        for (const EpochRecord &e : r.epochs)
            if (e.epoch == r.earlyStop->bestEpoch)
                return &e;
    return &r.epochs.back();
}

std::string nowIso8601()
{
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buffer;
}

std::string toString(RunStatus status)
{
    switch (status) {
    case RunStatus::Running:
        return "running";
    case RunStatus::Finished:
        return "finished";
    case RunStatus::Stopped:
        return "stopped";
    case RunStatus::Diverged:
        return "diverged";
    case RunStatus::Failed:
        return "failed";
    }
    return "failed";
}

bool parseRunStatus(const std::string &text, RunStatus &out)
{
    for (RunStatus s :
         {RunStatus::Running, RunStatus::Finished, RunStatus::Stopped, RunStatus::Diverged, RunStatus::Failed})
        if (toString(s) == text) {
            out = s;
            return true;
        }
    return false;
}

} // namespace reglab
