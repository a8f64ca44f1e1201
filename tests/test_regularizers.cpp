// The overfitting lab's core: the training subset, label noise and holdout validation; the training accuracy; and
// each regularizer beyond L1, L2 and dropout checked against its definition (label smoothing against LibTorch's
// cross_entropy, max-norm's row norms, shifts against a hand-moved image, noise and shifts never touching the data
// set, early stopping restoring its best epoch), live changes of each, and the overfitting the lesson shows.
#include "model/augment.h"
#include "model/config.h"
#include "model/dataset.h"
#include "model/datasettensors.h"
#include "model/jsonio.h"
#include "model/metrics.h"
#include "model/mlp.h"
#include "model/runrecord.h"
#include "model/runtime.h"
#include "model/trainer.h"
#include "testing.h"

#include <algorithm>
#include <cmath>
#include <set>

using namespace reglab;

namespace {

std::shared_ptr<const Dataset> sample()
{
    static std::shared_ptr<const Dataset> data = Dataset::load(resolveDataSource("sample"));
    return data;
}

// The lesson's regime, small: a noisy subset held out, no dropout, SGD with momentum.
TrainConfig smallNoisy(int epochs)
{
    TrainConfig c;
    c.device = "cpu";
    c.trainSize = 1000;
    c.labelNoise = 0.2;
    c.validation = Validation::Holdout;
    c.dropout = {0, 0};
    c.momentum = 0.9;
    c.epochs = epochs;
    c.panelDigits = 0;
    c.threads = 1; // small products: a second BLAS thread only waits (and spins on a busy machine)
    return c;
}

struct Events : TrainObserver {
    RunInfo info;
    std::vector<SettingChange> changes;
    std::vector<EarlyStop> stops;
    std::vector<StepRecord> steps;
    std::function<void(const StepRecord &)> onStep;
    void onEvent(const TrainEvent &event) override
    {
        std::visit(Overloaded{[this](const RunInfo &i) { info = i; },
                              [this](const SettingChange &c) { changes.push_back(c); },
                              [this](const EarlyStop &s) { stops.push_back(s); },
                              [this](const StepRecord &s) {
                                  steps.push_back(s);
                                  if (onStep)
                                      onStep(s);
                              },
                              [](const auto &) {}},
                   event);
    }
};

double maxDifference(const std::vector<torch::Tensor> &a, const std::vector<torch::Tensor> &b)
{
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        worst = std::max(worst, (a[i] - b[i]).abs().max().item<double>());
    return worst;
}

} // namespace

TEST_CASE("label smoothing's loss and gradient are LibTorch's cross_entropy with label_smoothing")
{
    torch::manual_seed(5);
    const torch::Tensor x = torch::randn({50, 784});
    const torch::Tensor y = torch::randint(0, 10, {50}, torch::kInt64);
    for (const auto type : {torch::kFloat32, torch::kFloat64}) // the fused CPU pass, and the ops for other types
        for (double e : {0.0, 0.1, 0.5, 1.0}) {
            CAPTURE(e);
            torch::manual_seed(3);
            Mlp a(784, std::vector<int>{64}, 10, std::vector<double>{0.0}, 0.01);
            torch::manual_seed(3);
            Mlp b(784, std::vector<int>{64}, 10, std::vector<double>{0.0}, 0.01);
            a->to(type);
            b->to(type);
            const torch::Tensor lossA = torch::nn::functional::cross_entropy(
                a->forward(x.to(type)), y, torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(e));
            lossA.backward();
            const torch::Tensor lossB = b->lossAndGradients(x.to(type), y, e);
            CHECK_NEAR(lossB.item<double>(), lossA.item<double>(), 1e-5);
            std::vector<torch::Tensor> ga, gb;
            for (const auto &p : a->parameters())
                ga.push_back(p.grad());
            for (const auto &p : b->parameters())
                gb.push_back(p.grad());
            CHECK_LT(maxDifference(gb, ga), 1e-6);
        }
}

