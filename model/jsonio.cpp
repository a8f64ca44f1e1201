#include "model/jsonio.h"
#include "model/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <set>

namespace reglab::jsonio {

using json = Json;

// JSON has no NaN or infinity: a diverged run's last values are written as null and read back as NaN.
json num(double v)
{
    return std::isfinite(v) ? json(v) : json(nullptr);
}

double getNum(const json &j, const char *key, double fallback)
{
    const auto it = j.find(key);
    if (it == j.end())
        return fallback;
    if (it->is_null())
        return std::nan("");
    if (!it->is_number())
        throw RecordError(std::string("\"") + key + "\" is not a number");
    return it->get<double>();
}

std::int64_t getInt(const json &j, const char *key, std::int64_t fallback)
{
    const auto it = j.find(key);
    if (it == j.end())
        return fallback;
    if (!it->is_number())
        throw RecordError(std::string("\"") + key + "\" is not a number");
    const double v = it->get<double>();
    if (!(v >= -9e15 && v <= 9e15))
        throw RecordError(std::string("\"") + key + "\" is out of range");
    return static_cast<std::int64_t>(v);
}

std::string getStr(const json &j, const char *key, const std::string &fallback)
{
    const auto it = j.find(key);
    if (it == j.end())
        return fallback;
    if (!it->is_string())
        throw RecordError(std::string("\"") + key + "\" is not a string");
    return it->get<std::string>();
}

int getInt32(const json &j, const char *key, int fallback)
{
    const auto it = j.find(key);
    if (it == j.end())
        return fallback;
    if (!it->is_number())
        throw RecordError(std::string("\"") + key + "\" is not a number");
    const double v = it->get<double>();
    if (!(v >= double(std::numeric_limits<int>::min()) && v <= double(std::numeric_limits<int>::max())) ||
        v != std::trunc(v))
        throw RecordError(std::string("\"") + key + "\" is " + it->dump() + ", not a whole number that fits");
    return static_cast<int>(v);
}

namespace {

// Walks `text` as UTF-8: the length of the valid sequence at i, or 0 for a bad byte.
std::size_t utf8Length(const std::string &text, std::size_t i)
{
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char c = byte(i);
    std::size_t n = 0;
    unsigned lo = 0x80, hi = 0xBF; // the allowed range of the second byte
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80; // no overlong forms
        hi = c == 0xED ? 0x9F : 0xBF; // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else
        return 0;
    if (i + n > text.size() || byte(i + 1) < lo || byte(i + 1) > hi)
        return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF)
            return 0;
    return n;
}

std::string lossyUtf8(const std::string &text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = utf8Length(text, i);
        out += n ? text.substr(i, n) : std::string("\xEF\xBF\xBD"); // U+FFFD
        i += n ? n : 1;
    }
    return out;
}

} // namespace

bool isValidUtf8(const std::string &text)
{
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = utf8Length(text, i);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

void putText(json &j, const char *key, const std::string &text)
{
    if (isValidUtf8(text)) {
        j[key] = text;
        return;
    }
    static const char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char c : text) {
        hex += kHex[c >> 4];
        hex += kHex[c & 15];
    }
    j[key] = lossyUtf8(text);
    j[std::string(key) + "_hex"] = hex;
}

std::string getText(const json &j, const char *key, const std::string &fallback)
{
    const auto hex = j.find(std::string(key) + "_hex");
    if (hex == j.end())
        return getStr(j, key, fallback);
    const auto digit = [](char c) {
        return c >= '0' && c <= '9'   ? c - '0'
               : c >= 'a' && c <= 'f' ? c - 'a' + 10
               : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                      : -1;
    };
    const std::string text = hex->is_string() ? hex->get<std::string>() : std::string("?");
    if (text.size() % 2 != 0)
        throw RecordError(std::string("\"") + key + "_hex\" is not hexadecimal text");
    std::string out;
    for (std::size_t i = 0; i < text.size(); i += 2) {
        const int a = digit(text[i]), b = digit(text[i + 1]);
        if (a < 0 || b < 0)
            throw RecordError(std::string("\"") + key + "_hex\" is not hexadecimal text");
        out += static_cast<char>(a * 16 + b);
    }
    return out;
}

namespace {

// Where the text first nests deeper than `limit` (an offset), or npos. Brackets in strings do not count; nothing
// else is checked here, the parser does that.
std::size_t tooDeepAt(std::string_view text, int limit)
{
    int depth = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i; // the escaped character, a quote included
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limit)
                return i;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return std::string_view::npos;
}

} // namespace

