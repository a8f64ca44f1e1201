// The summary table of compared runs, with a column for each metric the metrics table summarizes: final values,
// and the accuracies' best with its epoch, as CSV (raw numbers, for scripts), Markdown or HTML (percentages, for
// people). A new metric in the table is a new column.
// Pure functions of run records, so the dashboard and the command line build the same table.
#pragma once

#include "model/runrecord.h"

#include <string>
#include <vector>

namespace reglab {

// One row: for each metric of the table with summaryFinal its value at the last epoch, and for each with
// summaryBest its best value and the first epoch that reached it (NaN where a run has no such value).
struct SummaryRow {
    std::string name;
    int epochs = 0; // epochs recorded; 0: none, every other field is then unset
    std::vector<double> finals, bests;
    std::vector<int> bestEpochs; // 1-based
    double final(const std::string &metric) const;
    double best(const std::string &metric) const;
    int bestEpoch(const std::string &metric) const;
};

SummaryRow summarizeRun(const std::string &name, const RunRecord &record);

// The data set a run trained on, in words: its record's ("MNIST sample", "Fashion-MNIST", a folder), else its
// setting ("sample").
std::string dataSetName(const RunRecord &record);
// Whether compared runs trained on more than one data set: then each name says which (withDataSet), in a legend
// and a table, since their accuracies are not comparable.
bool dataSetsDiffer(const std::vector<const RunRecord *> &records);
// "L1 0.01 (all) [Fashion-MNIST]".
std::string withDataSet(const std::string &name, const RunRecord &record);

// One header row, then a row per run. CSV quotes names as RFC 4180 asks; empty cells for runs with no epochs.
std::string summaryCsv(const std::vector<SummaryRow> &rows);
// A GitHub-flavoured Markdown table; '|' in names escaped.
std::string summaryMarkdown(const std::vector<SummaryRow> &rows);
// An HTML table (what spreadsheets and slide programs paste as a table); names escaped.
std::string summaryHtml(const std::vector<SummaryRow> &rows);

} // namespace reglab
