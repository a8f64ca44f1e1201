// The one table of what a run measures: each metric's key (as JSON, `reglab plot --metric`, sweep paths and CSV
// name it), its label and unit, and how to read it from an epoch or a logging point. A new metric is one entry.
#pragma once

#include "model/records.h"

#include <functional>
#include <string>
#include <vector>

namespace reglab {

struct Metric {
    enum class Per { Epoch, Step };
    std::string key;   // "test_accuracy"
    std::string label; // "Test accuracy"
    std::string unit;  // "%" for a fraction shown as a percentage, "s", or ""
    Per per = Per::Epoch;
    bool higherIsBetter = false;
    // Epoch metrics: the value in an epoch's record; `write` is null for one derived from the layers.
    std::function<double(const EpochRecord &)> read;
    std::function<void(EpochRecord &, double)> write;
    // Step metrics: the value at a logging point.
    std::function<double(const StepRecord &)> readStep;
    std::vector<std::string> aliases; // older names still accepted ("sparsity")
    // Measured only when asked (train_accuracy): NaN, not 0, where it was not (and in records from before it).
    bool optional = false;
    bool fraction() const { return unit == "%"; }
    // Shown on a chart: what is plotted a run's final value is compared by (not a timing).
    bool plotted = true;
    // The summary table's columns: its final value; its best (highest) value and the first epoch that reached it.
    bool summaryFinal = false, summaryBest = false;
    // The label without its parenthesis: "Training loss" for a table's header.
    std::string brief() const { return label.substr(0, label.find(" (")); }
};

const std::vector<Metric> &metrics();
// By key or alias; null when there is none.
const Metric *findMetric(const std::string &keyOrAlias);
// The keys of the metrics `per` epoch or step that charts and paths offer, joined by `separator`.
std::string metricKeys(const std::string &separator, bool epochOnly = false);

} // namespace reglab
