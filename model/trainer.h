// The trainer: runs the configured experiment, reports through an observer, obeys a TrainControl.
#pragma once

#include "model/config.h"
#include "model/control.h"
#include "model/records.h"
#include "model/runrecord.h"

#include <memory>

namespace reglab {

class Dataset;

// Called on the training thread. Implementations must be quick (copy and hand over).
class TrainObserver {
public:
    virtual ~TrainObserver() = default;
    virtual void onStarted(const RunInfo &) {}
    virtual void onStep(const StepRecord &) {}
    virtual void onLambdaChange(const LambdaChange &) {}
    virtual void onProgress(const Progress &) {}
    virtual void onEpoch(const EpochRecord &) {}
    virtual void onPredictions(const Predictions &) {}
    // After each evaluation, and when asked for while paused (TrainControl::requestSnapshot).
    virtual void onWeights(const WeightSnapshot &) {}
    // At each logging point.
    virtual void onGradientBalance(const GradientBalance &) {}
    // After each evaluation.
    virtual void onValidationDetail(const ValidationDetail &) {}
    virtual void onFinished(const RunRecord &) {}
};

// Runs one training run until it finishes, is stopped, diverges or fails, and returns its record. Never
// throws: every fault becomes status Failed with a message, and what was computed before it stays in the
// record. `data` may be null: the data source named in the config is then loaded.
RunRecord train(const TrainConfig &config, TrainControl &control, TrainObserver *observer = nullptr,
                std::shared_ptr<const Dataset> data = nullptr);

} // namespace reglab
