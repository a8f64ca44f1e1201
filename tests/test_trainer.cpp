// The trainer end to end on the bundled sample: lambda changes, pause and stop, divergence
// and reproducibility (the forum's finding is test_presets' acceptance check of its preset).
#include "model/blaspool.h"
#include "model/dataset.h"
#include "model/idx.h"
#include "model/runtime.h"
#include "model/trainer.h"
#include "testing.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <new>
#include <stdexcept>
#include <thread>

using namespace reglab;

namespace {

std::shared_ptr<const Dataset> sample()
{
    static std::shared_ptr<const Dataset> data = Dataset::load(resolveDataSource("sample"));
    return data;
}

TrainConfig quickConfig(int epochs = 1)
{
    TrainConfig c;
    c.epochs = epochs;
    const char *env = std::getenv("REGLAB_TEST_DEVICE");
    c.device = env && *env ? env : "cpu";
    return c;
}

// An observer whose step callback can act on the control, as a GUI would.
struct Hooks : TrainObserver {
    std::function<void(const StepRecord &)> step;
    std::vector<StepRecord> steps;
    std::vector<EpochRecord> epochs;
    std::vector<SettingChange> changes;
    int predictions = 0;
    std::vector<WeightSnapshot> snapshots;
    std::vector<GradientBalance> balances;
    std::vector<ValidationDetail> details;
    bool started = false, finished = false;
    RunInfo info;
    void onEvent(const TrainEvent &event) override
    {
        std::visit(Overloaded{[this](const RunInfo &i) {
                                  started = true;
                                  info = i;
                              },
                              [this](const StepRecord &s) {
                                  steps.push_back(s);
                                  if (step)
                                      step(s);
                              },
                              [this](const SettingChange &c) { changes.push_back(c); },
                              [this](const EpochRecord &e) { epochs.push_back(e); },
                              [this](const Predictions &p) { predictions += p.digits.empty() ? 0 : 1; },
                              [this](const RunRecord &) { finished = true; },
                              [this](const WeightSnapshot &w) { snapshots.push_back(w); },
                              [this](const GradientBalance &b) { balances.push_back(b); },
                              [this](const ValidationDetail &d) { details.push_back(d); }, [](const Progress &) {},
                              [](const EarlyStop &) {}},
                   event);
    }
};

} // namespace

TEST_CASE("one epoch reports everything")
{
    TrainControl control;
    Hooks hooks;
    const RunRecord r = train(quickConfig(), control, &hooks, sample());
    CHECK(r.status == RunStatus::Finished);
    CHECK((hooks.started && hooks.finished));
    CHECK_EQ(hooks.info.stepsPerEpoch, 160); // 8,000 training images of fold 1, batch 50
    CHECK_EQ(hooks.info.panelPixels.size(), 16u);
    REQUIRE(r.epochs.size() == 1u);
    CHECK_EQ(r.epochs[0].step, 160);
    CHECK_EQ(r.epochs[0].layers.size(), 3u);
    CHECK_GT(r.epochs[0].layers[0].l2Norm, 0.0);
    CHECK_GT(r.epochs[0].testAccuracy, 0.5);
    // Steps 1, 60, 120: the forum's logging interval, plus the first step.
    REQUIRE(r.steps.size() == 3u);
    CHECK_EQ(r.steps[0].step, 1);
    CHECK_EQ(r.steps[1].step, 60);
    CHECK_EQ(hooks.predictions, 1);
    REQUIRE(r.lastPredictions.has_value());
    // The panel covers every class, and the reported labels match the images handed out at the start.
    for (int c = 0; c < 10; ++c)
        CHECK_EQ(hooks.info.panelLabels[static_cast<std::size_t>(c)], c);
    CHECK_EQ(r.lastPredictions->digits[3].label, hooks.info.panelLabels[3]);
}

