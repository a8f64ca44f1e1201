// reglab-train as a user meets it: argument errors (exit 2, naming the flag), data errors (3), divergence (4),
// signals (128 + N, output still written), a normal run writing JSON and CSV, outputs checked before training,
// closed pipes, memory limits, runs kept in their journal until they are saved, and the matrix kernels it chooses
// at start (once, named by --version and the record; a user's OPENBLAS_CORETYPE kept; a failed check falls back).
#include "app/cliargs.h"
#include "model/blaskernels.h"
#include "model/journal.h"
#include "model/runrecord.h"
#include "testing.h"

#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

using namespace reglab;

// Built with AddressSanitizer (scripts/test's build-asan): its shadow memory does not fit under ulimit -v, and its
// quarantine keeps what was freed, so memory limits and peak-memory bounds are not checked there.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

namespace {

// Journals of the runs these tests start go to a folder of their own, not the user's.
const bool kIsolated = [] {
    char pattern[] = "/tmp/reglab-cli-xdg-XXXXXX";
    ::setenv("XDG_DATA_HOME", ::mkdtemp(pattern), 1);
    return true;
}();

struct Result {
    int status = -1;
    std::string out, err;
};

std::string slurp(const std::string &path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

Result run(const std::string &args)
{
    // Files of this process's own: another checkout's tests may run at the same time.
    static const std::string dir = [] {
        char pattern[] = "/tmp/reglab-cli-run-XXXXXX";
        return std::string(::mkdtemp(pattern));
    }();
    const std::string out = dir + "/out", err = dir + "/err";
    const std::string cmd = std::string(REGLAB_TRAIN_EXE) + " " + args + " >" + out + " 2>" + err;
    const int raw = std::system(cmd.c_str());
    return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(out), slurp(err)};
}

bool contains(const std::string &text, const std::string &needle)
{
    if (text.find(needle) != std::string::npos)
        return true;
    std::fprintf(stderr, "expected '%s' in: %s\n", needle.c_str(), text.c_str());
    return false;
}

// A small, quick network for runs whose results do not matter.
const std::string kQuick = "--device cpu --hidden 16 --dropout 0 --quiet";

// Starts reglab-train with `args`, stdout and stderr into files.
pid_t spawn(const std::vector<std::string> &args, const std::string &out = "/dev/null",
            const std::string &err = "/dev/null")
{
    std::fflush(stdout);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        if (!::freopen(out.c_str(), "w", stdout) || !::freopen(err.c_str(), "w", stderr))
            _exit(98);
        std::vector<char *> argv{const_cast<char *>("reglab-train")};
        for (const auto &a : args)
            argv.push_back(const_cast<char *>(a.c_str()));
        argv.push_back(nullptr);
        ::execv(REGLAB_TRAIN_EXE, argv.data());
        _exit(99);
    }
    return pid;
}

// The exit status of `pid`, or 1000 + N when signal N ended it.
int waitStatus(pid_t pid)
{
    int raw = 0;
    ::waitpid(pid, &raw, 0);
    return WIFEXITED(raw) ? WEXITSTATUS(raw) : 1000 + WTERMSIG(raw);
}

// Polls `done` every 20 ms for up to `seconds`.
bool waitFor(const std::function<bool()> &done, double seconds)
{
    for (int i = 0; i < seconds * 50; ++i) {
        if (done())
            return true;
        ::usleep(20 * 1000);
    }
    return done();
}

// A journal in `dir` holding at least `count` lines of `type` ("step", "epoch"), or "".
std::string journalWith(const std::string &dir, const std::string &type, std::size_t count)
{
    std::string found;
    if (DIR *d = ::opendir(dir.c_str())) {
        while (const dirent *e = ::readdir(d)) {
            if (std::string(e->d_name).rfind("run-", 0) != 0)
                continue;
            const std::string text = slurp(dir + "/" + e->d_name), needle = "\"type\":\"" + type + "\"";
            std::size_t n = 0;
            for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
                ++n;
            if (n >= count)
                found = dir + "/" + e->d_name;
        }
        ::closedir(d);
    }
    return found;
}

// Whether process `pid` runs reglab-train (not this program's fork before its exec) and catches `signal` yet (its
// handlers are in place before its libraries load).
bool catches(pid_t pid, int signal)
{
    if (slurp("/proc/" + std::to_string(pid) + "/comm") != "reglab-train\n")
        return false;
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("SigCgt:", 0) == 0)
            return (std::stoull(line.substr(7), nullptr, 16) >> (signal - 1)) & 1;
    return false;
}

std::string tempDir()
{
    char pattern[] = "/tmp/reglab-cli-XXXXXX";
    const char *dir = ::mkdtemp(pattern);
    REQUIRE(dir != nullptr);
    return dir;
}

} // namespace