TEST_CASE("max-norm scales each unit's incoming weights to the limit and leaves the others alone")
{
    torch::manual_seed(2);
    Mlp net(784, std::vector<int>{32, 16}, 10, std::vector<double>{0.0, 0.0}, 0.01);
    {
        torch::NoGradGuard noGrad;
        net->layers[0]->weight.mul_(torch::rand({32, 1}) * 4); // rows of many sizes, some within 0.8
    }
    std::vector<torch::Tensor> before;
    for (auto &l : net->layers)
        before.push_back(l->weight.detach().clone());
    const double limit = 0.8;
    net->applyMaxNorm(limit);
    int scaled = 0, kept = 0;
    for (std::size_t i = 0; i < net->layers.size(); ++i) {
        const torch::Tensor w = net->layers[i]->weight.detach();
        const torch::Tensor was = before[i].norm(2, {1});
        const torch::Tensor now = w.norm(2, {1});
        for (std::int64_t r = 0; r < w.size(0); ++r) {
            if (was[r].item<double>() > limit) {
                CHECK_NEAR(now[r].item<double>(), limit, 1e-5);
                // scaled, not changed in direction
                CHECK_LT((w[r] - before[i][r] * (limit / was[r].item<double>())).abs().max().item<double>(), 1e-6);
                ++scaled;
            } else {
                CHECK(torch::equal(w[r], before[i][r]));
                ++kept;
            }
        }
    }
    CHECK_GT(scaled, 0);
    CHECK_GT(kept, 0);
}

TEST_CASE("a run with max-norm ends with every row within the limit")
{
    TrainConfig c = smallNoisy(1);
    c.maxNorm = 0.3;
    struct Last : TrainObserver {
        WeightSnapshot snapshot;
        void onEvent(const TrainEvent &e) override
        {
            if (const auto *s = std::get_if<WeightSnapshot>(&e))
                snapshot = *s;
        }
    } last;
    TrainControl control;
    const RunRecord r = train(c, control, &last, sample());
    REQUIRE_EQ(r.status, RunStatus::Finished);
    REQUIRE_FALSE(last.snapshot.layers.empty());
    for (const auto &layer : last.snapshot.layers)
        for (int row = 0; row < layer.rows; ++row) {
            double sum = 0;
            for (int col = 0; col < layer.cols; ++col)
                sum += double(layer.weights[std::size_t(row * layer.cols + col)]) *
                       layer.weights[std::size_t(row * layer.cols + col)];
            CHECK_LE(std::sqrt(sum), 0.3 * (1 + 1e-5));
        }
}

TEST_CASE("a shift moves the image by whole pixels with blank pixels shifted in")
{
    std::vector<float> image(784), moved(784), hand(784, -1.0f);
    for (int i = 0; i < 784; ++i)
        image[std::size_t(i)] = float(i);
    shiftImage(image.data(), moved.data(), 2, -3, -1.0f); // two right, three up
    for (int r = 0; r < 28; ++r)
        for (int c = 0; c < 28; ++c)
            if (r + 3 < 28 && c - 2 >= 0)
                hand[std::size_t(r * 28 + c)] = image[std::size_t((r + 3) * 28 + (c - 2))];
    CHECK(moved == hand);

    // A batch: each image is one of the (2K+1)^2 shifts of itself, and over many images every shift is drawn.
    const int k = 2;
    torch::Tensor batch = torch::rand({400, 784});
    const torch::Tensor original = batch.clone();
    std::uint64_t state = 7;
    shiftImages(batch, k, state, -0.5f);
    std::set<std::pair<int, int>> seen;
    for (std::int64_t i = 0; i < batch.size(0); ++i) {
        bool matched = false;
        for (int dy = -k; dy <= k && !matched; ++dy)
            for (int dx = -k; dx <= k && !matched; ++dx) {
                std::vector<float> expect(784);
                shiftImage(original[i].data_ptr<float>(), expect.data(), dx, dy, -0.5f);
                if (std::equal(expect.begin(), expect.end(), batch[i].data_ptr<float>())) {
                    matched = true;
                    seen.insert({dx, dy});
                }
            }
        CHECK(matched);
    }
    CHECK_EQ(seen.size(), std::size_t((2 * k + 1) * (2 * k + 1)));
}

TEST_CASE("label noise flips the asked share, each to another class, and keeps the rest")
{
    const DatasetTensors &t = sample()->tensors();
    auto generator = at::make_generator<at::CPUGeneratorImpl>(11);
    const TrainingSet set = prepareTrainingSet(t.trainImages, t.trainLabels, 2000, 0.25, 10, generator);
    REQUIRE_EQ(set.labels.size(0), 2000);
    CHECK_EQ(set.flipped, 500);
    // The images are a subset of the file's; find each one's own label through its row.
    auto again = at::make_generator<at::CPUGeneratorImpl>(11);
    const TrainingSet clean = prepareTrainingSet(t.trainImages, t.trainLabels, 2000, 0.0, 10, again);
    CHECK(torch::equal(clean.images, set.images));
    const torch::Tensor changed = set.labels.ne(clean.labels);
    CHECK_EQ(changed.sum().item<std::int64_t>(), 500);
    // Every other class is chosen: the flips spread over the nine offsets.
    const torch::Tensor offsets = (set.labels - clean.labels).remainder(10).masked_select(changed);
    CHECK_EQ(std::get<0>(torch::_unique(offsets)).size(0), 9);
    CHECK(torch::equal(t.trainLabels, sample()->tensors().trainLabels)); // the data set is untouched
}

