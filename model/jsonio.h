// Internal to the core: JSON fields read with messages that name the key, and the config's JSON form,
// shared by the run record and the presets.
#pragma once

#include "model/config.h"
#include "model/records.h"
#include "model/runrecord.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace reglab::jsonio {

using Json = nlohmann::ordered_json;

// JSON has no NaN or infinity: non-finite values are written as null and read back as NaN.
Json num(double v);
// Each getter returns `fallback` when the key is absent and throws RecordError when it has the wrong type.
double getNum(const Json &j, const char *key, double fallback = 0);
std::int64_t getInt(const Json &j, const char *key, std::int64_t fallback = 0);
std::string getStr(const Json &j, const char *key, const std::string &fallback = {});
const Json &getArray(const Json &j, const char *key);
// An element of a list as a whole number in [lo, hi]; `what` names the list in the message. Never casts a value
// that does not fit (a float 1e30 is refused, not turned into garbage).
std::int64_t intValue(const Json &v, const char *what, std::int64_t lo, std::int64_t hi);

Json configJson(const TrainConfig &config);
// The records as the run record and the journal write them; the readers throw RecordError.
Json stepJson(const StepRecord &s);
Json epochJson(const EpochRecord &e);
Json changeJson(const SettingChange &c);
StepRecord stepFromJson(const Json &j);
EpochRecord epochFromJson(const Json &j);
SettingChange changeFromJson(const Json &j);
// The keys present in `j` override `base`.
TrainConfig configFromJson(const Json &j, TrainConfig base = {});

} // namespace reglab::jsonio
