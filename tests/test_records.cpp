// Folds, configuration checks, the run record's JSON and CSV, and the weights file beside a record.
#include "model/changes.h"
#include "model/config.h"
#include "model/folds.h"
#include "model/runrecord.h"
#include "model/weightsfile.h"
#include "testing.h"

#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <thread>

using namespace reglab;

TEST_CASE("folds are disjoint covering and sized like kfold")
{
    const auto folds = makeFolds(10003, 5, 42);
    REQUIRE(folds.size() == 5u);
    std::set<std::int64_t> seen;
    for (std::size_t f = 0; f < folds.size(); ++f) {
        const auto &fold = folds[f];
        CHECK_EQ(fold.train.size() + fold.validation.size(), 10003u);
        // KFold: the first n % k folds are one larger.
        CHECK_EQ(fold.validation.size(), f < 3 ? 2001u : 2000u);
        std::set<std::int64_t> train(fold.train.begin(), fold.train.end());
        for (auto v : fold.validation) {
            CHECK(train.count(v) == 0);
            CHECK(seen.insert(v).second); // each index validates in exactly one fold
        }
    }
    CHECK_EQ(seen.size(), 10003u);
    CHECK((makeFolds(100, 5, 42)[0].validation == makeFolds(100, 5, 42)[0].validation));
    CHECK(!(makeFolds(100, 5, 42)[0].validation == makeFolds(100, 5, 43)[0].validation));
}

TEST_CASE("config validation names the problem")
{
    TrainConfig c;
    CHECK(validate(c).empty());
    c.learningRate = -1;
    CHECK_EQ(validate(c), std::string("learning_rate: '-1' is not allowed; give a number above 0 up to 1000000"));
    c = TrainConfig{};
    c.l1 = std::nan("");
    CHECK_EQ(validate(c), std::string("l1: 'nan' is not allowed; give a number from 0 to 1000000"));
    c = TrainConfig{};
    c.dropout = {0.3};
    CHECK(validate(c).find("dropout") != std::string::npos);
    c = TrainConfig{};
    c.l1 = 0.01;
    c.l1Scope = L1Scope::Weights;
    CHECK_EQ(shortLabel(c), std::string("L1 0.01 (weights) - L2 off - bs 50"));
    c.optimizer = Optimizer::AdamW;
    c.l1Method = L1Method::Proximal;
    CHECK_EQ(shortLabel(c), std::string("AdamW - L1 0.01 (weights, proximal) - L2 off - bs 50"));
    // Nesterov needs momentum, as in PyTorch.
    c = TrainConfig{};
    c.nesterov = true;
    CHECK_EQ(validate(c), std::string("nesterov: Nesterov momentum needs a momentum above 0 (as in PyTorch); give "
                                      "--momentum, such as 0.9"));
    c.momentum = 0.9;
    CHECK(validate(c).empty());
    c = TrainConfig{};
    c.adamEps = 0;
    CHECK_EQ(validate(c), std::string("adam_eps: '0' is not allowed; give a number above 0 up to 1"));
    c = TrainConfig{};
    c.adamBeta1 = 1;
    CHECK(validate(c).find("adam_beta1") == 0);
}

namespace {
RunRecord sampleRecord()
{
    RunRecord r;
    r.config.l1 = 0.01;
    r.config.l2Mode = L2Mode::Penalty;
    r.config.hidden = {64};
    r.config.dropout = {0.2};
    r.config.seed = 7;
    r.config.optimizer = Optimizer::AdamW;
    r.config.nesterov = true;
    r.config.momentum = 0.5;
    r.config.adamBeta1 = 0.8;
    r.config.adamBeta2 = 0.99;
    r.config.adamEps = 1e-6;
    r.config.l1Method = L1Method::Proximal;
    r.status = RunStatus::Diverged;
    r.message = "the loss became NaN at step 3";
    r.device = "cpu";
    r.dataName = "MNIST sample";
    r.startedAt = "2026-11-28T12:00:00Z";
    r.versions = {{"reglab", "0.1.0"}, {"libtorch", "1.13.0"}};
    r.steps.push_back({1, 1, 2.5, 2.3, 0.15, 0.05, 0.01, 0.0, 0.01, 1234.5});
    r.steps.push_back({2, 1, std::nan(""), std::nan(""), 0.2, 0.0, 0.01, 0.0, 0.01, 1000});
    EpochRecord e;
    e.epoch = 1;
    e.fold = 0;
    e.step = 160;
    e.trainLoss = 1.5;
    e.valLoss = 1.2;
    e.valAccuracy = 0.7;
    e.testLoss = 1.25;
    e.testAccuracy = 0.69;
    e.trainSeconds = 0.1;
    e.evalSeconds = 0.02;
    e.layers = {{"fc1", 0.25, 100.5, 8.25, 0.125}, {"fc2", 0.5, 20, 3}};
    r.epochs.push_back(e);
    r.settingChanges.push_back({61, "l1", "0.1"});
    r.settingChanges.push_back({90, "dropout", "0.5"});
    Predictions p;
    p.epoch = 1;
    p.step = 160;
    DigitPrediction d;
    d.index = 42;
    d.label = 3;
    d.predicted = 5;
    d.probabilities[5] = 0.75f;
    p.digits.push_back(d);
    r.lastPredictions = p;
    WeightHistogram h;
    h.name = "fc1";
    h.counts = {1, 2, 3};
    h.below = 4;
    h.above = 5;
    h.zeros = 6;
    r.weightHistograms.push_back(h);
    r.totalSeconds = 1.5;
    return r;
}
} // namespace