TEST_CASE("parser accepts the documented flags")
{
    CliOptions o;
    CHECK(parseTrainArgs({"--data",    "fashion", "--epochs=3", "--batch", "500",   "--lr",     "0.1",
                          "--l1",      "1e-3",    "--l1-scope", "weights", "--l2",  "0.01",     "--l2-mode",
                          "penalty",   "--folds", "4",          "--seed",  "9",     "--device", "cpu",
                          "--threads", "1",       "--out",      "a.json",  "--csv", "a.csv",    "--quiet"},
                         o)
              .empty());
    CHECK_EQ(o.config.data, std::string("fashion"));
    CHECK_EQ(o.config.epochs, 3);
    CHECK_EQ(o.config.batchSize, 500);
    CHECK_EQ(o.config.l1, 0.001);
    CHECK(o.config.l1Scope == L1Scope::Weights);
    CHECK(o.config.l2Mode == L2Mode::Penalty);
    CHECK_EQ(o.config.folds, 4);
    CHECK_EQ(o.config.seed, 9u);
    CHECK(o.quiet);
    CHECK_EQ(o.outCsv, std::string("a.csv"));
    CHECK(o.config.optimizer == Optimizer::Sgd);

    CliOptions adam;
    CHECK(parseTrainArgs({"--optimizer", "adamw", "--adam-beta1", "0.8", "--adam-beta2=0.99", "--adam-eps", "1e-6",
                          "--l1-method", "proximal", "--hidden", "100,50,25", "--dropout", "0.1,0.2,0.3",
                          "--leaky-slope", "0.1"},
                         adam)
              .empty());
    CHECK(adam.config.optimizer == Optimizer::AdamW);
    CHECK_EQ(adam.config.adamBeta1, 0.8);
    CHECK_EQ(adam.config.adamBeta2, 0.99);
    CHECK_EQ(adam.config.adamEps, 1e-6);
    CHECK(adam.config.l1Method == L1Method::Proximal);
    CHECK_EQ(adam.config.hidden.size(), 3u);
    CliOptions nesterov;
    CHECK(parseTrainArgs({"--momentum", "0.9", "--nesterov"}, nesterov).empty());
    CHECK(nesterov.config.nesterov);
}

TEST_CASE("bad arguments exit 2 naming the flag")
{
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"--epochs -3", "--epochs: '-3' is not allowed; give a whole number from 1 to 100000"},
        {"--epochs ten", "--epochs: 'ten' is not allowed"},
        {"--lr nan", "--lr: 'nan' is not allowed; give a number above 0"},
        {"--lr 0", "--lr: '0' is not allowed"},
        {"--l1 -0.01", "--l1: '-0.01' is not allowed"},
        {"--l1 1e999", "--l1: '1e999' is not allowed"},
        {"--batch 0", "--batch: '0' is not allowed"},
        {"--l1-scope biases", "--l1-scope: 'biases' is not allowed; use all or weights"},
        {"--l2-mode ridge", "--l2-mode: 'ridge' is not allowed; use decay or penalty"},
        {"--device tpu", "--device: 'tpu' is not allowed; use cpu, cuda or auto"},
        {"--folds 1", "--folds: '1' is not allowed"},
        {"--frobnicate", "unknown option --frobnicate"},
        {"--epochs", "--epochs needs a value"},
        {"--hidden 100 --dropout 0.1,0.2", "--dropout: give one rate per hidden layer"},
        {"--optimizer rmsprop", "--optimizer: 'rmsprop' is not allowed; use sgd, adam or adamw"},
        {"--l1-method ista", "--l1-method: 'ista' is not allowed; use subgradient or proximal"},
        {"--nesterov", "nesterov: Nesterov momentum needs a momentum above 0"},
        {"--nesterov=true --momentum 0.9", "--nesterov takes no value"},
        {"--adam-eps 0", "--adam-eps: '0' is not allowed; give a number above 0 up to 1"},
        {"--adam-beta2 1", "--adam-beta2: '1' is not allowed"},
        {"--out /nonexistent-dir/run.json", "--out: cannot write /nonexistent-dir/run.json"},
    };
    for (const auto &[args, message] : cases) {
        const Result r = run(args);
        CHECK_EQ(r.status, 2);
        CHECK(contains(r.err, message));
    }
}

// Every flag reglab-train takes is in --help; every setting's flag shows its default and what it allows comes
// from the same field the parser checks with.
TEST_CASE("help documents every flag with its default")
{
    const Result r = run("--help");
    CHECK_EQ(r.status, 0);
    const std::vector<std::string> names = trainFlagNames();
    CHECK_GE(names.size(), 20u);
    for (const std::string &flag : names)
        CHECK(contains(r.out, "  " + flag +
                                  (flag == "--help" || flag == "--version" || flag == "--quiet" ||
                                           flag == "--download" || flag == "--nesterov"
                                       ? "  "
                                       : " ")));
    int settings = 0;
    for (const ConfigField &f : configFields()) {
        if (f.flag.empty())
            continue;
        ++settings;
        CHECK(std::find(names.begin(), names.end(), f.flag) != names.end());
        // The flag's line holds its default in brackets (the help may wrap before it).
        const std::size_t at = r.out.find("  " + f.flag + " ");
        REQUIRE(at != std::string::npos);
        const std::size_t next = r.out.find("\n  --", at + 3);
        const std::string entry = r.out.substr(at, next == std::string::npos ? std::string::npos : next - at);
        CAPTURE(entry);
        const bool isSwitch = f.kind == ConfigField::Kind::Switch; // shown as [off], taking no value
        CHECK(entry.find("[" + (isSwitch ? std::string("off") : f.defaultText()) + "]") != std::string::npos);
        // A value out of range is refused with the range the field states.
        if (f.kind == ConfigField::Kind::Integer || f.kind == ConfigField::Kind::Real) {
            CliOptions o;
            const std::string message = parseTrainArgs({f.flag, "1e99"}, o);
            CHECK_EQ(message, f.flag + ": '1e99' is not allowed; give " + f.allowed());
        }
    }
    CHECK_GE(settings, 15);
    CHECK(contains(r.out, "[0.01]"));
    CHECK(contains(r.out, "exit status"));
}

