// The regularization path: a sweep's final metric against a swept setting, one curve per group (L1 against
// L2, or per optimizer), the mean over seeds with its minimum and maximum. Built from run records, so a
// folder that a cluster is still filling gives the path so far.
#pragma once

#include "model/runrecord.h"

#include <string>
#include <vector>

namespace reglab {

struct PathPoint {
    double x = 0;
    double mean = 0, min = 0, max = 0;
    int runs = 0;                // records averaged (the seeds done so far)
    std::vector<std::size_t> of; // which records: indices into sweepPath's `records`
};

struct PathCurve {
    std::string group; // "l1", "l2", "proximal", ...
    std::vector<PathPoint> points; // by x
};

struct SweepPath {
    std::string xLabel, metric;
    std::vector<PathCurve> curves;
    bool logX = false; // every x above 0 and spanning a factor of 10 or more
    // Runs with every x setting at 0 (no regularization): their mean, the path's baseline; runs = 0 when none.
    PathPoint baseline;
    int skipped = 0; // records that ended without an epoch, failed or diverged
};

// The final-epoch metrics a path can show.
const std::vector<std::string> &pathMetrics(); // test_accuracy, val_accuracy, test_loss, ...
bool isPathMetric(const std::string &name);

// `xKeys`: one or more config keys ("l1,l2"): a run's x is the first of them that is not 0, and its group that
// key (so L1's and L2's runs are two curves); `groupKey`, when given, groups by that setting's value instead.
// Throws RecordError for an unknown key or metric, naming what is allowed.
SweepPath sweepPath(const std::vector<RunRecord> &records, const std::string &xKeys, const std::string &metric,
                    const std::string &groupKey = {});

} // namespace reglab