TEST_CASE("run record round trips through json")
{
    const RunRecord r = sampleRecord();
    const std::string json = toJson(r);
    for (const char *key : {"\"config\"",
                            "\"status\": \"diverged\"",
                            "\"epochs\"",
                            "\"val_accuracy\"",
                            "\"test_accuracy\"",
                            "\"val_loss\"",
                            "\"test_loss\"",
                            "\"train_seconds\"",
                            "\"eval_seconds\"",
                            "\"steps\"",
                            "\"data_loss\"",
                            "\"l1_term\"",
                            "\"l2_term\"",
                            "\"setting_changes\"",
                            "\"summary\"",
                            "\"versions\"",
                            "\"zero_fraction\"",
                            "\"optimizer\": \"adamw\"",
                            "\"l1_method\": \"proximal\"",
                            "\"nesterov\": true"})
        CHECK(json.find(key) != std::string::npos);
    const RunRecord back = runRecordFromJson(json);
    CHECK_EQ(toJson(back), json); // every field survives, NaN as null included
    CHECK(back.status == RunStatus::Diverged);
    CHECK_EQ(back.config.l1, 0.01);
    CHECK(back.config.l2Mode == L2Mode::Penalty);
    CHECK_EQ(back.config.hidden.size(), 1u);
    CHECK(std::isnan(back.steps[1].loss));
    CHECK_EQ(back.epochs[0].layers[1].name, std::string("fc2"));
    CHECK_EQ(back.settingChanges[0].step, 61);
    CHECK(back.settingChanges == r.settingChanges);
    CHECK(json.find("\"setting_changes\"") != std::string::npos);
    CHECK_EQ(back.epochs[0].layers[0].zeroFraction, 0.125);
    CHECK(back.config.optimizer == Optimizer::AdamW);
    CHECK(back.config.l1Method == L1Method::Proximal);
    CHECK(back.config.nesterov);
    CHECK_EQ(back.config.adamBeta1, 0.8);
    CHECK_EQ(back.config.adamBeta2, 0.99);
    CHECK_EQ(back.config.adamEps, 1e-6);
    REQUIRE(back.lastPredictions.has_value());
    CHECK_EQ(back.lastPredictions->digits[0].predicted, 5);
    REQUIRE(back.weightHistograms.size() == 1u);
    CHECK((back.weightHistograms[0].counts == std::vector<std::int64_t>{1, 2, 3}));
    CHECK_EQ(back.weightHistograms[0].zeros, 6);
}

TEST_CASE("damaged or foreign json is refused with a reason")
{
    CHECK_THROWS_CONTAINING(runRecordFromJson("{\"config\": {"), RecordError, "not valid JSON");
    CHECK_THROWS_CONTAINING(runRecordFromJson("[1, 2]"), RecordError, "not a RegLab run record");
    CHECK_THROWS_CONTAINING(runRecordFromJson("{\"name\": \"x\"}"), RecordError, "not a RegLab run record");
    CHECK_THROWS_CONTAINING(runRecordFromJson("{\"config\": {}, \"status\": \"exploded\"}"), RecordError, "status");
    CHECK_THROWS_CONTAINING(runRecordFromJson("{\"config\": {\"epochs\": \"ten\"}, \"status\": \"finished\"}"),
                            RecordError, "epochs");
    CHECK_THROWS_CONTAINING(runRecordFromJson("{\"config\": {}, \"status\": \"finished\", \"epochs\": [3]}"),
                            RecordError, "epochs");
    // Found by fuzzing (tests/fuzz/regressions): numbers too large for their field were cast, undefined behaviour.
    CHECK_THROWS_CONTAINING(
        runRecordFromJson(readTextFile(std::string(REGLAB_SOURCE_DIR_FOR_TESTS) +
                                       "/tests/fuzz/regressions/fuzz_runrecord-hidden-out-of-range")),
        RecordError, "\"hidden\": '1e+30' is not allowed; give 1 to 8 comma-separated whole numbers from 1 to 8192, such as 200,200");
    CHECK_THROWS_CONTAINING(
        runRecordFromJson(readTextFile(std::string(REGLAB_SOURCE_DIR_FOR_TESTS) +
                                       "/tests/fuzz/regressions/fuzz_runrecord-count-out-of-range")),
        RecordError, "\"counts\" holds a value out of range");
}

