#include "model/jsonio.h"

#include <cmath>
#include <limits>

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

json configJson(const TrainConfig &c)
{
    json j{{"data", c.data},
           {"hidden", c.hidden},
           {"dropout", c.dropout},
           {"leaky_slope", c.leakySlope},
           {"learning_rate", c.learningRate},
           {"optimizer", toString(c.optimizer)},
           {"momentum", c.momentum},
           {"nesterov", c.nesterov},
           {"adam_beta1", c.adamBeta1},
           {"adam_beta2", c.adamBeta2},
           {"adam_eps", c.adamEps},
           {"batch_size", c.batchSize},
           {"epochs", c.epochs},
           {"folds", c.folds},
           {"seed", c.seed},
           {"l1", c.l1},
           {"l1_scope", toString(c.l1Scope)},
           {"l1_method", toString(c.l1Method)},
           {"l2", c.l2},
           {"l2_mode", toString(c.l2Mode)},
           {"log_every", c.logEvery},
           {"device", c.device},
           {"threads", c.threads},
           {"panel_digits", c.panelDigits},
           {"sparsity_threshold", c.sparsityThreshold}};
    putText(j, "data", c.data); // a folder's name: any bytes
    return j;
}

TrainConfig configFromJson(const json &j, TrainConfig c)
{
    if (!j.is_object())
        throw RecordError("\"config\" is not an object");
    c.data = getText(j, "data", c.data);
    if (j.contains("hidden")) {
        c.hidden.clear();
        for (const auto &h : getArray(j, "hidden"))
            c.hidden.push_back(static_cast<int>(intValue(h, "hidden", 0, 1 << 20)));
    }
    if (j.contains("dropout")) {
        c.dropout.clear();
        for (const auto &p : getArray(j, "dropout"))
            c.dropout.push_back(p.is_number() ? p.get<double>() : throw RecordError("\"dropout\" holds a non-number"));
    }
    c.leakySlope = getNum(j, "leaky_slope", c.leakySlope);
    c.learningRate = getNum(j, "learning_rate", c.learningRate);
    if (!parseOptimizer(getStr(j, "optimizer", toString(c.optimizer)), c.optimizer))
        throw RecordError("\"optimizer\" must be sgd, adam or adamw");
    c.momentum = getNum(j, "momentum", c.momentum);
    if (const auto nesterov = j.find("nesterov"); nesterov != j.end()) {
        if (!nesterov->is_boolean())
            throw RecordError("\"nesterov\" is not true or false");
        c.nesterov = nesterov->get<bool>();
    }
    c.adamBeta1 = getNum(j, "adam_beta1", c.adamBeta1);
    c.adamBeta2 = getNum(j, "adam_beta2", c.adamBeta2);
    c.adamEps = getNum(j, "adam_eps", c.adamEps);
    c.batchSize = getInt32(j, "batch_size", c.batchSize);
    c.epochs = getInt32(j, "epochs", c.epochs);
    c.folds = getInt32(j, "folds", c.folds);
    if (const auto seed = j.find("seed"); seed != j.end()) {
        // Any 64-bit seed round-trips: read as the unsigned integer it was written as, never through a double.
        if (!seed->is_number_unsigned())
            throw RecordError("\"seed\" is not a whole number from 0 to 18446744073709551615");
        c.seed = seed->get<std::uint64_t>();
    }
    c.l1 = getNum(j, "l1", c.l1);
    if (!parseL1Scope(getStr(j, "l1_scope", toString(c.l1Scope)), c.l1Scope))
        throw RecordError("\"l1_scope\" must be all or weights");
    if (!parseL1Method(getStr(j, "l1_method", toString(c.l1Method)), c.l1Method))
        throw RecordError("\"l1_method\" must be subgradient or proximal");
    c.l2 = getNum(j, "l2", c.l2);
    if (!parseL2Mode(getStr(j, "l2_mode", toString(c.l2Mode)), c.l2Mode))
        throw RecordError("\"l2_mode\" must be decay or penalty");
    c.logEvery = getInt32(j, "log_every", c.logEvery);
    c.device = getStr(j, "device", c.device);
    c.threads = getInt32(j, "threads", c.threads);
    c.panelDigits = getInt32(j, "panel_digits", c.panelDigits);
    c.sparsityThreshold = getNum(j, "sparsity_threshold", c.sparsityThreshold);
    return c;
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
    return json{{"epoch", e.epoch},
                {"fold", e.fold},
                {"step", e.step},
                {"train_loss", num(e.trainLoss)},
                {"val_loss", num(e.valLoss)},
                {"val_accuracy", num(e.valAccuracy)},
                {"test_loss", num(e.testLoss)},
                {"test_accuracy", num(e.testAccuracy)},
                {"train_seconds", e.trainSeconds},
                {"eval_seconds", e.evalSeconds},
                {"layers", layers}};
}

json changeJson(const SettingChange &c)
{
    json j{{"step", c.step}, {"l1", c.l1}, {"l2", c.l2}, {"learning_rate", c.learningRate}};
    if (!c.dropout.empty())
        j["dropout"] = c.dropout;
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
    rec.trainLoss = getNum(e, "train_loss");
    rec.valLoss = getNum(e, "val_loss");
    rec.valAccuracy = getNum(e, "val_accuracy");
    rec.testLoss = getNum(e, "test_loss");
    rec.testAccuracy = getNum(e, "test_accuracy");
    rec.trainSeconds = getNum(e, "train_seconds");
    rec.evalSeconds = getNum(e, "eval_seconds");
    for (const auto &l : getArray(e, "layers")) {
        if (!l.is_object())
            throw RecordError("an entry of \"layers\" is not an object");
        // zero_fraction came later: an older record reads as 0.
        rec.layers.push_back({getStr(l, "name"), getNum(l, "small_fraction"), getNum(l, "l1_norm"),
                              getNum(l, "l2_norm"), getNum(l, "zero_fraction")});
    }
    return rec;
}

SettingChange changeFromJson(const json &c)
{
    if (!c.is_object())
        throw RecordError("an entry of \"lambda_changes\" is not an object");
    SettingChange change{getInt(c, "step"), getNum(c, "l1"), getNum(c, "l2"), getNum(c, "learning_rate"), {}};
    // Records written before dropout was live have no "dropout": the rates did not change.
    for (const auto &p : getArray(c, "dropout"))
        change.dropout.push_back(p.is_number() ? p.get<double>() : throw RecordError("\"dropout\" holds a non-number"));
    return change;
}

} // namespace reglab::jsonio
