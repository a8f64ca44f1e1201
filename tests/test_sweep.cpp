// Sweeps: the file's grid (values, ranges, lists of grids), the messages a bad file gets, and reglab-train
// --sweep as a user and a scheduler meet it: --list, --task, a pool that resumes after a stop, a failed run
// that does not stop the others, and the Slurm job script.
#include "app/cliargs.h"
#include "app/sweepcommand.h"
#include "model/blaskernels.h"
#include "model/journal.h"
#include "model/runrecord.h"
#include "model/sweep.h"
#include "model/sweeppath.h"
#include "clitest.h"

#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace reglab;

namespace {

std::vector<std::string> recordsIn(const std::string &dir)
{
    std::vector<std::string> names;
    if (DIR *d = ::opendir(dir.c_str())) {
        while (const dirent *e = ::readdir(d)) {
            const std::string name = e->d_name;
            if (name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0)
                names.push_back(name);
        }
        ::closedir(d);
    }
    std::sort(names.begin(), names.end());
    return names;
}

// A quick grid: 4 runs of a small network for one epoch.
const char *kQuickSweep = R"({"format": "reglab-sweep", "name": "quick",
  "base": {"hidden": [16], "dropout": [0], "epochs": 1, "device": "cpu"},
  "vary": {"l1": [0, 0.001], "seed": [0, 1]}})";

} // namespace

TEST_CASE("a sweep is the product of its axes, in a stable order with names from the settings")
{
    const Sweep s = parseSweep(R"({"format": "reglab-sweep", "name": "grid", "base": {"epochs": 3},
        "vary": {"l1": [0, 0.001, 0.01], "l1_method": ["subgradient", "proximal"], "dropout": [[0.5, 0.5]]}})");
    REQUIRE(s.runs.size() == 6u);
    CHECK_EQ(s.runs[0].name, "0000-l1_0-l1-method_subgradient-dropout_0.5-0.5");
    CHECK_EQ(s.runs[3].name, "0003-l1_0.001-l1-method_proximal-dropout_0.5-0.5");
    CHECK_EQ(s.runs[3].config.l1, 0.001);
    CHECK(s.runs[3].config.l1Method == L1Method::Proximal);
    CHECK(s.runs[5].config.dropout == std::vector<double>{0.5, 0.5});
    CHECK_EQ(s.runs[5].config.epochs, 3); // from the base
    for (std::size_t i = 0; i < s.runs.size(); ++i)
        CHECK_EQ(s.runs[i].index, i);
    // The flag's names work too ("batch" for batch_size).
    const Sweep b = parseSweep(R"({"format": "reglab-sweep", "name": "b", "vary": {"batch": [50, 500]}})");
    REQUIRE(b.runs.size() == 2u);
    CHECK_EQ(b.runs[1].config.batchSize, 500);
    CHECK_EQ(b.runs[1].settings[0].first, "batch_size");
}

TEST_CASE("ranges: log-spaced to three digits, whole numbers for whole-number settings")
{
    const Sweep s = parseSweep(R"({"format": "reglab-sweep", "name": "r",
        "vary": {"l2": {"from": 1e-5, "to": 0.1, "points": 9, "log": true}}})");
    std::vector<double> l2;
    for (const SweepRun &r : s.runs)
        l2.push_back(r.config.l2);
    CHECK(l2 == std::vector<double>{1e-5, 3.16e-5, 1e-4, 3.16e-4, 1e-3, 3.16e-3, 0.01, 0.0316, 0.1});
    const Sweep seeds = parseSweep(R"({"format": "reglab-sweep", "name": "s",
        "vary": {"seed": {"from": 0, "to": 2, "points": 5}}})");
    REQUIRE(seeds.runs.size() == 3u); // 0, 0.5, 1, 1.5, 2 rounded: 0, 1, 2 (a repeat dropped)
    CHECK_EQ(seeds.runs[2].config.seed, 2u);
}

TEST_CASE("a list of grids: L1's values with L2 off, then L2's")
{
    const Sweep s = loadSweep(bundledSweepDir() + "/regularization-path.json");
    CHECK_EQ(s.name, "The regularization path");
    REQUIRE(s.runs.size() == 54u); // (9 L1 + 9 L2) x 3 seeds
    CHECK_EQ(s.runs[0].config.l1, 1e-5);
    CHECK_EQ(s.runs[0].config.l2, 0.0);
    CHECK_EQ(s.runs[27].config.l2, 1e-5);
    CHECK_EQ(s.runs[27].config.l1, 0.0);
    CHECK_EQ(s.runs[53].config.seed, 2u);
    CHECK_EQ(s.runs[53].config.epochs, 10);
    CHECK_EQ(s.runs[53].name, "0053-l2_0.1-seed_2");
}

