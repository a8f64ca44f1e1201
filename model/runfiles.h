// Bringing runs in from files: run records, interrupted runs' journals and presets. Each returns what it
// loaded and, in words, every problem it met; nothing here shows anything.
#pragma once

#include "model/preset.h"
#include "model/runrecord.h"

#include <string>
#include <vector>

namespace reglab {

struct LoadedRun {
    RunRecord record;
    std::string name; // a name for the runs list: the file's base name, or "Recovered: <label>"
    std::string path; // where it came from
};

struct LoadedRuns {
    std::vector<LoadedRun> runs;
    std::vector<std::string> problems;   // "<path>: <what is wrong>", one per file that could not be read
    std::vector<std::string> notRemoved; // recovered journals that could not be removed afterwards
};

// Reads run records (reglab-train --out, or saved from the window).
LoadedRuns openRunFiles(const std::vector<std::string> &paths);
// Recovers interrupted runs from their journals and removes each journal once read; a journal that cannot
// be read is kept (and named in problems).
LoadedRuns recoverJournals(const std::vector<std::string> &paths);
// Removes journals the user chose not to recover; returns how many were removed.
int discardJournals(const std::vector<std::string> &paths);

struct PresetEntry {
    std::string file;
    Preset preset;
};
struct PresetList {
    std::vector<PresetEntry> presets;
    std::vector<std::string> problems; // "<file>: <what is wrong>"
};
// The presets of these folders (each folder's *.json files, by name), as parsed against the defaults.
PresetList listPresets(const std::vector<std::string> &dirs);
// One preset file, its runs starting from `base` (the caller's settings); throws RecordError.
Preset loadPreset(const std::string &file, const TrainConfig &base);

} // namespace reglab