TEST_CASE("data errors exit 3")
{
    Result r = run("--data /no/such/dir");
    CHECK_EQ(r.status, 3);
    CHECK(contains(r.err, "data error: /no/such/dir: no such folder"));
    const std::string dir = tempDir() + "/broken";
    std::system(("rm -rf " + dir + " && mkdir -p " + dir).c_str());
    for (const char *f :
         {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"})
        std::ofstream(dir + "/" + f) << "garbage";
    r = run("--data " + dir);
    CHECK_EQ(r.status, 3);
    CHECK(contains(r.err, "train-images-idx3-ubyte: not an IDX image file"));
}

TEST_CASE("a run prints epochs and writes json and csv")
{
    const std::string json = tempDir() + "/run.json", csv = tempDir() + "/run.csv";
    const Result r = run("--epochs 2 --device cpu --out " + json + " --csv " + csv);
    CHECK_EQ(r.status, 0);
    CHECK(contains(r.out, "epoch   1/2"));
    CHECK(contains(r.out, "finished after 2 epoch(s)"));
    const RunRecord record = runRecordFromJson(readTextFile(json));
    CHECK(record.status == RunStatus::Finished);
    CHECK_EQ(record.epochs.size(), 2u);
    CHECK(contains(readTextFile(csv), "epoch,fold,step"));
}

TEST_CASE("adam with proximal l1 runs from the command line and records exact zeros")
{
    const std::string json = "/tmp/reglab-cli-adam.json";
    const Result r = run("--epochs 1 --device cpu --quiet --optimizer adam --lr 0.001 --l1 0.01 --l1-method proximal "
                         "--out " +
                         json);
    CHECK_EQ(r.status, 0);
    CHECK(contains(r.out, "fc1_zero"));
    const RunRecord record = runRecordFromJson(readTextFile(json));
    CHECK(record.config.optimizer == Optimizer::Adam);
    CHECK(record.config.l1Method == L1Method::Proximal);
    CHECK_GT(record.epochs.front().layers.front().zeroFraction, 0.0);
    CHECK(contains(readTextFile(json), "\"zero_fraction\""));
}

// Full-size data end to end: one Fashion-MNIST epoch (48,000 training, 12,000 validation, 10,000 test images).
TEST_CASE("fashion mnist one epoch")
{
    if (std::system("test -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz") != 0) {
        std::printf("skipped: Fashion-MNIST is not installed (scripts/setup.sh installs dataset-fashion-mnist)\n");
        return;
    }
    const std::string json = tempDir() + "/fashion.json";
    const Result r = run("--data fashion --epochs 1 --device cpu --out " + json);
    CHECK_EQ(r.status, 0);
    CHECK(contains(r.out, "epoch   1/1"));
    const RunRecord record = runRecordFromJson(readTextFile(json));
    CHECK_EQ(record.dataName, std::string("Fashion-MNIST"));
    CHECK_EQ(record.epochs.front().step, 960); // 48,000 / 50
    CHECK_GT(record.epochs.front().testAccuracy, 0.5);
}

TEST_CASE("divergence exits 4 and keeps the record")
{
    const std::string json = tempDir() + "/diverged.json";
    const Result r = run("--lr 1000 --device cpu --quiet --out " + json);
    CHECK_EQ(r.status, 4);
    CHECK(contains(r.err, "lower the learning rate"));
    CHECK(runRecordFromJson(readTextFile(json)).status == RunStatus::Diverged);
}

// Ctrl-C, SIGTERM (timeout, docker stop, systemd) and SIGHUP stop at the next step, still write --out, and exit
// with 128 + N.
TEST_CASE("signals stop the run, write what was computed and exit 128 plus the signal")
{
    const std::string dir = defaultJournalDir();
    for (const int signal : {SIGINT, SIGTERM, SIGHUP}) {
        CAPTURE(signal);
        const std::string json = tempDir() + "/interrupted.json";
        const pid_t pid = spawn({"--epochs", "1000", "--device", "cpu", "--log-every", "10", "--out", json});
        // Into training: the journal has logging points.
        CHECK(waitFor([&] { return !journalWith(dir, "step", 2).empty(); }, 60));
        ::kill(pid, signal);
        CHECK_EQ(waitStatus(pid), 128 + signal);
        const RunRecord record = runRecordFromJson(readTextFile(json));
        CHECK(record.status == RunStatus::Stopped);
        CHECK(!record.steps.empty());
        CHECK(contains(record.message, signal == SIGINT    ? "stopped by Ctrl-C (SIGINT) at step"
                                       : signal == SIGTERM ? "stopped by SIGTERM at step"
                                                           : "stopped by SIGHUP at step"));
        CHECK(interruptedJournals(dir).empty()); // saved, so the journal went
    }
}

// A signal while the program starts (its libraries load, the data is read) stops it before it trains: not a
// whole run later, and an old --out stays as it was.
TEST_CASE("a signal during start-up stops the run before it trains")
{
    for (const int signal : {SIGINT, SIGTERM}) {
        CAPTURE(signal);
        const std::string json = tempDir() + "/early.json";
        {
            std::ofstream(json) << "old";
        }
        const std::string err = json + ".err";
        const auto start = std::chrono::steady_clock::now();
        const pid_t pid = spawn({"--epochs", "1000", "--device", "cpu", "--out", json}, "/dev/null", err);
        REQUIRE(waitFor([&] { return catches(pid, signal); }, 30));
        ::kill(pid, signal);
        CHECK_EQ(waitStatus(pid), 128 + signal);
        CHECK_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 30.0);
        CHECK(contains(slurp(err), "before training started; nothing was written"));
        CHECK_EQ(slurp(json), std::string("old"));
    }
}

// `reglab-train ... | head -1`: stdout closes after the first line. The run goes on quietly and writes its record;
// with no --out or --csv there is nothing left to train for, and it says so.
TEST_CASE("a closed stdout neither kills the run nor loses its record")
{
    const std::string dir = tempDir(), json = dir + "/piped.json";
    const std::string exe = REGLAB_TRAIN_EXE;
    const int raw = std::system(("bash -c '" + exe + " --epochs 3 --device cpu --out " + json + " 2>" + dir +
                                 "/err | head -1 >" + dir + "/first; echo ${PIPESTATUS[0]} >" + dir + "/status'")
                                    .c_str());
    REQUIRE(WIFEXITED(raw));
    CHECK_EQ(slurp(dir + "/status"), std::string("0\n"));
    CHECK(contains(slurp(dir + "/first"), "epoch   1/3"));
    const RunRecord record = runRecordFromJson(readTextFile(json));
    CHECK(record.status == RunStatus::Finished);
    CHECK_EQ(record.epochs.size(), 3u);
    std::system(("bash -c '" + exe + " --epochs 1000 --device cpu 2>" + dir + "/err | head -1 >/dev/null; echo " +
                 "${PIPESTATUS[0]} >" + dir + "/status'")
                    .c_str());
    CHECK_EQ(slurp(dir + "/status"), std::string("141\n"));
    CHECK(contains(slurp(dir + "/err"), "stdout was closed and there is no --out or --csv"));
}

// Crash safety: a real training process killed with SIGKILL leaves a journal from which the run is recovered up
// to its last logging point; a run that ends normally leaves none.
TEST_CASE("killed run is recovered from its journal")
{
    const std::string dir = defaultJournalDir();
    CHECK(interruptedJournals(dir).empty());
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::freopen("/dev/null", "w", stdout);
        ::freopen("/dev/null", "w", stderr);
        ::execl(REGLAB_TRAIN_EXE, "reglab-train", "--epochs", "1000", "--device", "cpu", "--log-every", "10", "--seed",
                "18446744073709551615", nullptr);
        _exit(99);
    }
    // Wait for two epochs in the journal, then pull the plug.
    std::string journal;
    for (int i = 0; i < 600 && journal.empty(); ++i) {
        ::usleep(50 * 1000);
        if (DIR *d = ::opendir(dir.c_str())) {
            while (const dirent *e = ::readdir(d)) {
                const std::string path = dir + "/" + e->d_name;
                std::string text = slurp(path);
                std::size_t epochs = 0;
                for (std::size_t at = text.find("\"type\":\"epoch\""); at != std::string::npos;
                     at = text.find("\"type\":\"epoch\"", at + 1))
                    ++epochs;
                if (epochs >= 2)
                    journal = path;
            }
            ::closedir(d);
        }
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    REQUIRE(!journal.empty());
    const auto interrupted = interruptedJournals(dir);
    REQUIRE(interrupted.size() == 1u);
    const RunRecord r = recoverJournal(interrupted.front());
    CHECK(r.status == RunStatus::Stopped);
    CHECK_GE(r.epochs.size(), 2u);
    CHECK_GE(r.steps.size(), 2u * 16u); // every 10 steps, 160 steps an epoch
    CHECK_EQ(r.config.epochs, 1000);
    CHECK_EQ(r.config.seed, 18446744073709551615ULL); // every seed round-trips, through a journal too
    CHECK(r.message.find("recovered") != std::string::npos);
    CHECK(discardJournal(interrupted.front()));
    CHECK(interruptedJournals(dir).empty());
    // A run that ends normally removes its journal.
    CHECK_EQ(run("--epochs 1 --device cpu --quiet").status, 0);
    CHECK(interruptedJournals(dir).empty());
}

// A full disk (a file-size limit stands in for it): the run still ends, the message says the file could not be
// written and why, the exit status says so, and the file that was there before is intact.
TEST_CASE("full disk keeps the old file")
{
    const std::string folder = tempDir(), json = folder + "/full.json";
    {
        std::ofstream(json) << "old";
    }
    const std::string err = folder + "/full.err";
    const int raw = std::system(("bash -c 'ulimit -f 4; exec " + std::string(REGLAB_TRAIN_EXE) +
                                 " --epochs 1 --device cpu --quiet --out " + json + "' >/dev/null 2>" + err)
                                    .c_str());
    CHECK(WIFEXITED(raw));
    CHECK_EQ(WEXITSTATUS(raw), 1);
    CHECK(contains(slurp(err), "--out: cannot write " + json));
    CHECK(contains(slurp(err), "disk full"));
    CHECK_EQ(slurp(json), std::string("old"));
    // The run is not lost: its journal is kept, and recovering it once there is room saves it.
    const auto kept = interruptedJournals(defaultJournalDir());
    REQUIRE(kept.size() == 1u);
    CHECK(contains(slurp(err), "the run is kept in its journal " + kept.front()));
    CHECK_EQ(run("--recover " + kept.front() + " --out " + json).status, 0);
    CHECK(runRecordFromJson(readTextFile(json)).status == RunStatus::Finished);
    CHECK(interruptedJournals(defaultJournalDir()).empty());
    CHECK(std::system(("test -e " + json + ".tmp").c_str()) != 0); // no half-written file left behind
    CHECK(std::system(("ls -a " + folder + " | grep -q '\\.tmp$'").c_str()) != 0);
}

// --out and --csv are checked before training: a folder, a device, a FIFO or one file named twice would only be
// found after the run (or, as root, /dev/null replaced by a JSON file).
TEST_CASE("outputs that cannot be written are refused before training")
{
    const std::string dir = tempDir();
    REQUIRE(::mkfifo((dir + "/fifo").c_str(), 0644) == 0);
    REQUIRE(::mkdir((dir + "/folder").c_str(), 0755) == 0);
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"--out /dev/null", "--out: cannot write /dev/null (it is a character device, not a file)"},
        {"--out " + dir + "/folder", "(it is a folder, not a file)"},
        {"--out " + dir + "/fifo", "(it is a named pipe (FIFO), not a file)"},
        {"--csv " + dir + "/folder/", "--csv: cannot write"},
        {"--out " + dir + "/a.json --csv " + dir + "/./a.json", "--out and --csv name the same file"},
        {"--out " + dir + "/" + std::string(256, 'x'), "the file name is 256 bytes long"},
    };
    for (const auto &[args, message] : cases) {
        CAPTURE(args);
        const Result r = run(args + " --epochs 1000");
        CHECK_EQ(r.status, 2);
        CHECK(contains(r.err, message));
        CHECK(r.out.empty()); // nothing trained
    }
    struct stat st {};
    REQUIRE(::stat("/dev/null", &st) == 0);
    CHECK(S_ISCHR(st.st_mode));
}

