// What a sweep's output folder already holds (no Qt): records of this sweep's runs (running it there resumes
// it), whether the kept sweep file is an earlier version of the sweep (its records would pass for this one's, as
// run names hold only the varied settings), and other records (which the sweep view shows too). The sweep
// dialog says it in words (ui/sweeps/sweepfolder.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace reglab {

struct SweepFolderScan {
    int existing = 0;            // the sweep's runs that have a record (RUN.json) in the folder
    int others = 0;              // the folder's other records (*.json, not hidden)
    bool earlierVersion = false; // some exist and `sweepFile` holds another text than the sweep's now
};

// `runNames`: the sweep's runs, by name; `sweepFile` and `json`: where running it here keeps the sweep file and
// the text it would write now. Nothing when `folder` is not a folder (yet).
std::optional<SweepFolderScan> scanSweepFolder(const std::string &folder, const std::vector<std::string> &runNames,
                                               const std::string &sweepFile, const std::string &json);

} // namespace reglab
