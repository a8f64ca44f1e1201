// The run record: one JSON document per run, written by the CLI and read by the GUI and by scripts.
#pragma once

#include "model/blaskernels.h"
#include "model/config.h"
#include "model/error.h"
#include "model/safefile.h"
#include "model/records.h"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace reglab {

struct RunRecord {
    TrainConfig config;
    std::string name; // the name a user gave the run ("" : its label)
    RunStatus status = RunStatus::Running;
    std::string message;                   // why it stopped, diverged or failed; empty when it finished
    ErrorKind errorKind = ErrorKind::None; // what kind of fault ended it (Diverged, Data, ...), None otherwise
    std::string device;
    std::string dataName;
    std::string startedAt;                       // ISO 8601, UTC
    std::map<std::string, std::string> versions; // reglab, libtorch, compiler
    std::optional<BlasKernels> blas;             // the matrix kernels ("blas"); absent in records before them
    std::vector<StepRecord> steps;
    std::vector<EpochRecord> epochs;
    std::vector<SettingChange> settingChanges; // "setting_changes" ("lambda_changes" before format 2)
    std::optional<Predictions> lastPredictions;
    std::vector<WeightHistogram> weightHistograms; // the last snapshot's, one per layer
    double totalSeconds = 0;
    // The training set as trained on: its images (train_size's subset) and how many labels label_noise replaced;
    // 0 and 0 in records from before them.
    std::int64_t trainImages = 0, flippedLabels = 0;
    std::optional<EarlyStop> earlyStop; // "early_stop": the run ended early, its best epoch's weights restored
    // Read from a file: what this version did not understand (a newer format's keys, "config.new_setting"), for
    // the reader to say; never written.
    std::vector<std::string> notUnderstood;
    // The run's colour ("#1f77b4"), given once from the palette where it was first listed and kept in every
    // view and export; "" for a run never shown (reglab-train's), which the reader colours.
    std::string color;
};

// 2: live changes as {step, key, value} under "setting_changes".
inline constexpr int kRunFormatVersion = 2;

// Pretty-printed JSON: config, versions, device, status, message, summary, epochs, steps, setting_changes.
std::string toJson(const RunRecord &record);
// Throws RecordError naming what is missing or malformed.
RunRecord runRecordFromJson(const std::string &json);

// The epoch table: one row per epoch, with per-layer columns.
std::string epochsCsv(const RunRecord &record);

// Checks a record's values as the charts would draw them: accuracies and fractions in [0, 1], losses, norms and
// times not negative, epochs from 1 and increasing, steps increasing. Throws RecordError naming the field, such
// as `epochs[3].test_accuracy is 1e+308; an accuracy is a fraction from 0 to 1`. runRecordFromJson calls it.
void checkRecordValues(const RunRecord &record);


// The epoch whose weights the run ended with: the best one when early stopping restored it, else the last; null
// when no epoch finished.
const EpochRecord *finalEpoch(const RunRecord &record);

std::string nowIso8601();
// Whether `color` is a run colour as records keep it: "#" and six hex digits.
bool isRunColor(const std::string &color);

} // namespace reglab
