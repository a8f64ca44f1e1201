// Presets: the bundled files parse and validate, a broken one is refused with a reason, and the forum preset
// reproduces the thread's finding on the sample, as the Adam, L1-zeros and dropout presets do theirs at a small size.
#include "model/dataset.h"
#include "model/preset.h"
#include "model/trainer.h"
#include "testing.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <cmath>
#include <cstdlib>

using namespace reglab;

TEST_CASE("bundled presets parse")
{
    const std::string dir = bundledPresetDir();
    REQUIRE(!dir.empty());
    const auto files = presetFiles(dir);
    CHECK_GE(files.size(), 7u);
    TrainConfig base;
    base.data = "fashion"; // the caller's data source survives the preset
    for (const auto &file : files) {
        const Preset p = parsePreset(readTextFile(file), base);
        CHECK(!p.name.empty());
        CHECK(!p.description.empty());
        CHECK(!p.runs.empty());
        for (const auto &run : p.runs) {
            CHECK(!run.label.empty());
            CHECK_EQ(run.config.data, std::string("fashion"));
            CHECK(validate(run.config).empty());
        }
    }
}

TEST_CASE("forum preset holds the thread")
{
    const Preset p = parsePreset(readTextFile(bundledPresetDir() + "/1-forum-thread.json"));
    CHECK_EQ(p.name, std::string("The forum thread"));
    REQUIRE(p.runs.size() == 6u);
    CHECK_EQ(p.runs[2].config.l1, 0.01);
    CHECK(p.runs[2].config.l1Scope == L1Scope::All);
    CHECK(p.runs[4].config.l1Scope == L1Scope::Weights);
    CHECK_EQ(p.runs[1].config.l2, 0.01);
    CHECK_EQ(p.runs[5].config.batchSize, 500);
    CHECK(p.runs[5].optional);
    CHECK(!p.runs[0].optional);
}

TEST_CASE("broken presets are refused with a reason")
{
    CHECK_THROWS_CONTAINING(parsePreset("{"), RecordError, "not valid JSON");
    CHECK_THROWS_CONTAINING(parsePreset("{\"name\": \"x\", \"runs\": []}"), RecordError, "not a RegLab preset");
    CHECK_THROWS_CONTAINING(parsePreset("{\"format\": \"reglab-preset\", \"name\": \"x\", \"runs\": []}"), RecordError,
                            "\"runs\" is empty");
    CHECK_THROWS_CONTAINING(
        parsePreset("{\"format\": \"reglab-preset\", \"name\": \"x\", \"runs\": [{\"l1\": \"lots\"}]}"), RecordError,
        "x, run 1: \"l1\" is not a number");
    CHECK_THROWS_CONTAINING(
        parsePreset("{\"format\": \"reglab-preset\", \"name\": \"x\", \"runs\": [{}, {\"batch_size\": 0}]}"),
        RecordError, "x, run 2");
}

// A preset file is read only when it is a regular file of a sane size: a FIFO once hung the dashboard at start-up
// for ever, and a preset linked to /dev/zero read without end.
TEST_CASE("preset files that are not regular files or are too large are refused at once")
{
    char pattern[] = "/tmp/reglab-presets-XXXXXX";
    const std::string dir = ::mkdtemp(pattern);
    REQUIRE(::mkfifo((dir + "/fifo.json").c_str(), 0644) == 0);
    REQUIRE(::symlink("/dev/zero", (dir + "/zero.json").c_str()) == 0);
    {
        std::ofstream(dir + "/huge.json") << std::string(kMaxPresetBytes + 1, ' ');
    }
    const auto start = std::chrono::steady_clock::now();
    CHECK_THROWS_CONTAINING(loadPreset(dir + "/fifo.json"), RecordError, dir + "/fifo.json: it is a named pipe");
    CHECK_THROWS_CONTAINING(loadPreset(dir + "/zero.json"), RecordError, "character device");
    CHECK_THROWS_CONTAINING(loadPreset(dir + "/huge.json"), RecordError, "larger than the 1.0 MB");
    CHECK_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 2.0);
    {
        std::ofstream(dir + "/broken.json") << "{";
    }
    CHECK_THROWS_CONTAINING(loadPreset(dir + "/broken.json"), RecordError, dir + "/broken.json: not valid JSON");
    CHECK_EQ(presetFiles(dir).size(), 4u); // listed, so the dashboard can say why each is skipped
    CHECK_EQ(loadPreset(bundledPresetDir() + "/1-forum-thread.json").name, std::string("The forum thread"));
}

