// Internal to the core: JSON fields read with messages that name the key, and the config's JSON form,
// shared by the run record and the presets.
#pragma once

#include "model/changes.h"
#include "model/config.h"
#include "model/records.h"
#include "model/runrecord.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace reglab::jsonio {

using Json = nlohmann::ordered_json;

// The deepest nesting a file may have. RegLab's files nest a few levels; copying, printing or freeing a value
// recurses once a level, so 100,000 levels would overflow the stack.
inline constexpr int kMaxJsonDepth = 256;
// Every reader of a user's JSON goes through here. Refuses text nested deeper than kMaxJsonDepth before anything
// is built (a scan of the brackets outside strings), then parses. Returns a discarded value when the text is not
// valid JSON or nests too deep, with `error` (if given) saying which in words. With `refuseDuplicateKeys`, an
// object naming a key twice is refused too (JSON parsers keep one of the two without a word): for the files
// people write by hand, presets and sweeps.
Json parseJson(std::string_view text, std::string *error = nullptr, bool refuseDuplicateKeys = false);
// parseJson, throwing RecordError with its message instead of returning a discarded value.
Json parseJsonOrThrow(std::string_view text, bool refuseDuplicateKeys = false);

// JSON has no NaN or infinity: non-finite values are written as null and read back as NaN.
Json num(double v);
// Each getter returns `fallback` when the key is absent and throws RecordError when it has the wrong type.
double getNum(const Json &j, const char *key, double fallback = 0);
std::int64_t getInt(const Json &j, const char *key, std::int64_t fallback = 0);
std::string getStr(const Json &j, const char *key, const std::string &fallback = {});
// A whole number that must fit an int field (a count of epochs, a batch size): throws RecordError naming the key
// for anything else, never casting a value that does not fit.
int getInt32(const Json &j, const char *key, int fallback);

// Text that may hold any bytes (a folder's name is not always UTF-8, and JSON holds only UTF-8): valid UTF-8 is
// written as it is; anything else as readable text with U+FFFD in place of the bad bytes under `key`, plus its
// exact bytes in hexadecimal under `key`_hex, which getText prefers. So every path round-trips.
bool isValidUtf8(const std::string &text);
void putText(Json &j, const char *key, const std::string &text);
std::string getText(const Json &j, const char *key, const std::string &fallback = {});
// JSON text of `j`; never throws on text that is not UTF-8 (replaced), whatever slipped past putText.
std::string dumpJson(const Json &j, int indent = -1);
const Json &getArray(const Json &j, const char *key);
// An element of a list as a whole number in [lo, hi]; `what` names the list in the message. Never casts a value
// that does not fit (a float 1e30 is refused, not turned into garbage).
std::int64_t intValue(const Json &v, const char *what, std::int64_t lo, std::int64_t hi);

// A setting's value in JSON (a number, a list, true or false, a string) from its text, and back; the text is the
// flag's ("0.01", "200,200"). fieldJson throws RecordError with what is allowed when `text` is not.
Json fieldJson(const ConfigField &field, const std::string &text);
std::string fieldText(const Json &value);

// Every setting of the table, by its key.
Json configJson(const TrainConfig &config);

// A preset's or a sweep's file: valid JSON, an object whose "format" is "reglab-" + `kind`, with a "name", and no
// top-level keys but format, name, description, base and `ownKeys`. Throws RecordError saying which.
Json parseNamedDocument(const std::string &text, const std::string &kind, const std::vector<std::string> &ownKeys);
// The records as the run record and the journal write them; the readers throw RecordError.
Json stepJson(const StepRecord &s);
Json epochJson(const EpochRecord &e);
Json changeJson(const SettingChange &c);
StepRecord stepFromJson(const Json &j);
EpochRecord epochFromJson(const Json &j);
Json earlyStopJson(const EarlyStop &stop);
EarlyStop earlyStopFromJson(const Json &j);
SettingChange changeFromJson(const Json &j);
// An entry of an older record's "lambda_changes" (read as keyed changes with keyedChanges).
LegacyChange legacyChangeFromJson(const Json &j);
// The keys present in `j` override `base`, each read and checked by its field in the table. A key the table does
// not know is refused (RecordError with unknownKeyMessage) unless `unknown` collects it: a record from a newer
// version still opens and says which keys it did not understand.
TrainConfig configFromJson(const Json &j, TrainConfig base = {}, std::vector<std::string> *unknown = nullptr);
// "unknown setting \"learnig_rate\": did you mean \"learning_rate\"?"
std::string unknownKeyMessage(const std::string &key);

} // namespace reglab::jsonio
