// Sweeps: a grid of runs kept as a data file, like a preset, but made from axes instead of listed one by one:
// {"format": "reglab-sweep", "name", "description", "base": {config keys}, "vary": {key: [values] or
// {"from": a, "to": b, "points": n, "log": true}} or a list of such grids}. The runs are each grid's product of
// its axes, the first axis varying slowest; a run's index and file name depend only on the file, so every
// machine of a cluster agrees.
#pragma once

#include "model/config.h"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace reglab {

struct SweepAxis {
    std::string key;                 // the config key, as a run record's "config" names it ("l1", "batch_size")
    std::vector<std::string> values; // each as the field's text ("0.001", "0.3,0.4", "proximal")
};

struct SweepRun {
    std::size_t index = 0;
    TrainConfig config;
    // The varied settings of this run, in the axes' order: {"l1", "0.001"}, {"seed", "2"}.
    std::vector<std::pair<std::string, std::string>> settings;
    // "0007-l1_0.001-l1-method_proximal": the index, then each setting as key_value (a key's own underscores
    // become dashes), in characters safe for any file system. At most kMaxRunNameBytes: a longer one keeps its
    // start and ends with "-" and 16 hexadecimal digits of a hash of the whole (stable across machines).
    std::string name;
};

struct Sweep {
    std::string name;
    std::string description;
    TrainConfig base;
    // Each grid's axes; "vary" may be one grid or a list of them (L1's values, then L2's).
    std::vector<std::vector<SweepAxis>> grids;
    std::vector<SweepRun> runs; // each grid's product in turn
};

// Longest run name: NAME.json, NAME.log and NAME.lock stay within a file name's 255 bytes.
inline constexpr std::size_t kMaxRunNameBytes = 200;

// Largest sweep: a grid past this is a mistake in the file rather than a plan.
inline constexpr std::size_t kMaxSweepRuns = 100000;

// Parses a sweep; each run starts from `base`, then the file's "base", then its axes' values. Throws
// RecordError naming the axis or run and what is wrong, as for a preset.
Sweep parseSweep(const std::string &json, const TrainConfig &base = {});
// Reads (a regular file of at most 1 MB) and parses; the messages name the file.
Sweep loadSweep(const std::string &path, const TrainConfig &base = {});

// Where sweep `s`'s run `run` keeps its record inside the output folder.
std::string sweepRecordPath(const std::string &outDir, const SweepRun &run);

// A one-grid sweep as a program builds it (the window's sweep dialog), to be written as a sweep file.
struct SweepAxisSpec {
    std::string key;                 // a config key
    std::vector<std::string> values; // the values, each as the field's text, unless `range`
    bool range = false;              // {"from", "to", "points", "log"}, expanded as parseSweep does
    double from = 0, to = 0;
    int points = 1;
    bool log = false;
};

struct SweepSpec {
    std::string name, description;
    TrainConfig base;
    std::vector<SweepAxisSpec> axes; // the first varies slowest
};

// The sweep file's text for `spec`, "vary" first (it is the sweep), then "base" with every setting of `base` but the
// varied ones and the machine's (threads), so the file alone says what each run is. Throws RecordError for a
// value its field refuses or a setting varied twice.
std::string sweepFileText(const SweepSpec &spec);
// A range's values as parseSweep expands them (three significant digits; whole numbers for whole-number
// settings). Throws RecordError as parseSweep does.
std::vector<std::string> sweepRangeValues(const std::string &key, double from, double to, int points, bool log);

// The built-in sweeps (resources/sweeps): "" when none is found.
std::string bundledSweepDir();

} // namespace reglab