// A link is written through; a user's NAME.tmp is neither used nor removed; a 255-byte name works.
TEST_CASE("saves go through links and leave other files alone")
{
    const std::string dir = tempDir();
    {
        std::ofstream(dir + "/real.json") << "old";
    }
    {
        std::ofstream(dir + "/real.json.tmp") << "mine";
    }
    REQUIRE(::symlink("real.json", (dir + "/link.json").c_str()) == 0);
    const std::string longName = dir + "/" + std::string(251, 'r') + ".csv";
    REQUIRE_EQ(run("--epochs 1 " + kQuick + " --out " + dir + "/link.json --csv " + longName).status, 0);
    struct stat st {};
    REQUIRE(::lstat((dir + "/link.json").c_str(), &st) == 0);
    CHECK(S_ISLNK(st.st_mode));
    CHECK(runRecordFromJson(readTextFile(dir + "/real.json")).status == RunStatus::Finished);
    CHECK_EQ(slurp(dir + "/real.json.tmp"), std::string("mine"));
    CHECK(contains(slurp(longName), "epoch,fold,step"));
}

// Closed standard streams (reglab-train >&- 2>&-): their numbers must not go to the journal or the record.
TEST_CASE("closed standard streams do not leak into the files")
{
    const std::string json = tempDir() + "/closed.json";
    const int raw =
        std::system((std::string(REGLAB_TRAIN_EXE) + " --epochs 2 " + kQuick + " --out " + json + " >&- 2>&-").c_str());
    CHECK((WIFEXITED(raw) && WEXITSTATUS(raw) == 0));
    const RunRecord r = runRecordFromJson(readTextFile(json));
    CHECK(r.status == RunStatus::Finished);
    CHECK_EQ(r.epochs.size(), 2u);
    CHECK(interruptedJournals(defaultJournalDir()).empty());
}

