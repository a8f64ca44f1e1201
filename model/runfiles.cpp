#include "model/runfiles.h"

#include "model/journal.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

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

std::string runLibraryDir()
{
    if (const char *xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        return std::string(xdg) + "/RegLab/runs";
    const char *home = std::getenv("HOME");
    return std::string(home && *home ? home : ".") + "/.local/share/RegLab/runs";
}

std::string keepRun(const RunRecord &record, const std::string &dir, std::string &error)
{
    if (error = makeFolders(dir); !error.empty())
        return {};
    // 20261128T104512-L1_0.01_all_-_L2_off_-_bs_50[-2].json: sortable by time, readable, unique.
    std::string stamp;
    for (char c : record.startedAt.empty() ? nowIso8601() : record.startedAt)
        if (std::isalnum(static_cast<unsigned char>(c)))
            stamp += c;
    std::string label;
    for (char c : shortLabel(record.config))
        label += std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ? c : '_';
    std::string file;
    for (int n = 1;; ++n) {
        file = dir + "/" + stamp + "-" + label + (n > 1 ? "-" + std::to_string(n) : "") + ".json";
        struct stat st {};
        if (::stat(file.c_str(), &st) != 0)
            break;
    }
    error = writeFileAtomically(file, toJson(record));
    return error.empty() ? file : std::string();
}

LoadedRuns keptRuns(const std::string &dir)
{
    const std::vector<std::string> files = presetFiles(dir); // every *.json, by name
    LoadedRuns out = openRunFiles(files);
    for (LoadedRun &run : out.runs)
        run.name = run.record.name.empty() ? shortLabel(run.record.config) : run.record.name;
    return out;
}

std::string notUnderstoodText(const RunRecord &record)
{
    std::string text;
    for (const std::string &key : record.notUnderstood)
        text += (text.empty() ? "" : ", ") + key;
    return text;
}

LoadedRuns openRunFiles(const std::vector<std::string> &paths)
{
    LoadedRuns out;
    for (const std::string &path : paths) {
        try {
            RunRecord record = runRecordFromJson(readTextFile(path));
            if (const std::string text = notUnderstoodText(record); !text.empty())
                out.notUnderstood.push_back(path + ": opened, but this version of RegLab does not understand " + text +
                                            " (written by a newer version?)");
            const std::string name = record.name.empty() ? baseName(path) : record.name;
            out.runs.push_back({std::move(record), name, path});
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

} // namespace reglab