TEST_CASE("epoch csv has a header and a row per epoch")
{
    const std::string csv = epochsCsv(sampleRecord());
    CHECK(
        csv.rfind("epoch,fold,step,train_loss,val_loss,val_accuracy,test_loss,test_accuracy,train_seconds,eval_seconds,"
                  "train_accuracy,train_eval_loss,fc1_small_fraction,fc1_zero_fraction,fc1_l1_norm,fc1_l2_norm,fc2_small_fraction",
                  0) == 0);
    CHECK(csv.find("\n1,0,160,1.5,1.2,0.7,1.25,0.69,0.1,0.02,,,0.25,0.125,100.5,8.25,0.5,0,20,3\n") != std::string::npos);
}

TEST_CASE("atomic write replaces or leaves old file")
{
    const std::string path = "/tmp/reglab-atomic-test.json";
    CHECK(writeFileAtomically(path, "one").empty());
    CHECK_EQ(readTextFile(path), std::string("one"));
    CHECK(writeFileAtomically(path, "two").empty());
    CHECK_EQ(readTextFile(path), std::string("two"));
    const std::string error = writeFileAtomically("/nonexistent-dir/x.json", "three");
    CHECK(error.find("cannot write /nonexistent-dir/x.json") != std::string::npos);
    std::remove(path.c_str());
}

// One home for the settings: every field reads back what it wrote, refuses what is out of range with the range
// in words, and the default config is valid.
TEST_CASE("config fields round trip and state their ranges")
{
    const TrainConfig defaults;
    for (const ConfigField &f : configFields()) {
        CAPTURE(f.key);
        TrainConfig c;
        CHECK_EQ(f.set(c, f.get(defaults)), std::string());
        CHECK_EQ(f.get(c), f.get(defaults));
        CHECK(findField(f.key) == &f);
        if (!f.flag.empty())
            CHECK(findField(f.flag) == &f);
        if (f.kind == ConfigField::Kind::Integer || f.kind == ConfigField::Kind::Real) {
            CHECK_EQ(f.set(c, "nan"), "'nan' is not allowed; give " + f.allowed());
            CHECK_EQ(f.set(c, "inf"), "'inf' is not allowed; give " + f.allowed());
            CHECK(!f.set(c, formatNumber(f.hi * 2 + 1)).empty());
        }
    }
    TrainConfig c;
    const ConfigField &seed = field("seed");
    CHECK_EQ(seed.set(c, "18446744073709551615"), std::string());
    CHECK_EQ(c.seed, 18446744073709551615ULL);
    CHECK(!seed.set(c, "18446744073709551616").empty());
    CHECK(!seed.set(c, "-1").empty());
    CHECK_EQ(field("hidden").set(c, "100,50,25"), std::string());
    CHECK_EQ(c.hidden, std::vector<int>{100, 50, 25});
    CHECK(!field("hidden").set(c, "100,,25").empty());
    CHECK(!field("dropout").set(c, "0.3,1").empty());
    CHECK_EQ(field("epochs").allowed(), std::string("a whole number from 1 to 100000"));
    // A switch reads true or false (its flag takes no value).
    CHECK_EQ(field("nesterov").set(c, "true"), std::string());
    CHECK(c.nesterov);
    CHECK_EQ(field("nesterov").set(c, "yes"), std::string("'yes' is not allowed; use true or false"));
    CHECK_EQ(field("optimizer").set(c, "adamw"), std::string());
    CHECK(c.optimizer == Optimizer::AdamW);
    CHECK_EQ(field("optimizer").allowed(), std::string("sgd, adam or adamw"));
    CHECK_EQ(field("l1_method").set(c, "proximal"), std::string());
    CHECK(c.l1Method == L1Method::Proximal);
    CHECK_EQ(formatNumber(0.01), std::string("0.01"));
    CHECK_EQ(formatNumber(1e-5), std::string("1e-05"));
    CHECK_EQ(formatNumber(1e6), std::string("1000000"));
}