// What the network views are built from: copies of the weights with histograms, the gradient balance at each
// logging point, and the validation fold's confusion matrix with misclassified digits.
TEST_CASE("network views get copies of weights gradients and errors")
{
    TrainControl control;
    TrainConfig c = quickConfig(2);
    c.l1 = 0.01;
    Hooks hooks;
    const RunRecord r = train(c, control, &hooks, sample());
    REQUIRE(r.status == RunStatus::Finished);

    REQUIRE(hooks.snapshots.size() == 2u); // one per evaluation
    const WeightSnapshot &w = hooks.snapshots.back();
    CHECK_EQ(w.epoch, 2);
    REQUIRE(w.layers.size() == 3u);
    CHECK_EQ(w.layers[0].rows, 200);
    CHECK_EQ(w.layers[0].cols, 784);
    CHECK_EQ(w.layers[0].weights.size(), 200u * 784u);
    REQUIRE(w.histograms.size() == 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        const WeightHistogram &h = w.histograms[i];
        std::int64_t total = h.below + h.above;
        for (auto n : h.counts)
            total += n;
        CHECK_EQ(total, static_cast<std::int64_t>(w.layers[i].weights.size()));
        CHECK_EQ(h.counts.size(), static_cast<std::size_t>(kHistogramBins));
    }
    CHECK_EQ(r.weightHistograms.size(), 3u);
    // Under L1 0.01 the first layer's weights pile up in the bins around zero.
    const auto &fc1 = w.histograms[0].counts;
    const std::int64_t middle = fc1[kHistogramBins / 2 - 1] + fc1[kHistogramBins / 2];
    CHECK_GT(middle, 200 * 784 / 2);

    // Gradient balance at each logging point: the L1 push is lambda1 on every non-zero weight, above the data's.
    REQUIRE(hooks.balances.size() == r.steps.size());
    const GradientBalance &first = hooks.balances.front();
    REQUIRE(first.layers.size() == 3u);
    CHECK_NEAR(first.layers[0].l1Push, 0.01, 1e-4);
    CHECK_EQ(first.layers[0].l2Push, 0.0);
    CHECK_GT(first.layers[0].dataGradient, 0.0);
    CHECK_LT(first.layers[0].dataGradient, first.layers[0].l1Push);

    // Confusion matrix on the validation fold (2,000 images of the sample), agreeing with the accuracy.
    REQUIRE(hooks.details.size() == 2u);
    const ValidationDetail &d = hooks.details.back();
    std::int64_t total = 0, diagonal = 0;
    for (int t = 0; t < 10; ++t)
        for (int p = 0; p < 10; ++p) {
            total += d.confusion[t][p];
            diagonal += t == p ? d.confusion[t][p] : 0;
        }
    CHECK_EQ(total, 2000);
    CHECK_NEAR(double(diagonal) / double(total), r.epochs.back().valAccuracy, 1e-9);
    CHECK(!d.misclassified.empty());
    CHECK_LE(d.misclassified.size(), static_cast<std::size_t>(kMaxMisses));
    const IdxImages raw = readIdxImages(resolveDataSource("sample").trainImages);
    for (const auto &miss : d.misclassified) {
        CHECK(miss.label != miss.predicted);
        CHECK(std::equal(miss.pixels.begin(), miss.pixels.end(),
                         raw.pixels.begin() + static_cast<std::ptrdiff_t>(miss.index) * 784));
    }
}

