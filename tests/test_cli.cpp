// reglab-train as a user meets it: argument errors (exit 2, naming the flag), data errors (3), divergence (4),
// signals (128 + N, output still written), a normal run writing JSON and CSV, closed pipes. Files, journals,
// memory limits and the matrix kernels are in test_cli_files.cpp.
#include "clitest.h"


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

// Whether process `pid` (reglab-train's launcher, or the trainer it became) has `signal` blocked.
inline bool blocks(pid_t pid, int signal)
{
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("SigBlk:", 0) == 0)
            return (std::stoull(line.substr(7), nullptr, 16) >> (signal - 1)) & 1;
    return false;
}

// A signal in the first few hundred milliseconds, while the dynamic loader loads LibTorch and before any handler
// can exist, ended the process in its default way: no message, no 128+N. The launcher blocks the signals first, so
// such a signal waits for the trainer's handlers.
TEST_CASE("a signal before the handlers exist waits for them")
{
    for (const int signal : {SIGTERM, SIGHUP}) {
        CAPTURE(signal);
        const std::string err = tempDir() + "/early.err";
        const pid_t pid = spawn({"--epochs", "1000", "--device", "cpu"}, "/dev/null", err);
        REQUIRE(waitFor([&] { return blocks(pid, signal); }, 10)); // the launcher runs: the libraries not loaded yet
        ::kill(pid, signal);
        CHECK_EQ(waitStatus(pid), 128 + signal);
        CHECK(contains(slurp(err), "before training started; nothing was written"));
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
