// The run record: one JSON document per run, written by the CLI and read by the GUI and by scripts.
#pragma once

#include "model/config.h"
#include "model/error.h"
#include "model/records.h"

#include <cstddef>
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
    std::string name; // the name a user gave the run ("" : its label)
    RunStatus status = RunStatus::Running;
    std::string message;                   // why it stopped, diverged or failed; empty when it finished
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

// Checks a record's values as the charts would draw them: accuracies and fractions in [0, 1], losses, norms and
// times not negative, epochs from 1 and increasing, steps increasing. Throws RecordError naming the field, such
// as `epochs[3].test_accuracy is 1e+308; an accuracy is a fraction from 0 to 1`. runRecordFromJson calls it.
void checkRecordValues(const RunRecord &record);

// Saving a file a user named (run records, CSV, figures' numbers). Symbolic links are followed to the file they
// name; only a regular file (or a name that does not exist yet) is ever replaced.

// Where a save to `path` goes: its symbolic links followed (relative ones against their folder) to a path that
// is not a link; that path need not exist. Returns "" or why not (a loop of links).
std::string resolveSaveTarget(const std::string &path, std::string &target);
// Whether `path` can be saved to, checked before a long computation: "" when it can, else the reason in words
// (it is a folder, a device, a FIFO; its folder is missing or not writable; its name is too long). Leaves nothing
// behind and touches no existing file: the folder is tested with an unnamed file (O_TMPFILE), or where the file
// system has none, a uniquely named one it removes at once.
std::string checkWritableTarget(const std::string &path);
// Whether two paths would save to the same file (through links, "..", and hard links of an existing file).
bool sameSaveTarget(const std::string &a, const std::string &b);
// Writes `contents` to a new uniquely named temporary file in the target's folder (unnamed while it is written,
// where the file system allows), syncs it and renames it over the target, so a failure or a crash leaves the
// old file or the new one, never a torn one; two writers never share a temporary file. Refuses targets that are
// not regular files; keeps an existing file's permissions; removes only the temporary file it created.
// Returns an empty string, or what went wrong ("cannot write PATH (...)").
std::string writeFileAtomically(const std::string &path, const std::string &contents);

// Largest file readTextFile reads unless told otherwise: a run record of 20,000 steps and 100,000 epochs fits.
inline constexpr std::size_t kMaxTextFileBytes = std::size_t(256) << 20;
// Reads a whole regular file of at most `maxBytes`; throws RecordError naming the file. A folder, a FIFO, a
// device (a link to /dev/zero) or a larger file is refused without reading it, so nothing blocks or reads
// without end.
std::string readTextFile(const std::string &path, std::size_t maxBytes = kMaxTextFileBytes);
// What a path that is there is, in words: "a folder", "a named pipe (FIFO)", "a character device", ...; "" for a
// regular file. `mode` as stat() gives it.
std::string fileTypeName(unsigned mode);

std::string nowIso8601();

} // namespace reglab