Json parseJson(std::string_view text, std::string *error, bool refuseDuplicateKeys)
{
    if (const std::size_t at = tooDeepAt(text, kMaxJsonDepth); at != std::string_view::npos) {
        if (error)
            *error = "not a RegLab file: its JSON nests deeper than " + std::to_string(kMaxJsonDepth) +
                     " levels (at byte " + std::to_string(at) + "), where RegLab's files nest a few";
        return Json(Json::value_t::discarded);
    }
    if (!refuseDuplicateKeys) {
        Json doc = Json::parse(text.begin(), text.end(), nullptr, false);
        if (doc.is_discarded() && error)
            *error = "not valid JSON";
        return doc;
    }
    // The keys of each open object, and the key that holds it ("" at the top and in lists), for the message.
    struct Open {
        std::set<std::string> keys;
        std::string name;
    };
    std::vector<Open> open;
    std::string lastKey, duplicate;
    const Json::parser_callback_t watch = [&](int, Json::parse_event_t event, Json &parsed) {
        switch (event) {
        case Json::parse_event_t::object_start:
            open.push_back({{}, lastKey});
            lastKey.clear();
            break;
        case Json::parse_event_t::key:
            lastKey = parsed.get<std::string>();
            if (!open.empty() && !open.back().keys.insert(lastKey).second && duplicate.empty())
                duplicate = "the key \"" + lastKey + "\" appears twice" +
                            (open.back().name.empty() ? std::string() : " in \"" + open.back().name + "\"") +
                            " (JSON keeps only one of them without a word): give it once";
            break;
        case Json::parse_event_t::object_end:
            if (!open.empty())
                open.pop_back();
            break;
        case Json::parse_event_t::array_start:
            lastKey.clear(); // an object in a list has no key of its own
            break;
        default:
            break;
        }
        return true;
    };
    Json doc = Json::parse(text.begin(), text.end(), watch, false);
    if (doc.is_discarded()) {
        if (error)
            *error = "not valid JSON";
    } else if (!duplicate.empty()) {
        if (error)
            *error = duplicate;
        return Json(Json::value_t::discarded);
    }
    return doc;
}

Json parseJsonOrThrow(std::string_view text, bool refuseDuplicateKeys)
{
    std::string error;
    Json doc = parseJson(text, &error, refuseDuplicateKeys);
    if (doc.is_discarded())
        throw RecordError(error);
    return doc;
}

std::string dumpJson(const json &j, int indent)
{
    return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

const json &getArray(const json &j, const char *key)
{
    static const json empty = json::array();
    const auto it = j.find(key);
    if (it == j.end())
        return empty;
    if (!it->is_array())
        throw RecordError(std::string("\"") + key + "\" is not a list");
    return *it;
}

std::int64_t intValue(const Json &v, const char *what, std::int64_t lo, std::int64_t hi)
{
    if (!v.is_number())
        throw RecordError(std::string("\"") + what + "\" holds a non-number");
    const double d = v.get<double>();
    if (!(d >= double(lo) && d <= double(hi)))
        throw RecordError(std::string("\"") + what + "\" holds a value out of range");
    return static_cast<std::int64_t>(d);
}

std::string fieldText(const Json &v)
{
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_boolean())
        return v.get<bool>() ? "true" : "false";
    if (v.is_number_integer())
        return v.dump();
    if (v.is_number())
        return formatNumber(v.get<double>());
    if (v.is_array()) {
        std::string out;
        for (const Json &item : v) {
            if (item.is_array() || item.is_object())
                throw RecordError("a list inside a list: give each value as a number or a list of numbers");
            out += (out.empty() ? "" : ",") + fieldText(item);
        }
        return out;
    }
    throw RecordError("a value is a number, a string, true or false, or a list of numbers");
}

Json fieldJson(const ConfigField &field, const std::string &text)
{
    TrainConfig probe;
    if (const std::string problem = field.set(probe, text); !problem.empty())
        throw RecordError(problem);
    using Kind = ConfigField::Kind;
    switch (field.kind) {
    case Kind::Integer:
        return std::stoll(text);
    case Kind::Seed:
        return std::stoull(text);
    case Kind::Real:
        return num(std::strtod(text.c_str(), nullptr));
    case Kind::Switch:
        return text == "true";
    case Kind::IntegerList:
    case Kind::RealList: {
        Json list = Json::array();
        std::size_t at = 0;
        while (at <= text.size()) {
            const std::size_t comma = std::min(text.find(',', at), text.size());
            const std::string item = text.substr(at, comma - at);
            list.push_back(field.kind == Kind::IntegerList ? Json(std::stoll(item))
                                                           : num(std::strtod(item.c_str(), nullptr)));
            at = comma + 1;
        }
        return list;
    }
    case Kind::Text:
    case Kind::Choice:
        break;
    }
    return text;
}