// The acceptance check of the forum preset, and the forum's finding: on the sample, the runs end in the thread's
// order, L1 0.01 on all parameters lowest (at chance, its weights driven to ~0), the unregularized, L2 and L1
// 0.001 runs well above it.
TEST_CASE("forum preset runs end in the expected order")
{
    const auto data = Dataset::load(resolveDataSource("sample"));
    TrainConfig base;
    base.device = "cpu";
    const Preset p = parsePreset(readTextFile(bundledPresetDir() + "/1-forum-thread.json"), base);
    std::vector<double> accuracy;
    std::vector<RunRecord> records;
    TrainControl control;
    for (const auto &run : p.runs) {
        if (run.optional)
            continue;
        records.push_back(train(run.config, control, nullptr, data));
        REQUIRE(records.back().status == RunStatus::Finished);
        accuracy.push_back(records.back().epochs.back().testAccuracy);
        std::printf("%-28s test accuracy %.4f\n", run.label.c_str(), accuracy.back());
    }
    REQUIRE(accuracy.size() == 5u);
    // Why L1 0.01 fails: its term dwarfs the data loss from the first step, and it drives the weights to ~0.
    const RunRecord &strongRun = records[2];
    CHECK_EQ(strongRun.config.l1, 0.01);
    CHECK_GT(strongRun.steps.front().l1Term, 10 * strongRun.steps.front().dataLoss);
    CHECK_GT(strongRun.epochs.back().layers[0].smallFraction, 0.95);
    const double none = accuracy[0], l2 = accuracy[1], strong = accuracy[2], mild = accuracy[3], weights = accuracy[4];
    CHECK_EQ(strong, *std::min_element(accuracy.begin(), accuracy.end()));
    CHECK_LT(strong, 0.2);
    CHECK_GT(none, 0.85);
    CHECK_GT(l2, 0.85);
    CHECK_GT(mild, 0.8);
    CHECK_GT(mild, strong + 0.5);
    CHECK_LE(weights, mild);
}

// The window starts a preset from its own settings (the data source, the device); now that the controls hold the
// optimizer and the network too, each bundled preset pins the ones it teaches with, so its lesson does not change
// with what was last chosen in the window.
TEST_CASE("bundled presets pin their optimizer and network")
{
    TrainConfig other;
    other.optimizer = Optimizer::AdamW;
    other.momentum = 0.9;
    other.nesterov = true;
    other.adamBeta1 = 0.5;
    other.adamBeta2 = 0.9;
    other.adamEps = 1e-3;
    other.l1Method = L1Method::Proximal;
    other.hidden = {10};
    other.dropout = {0.9};
    other.leakySlope = 0.5;
    other.trainSize = 100;
    other.labelNoise = 0.5;
    other.validation = Validation::Holdout;
    other.earlyStop = 2;
    other.labelSmoothing = 0.3;
    other.inputNoise = 1;
    other.shift = 3;
    other.maxNorm = 0.5;
    for (const auto &file : presetFiles(bundledPresetDir())) {
        const Preset a = parsePreset(readTextFile(file)), b = parsePreset(readTextFile(file), other);
        REQUIRE(a.runs.size() == b.runs.size());
        for (std::size_t i = 0; i < a.runs.size(); ++i) {
            CAPTURE(a.runs[i].label);
            const TrainConfig &x = a.runs[i].config, &y = b.runs[i].config;
            CHECK(x.optimizer == y.optimizer);
            if (x.optimizer == Optimizer::Sgd) {
                CHECK_EQ(x.momentum, y.momentum);
                CHECK_EQ(x.nesterov, y.nesterov);
            } else {
                CHECK_EQ(x.adamBeta1, y.adamBeta1);
                CHECK_EQ(x.adamBeta2, y.adamBeta2);
                CHECK_EQ(x.adamEps, y.adamEps);
            }
            CHECK(x.l1Method == y.l1Method);
            CHECK(x.hidden == y.hidden);
            CHECK(x.dropout == y.dropout);
            CHECK_EQ(x.leakySlope, y.leakySlope);
            // The overfitting lab's settings: a lesson never inherits a cure or a noisy subset.
            for (const char *key : {"train_size", "label_noise", "validation", "early_stop", "label_smoothing",
                                    "input_noise", "shift", "max_norm"})
                CHECK_EQ(field(key).get(x), field(key).get(y));
        }
    }
}