// A seed above 2^53 (the largest there is) goes end to end and comes back exactly.
TEST_CASE("the largest seed round trips through the cli")
{
    const std::string json = tempDir() + "/seed.json";
    REQUIRE_EQ(run("--epochs 1 " + kQuick + " --seed 18446744073709551615 --out " + json).status, 0);
    CHECK_EQ(runRecordFromJson(readTextFile(json)).config.seed, 18446744073709551615ULL);
    CHECK(contains(readTextFile(json), "\"seed\": 18446744073709551615"));
}

// A memory limit (ulimit -v) gives a message and status 1 wherever it bites (the libraries, OpenBLAS's buffers,
// the data, training), never an abort with a backtrace (134) or a hang.
TEST_CASE("memory limits give a message never an abort or a hang")
{
    if (kSanitized) {
        std::printf("skipped: a sanitizer's shadow memory does not fit under ulimit -v\n");
        return;
    }
    const std::string dir = tempDir();
    // ulimit -v limits the address space, ulimit -d the data (what OpenBLAS's buffers and the tensors take).
    for (const auto &[limit, megabytes] : {std::pair<const char *, int>{"-v", 600},
                                           {"-v", 700},
                                           {"-v", 800},
                                           {"-v", 900},
                                           {"-v", 1000},
                                           {"-d", 300},
                                           {"-d", 400}}) {
        CAPTURE(limit);
        CAPTURE(megabytes);
        const std::string json = dir + "/m" + std::to_string(megabytes) + limit + ".json", err = json + ".err";
        const auto start = std::chrono::steady_clock::now();
        const int raw = std::system(("timeout -k 5 90 bash -c 'ulimit " + std::string(limit) + " " +
                                     std::to_string(megabytes * 1000) + "; exec " + REGLAB_TRAIN_EXE +
                                     " --epochs 1 --device cpu --quiet --out " + json + "' >/dev/null 2>" + err)
                                        .c_str());
        const int status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
        const std::string message = slurp(err);
        CHECK_MESSAGE((status == 0 || status == 1), "status " << status << ": " << message);
        if (status == 1)
            CHECK(contains(message, "memory"));
        CHECK(message.find("terminate called") == std::string::npos);
        CHECK(message.find("frame #") == std::string::npos);
        CHECK_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 60.0);
        // A run that could not be saved is kept in its journal, and the message says where.
        for (const std::string &journal : interruptedJournals(defaultJournalDir())) {
            CHECK(contains(message, "kept in its journal " + journal));
            CHECK(discardJournal(journal));
        }
    }
}