TEST_CASE("a bad sweep file is named with its fault")
{
    const std::string dir = tempDir();
    auto fails = [&](const std::string &text, const std::string &message) {
        CAPTURE(text);
        CHECK_THROWS_CONTAINING(loadSweep(write(dir, "bad.json", text)), RecordError, message);
    };
    fails("{", dir + "/bad.json: not valid JSON");
    fails(R"({"format": "reglab-preset", "name": "x"})", "not a RegLab sweep");
    fails(R"({"format": "reglab-sweep"})", "has no \"name\"");
    fails(R"({"format": "reglab-sweep", "name": "x", "vary": {"l3": [1]}})", "vary \"l3\": no such setting");
    fails(R"({"format": "reglab-sweep", "name": "x", "vary": {"l1": [-1]}})", "vary \"l1\": '-1' is not allowed");
    fails(R"({"format": "reglab-sweep", "name": "x", "vary": {"l1": {"from": 0, "to": 1, "points": 3, "log": true}}})",
          "a log range needs \"from\" and \"to\" above 0");
    fails(R"({"format": "reglab-sweep", "name": "x", "vary": {"l1": {"from": 0, "to": 1}}})", "\"points\"");
    fails(R"({"format": "reglab-sweep", "name": "x", "vary": {"l1": [0.1], "--l1": [0.2]}})", "varied twice");
    fails(R"({"format": "reglab-sweep", "name": "x", "vary": {"l1": []}})", "vary \"l1\": no values");
    fails(R"({"format": "reglab-sweep", "name": "x", "vary": {"optimizer": ["sgd", "rmsprop"]}})",
          "'rmsprop' is not allowed; use sgd, adam or adamw");
    fails(R"({"format": "reglab-sweep", "name": "x", "vary": {"seed": {"from": 0, "to": 1e6, "points": 1000},
            "l1": {"from": 1e-6, "to": 1, "points": 1000, "log": true}}})",
          "more than 100000 runs");
    CHECK_THROWS_CONTAINING(loadSweep(dir + "/missing.json"), RecordError, dir + "/missing.json");
}

TEST_CASE("sweep arguments: what goes with --sweep and what does not")
{
    CliOptions o;
    CHECK(parseTrainArgs({"--sweep", "s.json", "--l1", "0.1", "--out-dir", "d"}, o).find(
              "takes its settings from the sweep file") != std::string::npos);
    o = {};
    CHECK(parseTrainArgs({"--sweep", "s.json"}, o).find("give --out-dir DIR") != std::string::npos);
    o = {};
    CHECK(parseTrainArgs({"--jobs", "2"}, o) == "--jobs: use it with --sweep FILE.json");
    o = {};
    CHECK(parseTrainArgs({"--sweep", "s.json", "--out-dir", "d", "--jobs", "0"}, o).find("from 1 to 1024") !=
          std::string::npos);
    o = {};
    CHECK(parseTrainArgs({"--sweep", "s.json", "--out-dir", "d", "--task", "x"}, o).find("--task: give a run's index") !=
          std::string::npos);
    o = {};
    CHECK(parseTrainArgs({"--sweep", "s.json", "--out-dir", "d", "--dry-run"}, o) == "--dry-run: use it with --slurm");
    o = {};
    CHECK(parseTrainArgs({"--sweep", "s.json", "--list"}, o).empty());
    o = {};
    CHECK(parseTrainArgs({"--sweep", "s.json", "--out-dir", "d", "--task", "3", "--threads", "1"}, o).empty());
    CHECK_EQ(o.task, 3);
}

TEST_CASE("the slurm script: one array task per run, logs per task, the same command for each")
{
    const std::string script = slurmScript("/opt/reglab/bin/reglab-train", "/home/u/path.json", "/scratch/u/out",
                                           "reglab-path", 54, 8, "--partition=short --time=00:30:00");
    CHECK(script.find("#SBATCH --array=0-53%8\n") != std::string::npos);
    CHECK(script.find("#SBATCH --output=/scratch/u/out/logs/%A_%a.log\n") != std::string::npos);
    CHECK(script.find("#SBATCH --cpus-per-task=1\n") != std::string::npos);
    CHECK(script.find("#SBATCH --partition=short\n#SBATCH --time=00:30:00\n") != std::string::npos);
    CHECK(script.find("exec '/opt/reglab/bin/reglab-train' --sweep '/home/u/path.json' --task "
                      "\"$SLURM_ARRAY_TASK_ID\" --out-dir '/scratch/u/out' --quiet --threads 1\n") != std::string::npos);
    // --slurm --dry-run prints it for the bundled sweep.
    const Result r = run("--sweep " + bundledSweepDir() + "/regularization-path.json --slurm --dry-run --jobs 4");
    CHECK_EQ(r.status, 0);
    CHECK(r.out.find("#SBATCH --array=0-53%4") != std::string::npos);
}

