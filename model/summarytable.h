// The summary table of compared runs: final and best accuracies (with the epoch of the best), final losses and
// the first layer's sparsity, as CSV (raw numbers, for scripts), Markdown or HTML (percentages, for people).
// Pure functions of run records, so the dashboard and the command line build the same table.
#pragma once

#include "model/runrecord.h"

#include <string>
#include <vector>

namespace reglab {

struct SummaryRow {
    std::string name;
    int epochs = 0; // epochs recorded; 0: none, every other field is then unset
    double finalVal = 0, finalTest = 0;
    double bestVal = 0, bestTest = 0;
    int bestValEpoch = 0, bestTestEpoch = 0; // 1-based; the first epoch that reached the best
    double finalTrainLoss = 0, finalValLoss = 0;
    bool hasSparsity = false;         // fc1's statistics were recorded
    double fc1Small = 0, fc1Zero = 0; // share of fc1 weights below the sparsity threshold, and exactly 0
};

SummaryRow summarizeRun(const std::string &name, const RunRecord &record);

// One header row, then a row per run. CSV quotes names as RFC 4180 asks; empty cells for runs with no epochs.
std::string summaryCsv(const std::vector<SummaryRow> &rows);
// A GitHub-flavoured Markdown table; '|' in names escaped.
std::string summaryMarkdown(const std::vector<SummaryRow> &rows);
// An HTML table (what spreadsheets and slide programs paste as a table); names escaped.
std::string summaryHtml(const std::vector<SummaryRow> &rows);

} // namespace reglab