// The run just computed survives a failed save: its journal stays, the message says where and how to save it,
// a start mentions it, and --recover saves it and removes the journal.
TEST_CASE("a failed save keeps the run in its journal and recover saves it")
{
    const std::string journals = defaultJournalDir();
    REQUIRE(interruptedJournals(journals).empty());
    const std::string dir = tempDir(), folder = dir + "/gone", err = dir + "/err";
    REQUIRE(::mkdir(folder.c_str(), 0755) == 0);
    const pid_t pid =
        spawn({"--epochs", "2", "--device", "cpu", "--out", folder + "/run.json", "--csv", folder + "/run.csv"},
              "/dev/null", err);
    // While it trains, the folder of --out disappears: the save at the end fails.
    REQUIRE(waitFor([&] { return !journalWith(journals, "epoch", 1).empty(); }, 60));
    ::kill(pid, SIGSTOP);
    REQUIRE(std::system(("rm -rf " + folder).c_str()) == 0);
    ::kill(pid, SIGCONT);
    CHECK_EQ(waitStatus(pid), 1);
    const auto kept = interruptedJournals(journals);
    REQUIRE(kept.size() == 1u);
    CHECK(contains(slurp(err), "the run is kept in its journal " + kept.front()));
    CHECK(contains(slurp(err), "reglab-train --recover " + kept.front() + " --out FILE.json"));
    CHECK(contains(run("--epochs 1 " + kQuick).err, "1 interrupted run(s) can be recovered"));
    const Result list = run("--recover --list");
    CHECK_EQ(list.status, 0);
    CHECK(contains(list.out, kept.front()));
    CHECK(contains(list.out, "finished after 2 epoch(s)"));
    CHECK_EQ(run("--recover --out " + dir + "/r.json --csv " + dir + "/r.json").status, 2);
    CHECK_EQ(run("--recover " + kept.front()).status, 2); // no --out: nothing would keep it
    const Result saved = run("--recover --out " + dir + "/recovered.json --csv " + dir + "/recovered.csv");
    CHECK_EQ(saved.status, 0);
    const RunRecord r = runRecordFromJson(readTextFile(dir + "/recovered.json"));
    CHECK(r.status == RunStatus::Finished);
    CHECK_EQ(r.epochs.size(), 2u);
    CHECK(contains(readTextFile(dir + "/recovered.csv"), "epoch,fold,step"));
    CHECK(interruptedJournals(journals).empty());
    CHECK_EQ(run("--recover --out " + dir + "/again.json").status, 1); // nothing left to recover
}