namespace {

// The JSON types a field's value may have: a number field refuses "0.01" as text, as it always did.
bool typeFits(const ConfigField &field, const Json &v)
{
    using Kind = ConfigField::Kind;
    switch (field.kind) {
    case Kind::Integer:
    case Kind::Real:
        return v.is_number();
    case Kind::Seed:
        return v.is_number_unsigned();
    case Kind::Switch:
        return v.is_boolean();
    case Kind::IntegerList:
    case Kind::RealList:
        return v.is_array();
    case Kind::Text:
    case Kind::Choice:
        return v.is_string();
    }
    return false;
}

const char *typeWanted(const ConfigField &field)
{
    using Kind = ConfigField::Kind;
    switch (field.kind) {
    case Kind::Integer:
    case Kind::Real:
        return "is not a number";
    case Kind::Seed:
        return "is not a whole number from 0 to 18446744073709551615";
    case Kind::Switch:
        return "is not true or false";
    case Kind::IntegerList:
    case Kind::RealList:
        return "is not a list of numbers";
    case Kind::Text:
    case Kind::Choice:
        break;
    }
    return "is not a string";
}

} // namespace

json configJson(const TrainConfig &c)
{
    json j = json::object();
    for (const ConfigField &f : configFields()) {
        if (f.kind == ConfigField::Kind::Text)
            putText(j, f.key.c_str(), f.get(c)); // a folder's name: any bytes
        else
            j[f.key] = fieldJson(f, f.get(c));
    }
    return j;
}

TrainConfig configFromJson(const json &j, TrainConfig c, std::vector<std::string> *unknown)
{
    if (!j.is_object())
        throw RecordError("\"config\" is not an object");
    for (const auto &[key, value] : j.items()) {
        const ConfigField *f = findField(key);
        if (!f || f->key != key) { // by its key only: "--lr" is a flag, not a key
            if (key.size() > 4 && key.compare(key.size() - 4, 4, "_hex") == 0 && findField(key.substr(0, key.size() - 4)))
                continue; // the exact bytes of a text setting (putText)
            if (!unknown)
                throw RecordError(unknownKeyMessage(key));
            unknown->push_back(key);
            continue;
        }
        if (!typeFits(*f, value))
            throw RecordError("\"" + key + "\" " + typeWanted(*f));
        const std::string text = f->kind == ConfigField::Kind::Text ? getText(j, key.c_str()) : fieldText(value);
        if (const std::string problem = f->set(c, text); !problem.empty())
            throw RecordError("\"" + key + "\": " + problem);
    }
    return c;
}

Json parseNamedDocument(const std::string &text, const std::string &kind, const std::vector<std::string> &ownKeys)
{
    const Json doc = parseJsonOrThrow(text, true);
    const std::string format = "reglab-" + kind;
    if (!doc.is_object() || getStr(doc, "format") != format)
        throw RecordError("not a RegLab " + kind + " (\"format\" is not \"" + format + "\")");
    std::vector<std::string> keys{"format", "name", "description", "base"};
    keys.insert(keys.end(), ownKeys.begin(), ownKeys.end());
    for (const auto &[key, value] : doc.items())
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
            std::string list;
            for (const std::string &k : keys)
                list += (list.empty() ? "" : ", ") + k;
            throw RecordError("unknown key \"" + key + "\" in the " + kind + " (its keys are " + list + ")");
        }
    if (getStr(doc, "name").empty())
        throw RecordError("the " + kind + " has no \"name\"");
    return doc;
}

std::string unknownKeyMessage(const std::string &key)
{
    std::string message = "unknown setting \"" + key + "\"";
    if (const std::string near = nearestKey(key); !near.empty())
        message += ": did you mean \"" + near + "\"?";
    else
        message += " (the settings are a run record's config keys, such as learning_rate, l1, l2, batch_size)";
    return message;
}

json stepJson(const StepRecord &s)
{
    return json{{"step", s.step},
                {"epoch", s.epoch},
                {"loss", num(s.loss)},
                {"data_loss", num(s.dataLoss)},
                {"l1_term", num(s.l1Term)},
                {"l2_term", num(s.l2Term)},
                {"l1", s.l1},
                {"l2", s.l2},
                {"learning_rate", s.learningRate},
                {"samples_per_second", num(s.samplesPerSecond)}};
}