TEST_CASE("a training subset, holdout validation and the training accuracy reach the record")
{
    TrainConfig c = smallNoisy(3);
    c.folds = 4;
    Events events;
    TrainControl control;
    RunRecord r = train(c, control, &events, sample());
    REQUIRE_EQ(r.status, RunStatus::Finished);
    CHECK_EQ(events.info.trainCount, 1000);
    CHECK_EQ(events.info.flippedLabels, 200);
    CHECK_EQ(r.trainImages, 1000);
    CHECK_EQ(r.flippedLabels, 200);
    CHECK_EQ(events.info.stepsPerEpoch, 750 / 50); // three folds of 250 train, one validates
    for (const EpochRecord &e : r.epochs) {
        CHECK_EQ(e.fold, 0); // holdout: the same fold every epoch
        CHECK(e.trainAccuracy >= 0);
        CHECK(e.trainAccuracy <= 1);
        CHECK(std::isfinite(e.trainEvalLoss));
    }
    c.validation = Validation::Rotate;
    r = train(c, control, nullptr, sample());
    for (const EpochRecord &e : r.epochs)
        CHECK_EQ(e.fold, (e.epoch - 1) % 4);

    // More images than the file has: a data error saying what to give.
    c.trainSize = 20000;
    r = train(c, control, nullptr, sample());
    CHECK_EQ(r.status, RunStatus::Failed);
    CHECK(r.message.find("use at most 10000, or 0 for all of them") != std::string::npos);
}

TEST_CASE("measuring the training accuracy changes no number of the run")
{
    TrainConfig c;
    c.device = "cpu";
    c.epochs = 1;
    c.trainSize = 3000;
    c.l1 = 0.001;
    TrainControl control;
    const RunRecord on = train(c, control, nullptr, sample());
    c.trainEval = 0;
    const RunRecord off = train(c, control, nullptr, sample());
    REQUIRE_EQ(on.steps.size(), off.steps.size());
    for (std::size_t i = 0; i < on.steps.size(); ++i)
        CHECK_EQ(on.steps[i].loss, off.steps[i].loss);
    CHECK_EQ(on.epochs[0].testAccuracy, off.epochs[0].testAccuracy);
    CHECK_EQ(on.epochs[0].valLoss, off.epochs[0].valLoss);
    CHECK(std::isfinite(on.epochs[0].trainAccuracy));
    CHECK(std::isnan(off.epochs[0].trainAccuracy));
}

TEST_CASE("input noise and shifts change training but never the data set's images")
{
    const torch::Tensor trainBefore = sample()->tensors().trainImages.clone();
    const torch::Tensor testBefore = sample()->tensors().testImages.clone();
    TrainConfig c = smallNoisy(1);
    TrainControl control;
    const RunRecord plain = train(c, control, nullptr, sample());
    c.inputNoise = 2;
    c.shift = 3;
    const RunRecord augmented = train(c, control, nullptr, sample());
    CHECK(torch::equal(sample()->tensors().trainImages, trainBefore));
    CHECK(torch::equal(sample()->tensors().testImages, testBefore));
    CHECK_NE(plain.steps.back().dataLoss, augmented.steps.back().dataLoss);
}

TEST_CASE("early stopping ends the run and restores the best epoch's weights")
{
    TrainConfig c = smallNoisy(40);
    c.earlyStop = 3;
    Events events;
    TrainControl control;
    const RunRecord r = train(c, control, &events, sample());
    REQUIRE_EQ(r.status, RunStatus::Finished);
    REQUIRE(r.earlyStop.has_value());
    REQUIRE_EQ(events.stops.size(), 1u);
    const EarlyStop &stop = *r.earlyStop;
    CHECK_EQ(stop.lastEpoch, int(r.epochs.size()));
    CHECK_LT(stop.lastEpoch, 40);
    CHECK_EQ(stop.lastEpoch - stop.bestEpoch, 3);
    double lowest = 1e300;
    int lowestEpoch = 0;
    for (const EpochRecord &e : r.epochs)
        if (e.valLoss < lowest) {
            lowest = e.valLoss;
            lowestEpoch = e.epoch;
        }
    CHECK_EQ(stop.bestEpoch, lowestEpoch);
    CHECK_EQ(finalEpoch(r)->epoch, stop.bestEpoch);
    CHECK(r.message.find("weights of epoch " + std::to_string(stop.bestEpoch)) != std::string::npos);
    // The restored network's predictions are the last ones reported.
    REQUIRE(r.lastPredictions.has_value() == false); // panelDigits 0 in this regime
    // The record says it, and reads back.
    const RunRecord back = runRecordFromJson(toJson(r));
    REQUIRE(back.earlyStop.has_value());
    CHECK(*back.earlyStop == stop);
    CHECK_EQ(back.trainImages, 1000);
    CHECK_EQ(back.flippedLabels, 200);
    CHECK_EQ(finalEpoch(back)->epoch, stop.bestEpoch);
}

