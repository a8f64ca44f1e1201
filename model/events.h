// The one stream of what a run reports: each event is one of the plain records, in order (RunInfo first, the
// finished RunRecord last). Observers have one entry point; a consumer handles the types it needs with
// std::visit and ignores the rest.
#pragma once

#include "model/records.h"
#include "model/runrecord.h"

#include <variant>

namespace reglab {

using TrainEvent = std::variant<RunInfo,          // the run starts (before the first step)
                                StepRecord,       // a logging point
                                SettingChange,    // a live setting took effect
                                Progress,         // where training stands, a few times a second
                                EpochRecord,      // an epoch was evaluated
                                Predictions,      // the panel digits after an evaluation
                                WeightSnapshot,   // after each evaluation, or asked for while paused
                                GradientBalance,  // at each logging point
                                ValidationDetail, // after each evaluation
                                EarlyStop,        // early stopping ended the run (before its RunRecord)
                                RunRecord>;       // the run ended: its whole record

// Called on the training thread. Implementations must be quick (copy and hand over).
class TrainObserver {
public:
    virtual ~TrainObserver() = default;
    virtual void onEvent(const TrainEvent &event) = 0;
};

// Visits with a set of lambdas: std::visit(Overloaded{[](const StepRecord &) {...}, [](const auto &) {}}, e).
template <typename... Fs> struct Overloaded : Fs... {
    using Fs::operator()...;
};
template <typename... Fs> Overloaded(Fs...) -> Overloaded<Fs...>;

} // namespace reglab