TEST_CASE("a sweep runs in a pool, resumes after a stop and lists what is done")
{
    const std::string dir = tempDir();
    const std::string file = write(dir, "quick.json", kQuickSweep);
    const std::string out = dir + "/out";
    Result list = run("--sweep " + file + " --list");
    CHECK_EQ(list.status, 0);
    CHECK(list.out.find("0003-l1_0.001-seed_1  (l1 0.001, seed 1)") != std::string::npos);

    // One run by index, as an array task runs it.
    Result one = run("--sweep " + file + " --task 2 --out-dir " + out);
    CHECK_EQ(one.status, 0);
    CHECK(recordsIn(out) == std::vector<std::string>{"0002-l1_0.001-seed_0.json"});
    const RunRecord r2 = runRecordFromJson(slurp(out + "/0002-l1_0.001-seed_0.json"));
    CHECK_EQ(r2.config.l1, 0.001);
    CHECK_EQ(r2.config.hidden, std::vector<int>{16});
    CHECK(r2.status == RunStatus::Finished);
    // Again: already done, nothing trained.
    one = run("--sweep " + file + " --task 2 --out-dir " + out);
    CHECK_EQ(one.status, 0);
    CHECK(one.out.find("already done") != std::string::npos);
    CHECK(run("--sweep " + file + " --task 4 --out-dir " + out).err.find("its runs are 0 to 3") != std::string::npos);

    // A stopped run's record is not done: the pool runs it again, with the two never started.
    RunRecord stopped = r2;
    stopped.status = RunStatus::Stopped;
    stopped.config.l1 = 0; // run 1's settings: a record of others would be kept, not trained over
    stopped.config.seed = 1;
    writeFileAtomically(out + "/0001-l1_0-seed_1.json", toJson(stopped));
    CHECK(!sweepRunDone(out + "/0001-l1_0-seed_1.json"));
    CHECK(sweepRunDone(out + "/0002-l1_0.001-seed_0.json"));
    const Result pool = run("--sweep " + file + " --out-dir " + out + " --jobs 2");
    CHECK_EQ(pool.status, 0);
    CHECK(pool.err.find("4 run(s), 1 already done") != std::string::npos);
    CHECK(pool.out.find("4 run(s) done") != std::string::npos);
    REQUIRE(recordsIn(out).size() == 4u);
    for (const std::string &name : recordsIn(out))
        CHECK(sweepRunDone(out + "/" + name));
    CHECK_EQ(runRecordFromJson(slurp(out + "/0001-l1_0-seed_1.json")).config.threads, 1); // one thread per run
    // The pool's children inherit the parent's choice of kernels (no restart of their own) and record it as RegLab's,
    // not as a user's OPENBLAS_CORETYPE.
    const RunRecord pooled = runRecordFromJson(slurp(out + "/0001-l1_0-seed_1.json"));
    REQUIRE(pooled.blas.has_value());
    if (!std::getenv("OPENBLAS_CORETYPE") && !std::getenv("REGLAB_BLAS_CHOSEN") &&
        blasCoreOlderThan(blasKernels().core, preferredBlasCore(CpuFeatures::detect()))) {
        CHECK_EQ(pooled.blas->core, preferredBlasCore(CpuFeatures::detect()));
        CHECK_EQ(pooled.blas->chosenBy, "reglab");
    }
    list = run("--sweep " + file + " --list --out-dir " + out);
    CHECK(list.out.find("[to run]") == std::string::npos);
    // --progress-lines: the state for programs on stdout (the window's sweep dialog reads it).
    const Result again = run("--sweep " + file + " --out-dir " + out + " --progress-lines");
    CHECK_EQ(again.status, 0);
    CHECK(again.out.find("progress done=4 total=4 running=0 failed=0 eta_s=0\n") != std::string::npos);
}

