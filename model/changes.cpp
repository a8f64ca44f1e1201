// Live setting changes in words, and the older record form read as keyed changes.
#include "model/changes.h"

#include <cstdio>
#include <cstdlib>

namespace reglab {

namespace {

std::string readable(const ConfigField &field, const std::string &value)
{
    if (field.control == ConfigField::Control::Strength && (value == "0" || value.empty()))
        return "off";
    // Numbers at the precision the window shows (dropout rates to 4 digits, the rest to 6), lists with "/".
    const int digits = field.kind == ConfigField::Kind::RealList ? 4 : 6;
    std::string out, item;
    const auto flush = [&] {
        char *end = nullptr;
        const double v = std::strtod(item.c_str(), &end);
        if ((field.kind == ConfigField::Kind::Real || field.kind == ConfigField::Kind::RealList) && end &&
            *end == '\0' && !item.empty()) {
            char buffer[32];
            std::snprintf(buffer, sizeof buffer, "%.*g", digits, v);
            item = buffer;
        }
        out += (out.empty() ? "" : "/") + item;
        item.clear();
    };
    for (char c : value) {
        if (c == ',')
            flush();
        else
            item += c;
    }
    flush();
    return out;
}

} // namespace

std::string changeText(const SettingChange &change, const std::string &assign)
{
    const ConfigField *field = findField(change.key);
    if (!field || field->key != change.key)
        return change.key + assign + change.value;
    return (field->shortName.empty() ? field->key : field->shortName) + assign + readable(*field, change.value);
}

std::vector<std::pair<std::int64_t, std::string>> changeMarkers(const std::vector<SettingChange> &changes,
                                                                const std::string &assign)
{
    std::vector<std::pair<std::int64_t, std::string>> out;
    for (const SettingChange &c : changes) {
        if (!out.empty() && out.back().first == c.step)
            out.back().second += ", " + changeText(c, assign);
        else
            out.emplace_back(c.step, changeText(c, assign));
    }
    return out;
}

std::string describeChanges(const std::vector<SettingChange> &changes)
{
    std::string out;
    for (const auto &[step, what] : changeMarkers(changes, "\u2192"))
        out += (out.empty() ? "" : ", ") + what + " at step " + std::to_string(step);
    return out;
}

TrainConfig configAfter(TrainConfig config, const std::vector<SettingChange> &changes)
{
    for (const SettingChange &c : changes)
        if (const ConfigField *field = findField(c.key); field && field->key == c.key) {
            TrainConfig next = config;
            if (field->set(next, c.value).empty())
                config = std::move(next);
        }
    return config;
}

std::vector<SettingChange> keyedChanges(const LegacyChange &legacy, TrainConfig &inForce)
{
    std::vector<SettingChange> out;
    const auto note = [&](const char *key, TrainConfig next) {
        const ConfigField &field = *findField(key);
        const std::string value = field.get(next);
        if (value != field.get(inForce) && field.set(inForce, value).empty())
            out.push_back({legacy.step, key, value});
    };
    TrainConfig next = inForce;
    next.l1 = legacy.l1;
    note("l1", next);
    next.l2 = legacy.l2;
    note("l2", next);
    next.learningRate = legacy.learningRate;
    note("learning_rate", next);
    if (!legacy.dropout.empty()) {
        next.dropout = legacy.dropout;
        note("dropout", next);
    }
    return out;
}

} // namespace reglab