// Records and presets written before the optimizers, proximal L1, exact zeros and live dropout read as they
// were run: SGD, the subgradient, no zero fraction, changes without dropout.
TEST_CASE("older records without the new keys keep the defaults")
{
    const std::string old = R"({"format": "reglab-run", "status": "finished",
        "config": {"l1": 0.01, "momentum": 0.9, "learning_rate": 0.05},
        "epochs": [{"epoch": 1, "layers": [{"name": "fc1", "small_fraction": 0.5, "l1_norm": 3, "l2_norm": 1}]}],
        "lambda_changes": [{"step": 7, "l1": 0.001, "l2": 0, "learning_rate": 0.05}]})";
    const RunRecord r = runRecordFromJson(old);
    CHECK(r.config.optimizer == Optimizer::Sgd);
    CHECK(r.config.l1Method == L1Method::Subgradient);
    CHECK(!r.config.nesterov);
    CHECK_EQ(r.config.adamBeta1, 0.9);
    CHECK_EQ(r.config.adamBeta2, 0.999);
    CHECK_EQ(r.config.adamEps, 1e-8);
    CHECK_EQ(r.config.momentum, 0.9);
    CHECK_EQ(r.epochs[0].layers[0].zeroFraction, 0.0);
    // Each old entry listed every live value in force: only what differed is a change.
    REQUIRE(r.settingChanges.size() == 1u);
    CHECK(r.settingChanges[0] == SettingChange{7, "l1", "0.001"});
    CHECK_EQ(describeChanges(r.settingChanges), std::string("L1\u21920.001 at step 7"));
    CHECK_THROWS_CONTAINING(runRecordFromJson(R"({"status": "finished", "config": {"optimizer": "lbfgs"}})"),
                            RecordError, "\"optimizer\": 'lbfgs' is not allowed; use sgd, adam or adamw");
    CHECK_THROWS_CONTAINING(runRecordFromJson(R"({"status": "finished", "config": {"nesterov": "yes"}})"), RecordError,
                            "\"nesterov\" is not true or false");
    CHECK_THROWS_CONTAINING(runRecordFromJson(R"({"status": "finished", "config": {"l1_method": "ista"}})"),
                            RecordError, "\"l1_method\": 'ista' is not allowed; use subgradient or proximal");
}

TEST_CASE("a run keeps its colour in its record")
{
    RunRecord r;
    r.status = RunStatus::Finished;
    CHECK(toJson(r).find("\"color\"") == std::string::npos); // never shown: no colour, the reader gives one
    r.color = "#2ca02c";
    const RunRecord back = runRecordFromJson(toJson(r));
    CHECK_EQ(back.color, std::string("#2ca02c"));
    CHECK(back.notUnderstood.empty());
    // Older records have none; a value that is no colour is left out rather than refuse the run.
    CHECK(runRecordFromJson(R"({"status": "finished", "config": {}})").color.empty());
    CHECK(runRecordFromJson(R"({"status": "finished", "config": {}, "color": "green"})").color.empty());
    CHECK(isRunColor("#1F77b4"));
    CHECK(!isRunColor("#1f77b"));
    CHECK(!isRunColor("1f77b4a"));
}

TEST_CASE("seeds round trip exactly through a run record")
{
    RunRecord r;
    r.status = RunStatus::Finished;
    r.config.seed = 18446744073709551615ULL;
    CHECK_EQ(runRecordFromJson(toJson(r)).config.seed, 18446744073709551615ULL);
    r.config.seed = (1ULL << 53) + 1; // a double would round it
    CHECK_EQ(runRecordFromJson(toJson(r)).config.seed, (1ULL << 53) + 1);
}

TEST_CASE("error kinds round trip and old records get one")
{
    RunRecord r;
    r.status = RunStatus::Failed;
    r.errorKind = ErrorKind::Memory;
    CHECK(runRecordFromJson(toJson(r)).errorKind == ErrorKind::Memory);
    for (ErrorKind k : {ErrorKind::None, ErrorKind::Arguments, ErrorKind::Data, ErrorKind::Diverged, ErrorKind::Device,
                        ErrorKind::Memory, ErrorKind::Io, ErrorKind::Internal}) {
        ErrorKind back = ErrorKind::Internal;
        CHECK(parseErrorKind(toString(k), back));
        CHECK(back == k);
    }
    // A record written before error kinds (no "error_kind"): a diverged one still says so.
    r.status = RunStatus::Diverged;
    r.errorKind = ErrorKind::None;
    std::string oldDiverged = toJson(r);
    oldDiverged.replace(oldDiverged.find("\"error_kind\""), 12, "\"unknown_key\"");
    CHECK(runRecordFromJson(oldDiverged).errorKind == ErrorKind::Diverged);
}

// Saving: the target is checked, links are written through, nothing but a regular file is ever replaced, and two
// writers never share a temporary file.
namespace {

std::string tempDir()
{
    char pattern[] = "/tmp/reglab-save-XXXXXX";
    const char *dir = ::mkdtemp(pattern);
    REQUIRE(dir != nullptr);
    return dir;
}

// The names in `dir`, hidden ones included.
std::set<std::string> namesIn(const std::string &dir)
{
    std::set<std::string> names;
    if (DIR *d = ::opendir(dir.c_str())) {
        while (const dirent *e = ::readdir(d))
            if (std::string(e->d_name) != "." && std::string(e->d_name) != "..")
                names.insert(e->d_name);
        ::closedir(d);
    }
    return names;
}

} // namespace

