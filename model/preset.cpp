#include "model/preset.h"

#include "model/datasource.h"
#include "model/jsonio.h"

#include <dirent.h>

#include <algorithm>
#include <cstdlib>

namespace reglab {

using namespace jsonio;

Preset parsePreset(const std::string &text, const TrainConfig &base)
{
    const Json doc = parseNamedDocument(text, "preset", {"runs"});
    Preset preset;
    preset.name = getStr(doc, "name");
    preset.description = getStr(doc, "description");
    TrainConfig common = base;
    if (doc.contains("base"))
        common = configFromJson(doc["base"], common);
    const Json &runs = getArray(doc, "runs");
    if (runs.empty())
        throw RecordError(preset.name + ": \"runs\" is empty");
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const std::string where = preset.name + ", run " + std::to_string(i + 1);
        if (!runs[i].is_object())
            throw RecordError(where + ": not an object");
        PresetRun run;
        try {
            Json settings = runs[i];
            settings.erase("label"); // the run's own keys; the rest are settings
            settings.erase("optional");
            run.config = configFromJson(settings, common);
        } catch (const RecordError &e) {
            throw RecordError(where + ": " + e.what());
        }
        run.label = getStr(runs[i], "label", shortLabel(run.config));
        const auto optional = runs[i].find("optional");
        run.optional = optional != runs[i].end() && optional->is_boolean() && optional->get<bool>();
        if (const std::string problem = validate(run.config); !problem.empty())
            throw RecordError(where + " (" + run.label + "): " + problem);
        preset.runs.push_back(std::move(run));
    }
    return preset;
}

Preset loadPreset(const std::string &path, const TrainConfig &base)
{
    const std::string text = readTextFile(path, kMaxPresetBytes); // its messages name the file
    try {
        return parsePreset(text, base);
    } catch (const RecordError &e) {
        throw RecordError(path + ": " + e.what());
    }
}

std::string bundledPresetDir()
{
    return findBundledDir("REGLAB_PRESET_DIR", "presets", "resources/presets");
}

std::vector<std::string> presetFiles(const std::string &dir)
{
    std::vector<std::string> files;
    if (DIR *d = ::opendir(dir.c_str())) {
        while (const dirent *entry = ::readdir(d)) {
            const std::string name = entry->d_name;
            if (name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0)
                files.push_back(dir + "/" + name);
        }
        ::closedir(d);
    }
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace reglab