TEST_CASE("each new regularizer is live and its change is recorded at the step it takes effect")
{
    TrainConfig c = smallNoisy(1);
    TrainControl control;
    Events events;
    events.onStep = [&](const StepRecord &s) {
        if (s.step == 1) {
            control.set("label_smoothing", "0.1");
            control.set("input_noise", "0.5");
            control.set("shift", "2");
            control.set("max_norm", "3");
            control.set("early_stop", "4");
        }
    };
    c.logEvery = 1;
    const RunRecord r = train(c, control, &events, sample());
    REQUIRE_EQ(r.status, RunStatus::Finished);
    std::set<std::string> keys;
    for (const SettingChange &change : r.settingChanges) {
        CHECK_EQ(change.step, 2);
        keys.insert(change.key);
    }
    CHECK_EQ(keys, std::set<std::string>{"label_smoothing", "input_noise", "shift", "max_norm", "early_stop"});
    // A setting that cannot change under a running network is refused, with nothing recorded.
    for (const char *key : {"train_size", "label_noise", "validation"}) {
        const ConfigField *f = findField(key);
        REQUIRE(f != nullptr);
        CHECK_FALSE(f->live);
    }
}

TEST_CASE("a small noisy training set is memorized, and L2 narrows the gap")
{
    // The lesson in 25 epochs: the network learns the flipped labels (training accuracy near 100 %) while test
    // accuracy falls behind; weight decay keeps it from memorizing.
    TrainConfig c = smallNoisy(25);
    TrainControl control;
    const RunRecord plain = train(c, control, nullptr, sample());
    c.l2 = 0.05;
    const RunRecord decayed = train(c, control, nullptr, sample());
    const EpochRecord &p = plain.epochs.back(), &d = decayed.epochs.back();
    MESSAGE("no regularization: train " << p.trainAccuracy << " test " << p.testAccuracy << "; L2 0.05: train "
                                        << d.trainAccuracy << " test " << d.testAccuracy);
    CHECK_GT(p.trainAccuracy, 0.97);
    CHECK_GT(p.trainAccuracy - p.testAccuracy, 0.15);
    CHECK_LT(d.trainAccuracy - d.testAccuracy, (p.trainAccuracy - p.testAccuracy) / 2);
    CHECK_GT(d.testAccuracy, p.testAccuracy + 0.02);
    // The gap is a metric of its own, for charts, paths and the summary.
    const Metric *gap = findMetric("gap");
    REQUIRE(gap != nullptr);
    CHECK_NEAR(gap->read(p), p.trainAccuracy - p.testAccuracy, 1e-12);
}

TEST_CASE("the new settings have flags, ranges and controls in the table")
{
    for (const char *key : {"train_size", "label_noise", "validation", "train_eval", "early_stop", "label_smoothing",
                            "input_noise", "shift", "max_norm"}) {
        CAPTURE(key);
        const ConfigField *f = findField(key);
        REQUIRE(f != nullptr);
        CHECK_FALSE(f->flag.empty());
        TrainConfig probe;
        CHECK_FALSE(f->set(probe, "-1").empty()); // nothing below its range
    }
    TrainConfig probe;
    CHECK(findField("validation")->set(probe, "holdout").empty());
    CHECK_EQ(probe.validation, Validation::Holdout);
    CHECK_FALSE(findField("label_smoothing")->set(probe, "1.5").empty());
    CHECK_FALSE(findField("shift")->set(probe, "28").empty());
    // Off by default: a run without them is the run before them.
    const TrainConfig defaults;
    CHECK_EQ(shortLabel(defaults), "L1 off - L2 off - bs 50");
    probe = defaults;
    probe.labelSmoothing = 0.1;
    probe.earlyStop = 5;
    CHECK_EQ(shortLabel(probe), "L1 off - L2 off - bs 50 - patience 5 - smoothing 0.1");
}