json epochJson(const EpochRecord &e)
{
    json layers = json::array();
    for (const auto &l : e.layers)
        layers.push_back({{"name", l.name},
                          {"small_fraction", num(l.smallFraction)},
                          {"zero_fraction", num(l.zeroFraction)},
                          {"l1_norm", num(l.l1Norm)},
                          {"l2_norm", num(l.l2Norm)}});
    json j{{"epoch", e.epoch}, {"fold", e.fold}, {"step", e.step}};
    for (const Metric &m : metrics())
        if (m.write) // the stored ones; those derived from the layers are in "layers"
            j[m.key] = num(m.read(e));
    j["layers"] = layers;
    return j;
}

json changeJson(const SettingChange &c)
{
    json j{{"step", c.step}, {"key", c.key}};
    const ConfigField *field = findField(c.key);
    try {
        j["value"] = field && field->key == c.key ? fieldJson(*field, c.value) : json(c.value);
    } catch (const RecordError &) {
        j["value"] = c.value; // a value the table refuses is kept as it came, never lost
    }
    return j;
}

StepRecord stepFromJson(const json &s)
{
    if (!s.is_object())
        throw RecordError("an entry of \"steps\" is not an object");
    StepRecord rec;
    rec.step = getInt(s, "step");
    rec.epoch = getInt32(s, "epoch", 0);
    rec.loss = getNum(s, "loss");
    rec.dataLoss = getNum(s, "data_loss");
    rec.l1Term = getNum(s, "l1_term");
    rec.l2Term = getNum(s, "l2_term");
    rec.l1 = getNum(s, "l1");
    rec.l2 = getNum(s, "l2");
    rec.learningRate = getNum(s, "learning_rate");
    rec.samplesPerSecond = getNum(s, "samples_per_second");
    return rec;
}

EpochRecord epochFromJson(const json &e)
{
    if (!e.is_object())
        throw RecordError("an entry of \"epochs\" is not an object");
    EpochRecord rec;
    rec.epoch = getInt32(e, "epoch", 0);
    rec.fold = getInt32(e, "fold", 0);
    rec.step = getInt(e, "step");
    for (const Metric &m : metrics())
        if (m.write) // one measured later (train_accuracy) is missing from older records: not measured
            m.write(rec, getNum(e, m.key.c_str(), m.optional ? std::nan("") : 0.0));
    for (const auto &l : getArray(e, "layers")) {
        if (!l.is_object())
            throw RecordError("an entry of \"layers\" is not an object");
        // zero_fraction came later: an older record reads as 0.
        rec.layers.push_back({getStr(l, "name"), getNum(l, "small_fraction"), getNum(l, "l1_norm"),
                              getNum(l, "l2_norm"), getNum(l, "zero_fraction")});
    }
    return rec;
}

json earlyStopJson(const EarlyStop &s)
{
    return {{"last_epoch", s.lastEpoch},
            {"best_epoch", s.bestEpoch},
            {"patience", s.patience},
            {"best_val_loss", num(s.bestValLoss)}};
}

EarlyStop earlyStopFromJson(const json &j)
{
    if (!j.is_object())
        throw RecordError("\"early_stop\" is not an object");
    EarlyStop s;
    s.lastEpoch = getInt32(j, "last_epoch", 0);
    s.bestEpoch = getInt32(j, "best_epoch", 0);
    s.patience = getInt32(j, "patience", 0);
    s.bestValLoss = getNum(j, "best_val_loss");
    if (s.bestEpoch < 1 || s.bestEpoch > s.lastEpoch)
        throw RecordError("\"early_stop\": best_epoch " + std::to_string(s.bestEpoch) +
                          " is not an epoch from 1 to last_epoch " + std::to_string(s.lastEpoch));
    return s;
}

SettingChange changeFromJson(const json &c)
{
    if (!c.is_object())
        throw RecordError("an entry of \"setting_changes\" is not an object");
    SettingChange change;
    change.step = getInt(c, "step");
    change.key = getStr(c, "key");
    if (change.key.empty())
        throw RecordError("an entry of \"setting_changes\" names no \"key\"");
    const auto value = c.find("value");
    if (value == c.end())
        throw RecordError("the change of \"" + change.key + "\" has no \"value\"");
    change.value = fieldText(*value);
    return change;
}

LegacyChange legacyChangeFromJson(const json &c)
{
    if (!c.is_object())
        throw RecordError("an entry of \"lambda_changes\" is not an object");
    LegacyChange change{getInt(c, "step"), getNum(c, "l1"), getNum(c, "l2"), getNum(c, "learning_rate"), {}};
    // Records written before dropout was live have no "dropout": the rates did not change.
    for (const auto &p : getArray(c, "dropout"))
        change.dropout.push_back(p.is_number() ? p.get<double>() : throw RecordError("\"dropout\" holds a non-number"));
    return change;
}

} // namespace reglab::jsonio