TEST_CASE("snapshot on demand while paused")
{
    TrainControl control;
    TrainConfig c = quickConfig(1);
    c.logEvery = 1;
    std::atomic<int> snapshots{0};
    struct Watch : TrainObserver {
        TrainControl *control;
        std::atomic<int> *snapshots;
        void onEvent(const TrainEvent &event) override
        {
            if (const auto *s = std::get_if<StepRecord>(&event); s && s->step == 20)
                control->pause();
            if (const auto *w = std::get_if<WeightSnapshot>(&event); w && w->step == 20)
                ++*snapshots;
        }
    } watch;
    watch.control = &control;
    watch.snapshots = &snapshots;
    RunRecord r;
    std::thread worker([&] { r = train(c, control, &watch, sample()); });
    while (!control.isPaused())
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    control.requestSnapshot();
    for (int i = 0; i < 500 && snapshots.load() == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    CHECK_EQ(snapshots.load(), 1); // sent while still paused, at step 20
    CHECK(control.isPaused());
    control.resume();
    worker.join();
    CHECK(r.status == RunStatus::Finished);
}

TEST_CASE("lambda change takes effect at the next step")
{
    TrainControl control;
    TrainConfig c = quickConfig();
    c.logEvery = 1;
    Hooks hooks;
    hooks.step = [&](const StepRecord &s) {
        if (s.step == 5) {
            control.set("l1", "0.05");
            control.set("learning_rate", "0.02");
        }
    };
    const RunRecord r = train(c, control, &hooks, sample());
    REQUIRE(r.steps.size() >= 7u);
    CHECK_EQ(r.steps[4].l1, 0.0);  // step 5 ran with the old value
    CHECK_EQ(r.steps[5].l1, 0.05); // step 6 with the new one
    CHECK_EQ(r.steps[5].learningRate, 0.02);
    CHECK_EQ(r.steps[4].l1Term, 0.0);
    CHECK_GT(r.steps[5].l1Term, 1.0); // 0.05 * sum|p| over ~200k small parameters
    REQUIRE(r.settingChanges.size() == 2u); // one event per setting, both at the step they took effect
    CHECK(r.settingChanges[0] == SettingChange{6, "l1", "0.05"});
    CHECK(r.settingChanges[1] == SettingChange{6, "learning_rate", "0.02"});
    CHECK(hooks.changes == r.settingChanges);
}

TEST_CASE("stop lands within one step and keeps history")
{
    TrainControl control;
    TrainConfig c = quickConfig(3);
    c.logEvery = 1;
    Hooks hooks;
    hooks.step = [&](const StepRecord &s) {
        if (s.step == 200)
            control.requestStop();
    };
    const RunRecord r = train(c, control, &hooks, sample());
    CHECK(r.status == RunStatus::Stopped);
    CHECK_EQ(r.steps.back().step, 200);
    CHECK_EQ(r.epochs.size(), 1u); // the finished epoch is kept
    CHECK(r.message.find("step 200") != std::string::npos);
}

TEST_CASE("pause holds training until resumed")
{
    TrainControl control;
    TrainConfig c = quickConfig(1);
    c.logEvery = 1;
    std::atomic<std::int64_t> lastStep{0};
    Hooks hooks;
    hooks.step = [&](const StepRecord &s) {
        lastStep = s.step;
        if (s.step == 10)
            control.pause(); // from the training thread's callback: the next step must not start
    };
    RunRecord r;
    std::thread worker([&] { r = train(c, control, &hooks, sample()); });
    while (!control.isPaused())
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    CHECK_EQ(lastStep.load(), 10);
    control.resume();
    worker.join();
    CHECK(r.status == RunStatus::Finished);
    CHECK_EQ(lastStep.load(), 160);
}

TEST_CASE("stop while paused ends the run")
{
    TrainControl control;
    TrainConfig c = quickConfig(2);
    Hooks hooks;
    hooks.step = [&](const StepRecord &s) {
        if (s.step == 60)
            control.pause();
    };
    RunRecord r;
    std::thread worker([&] { r = train(c, control, &hooks, sample()); });
    while (!control.isPaused())
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    control.requestStop();
    worker.join();
    CHECK(r.status == RunStatus::Stopped);
}

TEST_CASE("divergence ends as diverged naming the step")
{
    TrainControl control;
    TrainConfig c = quickConfig(2);
    c.learningRate = 1e3;
    const RunRecord r = train(c, control, nullptr, sample());
    CHECK(r.status == RunStatus::Diverged);
    CHECK(r.message.find("step") != std::string::npos);
    CHECK(r.message.find("lower the learning rate") != std::string::npos);
    CHECK(!r.steps.empty()); // what came before is kept
}

TEST_CASE("same seed same run different seed different run")
{
    TrainControl control;
    TrainConfig c = quickConfig(1);
    const RunRecord a = train(c, control, nullptr, sample());
    const RunRecord b = train(c, control, nullptr, sample());
    c.seed = 1;
    const RunRecord d = train(c, control, nullptr, sample());
    CHECK_EQ(a.epochs[0].testLoss, b.epochs[0].testLoss);
    CHECK_EQ(a.steps.back().dataLoss, b.steps.back().dataLoss);
    CHECK(a.epochs[0].testLoss != d.epochs[0].testLoss);
}

// Runs compared side by side differ only in what the user changed: with the same seed, a different lambda still
// starts from the same initial weights, the same dropout masks and the same batches.
TEST_CASE("same seed same start whatever the lambda")
{
    TrainControl control;
    TrainConfig c = quickConfig(1);
    c.logEvery = 1;
    const RunRecord plain = train(c, control, nullptr, sample());
    c.l1 = 0.01;
    c.l2 = 0.01;
    const RunRecord regularized = train(c, control, nullptr, sample());
    REQUIRE((plain.steps.size() > 2 && regularized.steps.size() > 2));
    CHECK_EQ(plain.steps[0].dataLoss, regularized.steps[0].dataLoss); // same weights, masks and batch
    CHECK(plain.steps[1].dataLoss != regularized.steps[1].dataLoss);  // the update differs from then on
}

TEST_CASE("weight decay and explicit penalty give the same run")
{
    TrainControl control;
    TrainConfig c = quickConfig(1);
    c.l2 = 0.01;
    const RunRecord decay = train(c, control, nullptr, sample());
    c.l2Mode = L2Mode::Penalty;
    const RunRecord penalty = train(c, control, nullptr, sample());
    const double a = decay.epochs[0].layers[0].l2Norm, b = penalty.epochs[0].layers[0].l2Norm;
    CHECK_LT(std::fabs(a - b) / a, 1e-5);
    CHECK_LT(std::fabs(decay.epochs[0].testLoss - penalty.epochs[0].testLoss) / decay.epochs[0].testLoss, 1e-5);
}

TEST_CASE("bad config and missing data fail with a message")
{
    TrainControl control;
    TrainConfig c = quickConfig();
    c.batchSize = 0;
    RunRecord r = train(c, control);
    CHECK(r.status == RunStatus::Failed);
    CHECK(r.errorKind == ErrorKind::Arguments);
    CHECK(r.message.find("batch_size: '0' is not allowed; give a whole number from 1 to 65536") != std::string::npos);
    c = quickConfig();
    c.data = "/no/such/folder";
    r = train(c, control);
    CHECK(r.status == RunStatus::Failed);
    CHECK(r.errorKind == ErrorKind::Data);
    CHECK(r.message.find("no such folder") != std::string::npos);
}

// A teacher's pace: at most N steps a second, changed or lifted mid-run, and a stop still lands at once.
TEST_CASE("pace holds the steps per second and lets a stop through")
{
    TrainControl control;
    TrainConfig c = quickConfig(1); // 160 steps
    control.setPace(400);
    auto start = std::chrono::steady_clock::now();
    RunRecord r = train(c, control, nullptr, sample());
    const double paced = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(r.status == RunStatus::Finished);
    CHECK_GE(paced, 160 / 400.0 * 0.95); // 0.4 s at least
    CHECK_EQ(control.pace(), 400.0);    // a setting: it stays for the next run

    // Lifted mid-run: the rest goes at full speed (paced, the run would take 32 s).
    Hooks hooks;
    control.setPace(5);
    hooks.step = [&](const StepRecord &s) {
        if (s.step == 1)
            control.setPace(0);
    };
    c.logEvery = 1;
    start = std::chrono::steady_clock::now();
    r = train(c, control, &hooks, sample());
    CHECK(r.status == RunStatus::Finished);
    CHECK_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 160 / 5.0 / 2);

    // A stop while waiting for the next paced step ends the run at once.
    control.setPace(1); // one step a second
    hooks.step = [&](const StepRecord &s) {
        if (s.step == 2)
            control.requestStop();
    };
    start = std::chrono::steady_clock::now();
    r = train(c, control, &hooks, sample());
    CHECK(r.status == RunStatus::Stopped);
    CHECK_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 2.5);
    control.setPace(0);
}