TEST_CASE("saving refuses what is not a regular file before touching it")
{
    const std::string dir = tempDir();
    REQUIRE(::mkfifo((dir + "/fifo").c_str(), 0644) == 0);
    REQUIRE(::mkdir((dir + "/folder").c_str(), 0755) == 0);
    REQUIRE(::symlink("/dev/null", (dir + "/null-link").c_str()) == 0);
    REQUIRE(::symlink("loop-b", (dir + "/loop-a").c_str()) == 0);
    REQUIRE(::symlink("loop-a", (dir + "/loop-b").c_str()) == 0);
    CHECK_EQ(checkWritableTarget(dir + "/new.json"), std::string());
    CHECK(checkWritableTarget("/dev/null").find("it is a character device, not a file") != std::string::npos);
    CHECK(checkWritableTarget(dir + "/null-link").find("character device") != std::string::npos);
    CHECK(checkWritableTarget(dir + "/fifo").find("named pipe (FIFO)") != std::string::npos);
    CHECK(checkWritableTarget(dir + "/folder").find("it is a folder") != std::string::npos);
    CHECK(checkWritableTarget(dir + "/folder/").find("folder") != std::string::npos);
    CHECK(checkWritableTarget(dir + "/loop-a").find("symbolic links") != std::string::npos);
    CHECK(checkWritableTarget(dir + "/missing/x.json").find("the folder " + dir + "/missing does not exist") !=
          std::string::npos);
    CHECK(checkWritableTarget(dir + "/" + std::string(256, 'n')).find("the file name is 256 bytes long") !=
          std::string::npos);
    // The FIFO and the folder are refused by the writer too, and stay what they were.
    CHECK(writeFileAtomically(dir + "/fifo", "x").find("named pipe") != std::string::npos);
    CHECK(writeFileAtomically(dir + "/folder", "x").find("folder") != std::string::npos);
    struct stat st {};
    REQUIRE(::stat((dir + "/fifo").c_str(), &st) == 0);
    CHECK(S_ISFIFO(st.st_mode));
    REQUIRE(::stat((dir + "/folder").c_str(), &st) == 0);
    CHECK(S_ISDIR(st.st_mode));
    // A folder whose mode bits let root "write" where nothing can be created: the check creates a file to know.
    if (::access("/proc/self", F_OK) == 0)
        CHECK(!checkWritableTarget("/proc/reglab-test.json").empty());
    if (::geteuid() != 0) { // root writes into read-only folders
        REQUIRE(::mkdir((dir + "/locked").c_str(), 0555) == 0);
        CHECK(checkWritableTarget(dir + "/locked/x.json").find("not writable") != std::string::npos);
    }
}

TEST_CASE("saving writes through links and keeps permissions")
{
    const std::string dir = tempDir();
    REQUIRE(writeFileAtomically(dir + "/real.json", "old").empty());
    REQUIRE(::chmod((dir + "/real.json").c_str(), 0640) == 0);
    REQUIRE(::symlink("real.json", (dir + "/link.json").c_str()) == 0);
    CHECK(writeFileAtomically(dir + "/link.json", "new").empty());
    struct stat st {};
    REQUIRE(::lstat((dir + "/link.json").c_str(), &st) == 0);
    CHECK(S_ISLNK(st.st_mode)); // still the link
    CHECK_EQ(readTextFile(dir + "/real.json"), std::string("new"));
    REQUIRE(::stat((dir + "/real.json").c_str(), &st) == 0);
    CHECK_EQ(st.st_mode & 0777, 0640u);
    // A dangling link: the file it names is created.
    REQUIRE(::symlink("later.json", (dir + "/dangling.json").c_str()) == 0);
    CHECK(writeFileAtomically(dir + "/dangling.json", "made").empty());
    CHECK_EQ(readTextFile(dir + "/later.json"), std::string("made"));
    CHECK((namesIn(dir) == std::set<std::string>{"real.json", "link.json", "dangling.json", "later.json"}));
}

TEST_CASE("saving uses its own temporary file and removes nothing else")
{
    const std::string dir = tempDir();
    const std::string target = dir + "/run.json";
    // A user's file named like the old temporary file, and a folder in its place: neither is touched or in the way.
    {
        std::ofstream(target + ".tmp") << "mine";
    }
    REQUIRE(::mkdir((dir + "/other.json.tmp").c_str(), 0755) == 0);
    CHECK(writeFileAtomically(target, "one").empty());
    CHECK(writeFileAtomically(dir + "/other.json", "two").empty());
    CHECK_EQ(readTextFile(target + ".tmp"), std::string("mine"));
    CHECK_EQ(readTextFile(dir + "/other.json"), std::string("two"));
    CHECK((namesIn(dir) == std::set<std::string>{"run.json", "run.json.tmp", "other.json", "other.json.tmp"}));
    // A name of 255 bytes, the most a file system allows: the temporary name is short whatever the target's.
    const std::string longName = dir + "/" + std::string(250, 'x') + ".json";
    CHECK(writeFileAtomically(longName, "long").empty());
    CHECK_EQ(readTextFile(longName), std::string("long"));
}

