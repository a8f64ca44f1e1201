// Command-line parsing for reglab-train, kept apart from main() so tests can call it.
#pragma once

#include "model/config.h"
#include "model/runrecord.h"

#include <string>
#include <vector>

namespace reglab {

struct CliOptions {
    TrainConfig config;
    std::string outJson;
    std::string outCsv;
    bool quiet = false;
    bool download = false;   // fetch full MNIST when --data mnist is not on this machine
    std::string downloadDir; // where to put it; "" = the XDG data folder
    bool help = false;
    bool version = false;
    bool recover = false;       // --recover [JOURNAL]: save an interrupted run instead of training
    std::string recoverJournal; // the journal to recover; "" for the only interrupted one
    bool list = false;          // --recover --list: list the interrupted runs; --sweep --list: its runs
    // --sweep FILE: a grid of runs (model/sweep.h), each run's record in outDir.
    std::string sweepFile;
    std::string outDir;
    int jobs = 0;           // processes at once; 0: one per core
    long long task = -1;    // --task I: only run I (what a scheduler's array task calls)
    bool slurm = false;     // --slurm: write a job-array script and submit it with sbatch
    std::string slurmArgs;  // --slurm-args "...": more #SBATCH options, such as --partition=short
    bool dryRun = false;    // --slurm --dry-run: print the script instead of submitting it
    bool progressLines = false; // --progress-lines: the pool's progress as stable lines on stdout, for programs
};

// Returns "" on success, or a message naming the flag and what is allowed (exit status 2).
std::string parseTrainArgs(const std::vector<std::string> &args, CliOptions &out);
std::string trainUsage();
// Every flag reglab-train takes, settings first (for tests and completion scripts).
std::vector<std::string> trainFlagNames();

// The --out and --csv files, checked before training so a long run is not lost to a path that cannot be written
// (a folder, a device, a FIFO, a folder that is not writable) or to two flags naming one file. "" or the message.
std::string checkTrainOutputs(const CliOptions &options);
// Writes --out and --csv, each failure said on stderr; true when every one asked for is on the disk. With --out,
// `weights` (the run's last snapshot) goes beside the record (RUN.weights), so the window shows the reopened run's
// network; a failure there is said but loses nothing of the record.
bool writeTrainOutputs(const CliOptions &options, const RunRecord &record, const WeightSnapshot *weights = nullptr);

// reglab-train's exit status for a run that ended as `record` did: 0 finished, 2 bad arguments, 3 a data error,
// 4 diverged, 128 + N when signal N stopped it (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP), 1 anything else (memory,
// a file that cannot be written, a bug).
int exitStatusFor(const RunRecord &record, int stopSignal = 0);

} // namespace reglab
