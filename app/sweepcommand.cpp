#include "app/sweepcommand.h"

#include "app/sweeprunlock.h"
#include "model/blaskernels.h"
#include "model/journal.h"
#include "model/runrecord.h"
#include "model/sweep.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>
#include <vector>

namespace reglab {
namespace {

using Clock = std::chrono::steady_clock;

std::string absolutePath(const std::string &path)
{
    char buffer[PATH_MAX];
    if (::realpath(path.c_str(), buffer))
        return buffer;
    return path;
}

std::string shellQuoted(const std::string &text)
{
    std::string out = "'";
    for (char c : text)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string duration(double seconds)
{
    char buffer[32];
    const long s = long(seconds + 0.5);
    if (s >= 3600)
        std::snprintf(buffer, sizeof buffer, "%ldh%02ldm", s / 3600, s / 60 % 60);
    else
        std::snprintf(buffer, sizeof buffer, "%ldm%02lds", s / 60, s % 60);
    return buffer;
}

int listRuns(const Sweep &sweep, const std::string &outDir)
{
    std::printf("%s: %zu run(s)\n", sweep.name.c_str(), sweep.runs.size());
    for (const SweepRun &run : sweep.runs) {
        std::string settings;
        for (const auto &[key, value] : run.settings)
            settings += (settings.empty() ? "" : ", ") + key + " " + value;
        std::string state, difference;
        if (!outDir.empty())
            switch (sweepRunState(sweepRecordPath(outDir, run), run.config, &difference)) {
            case SweepRunState::Done:
                state = "  [done]";
                break;
            case SweepRunState::OtherSettings:
                state = "  [a record of other settings: " + difference + "]";
                break;
            case SweepRunState::ToRun:
                state = "  [to run]";
                break;
            }
        std::printf("%5zu  %s  (%s)%s\n", run.index, run.name.c_str(), settings.empty() ? "the base" : settings.c_str(),
                    state.c_str());
    }
    return 0;
}

// --progress-lines: the pool's state as one stable line on stdout (the window's sweep dialog reads it) whenever
// it changes and each second, so a reader needs no terminal and no parsing of the human line.
class ProgressLines {
public:
    void print(std::size_t done, std::size_t total, std::size_t running, std::size_t failed, double eta,
               bool force = false)
    {
        const auto now = Clock::now();
        if (!force && done == m_done && running == m_running && failed == m_failed &&
            now - m_at < std::chrono::seconds(1))
            return;
        m_done = done, m_running = running, m_failed = failed, m_at = now;
        std::printf("progress done=%zu total=%zu running=%zu failed=%zu eta_s=%ld\n", done, total, running, failed,
                    eta < 0 ? -1L : long(eta + 0.5));
        std::fflush(stdout);
    }

private:
    std::size_t m_done = std::size_t(-1), m_running = 0, m_failed = 0;
    Clock::time_point m_at;
};

// One run of the pool: this program again with --task, its output in logs/NAME.log.
pid_t spawnTask(const SweepHooks &hooks, const CliOptions &options, const SweepRun &run, bool oneThread)
{
    const std::string log = options.outDir + "/logs/" + run.name + ".log";
    std::vector<std::string> args{hooks.self, "--sweep", options.sweepFile, "--task", std::to_string(run.index),
                                  "--out-dir", options.outDir, "--quiet"};
    // Runs side by side each get one core (at batch 50 the products are too small to split well), unless
    // --threads says otherwise.
    const int threads = options.config.threads > 0 ? options.config.threads : oneThread ? 1 : 0;
    if (threads > 0) {
        args.emplace_back("--threads");
        args.emplace_back(std::to_string(threads));
    }
    // The run's lock file, opened here and locked in the child: the lock then lives as long as the run, and the
    // run learns its number from the environment (SweepRunLock adopts it).
    const int lockFd =
        ::open(SweepRunLock::lockPath(options.outDir, run.name).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    // The run starts with its signals blocked (a stop while LibTorch loads waits for its handlers), and this mask
    // to restore once they are in place.
    sigset_t mask;
    ::sigprocmask(SIG_BLOCK, nullptr, &mask);
    std::vector<std::string> env;
    for (char **e = environ; *e; ++e)
        if (std::strncmp(*e, kRunLockFdVariable, std::strlen(kRunLockFdVariable)) != 0 &&
            std::strncmp(*e, kSignalMaskVariable, std::strlen(kSignalMaskVariable)) != 0)
            env.emplace_back(*e);
    if (lockFd >= 0)
        env.push_back(std::string(kRunLockFdVariable) + "=" + std::to_string(lockFd));
    env.push_back(std::string(kSignalMaskVariable) + "=" + maskText(mask));
    const sigset_t blockAll = startupBlockMask();
    std::vector<char *> argv, envp;
    for (std::string &a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    for (std::string &e : env)
        envp.push_back(e.data());
    envp.push_back(nullptr);
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid != 0) {
        if (lockFd >= 0)
            ::close(lockFd); // the child's now
        return pid;
    }
    // The child (only async-signal-safe calls from here). Its own process group: a signal to the pool's group
    // (timeout, Ctrl-C in a terminal) reaches the pool alone, which passes one on; two would end the run before it
    // saved. If the pool dies (kill -9), the run is told with SIGINT, another signal than the pool's SIGTERM, so it
    // stops and saves even after both.
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGINT);
    if (::getppid() != parent)
        ::_exit(128 + SIGINT);
    if (lockFd >= 0) {
        if (::flock(lockFd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK)
            ::_exit(kRunHeldElsewhereStatus); // another process trains it: its log is left alone too
        ::fcntl(lockFd, F_SETFD, 0);
    }
    if (const int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC); in >= 0)
        ::dup2(in, STDIN_FILENO);
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        ::dup2(fd, STDOUT_FILENO);
        ::dup2(fd, STDERR_FILENO);
    }
    // This very program even when its file was replaced meanwhile (a rebuild, an upgrade): the kernel keeps it.
    ::sigprocmask(SIG_BLOCK, &blockAll, nullptr);
    ::execve("/proc/self/exe", argv.data(), envp.data());
    ::execve(hooks.self.c_str(), argv.data(), envp.data());
    ::_exit(127);
}

// A run that failed without writing a record (its data did not load, it could not start) gets one saying so, so
// the sweep's folder accounts for every run; a record it or an earlier attempt wrote (a stopped run's epochs) is
// kept. Failed runs run again when the sweep is resumed.
void recordFailure(const SweepRun &run, const std::string &outDir, int code)
{
    const std::string path = sweepRecordPath(outDir, run);
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0)
        return;
    std::string last, text;
    try {
        text = readTextFile(outDir + "/logs/" + run.name + ".log", 1 << 20);
    } catch (const std::exception &) { // no log: the exit status says what there is to say
    }
    std::istringstream log(text);
    for (std::string line; std::getline(log, line);)
        if (!line.empty())
            last = line;
    RunRecord r;
    r.config = run.config;
    r.status = RunStatus::Failed;
    r.errorKind = code == 3 ? ErrorKind::Data : code == 2 ? ErrorKind::Arguments : ErrorKind::Internal;
    r.message = "exit status " + std::to_string(code) + (last.empty() ? std::string() : ": " + last) +
                " (it runs again when the sweep is resumed)";
    r.startedAt = nowIso8601();
    writeFileAtomically(path, toJson(r));
}

// A run killed by a signal the pool did not send (SIGKILL from the out-of-memory killer) saved nothing, but its
// journal holds every epoch it finished: they go into its record, which says what happened. False when there is
// no journal of process `pid`.
bool recoverKilledRun(const SweepRun &run, const std::string &outDir, pid_t pid, int signal)
{
    const std::string tag = "-" + std::to_string(pid) + "-";
    for (const std::string &journal : interruptedJournals(defaultJournalDir())) {
        if (journal.substr(journal.rfind('/') + 1).find(tag) == std::string::npos)
            continue;
        try {
            RunRecord r = recoverJournal(journal);
            r.status = RunStatus::Failed;
            r.errorKind = ErrorKind::Internal;
            r.message = "killed by signal " + std::to_string(signal) +
                        (signal == SIGKILL ? " (SIGKILL: the out-of-memory killer, or kill -9)" : "") + " after " +
                        std::to_string(r.epochs.size()) +
                        " epoch(s), recovered from its journal; it runs again when the sweep is resumed";
            if (!writeFileAtomically(sweepRecordPath(outDir, run), toJson(r)).empty())
                return false; // the journal stays for reglab-train --recover
            discardJournal(journal);
            return true;
        } catch (const RecordError &) {
            return false;
        }
    }
    return false;
}

int runPool(const Sweep &sweep, const CliOptions &options, const SweepHooks &hooks)
{
    if (const std::string e = makeFolders(options.outDir + "/logs"); !e.empty()) {
        std::cerr << "reglab-train: --out-dir: " << e << '\n';
        return 2;
    }
    std::vector<const SweepRun *> pending;
    std::size_t skipped = 0, others = 0;
    for (const SweepRun &run : sweep.runs) {
        std::string difference;
        switch (sweepRunState(sweepRecordPath(options.outDir, run), run.config, &difference)) {
        case SweepRunState::Done:
            ++skipped;
            break;
        case SweepRunState::OtherSettings: // another experiment's record under this name: kept, never replaced
            ++others;
            std::fprintf(stderr, "run %zu (%s): %s is a record of other settings (%s); it is kept and the run is not "
                                 "trained: move the record away, or give another --out-dir\n",
                         run.index, run.name.c_str(), sweepRecordPath(options.outDir, run).c_str(), difference.c_str());
            break;
        case SweepRunState::ToRun:
            pending.push_back(&run);
            break;
        }
    }
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const int jobs = options.jobs > 0 ? options.jobs : int(cores);
    std::fprintf(stderr, "sweep '%s': %zu run(s), %zu already done in %s; %d at once\n", sweep.name.c_str(),
                 sweep.runs.size(), skipped, options.outDir.c_str(), jobs);
    std::map<pid_t, const SweepRun *> running;
    const auto start = Clock::now();
    auto lastLine = start - std::chrono::seconds(10);
    const bool tty = ::isatty(STDERR_FILENO) == 1;
    int stopSignal = 0;
    ProgressLines progress;
    std::size_t done = 0, failed = 0, diverged = 0, elsewhere = 0, next = 0;
    // Seconds left at the pace so far; -1 until a run has ended.
    auto etaSeconds = [&](Clock::time_point now) {
        const double elapsed = std::chrono::duration<double>(now - start).count();
        return done > 0 ? elapsed / double(done) * double(pending.size() - done) : -1.0;
    };
    // Once stopped, the runs not started stay so: the pool waits only for those running.
    while ((!stopSignal && next < pending.size()) || !running.empty()) {
        if (!stopSignal && (stopSignal = hooks.pendingSignal()) != 0) {
            // Every run stops at its next step and keeps what it computed in its record; a rerun resumes.
            for (const auto &[pid, run] : running)
                ::kill(pid, SIGTERM);
        }
        while (!stopSignal && next < pending.size() && int(running.size()) < jobs) {
            const pid_t pid = spawnTask(hooks, options, *pending[next], jobs > 1);
            if (pid < 0) {
                std::cerr << "reglab-train: cannot start a run (" << std::strerror(errno) << ")\n";
                stopSignal = stopSignal ? stopSignal : -1;
                break;
            }
            running[pid] = pending[next++];
        }
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, WNOHANG);
        if (pid > 0) {
            auto it = running.find(pid);
            if (it != running.end()) {
                const SweepRun &run = *it->second;
                const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                const char *clear = tty ? "\r\033[K" : "";
                if (code == kRunHeldElsewhereStatus) {
                    ++elsewhere;
                    std::fprintf(stderr, "%srun %zu (%s) is being trained by another process; left to it\n", clear,
                                 run.index, run.name.c_str());
                } else if (code == 0 || code == 4 || !stopSignal) {
                    ++done;
                }
                if (code == 4) {
                    ++diverged;
                } else if (code != 0 && code != kRunHeldElsewhereStatus && !stopSignal) {
                    ++failed;
                    if (WIFSIGNALED(status) && recoverKilledRun(run, options.outDir, pid, WTERMSIG(status)))
                        std::fprintf(stderr, "%srun %zu (%s) was killed by signal %d; what it computed is in its "
                                             "record, from its journal\n",
                                     clear, run.index, run.name.c_str(), WTERMSIG(status));
                    else {
                        recordFailure(run, options.outDir, code);
                        std::fprintf(stderr,
                                     code == 127 ? "%srun %zu (%s) could not be started (exit status %d); see %s/logs/%s.log\n"
                                                 : "%srun %zu (%s) failed (exit status %d); see %s/logs/%s.log\n",
                                     clear, run.index, run.name.c_str(), code, options.outDir.c_str(), run.name.c_str());
                    }
                }
                running.erase(it);
            }
            continue;
        }
        const auto now = Clock::now();
        if (options.progressLines)
            progress.print(skipped + done, sweep.runs.size(), running.size(), failed, etaSeconds(now));
        if (now - lastLine >= std::chrono::seconds(tty ? 1 : 30)) {
            const double eta = etaSeconds(now);
            const std::string etaText = eta >= 0 ? ", ETA " + duration(eta) : "";
            std::fprintf(stderr,
                         tty ? "\r\033[K%zu/%zu done, %zu running, %zu failed%s"
                             : "%zu/%zu done, %zu running, %zu failed%s\n",
                         skipped + done, sweep.runs.size(), running.size(), failed, etaText.c_str());
            lastLine = now;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (options.progressLines)
        progress.print(skipped + done, sweep.runs.size(), 0, failed, stopSignal ? -1.0 : 0.0, true);
    if (tty)
        std::fprintf(stderr, "\r\033[K");
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    if (stopSignal) {
        std::fprintf(stderr,
                     "sweep stopped: %zu of %zu run(s) done; the interrupted ones kept what they computed in their "
                     "records and run again when the same command is given again\n",
                     skipped + done - failed, sweep.runs.size());
        return stopSignal > 0 ? 128 + stopSignal : 1;
    }
    std::string rest;
    if (failed > 0)
        rest += " (a failed run runs again when the same command is given again)";
    if (elsewhere > 0)
        rest += ", " + std::to_string(elsewhere) + " left to another process training them";
    if (others > 0)
        rest += ", " + std::to_string(others) + " not trained: their names hold records of other settings";
    std::printf("sweep '%s': %zu run(s) done in %s (%zu this time, %.1f runs a minute), %zu diverged, %zu failed%s; "
                "records in %s\n",
                sweep.name.c_str(), skipped + done - failed, duration(elapsed).c_str(), done - failed,
                elapsed > 0 ? 60.0 * double(done) / elapsed : 0.0, diverged, failed, rest.c_str(),
                options.outDir.c_str());
    return failed > 0 || elsewhere > 0 || others > 0 ? 1 : 0;
}

int submitSlurm(const Sweep &sweep, const CliOptions &options, const SweepHooks &hooks)
{
    const std::string outDir = options.outDir.empty() ? "sweep-out" : options.outDir;
    std::string jobName = "reglab-";
    for (char c : sweep.name)
        jobName += std::isalnum(static_cast<unsigned char>(c)) ? char(std::tolower(c)) : '-';
    const int parallel = options.jobs > 0 ? options.jobs : 100;
    if (!options.dryRun)
        if (const std::string e = makeFolders(outDir + "/logs"); !e.empty()) {
            std::cerr << "reglab-train: --out-dir: " << e << '\n';
            return 2;
        }
    const std::string script = slurmScript(absolutePath(hooks.self), absolutePath(options.sweepFile),
                                           options.dryRun ? outDir : absolutePath(outDir), jobName,
                                           sweep.runs.size(), parallel, options.slurmArgs);
    if (options.dryRun) {
        std::cout << script;
        return 0;
    }
    const std::string path = absolutePath(outDir) + "/" + jobName + ".sbatch";
    if (const std::string e = writeFileAtomically(path, script); !e.empty()) {
        std::cerr << "reglab-train: --slurm: " << e << '\n';
        return 1;
    }
    FILE *pipe = ::popen(("sbatch --parsable " + shellQuoted(path) + " 2>&1").c_str(), "r");
    std::string reply;
    char buffer[256];
    while (pipe && std::fgets(buffer, sizeof buffer, pipe))
        reply += buffer;
    const int status = pipe ? ::pclose(pipe) : -1;
    while (!reply.empty() && (reply.back() == '\n' || reply.back() == '\r'))
        reply.pop_back();
    if (status != 0) {
        std::cerr << "reglab-train: --slurm: sbatch did not take the job"
                  << (reply.empty() ? std::string(" (is this a Slurm login node? sbatch was not found)") : ": " + reply)
                  << "\nthe script is " << path << "; submit it with: sbatch " << path << '\n';
        return 1;
    }
    const std::string job = reply.substr(0, reply.find(';'));
    std::printf("submitted job array %s: %zu run(s), at most %d at once\n"
                "watch it: squeue -j %s   (a run's log: %s/logs/%s_INDEX.log)\n"
                "see it fill in: reglab plot --sweep %s, or File > Open sweep in the window\n",
                job.c_str(), sweep.runs.size(), parallel, job.c_str(), absolutePath(outDir).c_str(), job.c_str(),
                absolutePath(outDir).c_str());
    return 0;
}

// "" or why the sweep's outputs (a run's record or log, the Slurm script) would replace the sweep file itself, as
// an --out-dir holding it under a run's name would.
std::string outputsOverSweepFile(const Sweep &sweep, const CliOptions &options, const std::string &outDir)
{
    const std::vector<NamedFile> input{{"--sweep", options.sweepFile}};
    for (const SweepRun &run : sweep.runs)
        if (const std::string e = outputOverInput({{"the record of run " + std::to_string(run.index),
                                                    sweepRecordPath(outDir, run)},
                                                   {"the log of run " + std::to_string(run.index),
                                                    outDir + "/logs/" + run.name + ".log"}},
                                                  input);
            !e.empty())
            return e;
    return {};
}

} // namespace

bool sweepRunDone(const std::string &recordPath)
{
    struct stat st {};
    if (::stat(recordPath.c_str(), &st) != 0)
        return false;
    try {
        const RunRecord r = runRecordFromJson(readTextFile(recordPath));
        return r.status == RunStatus::Finished || r.status == RunStatus::Diverged;
    } catch (const std::exception &) {
        return false; // damaged: run it again
    }
}

std::string configDifference(const TrainConfig &record, const TrainConfig &sweep)
{
    std::string out;
    int shown = 0;
    for (const ConfigField &f : configFields()) {
        if (f.key == "threads") // the machine's, not the experiment's
            continue;
        const std::string there = f.get(record), here = f.get(sweep);
        if (there == here)
            continue;
        if (++shown <= 3)
            out += (out.empty() ? "" : ", ") + f.key + " " + there + " in the record, " + here + " in the sweep";
    }
    if (shown > 3)
        out += " and " + std::to_string(shown - 3) + " more";
    return out;
}

SweepRunState sweepRunState(const std::string &recordPath, const TrainConfig &config, std::string *difference)
{
    struct stat st {};
    if (::stat(recordPath.c_str(), &st) != 0)
        return SweepRunState::ToRun;
    RunRecord r;
    try {
        r = runRecordFromJson(readTextFile(recordPath));
    } catch (const std::exception &) {
        return SweepRunState::ToRun; // damaged: run it again
    }
    if (const std::string d = configDifference(r.config, config); !d.empty()) {
        if (difference)
            *difference = d;
        return SweepRunState::OtherSettings;
    }
    return r.status == RunStatus::Finished || r.status == RunStatus::Diverged ? SweepRunState::Done
                                                                                : SweepRunState::ToRun;
}

std::string slurmScript(const std::string &self, const std::string &sweepFile, const std::string &outDir,
                        const std::string &jobName, std::size_t runs, int parallel, const std::string &extraArgs)
{
    std::ostringstream s;
    s << "#!/bin/bash\n"
      << "# A RegLab sweep as a Slurm job array: array task I trains run I and writes its record in the output\n"
      << "# folder. Submitting it again resumes: finished runs return at once.\n"
      << "#SBATCH --job-name=" << jobName << '\n'
      << "#SBATCH --array=0-" << (runs == 0 ? 0 : runs - 1) << '%' << parallel << '\n'
      << "#SBATCH --ntasks=1\n"
      << "#SBATCH --cpus-per-task=1\n"
      << "#SBATCH --output=" << outDir << "/logs/%A_%a.log\n";
    std::istringstream extra(extraArgs);
    std::string arg;
    while (extra >> arg)
        s << "#SBATCH " << arg << '\n';
    s << "exec " << shellQuoted(self) << " --sweep " << shellQuoted(sweepFile)
      << " --task \"$SLURM_ARRAY_TASK_ID\" --out-dir " << shellQuoted(outDir) << " --quiet --threads 1\n";
    return s.str();
}

int sweepCommand(const CliOptions &options, const SweepHooks &hooks)
{
    Sweep sweep;
    try {
        sweep = loadSweep(options.sweepFile);
    } catch (const std::exception &e) {
        std::cerr << "reglab-train: --sweep: " << e.what() << '\n';
        return 3;
    }
    if (options.list)
        return listRuns(sweep, options.outDir);
    if (const std::string e = outputsOverSweepFile(sweep, options, options.outDir.empty() ? "sweep-out" : options.outDir);
        !e.empty()) {
        std::cerr << "reglab-train: " << e << " (or move the sweep file out of --out-dir)\n";
        return 2;
    }
    if (options.slurm)
        return submitSlurm(sweep, options, hooks);
    if (options.task < 0)
        return runPool(sweep, options, hooks);
    if (std::size_t(options.task) >= sweep.runs.size()) {
        std::cerr << "reglab-train: --task: " << options.task << " is not a run of this sweep; its runs are 0 to "
                  << sweep.runs.size() - 1 << " (--list shows them)\n";
        return 2;
    }
    const SweepRun &run = sweep.runs[std::size_t(options.task)];
    if (const std::string e = makeFolders(options.outDir + "/logs"); !e.empty()) {
        std::cerr << "reglab-train: --out-dir: " << e << '\n';
        return 2;
    }
    // Held until this process ends: no other process trains this run meanwhile.
    const SweepRunLock lock(options.outDir, run.name);
    if (!lock.held()) {
        std::printf("run %zu (%s) is being trained by another process (it holds %s); left to it\n", run.index,
                    run.name.c_str(), SweepRunLock::lockPath(options.outDir, run.name).c_str());
        return kRunHeldElsewhereStatus;
    }
    CliOptions one;
    one.config = run.config;
    if (options.config.threads > 0) // --threads: this machine's, not the experiment's
        one.config.threads = options.config.threads;
    one.outJson = sweepRecordPath(options.outDir, run);
    one.quiet = options.quiet;
    std::string difference;
    switch (sweepRunState(one.outJson, run.config, &difference)) {
    case SweepRunState::Done:
        std::printf("run %zu (%s) is already done: %s\n", run.index, run.name.c_str(), one.outJson.c_str());
        return 0;
    case SweepRunState::OtherSettings:
        std::cerr << "reglab-train: run " << run.index << " (" << run.name << "): " << one.outJson
                  << " is a record of other settings (" << difference
                  << "); it is kept and the run is not trained: move the record away, or give another --out-dir\n";
        return 2;
    case SweepRunState::ToRun:
        break;
    }
    return hooks.trainOne(one);
}

} // namespace reglab
