#include "model/runrecord.h"

#include "model/jsonio.h"

#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
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
    if (!r.epochs.empty()) {
        const EpochRecord &last = r.epochs.back();
        double best = 0;
        for (const auto &e : r.epochs)
            best = std::max(best, e.testAccuracy);
        s["final_val_accuracy"] = num(last.valAccuracy);
        s["final_test_accuracy"] = num(last.testAccuracy);
        s["best_test_accuracy"] = num(best);
        s["final_test_loss"] = num(last.testLoss);
        s["steps"] = last.step;
    }
    return s;
}

} // namespace

std::string toJson(const RunRecord &r)
{
    json doc;
    doc["format"] = "reglab-run";
    doc["format_version"] = 1;
    doc["config"] = configJson(r.config);
    doc["label"] = shortLabel(r.config);
    doc["status"] = toString(r.status);
    doc["message"] = r.message;
    doc["error_kind"] = toString(r.errorKind);
    doc["device"] = r.device;
    doc["data_name"] = r.dataName;
    doc["started_at"] = r.startedAt;
    doc["versions"] = r.versions;
    doc["summary"] = summaryJson(r);

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
    doc["lambda_changes"] = changes;

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
    return doc.dump(1) + "\n";
}

RunRecord runRecordFromJson(const std::string &text)
{
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded())
        throw RecordError("not valid JSON");
    if (!doc.is_object())
        throw RecordError("not a RegLab run record (the document is not an object)");
    if (!doc.contains("config") || !doc.contains("status"))
        throw RecordError("not a RegLab run record (no \"config\" or \"status\")");
    try {
        RunRecord r;
        r.config = configFromJson(doc["config"]);
        if (!parseRunStatus(getStr(doc, "status"), r.status))
            throw RecordError("\"status\" is not one of running, finished, stopped, diverged, failed");
        r.message = getStr(doc, "message");
        if (!parseErrorKind(getStr(doc, "error_kind", "none"), r.errorKind))
            throw RecordError("\"error_kind\" is not one of none, arguments, data, diverged, device, memory, io, "
                              "internal");
        if (r.status == RunStatus::Diverged && !doc.contains("error_kind"))
            r.errorKind = ErrorKind::Diverged; // a record written before error kinds
        r.device = getStr(doc, "device");
        r.dataName = getStr(doc, "data_name");
        r.startedAt = getStr(doc, "started_at");
        if (doc.contains("versions") && doc["versions"].is_object())
            for (const auto &[k, v] : doc["versions"].items())
                if (v.is_string())
                    r.versions[k] = v.get<std::string>();
        for (const auto &e : getArray(doc, "epochs"))
            r.epochs.push_back(epochFromJson(e));
        for (const auto &st : getArray(doc, "steps"))
            r.steps.push_back(stepFromJson(st));
        for (const auto &c : getArray(doc, "lambda_changes"))
            r.settingChanges.push_back(changeFromJson(c));
        if (doc.contains("last_predictions") && doc["last_predictions"].is_object()) {
            const json &p = doc["last_predictions"];
            Predictions preds;
            preds.epoch = static_cast<int>(getInt(p, "epoch"));
            preds.step = getInt(p, "step");
            for (const auto &d : getArray(p, "digits")) {
                if (!d.is_object())
                    throw RecordError("an entry of \"digits\" is not an object");
                DigitPrediction dp;
                dp.index = static_cast<int>(getInt(d, "index"));
                dp.label = static_cast<int>(getInt(d, "label"));
                dp.predicted = static_cast<int>(getInt(d, "predicted"));
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
        return r;
    } catch (const json::exception &e) {
        throw RecordError(std::string("malformed run record: ") + e.what());
    }
}

std::string epochsCsv(const RunRecord &r)
{
    std::ostringstream out;
    out.precision(8);
    out << "epoch,fold,step,train_loss,val_loss,val_accuracy,test_loss,test_accuracy,train_seconds,eval_seconds";
    const std::size_t layerCount = r.epochs.empty() ? 0 : r.epochs.front().layers.size();
    for (std::size_t i = 0; i < layerCount; ++i) {
        const std::string n = r.epochs.front().layers[i].name;
        out << ',' << n << "_small_fraction," << n << "_zero_fraction," << n << "_l1_norm," << n << "_l2_norm";
    }
    out << '\n';
    for (const auto &e : r.epochs) {
        out << e.epoch << ',' << e.fold << ',' << e.step << ',' << e.trainLoss << ',' << e.valLoss << ','
            << e.valAccuracy << ',' << e.testLoss << ',' << e.testAccuracy << ',' << e.trainSeconds << ','
            << e.evalSeconds;
        for (std::size_t i = 0; i < layerCount && i < e.layers.size(); ++i)
            out << ',' << e.layers[i].smallFraction << ',' << e.layers[i].zeroFraction << ',' << e.layers[i].l1Norm
                << ',' << e.layers[i].l2Norm;
        out << '\n';
    }
    return out.str();
}

std::string writeFileAtomically(const std::string &path, const std::string &contents)
{
    const std::string tmp = path + ".tmp";
    FILE *file = std::fopen(tmp.c_str(), "wb");
    if (!file)
        return "cannot write " + path + " (" + std::strerror(errno) + "); choose another path";
    const bool wrote = std::fwrite(contents.data(), 1, contents.size(), file) == contents.size();
    const int writeErrno = errno;
    // On the disk before the rename, so a crash or power cut leaves the old file or the new one, never an empty one.
    const bool flushed = std::fflush(file) == 0 && ::fsync(::fileno(file)) == 0;
    const bool closed = std::fclose(file) == 0;
    if (!wrote || !flushed || !closed) {
        std::remove(tmp.c_str());
        return "cannot write " + path + " (" + std::strerror(writeErrno ? writeErrno : errno) +
               "); is the disk full? The file was not changed";
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        const int e = errno;
        std::remove(tmp.c_str());
        return "cannot write " + path + " (" + std::strerror(e) + ")";
    }
    return {};
}

std::string readTextFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw RecordError(path + ": cannot open (" + std::strerror(errno) + ")");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad())
        throw RecordError(path + ": read error");
    return buffer.str();
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