TEST_CASE("concurrent saves to one file never tear it")
{
    const std::string dir = tempDir();
    const std::string target = dir + "/shared.json";
    std::vector<pid_t> children;
    for (int w = 0; w < 4; ++w) {
        const pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            const std::string contents(200000 + w, static_cast<char>('a' + w));
            for (int i = 0; i < 40; ++i)
                if (!writeFileAtomically(target, contents).empty())
                    ::_exit(1);
            ::_exit(0);
        }
        children.push_back(pid);
    }
    for (int i = 0; i < 100; ++i) { // every read sees one writer's whole file
        std::string text;
        try {
            text = readTextFile(target);
        } catch (const RecordError &) {
            continue; // not written yet
        }
        REQUIRE(!text.empty());
        CHECK_EQ(text.size(), std::size_t(200000 + (text[0] - 'a')));
        CHECK_EQ(text.find_first_not_of(text[0]), std::string::npos);
    }
    for (pid_t pid : children) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    }
    CHECK((namesIn(dir) == std::set<std::string>{"shared.json"})); // no temporary file left
}

TEST_CASE("same save target through links and spellings")
{
    const std::string dir = tempDir();
    {
        std::ofstream(dir + "/a.json") << "a";
    }
    REQUIRE(::symlink("a.json", (dir + "/link.json").c_str()) == 0);
    REQUIRE(::link((dir + "/a.json").c_str(), (dir + "/hard.json").c_str()) == 0);
    REQUIRE(::mkdir((dir + "/sub").c_str(), 0755) == 0);
    CHECK(sameSaveTarget(dir + "/a.json", dir + "/link.json"));
    CHECK(sameSaveTarget(dir + "/a.json", dir + "/hard.json"));
    CHECK(sameSaveTarget(dir + "/a.json", dir + "/sub/../a.json"));
    CHECK(sameSaveTarget(dir + "/new.json", dir + "/./new.json")); // neither is there yet
    CHECK(sameSaveTarget(dir + "/new.json", dir + "/sub/../new.json"));
    CHECK(!sameSaveTarget(dir + "/a.json", dir + "/new.json"));
    CHECK(!sameSaveTarget(dir + "/new.json", dir + "/sub/new.json"));
}

TEST_CASE("reading refuses fifos devices folders and oversized files at once")
{
    const std::string dir = tempDir();
    REQUIRE(::mkfifo((dir + "/fifo.json").c_str(), 0644) == 0);
    REQUIRE(::symlink("/dev/zero", (dir + "/zero.json").c_str()) == 0);
    const auto start = std::chrono::steady_clock::now();
    CHECK_THROWS_CONTAINING(readTextFile(dir + "/fifo.json"), RecordError, "fifo.json: it is a named pipe (FIFO)");
    CHECK_THROWS_CONTAINING(readTextFile(dir + "/zero.json"), RecordError, "character device");
    CHECK_THROWS_CONTAINING(readTextFile(dir), RecordError, "it is a folder");
    CHECK_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 2.0);
    {
        std::ofstream(dir + "/big.json") << std::string(2000, ' ');
    }
    CHECK_THROWS_CONTAINING(readTextFile(dir + "/big.json", 1000), RecordError, "larger than");
    CHECK_EQ(readTextFile(dir + "/big.json", 2000).size(), 2000u);
}

// A record's values as the charts would draw them: anything out of range is refused with the field named.
TEST_CASE("out of range values in a record are refused with the field named")
{
    const std::string good = toJson(sampleRecord());
    const auto with = [&](const std::string &from, const std::string &to) {
        std::string text = good;
        const auto at = text.find(from);
        REQUIRE(at != std::string::npos);
        return text.replace(at, from.size(), to);
    };
    CHECK_THROWS_CONTAINING(runRecordFromJson(with("\"test_accuracy\": 0.69", "\"test_accuracy\": 1e308")), RecordError,
                            "epochs[0].test_accuracy is 1e+308; an accuracy is a fraction from 0 to 1");
    CHECK_THROWS_CONTAINING(runRecordFromJson(with("\"val_accuracy\": 0.7", "\"val_accuracy\": -5")), RecordError,
                            "epochs[0].val_accuracy is -5");
    CHECK_THROWS_CONTAINING(runRecordFromJson(with("\"epoch\": 1,", "\"epoch\": -1,")), RecordError,
                            "epochs[0].epoch is -1");
    CHECK_THROWS_CONTAINING(runRecordFromJson(with("\"epoch\": 1,", "\"epoch\": 2147483648,")), RecordError,
                            "\"epoch\" is 2147483648");
    CHECK_THROWS_CONTAINING(runRecordFromJson(with("\"epochs\": 10,", "\"epochs\": 2147483648,")), RecordError,
                            "\"epochs\": '2147483648' is not allowed; give a whole number from 1 to 100000");
    CHECK_THROWS_CONTAINING(runRecordFromJson(with("\"train_loss\": 1.5", "\"train_loss\": -1")), RecordError,
                            "epochs[0].train_loss is -1");
    CHECK_THROWS_CONTAINING(runRecordFromJson(with("\"predicted\": 5", "\"predicted\": 12")), RecordError,
                            "last_predictions.digits[0].predicted is 12");
    // Epochs that go back.
    RunRecord reversed = sampleRecord();
    reversed.epochs.push_back(reversed.epochs.front());
    reversed.epochs.front().epoch = 2;
    CHECK_THROWS_CONTAINING(runRecordFromJson(toJson(reversed)), RecordError,
                            "epochs[1].epoch is 1; it follows epoch 2");
    RunRecord steps = sampleRecord();
    steps.steps[1].step = 1;
    CHECK_THROWS_CONTAINING(runRecordFromJson(toJson(steps)), RecordError, "steps[1].step is 1");
    // A diverged run's null values are not out of range.
    CHECK(std::isnan(runRecordFromJson(good).steps[1].loss));
}

