// What a sweep's output folder already holds, in words for the sweep dialog: records of this sweep's runs (Run
// here resumes it), records of an earlier version of the sweep file (which would pass for this one's, as run
// names hold only the varied settings), and other records (which the sweep view shows too). The core's
// scanSweepFolder (model/sweepfolder.h) looks; this says it.
#pragma once

#include <QString>

#include <string>
#include <vector>

namespace reglab::ui {

// `runNames`: the sweep's runs, by name; `sweepFile` and `json`: where Run here keeps the sweep file and the text
// it would write now. "" when there is nothing to say (no folder yet, or no records in it).
QString sweepFolderNote(const QString &folder, const std::vector<std::string> &runNames, const QString &sweepFile,
                        const QString &json);

} // namespace reglab::ui