namespace {

// A data folder of `trainCount` training and 2 test images.
std::string tinyDataFolder(std::uint32_t trainCount)
{
    char pattern[] = "/tmp/reglab-tiny-XXXXXX";
    const std::string dir = ::mkdtemp(pattern);
    const auto put32 = [](std::ofstream &out, std::uint32_t x) {
        for (int shift : {24, 16, 8, 0})
            out.put(static_cast<char>(x >> shift));
    };
    const auto write = [&](const std::string &name, std::uint32_t magic, std::uint32_t count) {
        std::ofstream out(dir + "/" + name, std::ios::binary);
        put32(out, magic);
        put32(out, count);
        if (magic == 2051) {
            put32(out, 28);
            put32(out, 28);
        }
        out << std::string(count * (magic == 2051 ? 784 : 1), '\1');
    };
    write("train-images-idx3-ubyte", 2051, trainCount);
    write("train-labels-idx1-ubyte", 2049, trainCount);
    write("t10k-images-idx3-ubyte", 2051, 2);
    write("t10k-labels-idx1-ubyte", 2049, 2);
    return dir;
}

} // namespace

// Fewer training images than folds is the data's fault (status 3 in the CLI), with what to change.
TEST_CASE("too few training images for the folds is a data error with advice")
{
    TrainConfig c = quickConfig();
    TrainControl control;
    for (std::uint32_t count : {1u, 2u, 4u}) {
        CAPTURE(count);
        c.data = tinyDataFolder(count);
        const RunRecord r = train(c, control);
        CHECK(r.status == RunStatus::Failed);
        CHECK(r.errorKind == ErrorKind::Data);
        CHECK(r.message.find(std::to_string(count) + " training image(s) cannot make 5 folds") != std::string::npos);
        CHECK(r.message.find(
                  count >= 2 ? "use at most " + std::to_string(count) + " folds (--folds " + std::to_string(count) + ")"
                             : std::string("use a data set with more training images")) != std::string::npos);
    }
    c.data = tinyDataFolder(2);
    c.folds = 2;
    CHECK(train(c, control).status == RunStatus::Finished); // and the advice works
}

