// The summary table of the runs shown on the charts (model/summarytable's), onto the clipboard (Markdown as
// text, HTML as a table for spreadsheets and slides) or into a .csv or .md file.
#pragma once

#include "model/summarytable.h"

#include <QString>

#include <vector>

namespace reglab::ui {

class RunModel;

// One row per shown run, in the runs list's order, named as the legends name them.
std::vector<SummaryRow> shownSummary(const RunModel &runs);
void copySummary(const std::vector<SummaryRow> &rows);
// CSV or Markdown by the suffix (.csv, .md); "" or what went wrong (the old file stays).
QString saveSummary(const std::vector<SummaryRow> &rows, const QString &path);

} // namespace reglab::ui
