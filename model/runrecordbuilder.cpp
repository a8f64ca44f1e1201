// Files a run's events into its record.
#include "model/runrecordbuilder.h"

namespace reglab {

namespace {

// Keeps every other record and the newest: a very long run's record stays bounded.
template <typename T> void halve(std::vector<T> &records)
{
    std::vector<T> half;
    half.reserve(records.size() / 2 + 1);
    for (std::size_t i = 0; i < records.size(); i += 2)
        half.push_back(records[i]);
    if ((records.size() - 1) % 2 != 0)
        half.push_back(records.back());
    records = std::move(half);
}

} // namespace

void RunRecordBuilder::apply(const TrainEvent &event)
{
    std::visit(Overloaded{[this](const RunInfo &info) {
                              m_record.device = info.device;
                              m_record.dataName = info.dataName;
                              m_record.trainImages = info.trainCount;
                              m_record.flippedLabels = info.flippedLabels;
                          },
                          [this](const EarlyStop &stop) { m_record.earlyStop = stop; },
                          [this](const StepRecord &step) {
                              m_record.steps.push_back(step);
                              if (m_record.steps.size() > kMaxStepRecords)
                                  halve(m_record.steps);
                          },
                          [this](const SettingChange &change) { m_record.settingChanges.push_back(change); },
                          [this](const EpochRecord &epoch) { m_record.epochs.push_back(epoch); },
                          [this](const Predictions &predictions) { m_record.lastPredictions = predictions; },
                          [this](const WeightSnapshot &snapshot) { m_record.weightHistograms = snapshot.histograms; },
                          [this](const RunRecord &record) {
                              if (&record != &m_record)
                                  m_record = record;
                          },
                          [](const auto &) {}},
               event);
}

} // namespace reglab