// What the window's sweep dialog writes: the same grid once parsed, every setting of the base but the machine's.
TEST_CASE("a sweep file written from a grid reads back as that grid")
{
    SweepSpec spec;
    spec.name = "from the dialog";
    spec.base.epochs = 3;
    spec.base.threads = 1;
    spec.base.l1 = 0.5; // varied: left out of "base"
    SweepAxisSpec l1{"l1", {}, true, 1e-4, 1e-2, 3, true};
    SweepAxisSpec optimizer{"optimizer", {"sgd", "adamw"}};
    SweepAxisSpec dropout{"dropout", {"0.1,0.1", "0.5,0.5"}};
    SweepAxisSpec seed{"seed", {"0", "1"}};
    spec.axes = {l1, optimizer, dropout, seed};
    const std::string text = sweepFileText(spec);
    CAPTURE(text);
    CHECK(text.find("\"l1\": {\"from\": 0.0001, \"to\": 0.01, \"points\": 3, \"log\": true}") != std::string::npos);
    CHECK(text.find("\"dropout\": [[0.1, 0.1], [0.5, 0.5]]") != std::string::npos);
    CHECK(text.find("\"threads\"") == std::string::npos);
    const Sweep sweep = parseSweep(text);
    CHECK_EQ(sweep.name, "from the dialog");
    REQUIRE_EQ(sweep.runs.size(), 24u);
    CHECK_EQ(sweep.runs[0].name, "0000-l1_0.0001-optimizer_sgd-dropout_0.1-0.1-seed_0");
    CHECK_EQ(sweep.runs[23].config.l1, 0.01);
    CHECK(sweep.runs[23].config.optimizer == Optimizer::AdamW);
    CHECK_EQ(sweep.runs[23].config.dropout, std::vector<double>{0.5, 0.5});
    CHECK_EQ(sweep.runs[23].config.epochs, 3);
    CHECK_EQ(sweep.runs[23].config.threads, 0);
    CHECK_EQ(sweepRangeValues("l1", 1e-4, 1e-2, 3, true), std::vector<std::string>{"0.0001", "0.001", "0.01"});
    CHECK_EQ(sweepRangeValues("batch", 16, 20, 10, false).size(), 5u);
    CHECK_THROWS_CONTAINING(sweepRangeValues("l1", 0, 1, 3, true), RecordError, "a log range needs");
    spec.axes = {seed, seed};
    CHECK_THROWS_CONTAINING(sweepFileText(spec), RecordError, "seed is varied twice");
    spec.axes = {SweepAxisSpec{"optimizer", {"rmsprop"}}};
    CHECK_THROWS_CONTAINING(sweepFileText(spec), RecordError, "vary \"optimizer\"");
}

TEST_CASE("a failed run is recorded and the sweep goes on")
{
    const std::string dir = tempDir();
    // Run 1's data folder does not exist: a data error, recorded; run 0 trains.
    const std::string file = write(dir, "bad.json", R"({"format": "reglab-sweep", "name": "one bad",
      "base": {"hidden": [16], "dropout": [0], "epochs": 1, "device": "cpu"},
      "vary": {"data": ["sample", ")" + dir + R"(/no-such-folder"]}})");
    const Result pool = run("--sweep " + file + " --out-dir " + dir + "/out --jobs 2");
    CHECK_EQ(pool.status, 1);
    CHECK(pool.err.find("run 1 (0001-data_") != std::string::npos);
    CHECK(pool.err.find("failed (exit status 3)") != std::string::npos);
    CHECK(pool.out.find("1 run(s) done") != std::string::npos);
    CHECK(pool.out.find("1 failed (a failed run runs again when the same command is given again)") !=
          std::string::npos);
    CHECK(sweepRunDone(dir + "/out/0000-data_sample.json"));
    // The failed run has a record saying why, so the folder accounts for every run; a rerun tries it again.
    const std::vector<std::string> records = recordsIn(dir + "/out");
    REQUIRE(records.size() == 2u);
    const RunRecord bad = runRecordFromJson(slurp(dir + "/out/" + records[1]));
    CHECK(bad.status == RunStatus::Failed);
    CHECK(bad.errorKind == ErrorKind::Data);
    CHECK(bad.message.find("no-such-folder") != std::string::npos);
    CHECK(bad.config.data == dir + "/no-such-folder");
    const Result again = run("--sweep " + file + " --out-dir " + dir + "/out");
    CHECK(again.err.find("2 run(s), 1 already done") != std::string::npos);
    CHECK(again.out.find("1 failed") != std::string::npos); // not "0 failed": it was tried, and failed again
}

