// Builds a run record from the run's event stream: the trainer, journal recovery and the window's run model
// all file events through this one class, so a record means the same wherever it was made.
#pragma once

#include "model/events.h"

#include <cstddef>

namespace reglab {

// Step records a record keeps before it thins them (every other one): 20,000 is 1,250 sample epochs at the
// dashboard's logging rate.
inline constexpr std::size_t kMaxStepRecords = 20000;

class RunRecordBuilder {
public:
    explicit RunRecordBuilder(RunRecord &record) : m_record(record) {}

    // RunInfo: the device and the data's name; StepRecord, EpochRecord and SettingChange: appended (steps thinned
    // past kMaxStepRecords); Predictions: the last ones; WeightSnapshot: its histograms; RunRecord: the whole
    // record, as the run ended. The rest (progress, gradients, validation detail) is not part of a record.
    void apply(const TrainEvent &event);

private:
    RunRecord &m_record;
};

} // namespace reglab