// Allocation failures are messages with a kind; the CPU set-up is cheap once done.
TEST_CASE("allocation failures are described and the cpu is prepared once")
{
    std::string message;
    CHECK(describeAllocationFailure(std::bad_alloc(), "loading the data", message));
    CHECK(message.find("out of memory while loading the data") != std::string::npos);
    CHECK(!describeAllocationFailure(std::runtime_error("disk on fire"), "x", message));
    prepareCpu(1);
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 1000; ++i)
        prepareCpu(1);
    CHECK_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 0.5);
}

// PyTorch's weight_decay for Adam adds lambda2 * p to the gradient, so it is the explicit penalty (lambda2 / 2) *
// sum p^2 over a whole run (the penalty through autograd, the decay in the flat optimizer), as for SGD; AdamW's
// decoupled decay is not. Without dropout: with it, Adam's large early steps bring some pre-activation close
// enough to LeakyReLU's kink that the two backward passes' last-bit rounding flips its slope (here after ~140
// steps), and from then on the runs differ by 1e-4.
TEST_CASE("adam weight decay equals its penalty over a run and adamw's does not")
{
    TrainControl control;
    TrainConfig c = quickConfig(2);
    c.learningRate = 0.001;
    c.l2 = 0.01;
    c.dropout = {0, 0};
    auto relative = [](double a, double b) { return std::fabs(a - b) / std::fabs(b); };
    for (Optimizer kind : {Optimizer::Adam, Optimizer::AdamW}) {
        CAPTURE(toString(kind));
        c.optimizer = kind;
        c.l2Mode = L2Mode::Decay;
        const RunRecord decay = train(c, control, nullptr, sample());
        c.l2Mode = L2Mode::Penalty;
        const RunRecord penalty = train(c, control, nullptr, sample());
        REQUIRE((decay.status == RunStatus::Finished && penalty.status == RunStatus::Finished));
        const EpochRecord &d = decay.epochs.back(), &p = penalty.epochs.back();
        const double norm = relative(p.layers[0].l2Norm, d.layers[0].l2Norm);
        const double loss = relative(p.testLoss, d.testLoss);
        std::printf("%s: decay vs penalty after two epochs: fc1 L2 norm %.6f vs %.6f, test loss %.6f vs %.6f\n",
                    toString(kind).c_str(), d.layers[0].l2Norm, p.layers[0].l2Norm, d.testLoss, p.testLoss);
        if (kind == Optimizer::Adam) {
            CHECK_LT(norm, 1e-5);
            CHECK_LT(loss, 1e-5);
        } else {
            CHECK_GT(norm, 1e-3);
        }
    }
}

