// Command-line parsing for reglab-train, kept apart from main() so tests can call it.
#pragma once

#include "model/config.h"

#include <string>
#include <vector>

namespace reglab {

struct CliOptions {
    TrainConfig config;
    std::string outJson;
    std::string outCsv;
    bool quiet = false;
    bool download = false;   // fetch full MNIST when --data mnist is not on this machine
    std::string downloadDir; // where to put it; "" = the XDG data folder
    bool help = false;
    bool version = false;
};

// Returns "" on success, or a message naming the flag and what is allowed (exit status 2).
std::string parseTrainArgs(const std::vector<std::string> &args, CliOptions &out);
std::string trainUsage();
// Every flag reglab-train takes, settings first (for tests and completion scripts).
std::vector<std::string> trainFlagNames();

} // namespace reglab
