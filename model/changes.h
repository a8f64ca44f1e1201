// Live setting changes in words, one formatter for the charts' markers, the runs list, the CLI and exports:
// "L1=0.001", "dropout=0.5/0.5", "L1→0.001 at step 800". Also reads the older record form, where each change
// listed every live value in force.
#pragma once

#include "model/config.h"
#include "model/records.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace reglab {

// "L1=0.001" with `assign` "=", "L1→0.001" with "→": the field's short name and its value as people read it
// (a strength of 0 is "off"; a list joined by "/").
std::string changeText(const SettingChange &change, const std::string &assign = "=");
// The changes grouped by the step they took effect: {800, "L1=0.001, lr=0.02"}, in order.
std::vector<std::pair<std::int64_t, std::string>> changeMarkers(const std::vector<SettingChange> &changes,
                                                                const std::string &assign = "=");
// "L1→0.001 at step 800, dropout→0.5/0.5 at step 1600"; "" when there were none.
std::string describeChanges(const std::vector<SettingChange> &changes);

// The value a setting has after `changes`, starting from `config`: the config with every change applied (a change
// whose value the table refuses is skipped).
TrainConfig configAfter(TrainConfig config, const std::vector<SettingChange> &changes);

// An entry of an older record's "lambda_changes" (every live value in force at `step`: l1, l2, learning_rate,
// dropout) as the keyed changes it made against `inForce`, which it then updates.
struct LegacyChange {
    std::int64_t step = 0;
    double l1 = 0, l2 = 0, learningRate = 0;
    std::vector<double> dropout; // empty: written before dropout was live
};
std::vector<SettingChange> keyedChanges(const LegacyChange &legacy, TrainConfig &inForce);

} // namespace reglab
