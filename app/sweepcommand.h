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

// Whether a record in the sweep's folder is a run that ended (finished, diverged or failed): a resumed sweep
// skips it; a stopped run, a damaged record or none at all runs again.
bool sweepRunDone(const std::string &recordPath);

// The job-array script --slurm submits: one array task per run, at most `parallel` at once.
std::string slurmScript(const std::string &self, const std::string &sweepFile, const std::string &outDir,
                        const std::string &jobName, std::size_t runs, int parallel, const std::string &extraArgs);

} // namespace reglab