TEST_CASE("sigterm stops every run of the pool, which keep what they computed")
{
    const std::string dir = tempDir();
    const std::string file = write(dir, "long.json", R"({"format": "reglab-sweep", "name": "long",
      "base": {"epochs": 200, "device": "cpu"}, "vary": {"seed": [0, 1]}})");
    const std::string out = dir + "/out";
    std::fflush(nullptr); // the child must not print this process's buffered output again
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        if (!::freopen((dir + "/err").c_str(), "w", stderr) || !::freopen((dir + "/stdout").c_str(), "w", stdout))
            _exit(98);
        ::execl(REGLAB_TRAIN_EXE, "reglab-train", "--sweep", file.c_str(), "--out-dir", out.c_str(), "--jobs", "2",
                static_cast<char *>(nullptr));
        _exit(99);
    }
    // Wait until both runs are training: two journals with a logged step each.
    auto journalsWithSteps = [] {
        int n = 0;
        const std::string journals = defaultJournalDir();
        if (DIR *d = ::opendir(journals.c_str())) {
            while (const dirent *e = ::readdir(d))
                if (std::string(e->d_name).rfind("run-", 0) == 0 &&
                    slurp(journals + "/" + e->d_name).find("\"type\":\"step\"") != std::string::npos)
                    ++n;
            ::closedir(d);
        }
        return n;
    };
    for (int i = 0; i < 6000 && journalsWithSteps() < 2; ++i)
        ::usleep(20 * 1000);
    REQUIRE(journalsWithSteps() == 2);
    ::kill(pid, SIGTERM);
    int raw = 0;
    ::waitpid(pid, &raw, 0);
    CHECK(WIFEXITED(raw));
    CHECK_EQ(WEXITSTATUS(raw), 128 + SIGTERM);
    CHECK(slurp(dir + "/err").find("run again when the same command is given again") != std::string::npos);
    REQUIRE(recordsIn(out).size() == 2u);
    for (const std::string &name : recordsIn(out)) {
        const RunRecord r = runRecordFromJson(slurp(out + "/" + name));
        CHECK(r.status == RunStatus::Stopped);
        CHECK(!sweepRunDone(out + "/" + name));
    }
}

TEST_CASE("the regularization path: mean, min and max over seeds per strength, L1 and L2 as two curves")
{
    auto record = [](double l1, double l2, std::uint64_t seed, double accuracy) {
        RunRecord r;
        r.config.l1 = l1;
        r.config.l2 = l2;
        r.config.seed = seed;
        r.status = RunStatus::Finished;
        EpochRecord e;
        e.epoch = 1;
        e.testAccuracy = accuracy;
        e.layers.push_back({"fc1", 0.5, 1, 1, 0.25});
        r.epochs.push_back(e);
        return r;
    };
    std::vector<RunRecord> runs{record(1e-3, 0, 0, 0.90), record(1e-3, 0, 1, 0.92), record(1e-2, 0, 0, 0.11),
                                record(0, 1e-3, 0, 0.93), record(0, 0, 0, 0.91), record(0, 1e-2, 0, 0.95)};
    RunRecord failed = record(1e-1, 0, 0, 0.5);
    failed.status = RunStatus::Failed;
    runs.push_back(failed);
    const SweepPath p = sweepPath(runs, "l1,l2", "test_accuracy");
    REQUIRE(p.curves.size() == 2u);
    CHECK_EQ(p.curves[0].group, "l1");
    REQUIRE(p.curves[0].points.size() == 2u);
    CHECK_EQ(p.curves[0].points[0].x, 1e-3);
    CHECK_NEAR(p.curves[0].points[0].mean, 0.91, 1e-12);
    CHECK_EQ(p.curves[0].points[0].min, 0.90);
    CHECK_EQ(p.curves[0].points[0].max, 0.92);
    CHECK_EQ(p.curves[0].points[0].runs, 2);
    CHECK(p.curves[0].points[0].of == std::vector<std::size_t>{0, 1});
    CHECK_EQ(p.curves[1].group, "l2");
    CHECK_EQ(p.curves[1].points[1].mean, 0.95);
    CHECK(p.logX);
    CHECK_EQ(p.baseline.runs, 1); // L1 and L2 both off
    CHECK_EQ(p.baseline.mean, 0.91);
    CHECK_EQ(p.skipped, 1);
    // Grouped by a setting's value; another metric.
    const SweepPath bySeed = sweepPath(runs, "l1", "zero_fraction", "seed");
    REQUIRE(bySeed.curves.size() == 2u);
    CHECK_EQ(bySeed.curves[0].group, "0");
    CHECK_EQ(bySeed.curves[0].points.front().mean, 0.25);
    CHECK_THROWS_CONTAINING(sweepPath(runs, "l1", "accuracy"), RecordError, "use one of test_accuracy");
    CHECK_THROWS_CONTAINING(sweepPath(runs, "lambda", "test_accuracy"), RecordError, "x 'lambda' is not a setting");
}
