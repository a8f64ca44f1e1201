// reglab-train as a user meets it: argument errors (exit 2, naming the flag), data errors (3), divergence (4),
// Ctrl-C (130, output still written), and a normal run writing JSON and CSV.
#include "app/cliargs.h"
#include "model/journal.h"
#include "model/runrecord.h"
#include "testing.h"

#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>

using namespace reglab;

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
    const std::string out = "/tmp/reglab-cli-test.out", err = "/tmp/reglab-cli-test.err";
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
    const std::string dir = "/tmp/reglab-cli-broken";
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
    const std::string json = "/tmp/reglab-cli-run.json", csv = "/tmp/reglab-cli-run.csv";
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
    const std::string json = "/tmp/reglab-cli-fashion.json";
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
    const std::string json = "/tmp/reglab-cli-diverged.json";
    const Result r = run("--lr 1000 --device cpu --quiet --out " + json);
    CHECK_EQ(r.status, 4);
    CHECK(contains(r.err, "lower the learning rate"));
    CHECK(runRecordFromJson(readTextFile(json)).status == RunStatus::Diverged);
}

TEST_CASE("sigint stops writes and exits 130")
{
    const std::string json = "/tmp/reglab-cli-interrupted.json";
    std::remove(json.c_str());
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::freopen("/dev/null", "w", stdout);
        ::freopen("/dev/null", "w", stderr);
        ::execl(REGLAB_TRAIN_EXE, "reglab-train", "--epochs", "1000", "--device", "cpu", "--out", json.c_str(),
                nullptr);
        _exit(99);
    }
    ::usleep(1500 * 1000); // past data loading, into training
    ::kill(pid, SIGINT);
    int raw = 0;
    ::waitpid(pid, &raw, 0);
    CHECK(WIFEXITED(raw));
    CHECK_EQ(WEXITSTATUS(raw), 130);
    const RunRecord record = runRecordFromJson(readTextFile(json));
    CHECK(record.status == RunStatus::Stopped);
    CHECK(!record.steps.empty());
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
        ::execl(REGLAB_TRAIN_EXE, "reglab-train", "--epochs", "1000", "--device", "cpu", "--log-every", "10", nullptr);
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
    const std::string json = "/tmp/reglab-cli-full.json";
    {
        std::ofstream(json) << "old";
    }
    const std::string err = "/tmp/reglab-cli-full.err";
    const int raw = std::system(("bash -c 'ulimit -f 4; exec " + std::string(REGLAB_TRAIN_EXE) +
                                 " --epochs 1 --device cpu --quiet --out " + json + "' >/dev/null 2>" + err)
                                    .c_str());
    CHECK(WIFEXITED(raw));
    CHECK_EQ(WEXITSTATUS(raw), 1);
    CHECK(contains(slurp(err), "--out: cannot write " + json));
    CHECK(contains(slurp(err), "disk full"));
    CHECK_EQ(slurp(json), std::string("old"));
    CHECK(std::system(("test -e " + json + ".tmp").c_str()) != 0); // no half-written file left behind
}

