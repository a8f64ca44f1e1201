#include "app/sweepcommand.h"

#include "model/runrecord.h"
#include "model/sweep.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cerrno>
#include <climits>
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
        const char *state = outDir.empty() ? "" : sweepRunDone(sweepRecordPath(outDir, run)) ? "  [done]" : "  [to run]";
        std::printf("%5zu  %s  (%s)%s\n", run.index, run.name.c_str(), settings.empty() ? "the base" : settings.c_str(),
                    state);
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
    const pid_t pid = ::fork();
    if (pid != 0)
        return pid;
    // The child: its log, then exec (only async-signal-safe calls from here).
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        ::dup2(fd, STDOUT_FILENO);
        ::dup2(fd, STDERR_FILENO);
    }
    std::vector<char *> argv;
    for (std::string &a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    // This very program even when its file was replaced meanwhile (a rebuild, an upgrade): the kernel keeps it.
    ::execv("/proc/self/exe", argv.data());
    ::execv(hooks.self.c_str(), argv.data());
    ::_exit(127);
}

// A run that failed without a record of its own (its data did not load, it could not start) gets one saying so,
// so the sweep's folder accounts for every run and a resumed sweep does not retry what will fail again.
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
                " (delete this record to run it again)";
    r.startedAt = nowIso8601();
    writeFileAtomically(path, toJson(r));
}

int runPool(const Sweep &sweep, const CliOptions &options, const SweepHooks &hooks)
{
    if (const std::string e = makeFolders(options.outDir + "/logs"); !e.empty()) {
        std::cerr << "reglab-train: --out-dir: " << e << '\n';
        return 2;
    }
    std::vector<const SweepRun *> pending;
    std::size_t skipped = 0;
    for (const SweepRun &run : sweep.runs) {
        if (sweepRunDone(sweepRecordPath(options.outDir, run)))
            ++skipped;
        else
            pending.push_back(&run);
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
    std::size_t done = 0, failed = 0, diverged = 0, next = 0;
    // Seconds left at the pace so far; -1 until a run has ended.
    auto etaSeconds = [&](Clock::time_point now) {
        const double elapsed = std::chrono::duration<double>(now - start).count();
        return done > 0 ? elapsed / double(done) * double(pending.size() - done) : -1.0;
    };
    while (next < pending.size() || !running.empty()) {
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
                const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                if (code == 0 || code == 4 || !stopSignal)
                    ++done;
                if (code == 4)
                    ++diverged;
                else if (code != 0 && !stopSignal) {
                    ++failed;
                    recordFailure(*it->second, options.outDir, code);
                    std::fprintf(stderr,
                                 code == 127 ? "%srun %zu (%s) could not be started (exit status %d); see %s/logs/%s.log\n"
                                             : "%srun %zu (%s) failed (exit status %d); see %s/logs/%s.log\n",
                                 tty ? "\r\033[K" : "", it->second->index, it->second->name.c_str(), code,
                                 options.outDir.c_str(), it->second->name.c_str());
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
                     skipped + done, sweep.runs.size());
        return stopSignal > 0 ? 128 + stopSignal : 1;
    }
    std::printf("sweep '%s': %zu run(s) done in %s (%zu this time, %.1f runs a minute), %zu diverged, %zu failed; "
                "records in %s\n",
                sweep.name.c_str(), skipped + done, duration(elapsed).c_str(), done,
                elapsed > 0 ? 60.0 * double(done) / elapsed : 0.0, diverged, failed, options.outDir.c_str());
    return failed > 0 ? 1 : 0;
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
        return r.status == RunStatus::Finished || r.status == RunStatus::Diverged || r.status == RunStatus::Failed;
    } catch (const std::exception &) {
        return false; // damaged: run it again
    }
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
    if (const std::string e = makeFolders(options.outDir); !e.empty()) {
        std::cerr << "reglab-train: --out-dir: " << e << '\n';
        return 2;
    }
    CliOptions one;
    one.config = run.config;
    if (options.config.threads > 0) // --threads: this machine's, not the experiment's
        one.config.threads = options.config.threads;
    one.outJson = sweepRecordPath(options.outDir, run);
    one.quiet = options.quiet;
    if (sweepRunDone(one.outJson)) {
        std::printf("run %zu (%s) is already done: %s\n", run.index, run.name.c_str(), one.outJson.c_str());
        return 0;
    }
    return hooks.trainOne(one);
}

} // namespace reglab
