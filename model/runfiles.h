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
    // "<path>: opened, but this version does not understand config.new_setting, format_version 3": records from
    // a newer RegLab, opened with what this one knows.
    std::vector<std::string> notUnderstood;
};

// "config.x, format_version 3" from a record's notUnderstood, for a message; "" when it understood everything.
std::string notUnderstoodText(const RunRecord &record);
// Reads run records (reglab-train --out, or saved from the window).
LoadedRuns openRunFiles(const std::vector<std::string> &paths);
// Recovers interrupted runs from their journals and removes each journal once read; a journal that cannot
// be read is kept (and named in problems).
LoadedRuns recoverJournals(const std::vector<std::string> &paths);
// Removes journals the user chose not to recover; returns how many were removed.
int discardJournals(const std::vector<std::string> &paths);

// Where the window keeps every run it trained, so none is lost: $XDG_DATA_HOME/RegLab/runs, else
// ~/.local/share/RegLab/runs.
std::string runLibraryDir();
// Writes a run into `dir` (made if missing) under a new name from its start time and label; returns its path,
// or "" with `error` saying why.
std::string keepRun(const RunRecord &record, const std::string &dir, std::string &error);
// Every run kept in `dir`, oldest first (names from the records, else their labels).
LoadedRuns keptRuns(const std::string &dir);

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

} // namespace reglab