// A data folder whose name is not UTF-8: the run trains, and its record keeps the name byte for byte.
TEST_CASE("a data folder name that is not utf-8 round trips")
{
    const std::string dir = tempDir() + "/data-\xff\xfe";
    REQUIRE(::mkdir(dir.c_str(), 0755) == 0);
    const std::string sample = std::string(REGLAB_SOURCE_DIR_FOR_TESTS) + "/resources/data/mnist-sample/";
    for (const char *f : {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                          "t10k-labels-idx1-ubyte.gz"})
        REQUIRE(::symlink((sample + f).c_str(), (dir + "/" + f).c_str()) == 0);
    const std::string json = tempDir() + "/odd.json";
    REQUIRE_EQ(run("--epochs 1 " + kQuick + " --data '" + dir + "' --out " + json).status, 0);
    const RunRecord r = runRecordFromJson(readTextFile(json));
    CHECK_EQ(r.config.data, dir);
    CHECK_EQ(r.dataName, dir);
}

// One or two training images cannot make five folds: a data error (3) with what to change.
TEST_CASE("too few training images exit 3 with advice")
{
    const std::string dir = tempDir();
    const auto write = [&](const std::string &name, std::uint32_t magic, std::uint32_t count) {
        std::ofstream out(dir + "/" + name, std::ios::binary);
        for (std::uint32_t x : {magic, count})
            for (int shift : {24, 16, 8, 0})
                out.put(static_cast<char>(x >> shift));
        if (magic == 2051)
            for (int shift : {24, 16, 8, 0, 24, 16, 8, 0})
                out.put(static_cast<char>(28u >> shift));
        out << std::string(count * (magic == 2051 ? 784 : 1), '\1');
    };
    write("train-images-idx3-ubyte", 2051, 2);
    write("train-labels-idx1-ubyte", 2049, 2);
    write("t10k-images-idx3-ubyte", 2051, 2);
    write("t10k-labels-idx1-ubyte", 2049, 2);
    const Result r = run("--epochs 1 " + kQuick + " --data " + dir);
    CHECK_EQ(r.status, 3);
    CHECK(contains(r.err, "2 training image(s) cannot make 5 folds"));
    CHECK(contains(r.err, "use at most 2 folds (--folds 2)"));
}

TEST_CASE("bad numbers say the allowed range")
{
    CHECK(contains(run("--hidden 0").err, "--hidden: '0' is not allowed; give 1 to 8 comma-separated whole numbers "
                                          "from 1 to 8192"));
    CHECK(contains(run("--seed 18446744073709551616").err, "give a whole number from 0 to 18446744073709551615"));
    CHECK(contains(run("--lr inf").err, "--lr: 'inf' is not allowed; give a number above 0 up to 1000000"));
}

TEST_CASE("exit status follows the record")
{
    RunRecord r;
    r.status = RunStatus::Finished;
    CHECK_EQ(exitStatusFor(r), 0);
    r.status = RunStatus::Diverged;
    CHECK_EQ(exitStatusFor(r), 4);
    r.status = RunStatus::Stopped;
    CHECK_EQ(exitStatusFor(r, SIGTERM), 143);
    CHECK_EQ(exitStatusFor(r, SIGHUP), 129);
    CHECK_EQ(exitStatusFor(r), 130);
    r.status = RunStatus::Failed;
    for (const auto &[kind, status] : {std::pair<ErrorKind, int>{ErrorKind::Data, 3},
                                       {ErrorKind::Arguments, 2},
                                       {ErrorKind::Memory, 1},
                                       {ErrorKind::Io, 1},
                                       {ErrorKind::Internal, 1}}) {
        r.errorKind = kind;
        CHECK_EQ(exitStatusFor(r), status);
    }
}

TEST_CASE("recover takes only its own flags")
{
    CliOptions o;
    CHECK_EQ(parseTrainArgs({"--recover", "/x/run.jsonl", "--out", "a.json"}, o), std::string());
    CHECK(o.recover);
    CHECK_EQ(o.recoverJournal, std::string("/x/run.jsonl"));
    CliOptions bare;
    CHECK_EQ(parseTrainArgs({"--recover", "--out", "a.json"}, bare), std::string());
    CHECK_EQ(bare.recoverJournal, std::string());
    CliOptions bad;
    CHECK(contains(parseTrainArgs({"--recover", "--epochs", "3"}, bad), "--recover takes only"));
    CliOptions listOnly;
    CHECK(contains(parseTrainArgs({"--list"}, listOnly), "--list: use it with --recover"));
}

namespace {

// reglab-train with `env` (VAR=value ...) on top of this environment less the variables of the kernels' choice.
Result runWithEnv(const std::string &env, const std::string &args)
{
    static const std::string dir = tempDir();
    const std::string out = dir + "/out", err = dir + "/err";
    const std::string cmd = "env -u OPENBLAS_CORETYPE -u REGLAB_BLAS_CHOSEN -u REGLAB_BLAS_CHECK_FAIL "
                            "-u REGLAB_BLAS_SIGMASK REGLAB_BLAS_TRACE=1 " +
                            env + " " + REGLAB_TRAIN_EXE + " " + args + " >" + out + " 2>" + err;
    const int raw = std::system(cmd.c_str());
    return Result{WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(out), slurp(err)};
}

std::size_t countOf(const std::string &text, const std::string &needle)
{
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
        ++n;
    return n;
}

// What reglab-train should choose here: OpenBLAS's own core is this test's (it does not choose), the preferred
// one the CPU's. Empty `own` when the BLAS is not OpenBLAS or the user set OPENBLAS_CORETYPE for the tests.
struct ExpectedKernels {
    std::string own, preferred;
    bool restarts = false;
};

ExpectedKernels expectedKernels()
{
    ExpectedKernels e;
    if (std::getenv("OPENBLAS_CORETYPE") || blasKernels().core.empty())
        return e;
    e.own = blasKernels().core;
    e.preferred = preferredBlasCore(CpuFeatures::detect());
    e.restarts = blasCoreOlderThan(e.own, e.preferred);
    return e;
}

} // namespace

