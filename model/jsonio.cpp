#include "model/jsonio.h"

#include <cmath>

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
    return json{{"data", c.data},
                {"hidden", c.hidden},
                {"dropout", c.dropout},
                {"leaky_slope", c.leakySlope},
                {"learning_rate", c.learningRate},
                {"momentum", c.momentum},
                {"batch_size", c.batchSize},
                {"epochs", c.epochs},
                {"folds", c.folds},
                {"seed", c.seed},
                {"l1", c.l1},
                {"l1_scope", toString(c.l1Scope)},
                {"l2", c.l2},
                {"l2_mode", toString(c.l2Mode)},
                {"log_every", c.logEvery},
                {"device", c.device},
                {"threads", c.threads},
                {"panel_digits", c.panelDigits},
                {"sparsity_threshold", c.sparsityThreshold}};
}

TrainConfig configFromJson(const json &j, TrainConfig c)
{
    if (!j.is_object())
        throw RecordError("\"config\" is not an object");
    c.data = getStr(j, "data", c.data);
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
    c.momentum = getNum(j, "momentum", c.momentum);
    c.batchSize = static_cast<int>(getInt(j, "batch_size", c.batchSize));
    c.epochs = static_cast<int>(getInt(j, "epochs", c.epochs));
    c.folds = static_cast<int>(getInt(j, "folds", c.folds));
    c.seed = static_cast<std::uint64_t>(getInt(j, "seed", static_cast<std::int64_t>(c.seed)));
    c.l1 = getNum(j, "l1", c.l1);
    if (!parseL1Scope(getStr(j, "l1_scope", toString(c.l1Scope)), c.l1Scope))
        throw RecordError("\"l1_scope\" must be all or weights");
    c.l2 = getNum(j, "l2", c.l2);
    if (!parseL2Mode(getStr(j, "l2_mode", toString(c.l2Mode)), c.l2Mode))
        throw RecordError("\"l2_mode\" must be decay or penalty");
    c.logEvery = static_cast<int>(getInt(j, "log_every", c.logEvery));
    c.device = getStr(j, "device", c.device);
    c.threads = static_cast<int>(getInt(j, "threads", c.threads));
    c.panelDigits = static_cast<int>(getInt(j, "panel_digits", c.panelDigits));
    c.sparsityThreshold = getNum(j, "sparsity_threshold", c.sparsityThreshold);
    return c;
}

} // namespace reglab::jsonio