// Any bytes in a path round-trip: JSON holds only UTF-8, so other names also travel in hexadecimal.
TEST_CASE("paths that are not utf-8 round trip through a record")
{
    RunRecord r = sampleRecord();
    r.config.data = std::string("/tmp/data-\xff\xfe-\xc3\xa9");
    r.dataName = r.config.data;
    r.message = "cannot read " + r.config.data;
    r.versions["recovered_from"] = "/tmp/\x80journal.jsonl";
    std::string json;
    REQUIRE_NOTHROW(json = toJson(r));
    CHECK(json.find("\"data_hex\"") != std::string::npos);
    const RunRecord back = runRecordFromJson(json);
    CHECK_EQ(back.config.data, r.config.data);
    CHECK_EQ(back.dataName, r.dataName);
    CHECK_EQ(back.message, r.message);
    CHECK_EQ(back.versions.at("recovered_from"), r.versions.at("recovered_from"));
    CHECK_EQ(back.versions.count("recovered_from_hex"), 0u);
    CHECK_EQ(toJson(back), json);
    // Valid UTF-8 (an accent) is written as it is, with no hexadecimal twin.
    r.config.data = "/tmp/caf\xc3\xa9";
    CHECK(toJson(r).find("data_hex") == std::string::npos);
}

// Legends name runs by what differs: every differing setting when up to three do; past three, each run by where it
// departs from the others (runs that share the first three differing settings stay apart).
TEST_CASE("config differences tell runs apart")
{
    TrainConfig a, lr = a, drop = a, many = a;
    lr.learningRate = 0.02;
    drop.dropout = {0.1, 0.2};
    CHECK_EQ(configDifferences({a, lr}), std::vector<std::string>{"lr 0.01", "lr 0.02"});
    CHECK_EQ(configDifferences({a, a}), std::vector<std::string>{"", ""});
    many.optimizer = Optimizer::Adam;
    many.learningRate = 0.001;
    many.l1 = 0.001;
    many.l2 = 0.01;
    const std::vector<std::string> names = configDifferences({a, lr, drop, many});
    CHECK_EQ(names[1], "lr 0.02");
    CHECK_EQ(names[2], "dropout 0.1/0.2");
    CHECK_NE(names[0], names[2]);
    CHECK_EQ(std::set<std::string>(names.begin(), names.end()).size(), 4u);
}

// A run's last weights beside its record (RUN.weights): read back exactly, and every damaged, foreign or hostile
// file refused with what is wrong said, before anything is allocated for the sizes it claims.
namespace {
WeightSnapshot weightsSample()
{
    WeightSnapshot s;
    s.epoch = 7;
    s.step = 1400;
    s.layers.push_back({"fc1", 3, 784, {}});
    for (int i = 0; i < 3 * 784; ++i)
        s.layers.back().weights.push_back(i % 5 == 0 ? 0.0f : float(i) * -1e-4f);
    s.layers.back().weights[5] = std::numeric_limits<float>::quiet_NaN(); // a diverged run's, kept as it was
    s.layers.push_back({"fc2", 2, 3, {1.5f, -0.25f, 1e-30f, 0.0f, -0.0f, 3.0f}});
    return s;
}

std::string slurpFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The bytes with the little-endian u32 at `at` replaced.
std::string withU32(std::string bytes, std::size_t at, std::uint32_t v)
{
    std::string le;
    for (int i = 0; i < 4; ++i)
        le += char((v >> (8 * i)) & 0xFF);
    return bytes.replace(at, 4, le);
}
} // namespace

