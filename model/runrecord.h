// The run record: one JSON document per run, written by the CLI and read by the GUI and by scripts.
#pragma once

#include "model/config.h"
#include "model/error.h"
#include "model/records.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace reglab {

// A run record, journal or preset that cannot be read: a data fault.
class RecordError : public DataError {
public:
    using DataError::DataError;
};

struct RunRecord {
    TrainConfig config;
    RunStatus status = RunStatus::Running;
    std::string message; // why it stopped, diverged or failed; empty when it finished
    ErrorKind errorKind = ErrorKind::None; // what kind of fault ended it (Diverged, Data, ...), None otherwise
    std::string device;
    std::string dataName;
    std::string startedAt;                       // ISO 8601, UTC
    std::map<std::string, std::string> versions; // reglab, libtorch, compiler
    std::vector<StepRecord> steps;
    std::vector<EpochRecord> epochs;
    std::vector<SettingChange> settingChanges; // "lambda_changes" in the JSON (its name before dropout was live)
    std::optional<Predictions> lastPredictions;
    std::vector<WeightHistogram> weightHistograms; // the last snapshot's, one per layer
    double totalSeconds = 0;
};

// Pretty-printed JSON: config, versions, device, status, message, summary, epochs, steps, lambda_changes.
std::string toJson(const RunRecord &record);
// Throws RecordError naming what is missing or malformed.
RunRecord runRecordFromJson(const std::string &json);

// The epoch table: one row per epoch, with per-layer columns.
std::string epochsCsv(const RunRecord &record);

// Writes to PATH.tmp, flushes, then renames over PATH, so a failure leaves any old file intact.
// Returns an empty string, or what went wrong.
std::string writeFileAtomically(const std::string &path, const std::string &contents);
// Reads a whole file; throws RecordError.
std::string readTextFile(const std::string &path);

std::string nowIso8601();

} // namespace reglab
