// reglab-train: the headless trainer. One line per epoch on stdout, progress on stderr, JSON/CSV on request.
#include "app/cliargs.h"
#include "app/sweepcommand.h"
#include "model/blaskernels.h"
#include "model/changes.h"
#include "model/dataset.h"
#include "model/download.h"
#include "model/idx.h"
#include "model/journal.h"
#include "model/runtime.h"
#include "model/trainer.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <exception>
#include <functional>
#include <iostream>
#include <new>

namespace {

// Ctrl-C, SIGTERM (timeout, docker stop, systemd) and SIGHUP all stop the run at its next step; the first one seen
// is the exit status's N (128 + N). The handlers are in place before the libraries load (see earlySetup), so a
// signal during start-up is not lost either; the control is attached once main() runs.
std::atomic<reglab::TrainControl *> g_control{nullptr};
volatile std::sig_atomic_t g_signal = 0;
volatile std::sig_atomic_t g_inMain = 0; // 0 while the libraries' initializers run

// A stop takes milliseconds (the next step) and saving seconds at most; a process still there this long after a
// stop signal is stuck (in a library that retries an allocation for ever, say) and ends anyway: SIGTERM must end
// it, as `timeout` and `docker stop` expect.
constexpr unsigned kStopGraceSeconds = 60;

void say(const char *text)
{
    (void)!::write(STDERR_FILENO, text, std::strlen(text));
}

extern "C" void onStopGraceOver(int)
{
    say("reglab-train: still not stopped a minute after the stop signal; exiting (the journal keeps what was "
        "computed: reglab-train --recover --list)\n");
    ::_exit(128 + (g_signal ? g_signal : SIGTERM));
}

extern "C" void onStopSignal(int signal, siginfo_t *info, void *)
{
    // OpenBLAS raises SIGINT on itself when it cannot start its threads while it loads (a memory limit): not a
    // user's Ctrl-C, and not a reason to report status 130.
    if (!g_inMain && signal == SIGINT && info && info->si_code == SI_TKILL && info->si_pid == ::getpid()) {
        say("reglab-train: not enough memory to start: OpenBLAS could not start its threads (is memory limited, "
            "ulimit -v or -d?); raise the limit\n");
        ::_exit(1);
    }
    if (g_signal == 0) {
        g_signal = signal;
        ::alarm(kStopGraceSeconds);
    }
    if (reglab::TrainControl *control = g_control.load())
        control->requestStopFromSignal();
}

void installStopHandlers()
{
    std::signal(SIGALRM, onStopGraceOver);
    struct sigaction action {};
    action.sa_sigaction = onStopSignal;
    sigemptyset(&action.sa_mask);
    // SA_RESETHAND: a second one of the same signal ends the process at once.
    action.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_RESTART;
    for (int signal : {SIGINT, SIGTERM, SIGHUP}) {
        struct sigaction old {};
        // nohup's ignored SIGHUP stays ignored: the run must outlive the terminal. SIGINT and SIGTERM are always
        // caught, even where a shell ignores SIGINT for a background job: `kill -INT` is meant.
        if (signal == SIGHUP && ::sigaction(signal, nullptr, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        ::sigaction(signal, &action, nullptr);
    }
}

// An exception nothing caught: while the libraries load, LibTorch's initializers throw std::bad_alloc under a
// tight memory limit. A message and status 1 instead of an abort with a backtrace.
[[noreturn]] void onTerminate() noexcept
{
    const char *what = "an unknown exception";
    bool memory = false;
    try {
        if (const std::exception_ptr error = std::current_exception())
            std::rethrow_exception(error);
    } catch (const std::bad_alloc &) {
        memory = true;
    } catch (const std::exception &e) {
        what = e.what();
    } catch (...) {
    }
    if (memory)
        say(g_inMain ? "reglab-train: out of memory; free memory or raise the limit (ulimit -v or -d)\n"
                     : "reglab-train: not enough memory to load LibTorch (is memory limited, ulimit -v or -d?); raise "
                       "the limit\n");
    else {
        say("reglab-train: internal error: ");
        say(what);
        say("\n");
    }
    ::_exit(1);
}

// Runs before any library's initializer (the executable's .preinit_array): LibTorch's and OpenBLAS's initializers
// allocate, load for a second or more, and fail in their own ways under a memory limit.
extern "C" void earlySetup(int, char **, char **)
{
    // A closed stdin, stdout or stderr (reglab-train >&-) would hand its number to the next file opened: the
    // journal or the record would receive the epoch lines. /dev/null holds the place instead.
    for (int fd = 0; fd <= 2; ++fd)
        if (::fcntl(fd, F_GETFD) == -1 && ::open("/dev/null", O_RDWR) != fd)
            break;
    std::set_terminate(onTerminate);
    installStopHandlers();
}
__attribute__((section(".preinit_array"), used)) void (*const kEarlySetup)(int, char **, char **) = earlySetup;

std::string signalName(int signal)
{
    switch (signal) {
    case SIGINT:
        return "Ctrl-C (SIGINT)";
    case SIGTERM:
        return "SIGTERM";
    case SIGHUP:
        return "SIGHUP";
    default:
        return "signal " + std::to_string(signal);
    }
}

// stdout as the epoch lines use it. Once it is gone (a closed pipe: `reglab-train | head -1`; SIGPIPE is
// ignored, so writes fail with EPIPE) nothing more goes there and the run goes on quietly.
struct Stdout {
    bool gone = false;
    void print(const char *format, ...) __attribute__((format(printf, 2, 3)))
    {
        if (gone)
            return;
        va_list args;
        va_start(args, format);
        std::vprintf(format, args);
        va_end(args);
        if (std::fflush(stdout) != 0 || std::ferror(stdout))
            gone = true;
    }
};

std::string clock(double seconds)
{
    const long s = static_cast<long>(seconds + 0.5);
    char buffer[32];
    if (s >= 3600)
        std::snprintf(buffer, sizeof buffer, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        std::snprintf(buffer, sizeof buffer, "%ld:%02ld", s / 60, s % 60);
    return buffer;
}

// Keeps the run's last weight snapshot (sent after each evaluation) for the file beside --out; passes every event on.
class LastWeights : public reglab::TrainObserver {
public:
    explicit LastWeights(reglab::TrainObserver *next) : m_next(next) {}
    void onEvent(const reglab::TrainEvent &event) override
    {
        if (const auto *snapshot = std::get_if<reglab::WeightSnapshot>(&event))
            m_last = *snapshot;
        m_next->onEvent(event);
    }
    const reglab::WeightSnapshot &last() const { return m_last; }

private:
    reglab::TrainObserver *m_next;
    reglab::WeightSnapshot m_last;
};

class ConsoleObserver : public reglab::TrainObserver {
public:
    // `onStdoutGone` is called once, on the training thread, when stdout turns out to be closed.
    ConsoleObserver(bool quiet, Stdout &out, std::function<void()> onStdoutGone)
        : m_quiet(quiet), m_tty(::isatty(STDERR_FILENO) == 1), m_out(out), m_onStdoutGone(std::move(onStdoutGone))
    {
    }

    void onEvent(const reglab::TrainEvent &event) override
    {
        std::visit(reglab::Overloaded{[this](const reglab::RunInfo &info) { started(info); },
                                      [this](const reglab::Progress &p) { progress(p); },
                                      [this](const reglab::SettingChange &c) { settingChanged(c); },
                                      [this](const reglab::EpochRecord &e) { epochEnded(e); },
                                      [this](const reglab::RunRecord &) { clearLine(); }, [](const auto &) {}},
                   event);
        // The journal that protects the run stopped (a full disk): said when it happens, even with --quiet.
        if (!m_saidJournal && m_journalProblem)
            if (const std::string problem = m_journalProblem(); !problem.empty()) {
                clearLine();
                std::fprintf(stderr, "reglab-train: %s\n", problem.c_str());
                m_saidJournal = true;
            }
    }

    void setJournalProblem(std::function<std::string()> problem) { m_journalProblem = std::move(problem); }
    bool saidJournalProblem() const { return m_saidJournal; }

private:
    void started(const reglab::RunInfo &info)
    {
        m_epochs = 0;
        if (!m_quiet)
            std::fprintf(stderr, "training on %s%s%s%s: %s, %lld training + %lld test images, %lld parameters\n",
                         info.device.c_str(), info.kernels.empty() ? "" : " (", info.kernels.c_str(),
                         info.kernels.empty() ? "" : ")", info.dataName.c_str(), static_cast<long long>(info.trainCount),
                         static_cast<long long>(info.testCount), static_cast<long long>(info.parameterCount));
    }

    void progress(const reglab::Progress &p)
    {
        m_epochs = p.epochs;
        if (m_quiet)
            return;
        const double percent = p.stepsPerEpoch ? 100.0 * double(p.stepInEpoch) / double(p.stepsPerEpoch) : 0.0;
        char line[160];
        std::snprintf(line, sizeof line, "epoch %d/%d %3.0f%%%s  %.0f samples/s  ETA %s", p.epoch, p.epochs, percent,
                      p.evaluating ? " (evaluating)" : "", p.samplesPerSecond, clock(p.etaSeconds).c_str());
        if (m_tty) {
            std::fprintf(stderr, "\r%-70s", line);
            m_dirty = true;
        } else if (++m_calls % 50 == 0) { // a log file gets a line every few seconds, not a stream of \r
            std::fprintf(stderr, "%s\n", line);
        }
    }

    void settingChanged(const reglab::SettingChange &c)
    {
        clearLine();
        m_out.print("step %lld: %s\n", static_cast<long long>(c.step), reglab::changeText(c).c_str());
        checkStdout();
    }

    void epochEnded(const reglab::EpochRecord &e)
    {
        clearLine();
        // The training accuracy (what was memorized) only when measured: --train-eval 0 keeps the old line.
        char seen[32] = "";
        if (!std::isnan(e.trainAccuracy))
            std::snprintf(seen, sizeof seen, "train_acc %6.2f%%  ", 100 * e.trainAccuracy);
        m_out.print("epoch %3d/%d  fold %d  train_loss %.4f  %sval_loss %.4f  val_acc %6.2f%%  test_loss %.4f  "
                    "test_acc %6.2f%%  fc1_small %5.1f%%  fc1_zero %5.1f%%  train %.2fs  eval %.2fs\n",
                    e.epoch, m_epochs, e.fold + 1, e.trainLoss, seen, e.valLoss, 100 * e.valAccuracy, e.testLoss,
                    100 * e.testAccuracy, e.layers.empty() ? 0.0 : 100 * e.layers.front().smallFraction,
                    e.layers.empty() ? 0.0 : 100 * e.layers.front().zeroFraction, e.trainSeconds, e.evalSeconds);
        checkStdout();
    }

    void checkStdout()
    {
        if (m_out.gone && m_onStdoutGone) {
            m_onStdoutGone();
            m_onStdoutGone = nullptr;
        }
    }

    void clearLine()
    {
        if (m_dirty) {
            std::fprintf(stderr, "\r%-70s\r", "");
            m_dirty = false;
        }
    }
    bool m_quiet, m_tty, m_dirty = false, m_saidJournal = false;
    Stdout &m_out;
    std::function<void()> m_onStdoutGone;
    std::function<std::string()> m_journalProblem;
    int m_epochs = 0;
    long m_calls = 0;
};

// reglab-train --recover [JOURNAL] --out FILE [--csv FILE], and --recover --list.
int recoverCommand(const reglab::CliOptions &options)
{
    using namespace reglab;
    const std::string dir = defaultJournalDir();
    Stdout out;
    if (options.list) {
        const std::vector<std::string> journals = interruptedJournals(dir);
        if (journals.empty())
            out.print("no interrupted runs in %s\n", dir.c_str());
        for (const std::string &path : journals) {
            try {
                const RunRecord r = recoverJournal(path);
                out.print("%s\n  %s, started %s: %s after %zu epoch(s)%s%s\n", path.c_str(),
                          shortLabel(r.config).c_str(), r.startedAt.c_str(), toString(r.status).c_str(),
                          r.epochs.size(), r.message.empty() ? "" : "; ", r.message.c_str());
            } catch (const RecordError &e) {
                out.print("%s\n  cannot be recovered: %s\n", path.c_str(), e.what());
            }
        }
        if (!journals.empty())
            out.print("save one with: reglab-train --recover JOURNAL --out FILE.json [--csv FILE.csv]\n");
        return 0;
    }
    std::string path = options.recoverJournal;
    if (path.empty()) {
        const std::vector<std::string> journals = interruptedJournals(dir);
        if (journals.empty()) {
            std::cerr << "reglab-train: --recover: no interrupted runs in " << dir << '\n';
            return 1;
        }
        if (journals.size() > 1) {
            std::cerr << "reglab-train: --recover: " << journals.size()
                      << " interrupted runs; name one (reglab-train --recover --list shows them)\n";
            return 2;
        }
        path = journals.front();
    }
    if (options.outJson.empty() && options.outCsv.empty()) {
        std::cerr << "reglab-train: --recover: give --out FILE.json (and or --csv FILE.csv) to save the run; the "
                     "journal is removed once they are written\n";
        return 2;
    }
    if (const std::string e = reglab::checkTrainOutputs(options); !e.empty()) {
        std::cerr << "reglab-train: " << e << '\n';
        return 2;
    }
    // --out J would write the record over the journal J, which is then removed as recovered: nothing left.
    if (const std::string e = outputOverInput({{"--out", options.outJson}, {"--csv", options.outCsv}},
                                              {{"the journal", path}});
        !e.empty()) {
        std::cerr << "reglab-train: " << e << "; the journal is kept\n";
        return 2;
    }
    // Held while the run is saved: no other program recovers or removes the journal meanwhile.
    JournalClaim claim(path);
    RunRecord record;
    try {
        record = recoverJournal(path);
    } catch (const RecordError &e) {
        std::cerr << "reglab-train: --recover: " << e.what() << '\n';
        return 3;
    }
    if (!claim.claimed()) {
        std::cerr << "reglab-train: --recover: " << path
                  << " is held by another program (a run going on, or another recovery); try again once it ends\n";
        return 1;
    }
    if (!reglab::writeTrainOutputs(options, record)) {
        std::cerr << "reglab-train: the journal " << path << " is kept\n";
        return 1;
    }
    const bool removed = claim.remove();
    out.print("recovered %s: %s after %zu epoch(s) [%s]%s\n", path.c_str(), toString(record.status).c_str(),
              record.epochs.size(), shortLabel(record.config).c_str(),
              removed ? "; the journal is removed" : "; the journal could not be removed");
    return 0;
}

int trainCommand(const reglab::CliOptions &options, reglab::TrainControl &control);
int runMain(int argc, char **argv);

} // namespace

int main(int argc, char **argv)
{
    // First of all: this may run the program again with faster matrix kernels (exec: the same process). Not when a
    // stop signal came while the libraries loaded: its handler has it, and a new process would not.
    reglab::chooseBlasKernels(argc, argv, [] { return g_signal == 0; });
    const int status = runMain(argc, argv);
    // Ended here, without the libraries' exit handlers: OpenBLAS joins its threads at exit, and a thread that
    // could not get its buffer (a memory limit) retries for ever, so a plain return could hang after the message.
    std::cout.flush();
    std::fflush(nullptr);
    ::_exit(status);
}

namespace {

int runMain(int argc, char **argv)
{
    using namespace reglab;
    // A file-size limit (ulimit -f) or a full quota must be a write error with a message, not a killed process; a
    // closed stdout (| head) an EPIPE the run survives, not a SIGPIPE that loses the record.
    std::signal(SIGXFSZ, SIG_IGN);
    std::signal(SIGPIPE, SIG_IGN);
    g_inMain = 1;
    // A signal that came while the libraries loaded stops the run before it starts.
    static TrainControl control; // outlives every handler call
    g_control = &control;
    if (g_signal != 0)
        control.requestStopFromSignal();
    try {
        CliOptions options;
        const std::string error = parseTrainArgs(std::vector<std::string>(argv + 1, argv + argc), options);
        if (options.help) {
            std::cout << trainUsage();
            return 0;
        }
        if (!error.empty()) {
            std::cerr << "reglab-train: " << error << '\n';
            return 2;
        }
        if (options.version) {
            for (const auto &[name, version] : libraryVersions())
                std::cout << name << ' ' << version << '\n';
            std::cout << "blas " << describeBlasKernels(blasKernels()) << '\n';
            std::cout << "cuda " << (cudaAvailable() ? "available" : "not available: " + cudaUnavailableReason())
                      << '\n';
            return 0;
        }
        if (!options.sweepFile.empty()) {
            SweepHooks hooks;
            // Scripts (Slurm's) start the launcher, as a user would; the pool starts this file directly.
            char self[4096];
            const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
            const char *launcher = std::getenv("REGLAB_TRAIN_LAUNCHER");
            hooks.self = launcher && *launcher ? std::string(launcher)
                         : n > 0               ? std::string(self, std::size_t(n))
                                               : std::string(argv[0]);
            hooks.trainOne = [](const CliOptions &one) { return trainCommand(one, control); };
            hooks.pendingSignal = [] { return int(g_signal); };
            return sweepCommand(options, hooks);
        }
        return options.recover ? recoverCommand(options) : trainCommand(options, control);
    } catch (const std::exception &e) {
        // What is computed is in the journal, which stays when this unwinds.
        std::string message;
        if (!describeAllocationFailure(e, "running", message))
            message = std::string("unexpected error: ") + e.what();
        std::cerr << "reglab-train: " << message << '\n';
        return 1;
    }
}

int trainCommand(const reglab::CliOptions &options, reglab::TrainControl &control)
{
    using namespace reglab;
    if (const std::string e = reglab::checkTrainOutputs(options); !e.empty()) {
        std::cerr << "reglab-train: " << e << '\n';
        return 2;
    }
    std::string deviceError;
    const std::string device = resolveDevice(options.config.device, deviceError);
    if (device.empty()) {
        std::cerr << "reglab-train: --device: " << deviceError << '\n';
        return 2;
    }
    if (const auto pending = interruptedJournals(defaultJournalDir()); !pending.empty())
        std::cerr << "reglab-train: " << pending.size()
                  << " interrupted run(s) can be recovered: reglab-train --recover --list\n";

    std::shared_ptr<const Dataset> data;
    try {
        if (device == "cpu")
            prepareCpu(options.config.threads); // before the data: near a memory limit a message, not a hang
        DataFiles files;
        const std::string dir = options.downloadDir.empty() ? defaultMnistDir() : options.downloadDir;
        try {
            files = options.downloadDir.empty() ? resolveDataSource(options.config.data) : resolveDataSource(dir);
        } catch (const DataError &) {
            if (!options.download)
                throw;
            std::fprintf(stderr, "downloading full MNIST into %s\n", dir.c_str());
            const bool tty = ::isatty(STDERR_FILENO) == 1;
            std::string lastFile;
            downloadFiles(dir, mnistFiles(), mnistMirrors(), [&](const DownloadProgress &p) {
                if (p.file != lastFile || tty) {
                    std::fprintf(stderr, tty ? "\r  %d/%d %-28s %7.1f of %.1f MB   " : "  %d/%d %s (%.1f of %.1f MB)\n",
                                 p.fileIndex, p.fileCount, p.file.c_str(), p.received / 1e6, p.total / 1e6);
                    lastFile = p.file;
                }
                return g_signal == 0;
            });
            if (tty)
                std::fprintf(stderr, "\n");
            files = resolveDataSource(dir);
        }
        // Saving over a data file would lose the data set (and the run's next start).
        if (const std::string e = outputOverInput({{"--out", options.outJson}, {"--csv", options.outCsv}},
                                                  {{"the training images", files.trainImages},
                                                   {"the training labels", files.trainLabels},
                                                   {"the test images", files.testImages},
                                                   {"the test labels", files.testLabels}});
            !e.empty()) {
            std::cerr << "reglab-train: " << e << '\n';
            return 2;
        }
        if (g_signal == 0)
            data = Dataset::load(files);
    } catch (const DownloadError &e) {
        if (g_signal != 0) {
            std::cerr << "reglab-train: interrupted by " << signalName(g_signal) << ": " << e.what() << '\n';
            return 128 + g_signal;
        }
        std::cerr << "reglab-train: download failed: " << e.what() << '\n';
        return 3;
    } catch (const DataError &e) {
        std::cerr << "reglab-train: data error: " << e.what() << '\n';
        return 3;
    } catch (const Error &e) {
        std::cerr << "reglab-train: " << e.what() << '\n';
        return e.kind() == ErrorKind::Arguments ? 2 : 1;
    }
    if (g_signal != 0) {
        std::cerr << "reglab-train: interrupted by " << signalName(g_signal)
                  << " before training started; nothing was written\n";
        return 128 + g_signal;
    }

    Stdout out;
    // stdout closed and no file to keep the run in: there is no one left to train for.
    bool stoppedForStdout = false;
    const bool keeps = !options.outJson.empty() || !options.outCsv.empty();
    ConsoleObserver console(options.quiet, out, [&] {
        if (!keeps) {
            stoppedForStdout = true;
            control.requestStop();
        }
    });
    // Journaled, so a crash or kill -9 leaves what was computed to recover; kept until --out and --csv are safely
    // written, so a failed save or a kill during it loses nothing either.
    LastWeights weights(&console);
    JournalObserver journal(defaultJournalDir(), &weights, JournalObserver::End::KeepUntilDiscard);
    journal.setConfig(options.config);
    console.setJournalProblem([&journal] { return journal.journalError(); });
    RunRecord record = train(options.config, control, &journal, data);
    const int stopSignal = g_signal;
    // Crash safety is off: worth a line even with --quiet (once).
    if (!journal.journalError().empty() && !console.saidJournalProblem())
        std::cerr << "reglab-train: " << journal.journalError() << '\n';
    const std::string byUser = "stopped by the user";
    if (record.status == RunStatus::Stopped && stopSignal != 0 && record.message.rfind(byUser, 0) == 0)
        record.message.replace(0, byUser.size(), "stopped by " + signalName(stopSignal));
    if (stoppedForStdout)
        record.message = "stopped: stdout was closed and there is no --out or --csv to keep the run";

    if (record.earlyStop)
        out.print("%s\n", record.message.c_str());
    if (!record.epochs.empty()) {
        const auto &last = *finalEpoch(record); // early stopping's restored epoch
        double best = 0;
        for (const auto &e : record.epochs)
            best = std::max(best, e.testAccuracy);
        out.print("%s after %zu epoch(s): test accuracy %.2f%% (best %.2f%%), validation %.2f%%, %.1f s on %s [%s]\n",
                  toString(record.status).c_str(), record.epochs.size(), 100 * last.testAccuracy, 100 * best,
                  100 * last.valAccuracy, record.totalSeconds, record.device.c_str(),
                  shortLabel(record.config).c_str());
    } else {
        out.print("%s before the first epoch ended (%.1f s)\n", toString(record.status).c_str(), record.totalSeconds);
    }
    int status = stoppedForStdout ? 128 + SIGPIPE : exitStatusFor(record, stopSignal);
    if (!record.message.empty() && record.status != RunStatus::Finished)
        std::cerr << "reglab-train: " << (stopSignal != 0 ? "interrupted: " : "") << record.message << '\n';

    if (stopSignal != 0 && record.steps.empty() && record.epochs.empty()) {
        // Nothing computed: an old --out stays as it was.
        std::cerr << "reglab-train: nothing was computed; --out and --csv were not written\n";
        journal.discard();
        return status;
    }
    bool saved = false;
    try {
        saved = reglab::writeTrainOutputs(options, record, &weights.last());
    } catch (const std::exception &e) { // out of memory while the record is made, say
        std::string message;
        if (!describeAllocationFailure(e, "saving the record", message))
            message = std::string("cannot save the record: ") + e.what();
        std::cerr << "reglab-train: " << message << '\n';
    }
    if (saved) {
        journal.discard(); // the record is safely on the disk (or was not asked for)
        return status;
    }
    if (journal.hasJournal())
        std::cerr << "reglab-train: the run is kept in its journal " << journal.path()
                  << (journal.journalError().empty() ? "" : " (as far as the journal could keep it)")
                  << "; once the problem is fixed, save it with: reglab-train --recover " << journal.path()
                  << " --out FILE.json\n";
    return status ? status : 1;
}

} // namespace
