#include "model/runfiles.h"

#include "model/journal.h"

namespace reglab {
namespace {

std::string baseName(const std::string &path)
{
    const auto slash = path.find_last_of('/');
    std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    if (const auto dot = name.rfind('.'); dot != std::string::npos && dot > 0)
        name.erase(dot);
    return name;
}

// The message names the file once, whether or not the reader already did.
std::string problem(const std::string &path, const std::exception &e)
{
    const std::string what = e.what();
    return what.rfind(path, 0) == 0 ? what : path + ": " + what;
}

} // namespace

LoadedRuns openRunFiles(const std::vector<std::string> &paths)
{
    LoadedRuns out;
    for (const std::string &path : paths) {
        try {
            out.runs.push_back({runRecordFromJson(readTextFile(path)), baseName(path), path});
        } catch (const std::exception &e) {
            out.problems.push_back(problem(path, e));
        }
    }
    return out;
}

LoadedRuns recoverJournals(const std::vector<std::string> &paths)
{
    LoadedRuns out;
    for (const std::string &path : paths) {
        try {
            RunRecord record = recoverJournal(path);
            const std::string name = "Recovered: " + shortLabel(record.config);
            out.runs.push_back({std::move(record), name, path});
        } catch (const std::exception &e) {
            out.problems.push_back(problem(path, e)); // kept: the user may want to look at it
            continue;
        }
        if (!discardJournal(path))
            out.notRemoved.push_back(path);
    }
    return out;
}

int discardJournals(const std::vector<std::string> &paths)
{
    int removed = 0;
    for (const std::string &path : paths)
        removed += discardJournal(path) ? 1 : 0;
    return removed;
}

PresetList listPresets(const std::vector<std::string> &dirs)
{
    PresetList out;
    for (const std::string &dir : dirs)
        for (const std::string &file : presetFiles(dir)) {
            try {
                out.presets.push_back({file, loadPreset(file, TrainConfig{})});
            } catch (const std::exception &e) {
                out.problems.push_back(problem(file, e));
            }
        }
    return out;
}

Preset loadPreset(const std::string &file, const TrainConfig &base)
{
    return parsePreset(readTextFile(file), base);
}

} // namespace reglab