// The textbook's "L1 makes weights sparse": the subgradient (the forum's loss += lambda1 * sum|p|) leaves hardly
// any weight exactly zero, the proximal step at the same lambda1 leaves many.
TEST_CASE("proximal l1 records exact zeros and the subgradient does not")
{
    TrainControl control;
    TrainConfig c = quickConfig(1);
    c.l1 = 0.001;
    const RunRecord subgradient = train(c, control, nullptr, sample());
    c.l1Method = L1Method::Proximal;
    const RunRecord proximal = train(c, control, nullptr, sample());
    REQUIRE((subgradient.status == RunStatus::Finished && proximal.status == RunStatus::Finished));
    const LayerStats &s = subgradient.epochs[0].layers[0], &p = proximal.epochs[0].layers[0];
    std::printf("fc1 exactly zero: subgradient %.4f, proximal %.4f; |w| < 1e-3: %.4f, %.4f\n", s.zeroFraction,
                p.zeroFraction, s.smallFraction, p.smallFraction);
    CHECK_LT(s.zeroFraction, 0.001);
    CHECK_GT(p.zeroFraction, 0.005);           // 160 steps of lr * lambda1 = 1e-5 each: the smallest 1 % of fc1
    CHECK_LE(p.zeroFraction, p.smallFraction); // exact zeros are below any threshold
    CHECK_GT(proximal.epochs[0].testAccuracy, 0.5);
}

TEST_CASE("dropout change takes effect at the next step and is recorded")
{
    TrainControl control;
    TrainConfig c = quickConfig();
    c.logEvery = 1;
    Hooks hooks;
    hooks.step = [&](const StepRecord &s) {
        if (s.step == 5)
            control.set("dropout", "0.5,0.5");
        if (s.step == 8)
            control.set("dropout", "0.1,0.2,0.3"); // one rate per hidden layer, or it is refused
        if (s.step == 9)
            control.set("dropout", "0.5,0.5"); // no change
        if (s.step == 10) {
            control.set("epochs", "3");       // not live: refused
            control.set("no_such_key", "1"); // not a setting: refused
            control.set("l1", "-1");          // out of range: refused
        }
    };
    const RunRecord r = train(c, control, &hooks, sample());
    REQUIRE(r.status == RunStatus::Finished);
    REQUIRE(r.settingChanges.size() == 1u);
    const SettingChange &change = r.settingChanges[0];
    CHECK_EQ(change.step, 6);
    CHECK(change == SettingChange{6, "dropout", "0.5,0.5"});
    CHECK_EQ(r.config.epochs, c.epochs);
    CHECK_EQ(hooks.changes.size(), 1u);

    // The same run without the change draws the same masks until step 5, then differs from step 6 on.
    const RunRecord same = train(c, control, nullptr, sample());
    CHECK_EQ(same.steps[4].dataLoss, r.steps[4].dataLoss);
    CHECK(same.steps[5].dataLoss != r.steps[5].dataLoss);
}

