// reglab-train --sweep: lists a sweep's runs, runs one of them (--task, what a scheduler's array task calls),
// runs them all in a pool of processes on this machine, or writes a Slurm job array and submits it.
#pragma once

#include "app/cliargs.h"

#include <functional>
#include <string>

namespace reglab {

struct SweepHooks {
    std::string self;                                // this executable, for the pool's processes and job scripts
    std::function<int(const CliOptions &)> trainOne; // trains options.config into options.outJson: an exit status
    std::function<int()> pendingSignal;              // the signal that asked to stop, 0 for none
};

int sweepCommand(const CliOptions &options, const SweepHooks &hooks);

// Whether a record in the sweep's folder is a run that ended (finished or diverged): a resumed sweep skips it; a
// stopped or failed run, a damaged record or none at all runs again.
bool sweepRunDone(const std::string &recordPath);

// What a sweep's run finds under its record's name.
enum class SweepRunState {
    ToRun,         // no record, a damaged one, or one that stopped or failed: the run runs (again)
    Done,          // a finished or diverged record of these settings
    OtherSettings, // a record of other settings (an earlier version of the sweep): kept, and the run not trained
};
// `config`: the run's settings; `difference` (if given) gets what differs for OtherSettings, such as "l1 0.01 in
// the record, 0.001 in the sweep" (the machine's threads aside).
SweepRunState sweepRunState(const std::string &recordPath, const TrainConfig &config,
                            std::string *difference = nullptr);
// The settings that differ between a record's and a sweep run's, in words ("" when none, threads aside).
std::string configDifference(const TrainConfig &record, const TrainConfig &sweep);

// The job-array script --slurm submits: one array task per run, at most `parallel` at once.
std::string slurmScript(const std::string &self, const std::string &sweepFile, const std::string &outDir,
                        const std::string &jobName, std::size_t runs, int parallel, const std::string &extraArgs);

} // namespace reglab
