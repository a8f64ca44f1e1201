// Folds, configuration checks, the thread-safe control, and the run record's JSON and CSV.
#include "model/config.h"
#include "model/control.h"
#include "model/folds.h"
#include "model/runrecord.h"
#include "testing.h"

#include <cmath>
#include <set>
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

TEST_CASE("control hands over changes once")
{
    TrainControl control;
    TrainControl::Changes changes;
    CHECK(!control.takeChanges(changes));
    control.setL1(0.5);
    control.setLearningRate(0.1);
    REQUIRE(control.takeChanges(changes));
    CHECK((changes.l1 && *changes.l1 == 0.5));
    CHECK(!changes.l2);
    CHECK(!changes.dropout);
    CHECK((changes.learningRate && *changes.learningRate == 0.1));
    CHECK(!control.takeChanges(changes));
    control.setDropout({0.5, 0.25});
    REQUIRE(control.takeChanges(changes));
    CHECK((changes.dropout && *changes.dropout == std::vector<double>{0.5, 0.25}));
    CHECK(!changes.l1);
}

TEST_CASE("control pause blocks until resume or stop")
{
    TrainControl control;
    control.pause();
    bool result = true;
    std::thread waiter([&] { result = control.waitWhilePaused(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    control.resume();
    waiter.join();
    CHECK(result);
    control.pause();
    std::thread stopped([&] { result = control.waitWhilePaused(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    control.requestStop();
    stopped.join();
    CHECK(!result);
    control.reset();
    CHECK(!control.stopRequested());
    CHECK(!control.isPaused());
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
    r.settingChanges.push_back({61, 0.1, 0.0, 0.01, {}});
    r.settingChanges.push_back({90, 0.1, 0.0, 0.01, {0.5}});
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
                            "\"lambda_changes\"",
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
    CHECK(back.settingChanges[0].dropout.empty());
    CHECK(back.settingChanges[1].dropout == std::vector<double>{0.5});
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
    CHECK_THROWS_CONTAINING(runRecordFromJson("{\"config\": {\"epochs\": \"ten\"}, \"status\": \"finished\"}"), RecordError,
                      "epochs");
    CHECK_THROWS_CONTAINING(runRecordFromJson("{\"config\": {}, \"status\": \"finished\", \"epochs\": [3]}"), RecordError,
                      "epochs");
    // Found by fuzzing (tests/fuzz/regressions): numbers too large for their field were cast, undefined behaviour.
    CHECK_THROWS_CONTAINING(runRecordFromJson(readTextFile(std::string(REGLAB_SOURCE_DIR_FOR_TESTS) +
                                                     "/tests/fuzz/regressions/fuzz_runrecord-hidden-out-of-range")),
                      RecordError, "\"hidden\" holds a value out of range");
    CHECK_THROWS_CONTAINING(runRecordFromJson(readTextFile(std::string(REGLAB_SOURCE_DIR_FOR_TESTS) +
                                                     "/tests/fuzz/regressions/fuzz_runrecord-count-out-of-range")),
                      RecordError, "\"counts\" holds a value out of range");
}

TEST_CASE("epoch csv has a header and a row per epoch")
{
    const std::string csv = epochsCsv(sampleRecord());
    CHECK(
        csv.rfind("epoch,fold,step,train_loss,val_loss,val_accuracy,test_loss,test_accuracy,train_seconds,eval_seconds,"
                  "fc1_small_fraction,fc1_zero_fraction,fc1_l1_norm,fc1_l2_norm,fc2_small_fraction",
                  0) == 0);
    CHECK(csv.find("\n1,0,160,1.5,1.2,0.7,1.25,0.69,0.1,0.02,0.25,0.125,100.5,8.25,0.5,0,20,3\n") != std::string::npos);
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
    REQUIRE(r.settingChanges.size() == 1u);
    CHECK_EQ(r.settingChanges[0].l1, 0.001);
    CHECK(r.settingChanges[0].dropout.empty());
    CHECK_THROWS_CONTAINING(runRecordFromJson(R"({"status": "finished", "config": {"optimizer": "lbfgs"}})"),
                            RecordError, "\"optimizer\" must be sgd, adam or adamw");
    CHECK_THROWS_CONTAINING(runRecordFromJson(R"({"status": "finished", "config": {"nesterov": "yes"}})"), RecordError,
                            "\"nesterov\" is not true or false");
    CHECK_THROWS_CONTAINING(runRecordFromJson(R"({"status": "finished", "config": {"l1_method": "ista"}})"),
                            RecordError, "\"l1_method\" must be subgradient or proximal");
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
