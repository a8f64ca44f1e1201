// The trainer: runs the configured experiment, reports its events to an observer, obeys a TrainControl.
#pragma once

#include "model/config.h"
#include "model/control.h"
#include "model/events.h"

#include <memory>

namespace reglab {

class Dataset;

// Runs one training run until it finishes, is stopped, diverges or fails, and returns its record. Never
// throws: every fault becomes status Failed with a message, and what was computed before it stays in the
// record. `data` may be null: the data source named in the config is then loaded.
RunRecord train(const TrainConfig &config, TrainControl &control, TrainObserver *observer = nullptr,
                std::shared_ptr<const Dataset> data = nullptr);

} // namespace reglab
