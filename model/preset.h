// Presets: named queues of runs for a lesson, kept as data files (resources/presets/*.json) so a teacher can
// add one without touching code.
#pragma once

#include "model/config.h"

#include <cstddef>
#include <string>
#include <vector>

namespace reglab {

struct PresetRun {
    std::string label;
    TrainConfig config;
    bool optional = false; // offered, not queued by default (e.g. a slow variant)
};

struct Preset {
    std::string name;
    std::string description;
    std::vector<PresetRun> runs;
};

// {"format": "reglab-preset", "name", "description", "base": {config keys}, "runs": [{"label", "optional",
// config keys}]}: each run starts from `base` (the caller's settings, such as the data source), then the
// preset's "base", then its own keys. Throws RecordError naming the run and what is wrong.
Preset parsePreset(const std::string &json, const TrainConfig &base = {});

// Largest preset file read: the bundled ones are about 1 KB.
inline constexpr std::size_t kMaxPresetBytes = std::size_t(1) << 20;
// Reads and parses a preset file: only a regular file of at most kMaxPresetBytes is read (a FIFO, a folder or a
// link to /dev/zero is refused at once, never waited on or read without end). Throws RecordError naming the file.
Preset loadPreset(const std::string &path, const TrainConfig &base = {});

// Where the bundled presets are: $REGLAB_PRESET_DIR, beside the installed executable
// (../share/reglab/presets) or in the source tree; "" when none is found.
std::string bundledPresetDir();
// The *.json files of a folder, sorted by name.
std::vector<std::string> presetFiles(const std::string &dir);

} // namespace reglab