// Adam's learning rate and lambdas change mid-run like SGD's.
TEST_CASE("live changes reach adam")
{
    TrainControl control;
    TrainConfig c = quickConfig();
    c.optimizer = Optimizer::AdamW;
    c.learningRate = 0.001;
    c.logEvery = 1;
    Hooks hooks;
    hooks.step = [&](const StepRecord &s) {
        if (s.step == 5) {
            control.set("learning_rate", "0.0005");
            control.set("l2", "0.01");
        }
    };
    const RunRecord r = train(c, control, &hooks, sample());
    REQUIRE(r.status == RunStatus::Finished);
    CHECK_EQ(r.steps[5].learningRate, 0.0005);
    CHECK_EQ(r.steps[5].l2, 0.01);
    REQUIRE(r.settingChanges.size() == 2u);
    CHECK_EQ(r.settingChanges[0].step, 6);
    CHECK_GT(r.epochs[0].testAccuracy, 0.7);
}

// The passes split over OpenBLAS's threads and a logging point's halves run side by side (model/blaspool.h): the
// same run, event for event, as with everything on the training thread.
TEST_CASE("a run with its passes on openblas's threads is the run without them")
{
    Hooks runs[2];
    RunRecord records[2];
    for (int k = 0; k < 2; ++k) {
        TrainControl control;
        TrainConfig c = quickConfig(1);
        c.l1 = 0.01;
        c.l2 = 0.001;
        c.logEvery = 7;
        c.threads = 2;
        const bool before = allowBlasPool(k == 0);
        records[k] = train(c, control, &runs[k], sample());
        allowBlasPool(before);
        REQUIRE(records[k].status == RunStatus::Finished);
    }
    REQUIRE_EQ(runs[0].steps.size(), runs[1].steps.size());
    CHECK(runs[0].steps.size() > 10u);
    for (std::size_t i = 0; i < runs[0].steps.size(); ++i) {
        CHECK_EQ(runs[0].steps[i].dataLoss, runs[1].steps[i].dataLoss);
        CHECK_EQ(runs[0].steps[i].l1Term, runs[1].steps[i].l1Term);
        CHECK_EQ(runs[0].steps[i].l2Term, runs[1].steps[i].l2Term);
    }
    REQUIRE_EQ(runs[0].balances.size(), runs[1].balances.size());
    CHECK_EQ(runs[0].balances.size(), runs[0].steps.size());
    for (std::size_t i = 0; i < runs[0].balances.size(); ++i) {
        REQUIRE_EQ(runs[0].balances[i].layers.size(), 3u);
        for (std::size_t l = 0; l < 3; ++l) {
            CHECK_EQ(runs[0].balances[i].layers[l].dataGradient, runs[1].balances[i].layers[l].dataGradient);
            CHECK_EQ(runs[0].balances[i].layers[l].l1Push, runs[1].balances[i].layers[l].l1Push);
            CHECK_EQ(runs[0].balances[i].layers[l].l2Push, runs[1].balances[i].layers[l].l2Push);
            CHECK(runs[0].balances[i].layers[l].dataGradient > 0);
        }
    }
    REQUIRE_EQ(records[0].epochs.size(), 1u);
    CHECK_EQ(records[0].epochs[0].valLoss, records[1].epochs[0].valLoss);
    CHECK_EQ(records[0].epochs[0].testAccuracy, records[1].epochs[0].testAccuracy);
    CHECK_EQ(records[0].epochs[0].trainLoss, records[1].epochs[0].trainLoss);
}