TEST_CASE("a weights file round trips its snapshot bit for bit")
{
    CHECK_EQ(weightsPathFor("/a/run.json"), "/a/run.weights");
    CHECK_EQ(weightsPathFor("/a/run.rec"), "/a/run.rec.weights");
    CHECK_EQ(weightsPathFor(".json"), ".json.weights");
    RunRecord r = sampleRecord();
    r.startedAt = "2026-01-02T03:04:05Z";
    r.config.seed = 42;
    const std::string dir = tempDir();
    const std::string path = dir + "/run.weights";
    const WeightSnapshot s = weightsSample();
    REQUIRE_EQ(writeWeightsFile(path, s, weightsRunKey(r)), "");
    const WeightSnapshot back = readWeightsFile(path, weightsRunKey(r));
    CHECK_EQ(back.epoch, 7);
    CHECK_EQ(back.step, 1400);
    REQUIRE_EQ(back.layers.size(), 2u);
    for (std::size_t l = 0; l < 2; ++l) {
        CHECK_EQ(back.layers[l].name, s.layers[l].name);
        CHECK_EQ(back.layers[l].rows, s.layers[l].rows);
        CHECK_EQ(back.layers[l].cols, s.layers[l].cols);
        REQUIRE_EQ(back.layers[l].weights.size(), s.layers[l].weights.size());
        CHECK_EQ(std::memcmp(back.layers[l].weights.data(), s.layers[l].weights.data(), s.layers[l].weights.size() * 4), 0);
    }
    // 3 x 784 + 6 weights and a header of a few dozen bytes.
    CHECK_LT(slurpFile(path).size(), (3 * 784 + 6) * 4 + 100);

    // Another run's weights left beside this record are refused, not shown as this run's.
    RunRecord other = r;
    other.config.seed = 43;
    CHECK_THROWS_CONTAINING(readWeightsFile(path, weightsRunKey(other)), RecordError, "weights of another run");
}

TEST_CASE("damaged or hostile weights files are refused with what is wrong")
{
    const std::string good = weightsFileBytes(weightsSample(), "key");
    std::string key;
    CHECK_NOTHROW(weightsFromBytes(good, key));
    CHECK_EQ(key, "key");
    // Offsets: the mark (8), the version (4), the key's length (4) and "key" (3), epoch (4), step (8), layers (4),
    // then fc1's name length (4), "fc1" (3), rows (4), cols (4).
    const std::size_t version = 8, layers = 8 + 4 + 4 + 3 + 4 + 8, rows = layers + 4 + 4 + 3, cols = rows + 4;
    CHECK_THROWS_CONTAINING(weightsFromBytes("", key), RecordError, "not a RegLab weights file");
    CHECK_THROWS_CONTAINING(weightsFromBytes("{\"format\": \"reglab-run\"}", key), RecordError,
                            "not a RegLab weights file");
    CHECK_THROWS_CONTAINING(weightsFromBytes(withU32(good, version, 9), key), RecordError, "weights format 9");
    // Cut anywhere: in the header or in the weights.
    for (std::size_t cut : {std::size_t(10), layers + 2, rows + 1, good.size() / 2, good.size() - 1})
        CHECK_THROWS_CONTAINING(weightsFromBytes(good.substr(0, cut), key), RecordError, "truncated");
    CHECK_THROWS_CONTAINING(weightsFromBytes(good + "x", key), RecordError, "wrong size");
    // Sizes that do not match the bytes, or are beyond every cap, refused before anything is allocated for them.
    CHECK_THROWS_CONTAINING(weightsFromBytes(withU32(good, rows, 4), key), RecordError, "truncated");
    CHECK_THROWS_CONTAINING(weightsFromBytes(withU32(good, rows, 2), key), RecordError, "wrong size");
    CHECK_THROWS_CONTAINING(weightsFromBytes(withU32(good, rows, 0), key), RecordError, "each side must be");
    CHECK_THROWS_CONTAINING(weightsFromBytes(withU32(good, cols, 0xFFFFFFFFu), key), RecordError,
                            "each side must be");
    CHECK_THROWS_CONTAINING(weightsFromBytes(withU32(withU32(good, rows, 1 << 20), cols, 1 << 20), key),
                            RecordError, "more than the 33554432 weights");
    CHECK_THROWS_CONTAINING(weightsFromBytes(withU32(good, layers, 1000000), key), RecordError, "1000000 layers");
    CHECK_THROWS_CONTAINING(weightsFromBytes(withU32(good, 8 + 4, 0x7FFFFFFF), key), RecordError,
                            "the run's key is 2147483647 bytes long");
    // The reader names the file.
    const std::string dir = tempDir();
    std::ofstream(dir + "/bad.weights", std::ios::binary) << good.substr(0, good.size() - 3);
    CHECK_THROWS_CONTAINING(readWeightsFile(dir + "/bad.weights", "key"), RecordError, dir + "/bad.weights: truncated");
    CHECK_THROWS_CONTAINING(readWeightsFile(dir + "/none.weights", "key"), RecordError, "cannot open");
}

TEST_CASE("a weights file keeps the layers within its caps")
{
    WeightSnapshot s = weightsSample();
    s.layers.push_back({"broken", 2, 2, {1.0f}}); // fewer weights than its shape: left out, not written torn
    s.layers.push_back({"fc3", 1, 2, {0.5f, -0.5f}});
    std::string key;
    const WeightSnapshot back = weightsFromBytes(weightsFileBytes(s, "k"), key);
    REQUIRE_EQ(back.layers.size(), 3u);
    CHECK_EQ(back.layers[2].name, "fc3");
    CHECK_EQ(back.layers[2].weights, std::vector<float>{0.5f, -0.5f});
}