namespace {

// The preset's runs, trained on the sample at a small size (the device from REGLAB_TEST_DEVICE).
std::vector<RunRecord> runPreset(const std::string &file, int epochs)
{
    static const auto data = Dataset::load(resolveDataSource("sample"));
    TrainConfig base;
    const char *env = std::getenv("REGLAB_TEST_DEVICE");
    base.device = env && *env ? env : "cpu";
    const Preset p = parsePreset(readTextFile(bundledPresetDir() + "/" + file), base);
    std::vector<RunRecord> records;
    TrainControl control;
    for (const auto &run : p.runs) {
        TrainConfig c = run.config;
        c.epochs = epochs;
        records.push_back(train(c, control, nullptr, data));
        REQUIRE(records.back().status == RunStatus::Finished);
        const EpochRecord &e = records.back().epochs.back();
        std::printf("%-48s test %.4f  val %.4f  train loss %.4f  val loss %.4f  fc1 zero %.4f  fc1 |w|<1e-3 %.4f  "
                    "fc1 L2 %.3f  fc1 L1 %.1f\n",
                    run.label.c_str(), e.testAccuracy, e.valAccuracy, e.trainLoss, e.valLoss, e.layers[0].zeroFraction,
                    e.layers[0].smallFraction, e.layers[0].l2Norm, e.layers[0].l1Norm);
    }
    return records;
}

double relative(double a, double b)
{
    return std::fabs(a - b) / std::fabs(b);
}

} // namespace

// Adam's weight decay is its explicit penalty (the same run); AdamW's decay is another run, with larger weights
// here: the decoupled decay shrinks by lr * lambda2 * w a step, where Adam's normalized penalty moves a weight that
// the data hardly pulls on by up to lr.
TEST_CASE("adam preset: decay equals penalty, adamw differs")
{
    const auto r = runPreset("5-adam-decay-vs-penalty.json", 2);
    REQUIRE(r.size() == 5u);
    const EpochRecord &penalty = r[0].epochs.back(), &decay = r[1].epochs.back(), &adamw = r[2].epochs.back();
    CHECK_LT(relative(decay.testLoss, penalty.testLoss), 1e-5);
    for (std::size_t i = 0; i < decay.layers.size(); ++i)
        CHECK_LT(relative(decay.layers[i].l2Norm, penalty.layers[i].l2Norm), 1e-5);
    CHECK_GT(relative(adamw.layers[0].l2Norm, decay.layers[0].l2Norm), 0.1);
    CHECK_GT(adamw.layers[0].l2Norm, decay.layers[0].l2Norm);
    CHECK_GT(adamw.testAccuracy, 0.8);
    CHECK_GT(decay.testAccuracy, 0.8);
    // AdamW with L2 as a penalty is Adam with it: nothing decays outside the gradient.
    CHECK_EQ(r[4].epochs.back().testLoss, penalty.testLoss);
}

// At the same lambda1 the subgradient leaves no weight exactly zero, the proximal step many.
TEST_CASE("l1 zeros preset: proximal makes exact zeros, the subgradient none")
{
    const auto r = runPreset("6-l1-zeros.json", 2);
    REQUIRE(r.size() == 2u);
    const EpochRecord &subgradient = r[0].epochs.back(), &proximal = r[1].epochs.back();
    CHECK_LT(subgradient.layers[0].zeroFraction, 0.001);
    CHECK_GT(proximal.layers[0].zeroFraction, 0.02);
    CHECK_GT(proximal.layers[0].zeroFraction, 100 * subgradient.layers[0].zeroFraction);
    CHECK_GT(proximal.testAccuracy, 0.8); // sparse, and still a working network
}

// Dropout narrows the generalization gap: the test loss minus the training loss (which is measured with dropout
// on), and lowers the test loss of a network that fits its training images as quickly as Adam's does.
TEST_CASE("dropout preset: more dropout, smaller generalization gap")
{
    const auto r = runPreset("7-dropout.json", 2);
    REQUIRE(r.size() == 3u);
    auto gap = [](const RunRecord &rec) { return rec.epochs.back().testLoss - rec.epochs.back().trainLoss; };
    std::printf("generalization gap (test - training loss): %.4f, %.4f, %.4f\n", gap(r[0]), gap(r[1]), gap(r[2]));
    CHECK_GT(gap(r[0]), gap(r[1]));
    CHECK_GT(gap(r[1]), gap(r[2]));
    for (const auto &rec : r)
        CHECK_GT(rec.epochs.back().testAccuracy, 0.85);
}