TEST_CASE("reglab-train chooses the kernels once and --version names them")
{
    const ExpectedKernels e = expectedKernels();
    const Result r = runWithEnv("", "--version");
    CHECK_EQ(r.status, 0);
    CHECK(contains(r.out, "blas "));
    if (e.own.empty()) {
        MESSAGE("not OpenBLAS, or OPENBLAS_CORETYPE set for the tests: " << r.out);
        return;
    }
    if (e.restarts) { // the project's own machine kind: OpenBLAS picks Prescott, RegLab SkylakeX
        CHECK(contains(r.out, e.preferred + " kernels (chosen by reglab; OpenBLAS picked " + e.own));
        CHECK_EQ(countOf(r.err, "restarting with"), 1u); // once: the restarted process does not restart again
    } else {
        CHECK(contains(r.out, e.own + " kernels (chosen by openblas"));
        CHECK_EQ(countOf(r.err, "restarting with"), 0u);
    }
    // Exit statuses come through the restart unchanged.
    CHECK_EQ(runWithEnv("", "--epochs 0").status, 2);
}

TEST_CASE("a user's OPENBLAS_CORETYPE is kept and reported")
{
    const ExpectedKernels e = expectedKernels();
    if (e.own.empty())
        return;
    // Prescott's kernels run on every x86-64 CPU.
    const Result r = runWithEnv("OPENBLAS_CORETYPE=Prescott", "--version");
    CHECK_EQ(r.status, 0);
    CHECK(contains(r.out, "Prescott kernels (chosen by user"));
    CHECK_EQ(countOf(r.err, "restarting with"), 0u);
}

TEST_CASE("kernels that fail the check give way to older ones, and it says so")
{
    const ExpectedKernels e = expectedKernels();
    if (!e.restarts) {
        MESSAGE("OpenBLAS chose this CPU's kernels itself: no choice of RegLab's to fail");
        return;
    }
    const Result r = runWithEnv("REGLAB_BLAS_CHECK_FAIL=" + e.preferred, "--version");
    CHECK_EQ(r.status, 0);
    CHECK(contains(r.err, "OpenBLAS's " + e.preferred + " kernels failed RegLab's check of its products"));
    const std::string next = nextOlderBlasCore(e.preferred, CpuFeatures::detect());
    if (!next.empty()) {
        CHECK(contains(r.err, "falling back to " + next + " kernels"));
        CHECK(contains(r.out, next + " kernels (chosen by fallback; the " + e.preferred + " kernels failed"));
        CHECK_EQ(countOf(r.err, "restarting with"), 2u);
    }
    // Every core failing ends with OpenBLAS's own, once each, no loop.
    const Result all = runWithEnv("REGLAB_BLAS_CHECK_FAIL=SkylakeX,Haswell", "--version");
    CHECK_EQ(all.status, 0);
    CHECK(contains(all.out, e.own + " kernels (chosen by fallback"));
    CHECK_LE(countOf(all.err, "restarting with"), 3u);
}

TEST_CASE("without a way to restart the run goes on with openblas's kernels and says how to get better ones")
{
    const ExpectedKernels e = expectedKernels();
    if (!e.restarts)
        return;
    const Result r = runWithEnv("REGLAB_BLAS_TEST_EXE=/nonexistent/reglab-train", "--version");
    CHECK_EQ(r.status, 0);
    CHECK(contains(r.err, "could not restart with them"));
    CHECK(contains(r.err, "set OPENBLAS_CORETYPE=" + e.preferred));
    CHECK(contains(r.out, e.own + " kernels (chosen by openblas"));
}

TEST_CASE("a run record names the kernels its products ran on")
{
    const ExpectedKernels e = expectedKernels();
    const std::string json = tempDir() + "/blas.json";
    const Result r = runWithEnv("", kQuick + " --epochs 1 --out " + json);
    REQUIRE_EQ(r.status, 0);
    const RunRecord record = runRecordFromJson(readTextFile(json));
    REQUIRE(record.blas.has_value());
    CHECK_FALSE(record.blas->library.empty());
    if (!e.own.empty()) {
        CHECK_EQ(record.blas->library, "OpenBLAS");
        CHECK_EQ(record.blas->core, e.restarts ? e.preferred : e.own);
        CHECK_EQ(record.blas->chosenBy, e.restarts ? "reglab" : "openblas");
    }
}
