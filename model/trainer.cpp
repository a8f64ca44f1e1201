#include "model/trainer.h"

#include "model/dataset.h"
#include "model/folds.h"
#include "model/idx.h"
#include "model/runtime.h"
#include "model/tensors.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <optional>
#include <random>

namespace reglab {
namespace {

using Clock = std::chrono::steady_clock;

// Step records kept in a run record before it thins them (every other one): 20,000 is 1,250 sample epochs
// at the dashboard's logging rate.
constexpr std::size_t kMaxStepRecords = 20000;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

struct EvalResult {
    double loss = 0, accuracy = 0;
    torch::Tensor predicted; // argmax per row, when asked for
};

// Loss and accuracy in large batches, in eval mode; `indices` selects rows (all rows when undefined).
EvalResult evaluate(Mlp &net, const torch::Tensor &images, const torch::Tensor &labels, const torch::Tensor &indices,
                    bool keepPredictions = false)
{
    torch::NoGradGuard noGrad;
    net->eval();
    const std::int64_t count = indices.defined() ? indices.size(0) : images.size(0);
    if (count == 0)
        return {};
    // On the CPU, chunks of 2,048 keep the activations in cache (0.059 -> 0.048 s per Fashion-MNIST epoch);
    // a GPU wants them large.
    const std::int64_t kChunk = images.is_cpu() ? 2048 : 16384;
    torch::Tensor lossSum = torch::zeros({}, images.options());
    torch::Tensor correct = torch::zeros({}, labels.options());
    std::vector<torch::Tensor> predicted;
    for (std::int64_t start = 0; start < count; start += kChunk) {
        const std::int64_t n = std::min(kChunk, count - start);
        torch::Tensor x, y;
        if (indices.defined()) {
            torch::Tensor idx = indices.narrow(0, start, n);
            x = images.index_select(0, idx);
            y = labels.index_select(0, idx);
        } else {
            x = images.narrow(0, start, n);
            y = labels.narrow(0, start, n);
        }
        torch::Tensor logits = net->forward(x);
        lossSum += torch::nn::functional::cross_entropy(
            logits, y, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
        const torch::Tensor guess = logits.argmax(1);
        correct += guess.eq(y).sum();
        if (keepPredictions)
            predicted.push_back(guess);
    }
    return {lossSum.item<double>() / double(count), double(correct.item<std::int64_t>()) / double(count),
            keepPredictions ? torch::cat(predicted) : torch::Tensor()};
}

WeightHistogram histogramOf(const std::string &name, const std::vector<float> &weights)
{
    WeightHistogram h;
    h.name = name;
    h.counts.assign(kHistogramBins, 0);
    const double width = (h.high - h.low) / kHistogramBins;
    for (float w : weights) {
        if (w == 0.0f)
            ++h.zeros;
        if (w < h.low)
            ++h.below;
        else if (w >= h.high)
            ++h.above;
        else
            ++h.counts[static_cast<std::size_t>(std::min<double>(kHistogramBins - 1, (w - h.low) / width))];
    }
    return h;
}

// Panel digits: a seeded shuffle of the test set taken class by class (0, 1, ..., 9, 0, ...), so the grid
// shows every class. The test set, because the validation fold rotates: no other image stays unseen all run.
std::vector<int> choosePanel(const Dataset &data, int count, std::uint64_t seed)
{
    std::vector<int> order(static_cast<std::size_t>(data.testCount()));
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(seed ^ 0xd161751ULL);
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<std::vector<int>> byClass(10);
    for (int i : order)
        byClass[static_cast<std::size_t>(data.testLabel(i))].push_back(i);
    std::vector<int> panel;
    std::vector<std::size_t> next(10, 0);
    while (static_cast<int>(panel.size()) < count) {
        bool any = false;
        for (std::size_t c = 0; c < 10 && static_cast<int>(panel.size()) < count; ++c) {
            if (next[c] < byClass[c].size()) {
                panel.push_back(byClass[c][next[c]++]);
                any = true;
            }
        }
        if (!any)
            break;
    }
    return panel;
}

class Run {
public:
    Run(const TrainConfig &config, TrainControl &control, TrainObserver &observer, RunRecord &record)
        : m_config(config), m_control(control), m_obs(observer), m_rec(record)
    {
    }

    // Returns normally on finish, stop and divergence (status set); throws on faults.
    void execute(const Dataset &data, const std::string &deviceName);

private:
    void applyChanges(std::int64_t nextStep);
    bool trainEpoch(int epoch, const Fold &fold, const torch::Tensor &order);
    void evaluateEpoch(int epoch, int foldIndex, const torch::Tensor &valIdx, double trainSeconds, double trainLoss);
    void sendProgress(bool evaluating, bool force);
    void sendSnapshot();
    void sendGradientBalance(int epoch);
    void sendValidationDetail(int epoch, const torch::Tensor &valIdx, const torch::Tensor &predicted);
    // Waits out a pause, answering snapshot requests; false when stopped meanwhile.
    void waitOutPause();

    const TrainConfig &m_config;
    TrainControl &m_control;
    TrainObserver &m_obs;
    RunRecord &m_rec;

    torch::Device m_device{torch::kCPU};
    Mlp m_net{nullptr};
    std::unique_ptr<FlatSgd> m_opt;
    std::vector<torch::Tensor> m_params;
    torch::Tensor m_trainX, m_trainY, m_testX, m_testY, m_panelIdx;
    std::vector<int> m_panel, m_panelLabels;

    double m_l1 = 0, m_l2 = 0, m_lr = 0;
    std::int64_t m_step = 0, m_totalSteps = 0, m_stepsPerEpoch = 0, m_stepInEpoch = 0;
    int m_epoch = 0;
    double m_trainSecondsDone = 0; // finished epochs' training time
    double m_evalSecondsDone = 0;
    Clock::time_point m_epochStart, m_lastProgress;
    double m_pausedInEpoch = 0;
    double m_lastRate = 0;
    double m_lastEpochLoss = 0;
    std::optional<Predictions> m_panelPredictions;
};

void Run::applyChanges(std::int64_t nextStep)
{
    TrainControl::Changes changes;
    if (!m_control.takeChanges(changes))
        return;
    const double l1 = changes.l1 ? *changes.l1 : m_l1;
    const double l2 = changes.l2 ? *changes.l2 : m_l2;
    const double lr = changes.learningRate ? *changes.learningRate : m_lr;
    // Refuse values that would only poison the run; the UI validates too.
    auto ok = [](double v, bool positive) { return std::isfinite(v) && (positive ? v > 0 : v >= 0) && v <= 1e6; };
    if (!ok(l1, false) || !ok(l2, false) || !ok(lr, true) || (l1 == m_l1 && l2 == m_l2 && lr == m_lr))
        return;
    m_l1 = l1;
    m_l2 = l2;
    m_lr = lr;
    const LambdaChange change{nextStep, m_l1, m_l2, m_lr};
    m_rec.lambdaChanges.push_back(change);
    m_obs.onLambdaChange(change);
}

void Run::sendProgress(bool evaluating, bool force)
{
    const auto now = Clock::now();
    if (!force && now - m_lastProgress < std::chrono::milliseconds(100))
        return;
    m_lastProgress = now;
    Progress p;
    p.epoch = m_epoch;
    p.epochs = m_config.epochs;
    p.stepInEpoch = m_stepInEpoch;
    p.stepsPerEpoch = m_stepsPerEpoch;
    p.step = m_step;
    p.totalSteps = m_totalSteps;
    p.evaluating = evaluating;
    const double trainSeconds = m_trainSecondsDone + std::max(0.0, secondsSince(m_epochStart) - m_pausedInEpoch);
    if (m_step > 0 && trainSeconds > 0) {
        const double perStep = trainSeconds / double(m_step);
        const int epochsDone = std::max(0, m_epoch - 1);
        const double evalPerEpoch = epochsDone > 0 ? m_evalSecondsDone / epochsDone : 0.0;
        p.samplesPerSecond = m_lastRate > 0 ? m_lastRate : double(m_config.batchSize) / perStep;
        p.etaSeconds = perStep * double(m_totalSteps - m_step) + evalPerEpoch * (m_config.epochs - epochsDone);
    }
    m_obs.onProgress(p);
}

bool Run::trainEpoch(int epoch, const Fold &fold, const torch::Tensor &order)
{
    m_net->train();
    const std::int64_t n = static_cast<std::int64_t>(fold.train.size());
    const std::int64_t batch = m_config.batchSize;
    const bool onCpu = m_device.is_cpu();
    torch::Tensor lossSum = torch::zeros({}, m_trainX.options());
    auto lastLog = Clock::now();
    std::int64_t samplesSinceLog = 0;
    m_stepInEpoch = 0;
    const torch::Tensor xBuffer = torch::empty({batch, m_trainX.size(1)}, m_trainX.options());
    const torch::Tensor yBuffer = torch::empty({batch}, m_trainY.options());

    for (std::int64_t start = 0; start < n; start += batch) {
        if (m_control.isPaused()) {
            const auto pausedAt = Clock::now();
            sendProgress(false, true);
            waitOutPause();
            m_pausedInEpoch += secondsSince(pausedAt);
            lastLog = Clock::now(); // a pause must not count against samples/s
            samplesSinceLog = 0;
        }
        if (m_control.takeSnapshotRequest())
            sendSnapshot();
        if (m_control.stopRequested()) {
            m_rec.status = RunStatus::Stopped;
            m_rec.message =
                "stopped by the user at step " + std::to_string(m_step) + " (epoch " + std::to_string(epoch) + ")";
            return false;
        }
        applyChanges(m_step + 1);

        const std::int64_t size = std::min(batch, n - start);
        const torch::Tensor idx = order.narrow(0, start, size);
        // Gathered into buffers reused all epoch: a fresh 157 KB batch each step costs an mmap and page faults.
        torch::Tensor x = xBuffer.narrow(0, 0, size), y = yBuffer.narrow(0, 0, size);
        torch::index_select_out(x, m_trainX, 0, idx);
        torch::index_select_out(y, m_trainY, 0, idx);
        // The explicit L2 penalty goes through autograd: it is the check that weight decay is right. Everything
        // else takes the hand-written backward, which gives the same gradients with far fewer ops.
        const bool autograd = m_config.l2Mode == L2Mode::Penalty && m_l2 > 0;
        torch::Tensor dataLoss, loss;
        if (autograd) {
            dataLoss = torch::nn::functional::cross_entropy(m_net->forward(x), y);
            loss = dataLoss + (m_l2 / 2) * squareSum(m_params);
        }

        const bool logNow = m_step == 0 || (m_step + 1) % m_config.logEvery == 0;
        torch::Tensor l1Sum, l2Sum;
        if (logNow) {
            // The penalties of the parameters this batch's loss was computed with, before the update.
            torch::NoGradGuard noGrad;
            l1Sum = m_opt->l1AbsSum();
            l2Sum = m_opt->squareSum();
        }

        if (autograd) {
            m_opt->zeroGrad();
            loss.backward();
        } else {
            dataLoss = m_net->lossAndGradients(x, y);
            loss = dataLoss;
        }
        if (logNow)
            sendGradientBalance(epoch); // the gradients are the data loss's until the step adds the penalties
        m_opt->step(m_lr, m_config.momentum, m_config.l2Mode == L2Mode::Decay ? m_l2 : 0.0, m_l1);
        ++m_step;
        ++m_stepInEpoch;
        samplesSinceLog += size;
        lossSum += dataLoss.detach();

        // On CPU a scalar read costs nothing, so divergence is caught at its step; on CUDA only at logging
        // points, to keep the host from waiting on the GPU every step.
        if (onCpu) {
            const double v = loss.item<double>();
            if (!std::isfinite(v)) {
                m_rec.status = RunStatus::Diverged;
                m_rec.message = "the loss became " + std::string(std::isnan(v) ? "NaN" : "infinite") + " at step " +
                                std::to_string(m_step) + " (epoch " + std::to_string(epoch) +
                                "); lower the learning rate or the regularization strength";
                return false;
            }
        }
        if (logNow) {
            StepRecord s;
            s.step = m_step;
            s.epoch = epoch;
            s.dataLoss = dataLoss.item<double>();
            s.l1Term = m_l1 * l1Sum.item<double>();
            s.l2Term = m_l2 / 2 * l2Sum.item<double>();
            s.loss = s.dataLoss + s.l1Term + s.l2Term;
            s.l1 = m_l1;
            s.l2 = m_l2;
            s.learningRate = m_lr;
            const double elapsed = secondsSince(lastLog);
            s.samplesPerSecond = elapsed > 0 ? double(samplesSinceLog) / elapsed : 0.0;
            m_lastRate = s.samplesPerSecond;
            lastLog = Clock::now();
            samplesSinceLog = 0;
            if (!std::isfinite(s.dataLoss) || !std::isfinite(lossSum.item<double>())) {
                m_rec.status = RunStatus::Diverged;
                m_rec.message = "the loss became non-finite by step " + std::to_string(m_step) + " (epoch " +
                                std::to_string(epoch) + "); lower the learning rate or the regularization strength";
                return false;
            }
            m_rec.steps.push_back(s);
            if (m_rec.steps.size() > kMaxStepRecords) {
                // A very long run keeps every other step record (and the newest): the record stays bounded.
                std::vector<StepRecord> half;
                half.reserve(m_rec.steps.size() / 2 + 1);
                for (std::size_t i = 0; i < m_rec.steps.size(); i += 2)
                    half.push_back(m_rec.steps[i]);
                if ((m_rec.steps.size() - 1) % 2 != 0)
                    half.push_back(m_rec.steps.back());
                m_rec.steps = std::move(half);
            }
            m_obs.onStep(s);
        }
        sendProgress(false, false);
    }
    const double meanLoss = lossSum.item<double>() / double(m_stepInEpoch);
    if (!std::isfinite(meanLoss)) {
        m_rec.status = RunStatus::Diverged;
        m_rec.message = "the loss became non-finite in epoch " + std::to_string(epoch) +
                        "; lower the learning rate or the regularization strength";
        return false;
    }
    m_lastEpochLoss = meanLoss;
    return true;
}

void Run::waitOutPause()
{
    for (;;) {
        const bool going = m_control.waitWhilePaused();
        if (m_control.takeSnapshotRequest())
            sendSnapshot();
        if (!going || !m_control.isPaused())
            return;
    }
}

void Run::sendSnapshot()
{
    torch::NoGradGuard noGrad;
    WeightSnapshot snapshot;
    snapshot.epoch = static_cast<int>(m_rec.epochs.size());
    snapshot.step = m_step;
    for (std::size_t i = 0; i < m_net->layers.size(); ++i) {
        const torch::Tensor w = m_net->layers[i]->weight.detach().to(torch::kCPU, torch::kFloat32).contiguous();
        WeightSnapshot::Layer layer;
        layer.name = "fc" + std::to_string(i + 1);
        layer.rows = static_cast<int>(w.size(0));
        layer.cols = static_cast<int>(w.size(1));
        layer.weights.assign(w.data_ptr<float>(), w.data_ptr<float>() + w.numel());
        snapshot.histograms.push_back(histogramOf(layer.name, layer.weights));
        snapshot.layers.push_back(std::move(layer));
    }
    m_rec.weightHistograms = snapshot.histograms;
    m_obs.onWeights(snapshot);
}

void Run::sendGradientBalance(int epoch)
{
    torch::NoGradGuard noGrad;
    GradientBalance balance;
    balance.step = m_step + 1; // the step these gradients are for
    balance.epoch = epoch;
    const bool penaltyInGradient = m_config.l2Mode == L2Mode::Penalty && m_l2 > 0;
    for (std::size_t i = 0; i < m_net->layers.size(); ++i) {
        const torch::Tensor w = m_net->layers[i]->weight.detach();
        torch::Tensor g = m_net->layers[i]->weight.grad();
        if (!g.defined())
            continue;
        if (penaltyInGradient) // autograd added lambda2 * w; take it out to show the data's share
            g = g - m_l2 * w;
        GradientBalance::Layer layer;
        layer.name = "fc" + std::to_string(i + 1);
        if (w.is_cpu() && w.scalar_type() == torch::kFloat32 && w.is_contiguous() && g.is_contiguous()) {
            // One pass on the host instead of nine reductions: this runs every logging point (every 10 steps in
            // the dashboard), and the reductions' overhead cost training 7 %.
            const float *wp = w.data_ptr<float>(), *gp = g.data_ptr<float>();
            double gradientSum = 0, weightSum = 0;
            std::int64_t nonZero = 0;
            const std::int64_t n = w.numel();
            for (std::int64_t k = 0; k < n; ++k) {
                gradientSum += std::fabs(gp[k]);
                weightSum += std::fabs(wp[k]);
                nonZero += wp[k] != 0.0f;
            }
            layer.dataGradient = gradientSum / double(n);
            layer.l1Push = m_l1 * double(nonZero) / double(n); // |sign(w)| is 1 unless w == 0
            layer.l2Push = m_l2 * weightSum / double(n);
        } else {
            layer.dataGradient = g.abs().mean().item<double>();
            layer.l1Push = m_l1 * w.ne(0).to(torch::kFloat32).mean().item<double>();
            layer.l2Push = m_l2 * w.abs().mean().item<double>();
        }
        balance.layers.push_back(layer);
    }
    m_obs.onGradientBalance(balance);
}

void Run::sendValidationDetail(int epoch, const torch::Tensor &valIdx, const torch::Tensor &predicted)
{
    if (!predicted.defined() || predicted.numel() == 0)
        return;
    torch::NoGradGuard noGrad;
    ValidationDetail detail;
    detail.epoch = epoch;
    detail.step = m_step;
    const torch::Tensor labels = m_trainY.index_select(0, valIdx);
    const torch::Tensor cells = torch::bincount(labels * 10 + predicted, {}, 100).to(torch::kCPU).contiguous();
    const std::int64_t *c = cells.data_ptr<std::int64_t>();
    for (int t = 0; t < 10; ++t)
        for (int p = 0; p < 10; ++p)
            detail.confusion[static_cast<std::size_t>(t)][static_cast<std::size_t>(p)] = c[t * 10 + p];

    const torch::Tensor all = predicted.ne(labels).nonzero().flatten();
    const torch::Tensor first = all.narrow(0, 0, std::min<std::int64_t>(kMaxMisses, all.size(0)));
    if (first.numel() > 0) {
        m_net->eval();
        const torch::Tensor rows = valIdx.index_select(0, first);
        const torch::Tensor x = m_trainX.index_select(0, rows);
        const torch::Tensor probs = torch::softmax(m_net->forward(x), 1).to(torch::kCPU, torch::kFloat32).contiguous();
        // The normalized pixels back to bytes: (x * std + mean) * 255.
        const torch::Tensor pixels =
            x.mul(kStd).add(kMean).mul(255).round().clamp(0, 255).to(torch::kCPU, torch::kUInt8).contiguous();
        const torch::Tensor rowsCpu = rows.to(torch::kCPU), labelsCpu = labels.index_select(0, first).to(torch::kCPU),
                            guessCpu = predicted.index_select(0, first).to(torch::kCPU);
        for (std::int64_t i = 0; i < first.size(0); ++i) {
            ValidationDetail::Miss miss;
            miss.index = static_cast<int>(rowsCpu[i].item<std::int64_t>());
            miss.label = static_cast<int>(labelsCpu[i].item<std::int64_t>());
            miss.predicted = static_cast<int>(guessCpu[i].item<std::int64_t>());
            std::copy_n(probs.data_ptr<float>() + i * probs.size(1), std::min<std::int64_t>(10, probs.size(1)),
                        miss.probabilities.begin());
            std::copy_n(pixels.data_ptr<std::uint8_t>() + i * 784, 784, miss.pixels.begin());
            detail.misclassified.push_back(miss);
        }
    }
    m_obs.onValidationDetail(detail);
}

void Run::evaluateEpoch(int epoch, int foldIndex, const torch::Tensor &valIdx, double trainSeconds, double trainLoss)
{
    const auto start = Clock::now();
    sendProgress(true, true);
    EpochRecord e;
    e.epoch = epoch;
    e.fold = foldIndex;
    e.step = m_step;
    e.trainLoss = trainLoss;
    const EvalResult val = evaluate(m_net, m_trainX, m_trainY, valIdx, true);
    const EvalResult test = evaluate(m_net, m_testX, m_testY, torch::Tensor());
    e.valLoss = val.loss;
    e.valAccuracy = val.accuracy;
    e.testLoss = test.loss;
    e.testAccuracy = test.accuracy;
    {
        torch::NoGradGuard noGrad;
        for (std::size_t i = 0; i < m_net->layers.size(); ++i) {
            const torch::Tensor w = m_net->layers[i]->weight.detach();
            const torch::Tensor a = w.abs();
            LayerStats l;
            l.name = "fc" + std::to_string(i + 1);
            l.smallFraction = a.lt(m_config.sparsityThreshold).to(torch::kFloat64).mean().item<double>();
            l.l1Norm = a.sum().item<double>();
            l.l2Norm = w.norm().item<double>();
            e.layers.push_back(l);
        }
    }
    if (!m_panel.empty()) {
        torch::NoGradGuard noGrad;
        const torch::Tensor probs = torch::softmax(m_net->forward(m_testX.index_select(0, m_panelIdx)), 1)
                                        .to(torch::kCPU, torch::kFloat32)
                                        .contiguous();
        Predictions preds;
        preds.epoch = epoch;
        preds.step = m_step;
        const float *p = probs.data_ptr<float>();
        const int classes = static_cast<int>(probs.size(1));
        for (std::size_t i = 0; i < m_panel.size(); ++i) {
            DigitPrediction d;
            d.index = m_panel[i];
            d.label = m_panelLabels[i];
            const float *row = p + i * static_cast<std::size_t>(classes);
            for (int c = 0; c < classes && c < 10; ++c)
                d.probabilities[static_cast<std::size_t>(c)] = row[c];
            d.predicted = static_cast<int>(std::max_element(row, row + classes) - row);
            preds.digits.push_back(d);
        }
        m_panelPredictions = std::move(preds);
    }
    e.trainSeconds = trainSeconds;
    e.evalSeconds = secondsSince(start);
    m_evalSecondsDone += e.evalSeconds;
    m_rec.epochs.push_back(e);
    m_obs.onEpoch(e);
    if (m_panelPredictions) {
        m_rec.lastPredictions = m_panelPredictions;
        m_obs.onPredictions(*m_panelPredictions);
    }
    sendValidationDetail(epoch, valIdx, val.predicted);
    sendSnapshot();
}

void Run::execute(const Dataset &data, const std::string &deviceName)
{
    m_device = torch::Device(deviceName == "cuda" ? torch::kCUDA : torch::kCPU);
    if (m_device.is_cpu())
        configureCpuThreads(m_config.threads);

    // One seed fixes the initial weights and dropout masks (global generator) and, separately, the folds and
    // the batch order, so runs that differ only in lambda see the same data in the same order.
    torch::manual_seed(m_config.seed);
    m_net = Mlp(784, m_config.hidden, 10, m_config.dropout, m_config.leakySlope);
    m_net->to(m_device);
    m_params = m_net->parameters();
    std::vector<bool> inL1Scope;
    for (const auto &item : m_net->named_parameters())
        inL1Scope.push_back(m_config.l1Scope == L1Scope::All || item.key().find("weight") != std::string::npos);
    m_opt = std::make_unique<FlatSgd>(m_params, inL1Scope);
    m_l1 = m_config.l1;
    m_l2 = m_config.l2;
    m_lr = m_config.learningRate;

    const DatasetTensors &t = data.tensors();
    m_trainX = t.trainImages.to(m_device);
    m_trainY = t.trainLabels.to(m_device);
    m_testX = t.testImages.to(m_device);
    m_testY = t.testLabels.to(m_device);

    if (data.trainCount() < m_config.folds)
        throw DataError(data.name() + ": " + std::to_string(data.trainCount()) + " training images cannot make " +
                        std::to_string(m_config.folds) + " folds");
    const std::vector<Fold> folds = makeFolds(data.trainCount(), m_config.folds, m_config.seed);
    auto stepsFor = [&](const Fold &f) {
        return (static_cast<std::int64_t>(f.train.size()) + m_config.batchSize - 1) / m_config.batchSize;
    };
    for (int e = 0; e < m_config.epochs; ++e)
        m_totalSteps += stepsFor(folds[static_cast<std::size_t>(e % m_config.folds)]);

    m_panel = choosePanel(data, m_config.panelDigits, m_config.seed);
    for (int i : m_panel)
        m_panelLabels.push_back(data.testLabel(i));
    m_panelIdx = torch::tensor(std::vector<std::int64_t>(m_panel.begin(), m_panel.end()), torch::kInt64).to(m_device);

    RunInfo info;
    info.device = m_device.is_cuda() ? "cuda:0" : "cpu";
    info.dataName = data.name();
    info.classNames = data.classNames();
    info.trainCount = data.trainCount();
    info.testCount = data.testCount();
    info.stepsPerEpoch = stepsFor(folds.front());
    info.totalSteps = m_totalSteps;
    for (const auto &p : m_params)
        info.parameterCount += p.numel();
    for (int i : m_panel) {
        info.panelIndices.push_back(i);
        info.panelLabels.push_back(data.testLabel(i));
        info.panelPixels.push_back(data.testPixels(i));
    }
    m_rec.device = info.device;
    m_rec.dataName = info.dataName;
    m_obs.onStarted(info);

    auto orderGen = at::make_generator<at::CPUGeneratorImpl>(m_config.seed + 1);
    for (int epoch = 1; epoch <= m_config.epochs; ++epoch) {
        m_epoch = epoch;
        const int foldIndex = (epoch - 1) % m_config.folds;
        const Fold &fold = folds[static_cast<std::size_t>(foldIndex)];
        m_stepsPerEpoch = stepsFor(fold);
        const torch::Tensor trainIdx = torch::tensor(fold.train, torch::kInt64);
        const torch::Tensor perm = torch::randperm(trainIdx.size(0), orderGen, torch::kInt64);
        const torch::Tensor order = trainIdx.index_select(0, perm).to(m_device);
        const torch::Tensor valIdx = torch::tensor(fold.validation, torch::kInt64).to(m_device);

        m_epochStart = Clock::now();
        m_pausedInEpoch = 0;
        if (!trainEpoch(epoch, fold, order))
            return;
        const double trainSeconds = secondsSince(m_epochStart) - m_pausedInEpoch;
        m_trainSecondsDone += trainSeconds;
        evaluateEpoch(epoch, foldIndex, valIdx, trainSeconds, m_lastEpochLoss);
        sendProgress(false, true);
    }
    m_rec.status = RunStatus::Finished;
}

class NullObserver : public TrainObserver {};

} // namespace

RunRecord train(const TrainConfig &config, TrainControl &control, TrainObserver *observer,
                std::shared_ptr<const Dataset> data)
{
    NullObserver none;
    TrainObserver &obs = observer ? *observer : none;
    RunRecord rec;
    rec.config = config;
    rec.startedAt = nowIso8601();
    rec.versions = libraryVersions();
    const auto start = Clock::now();
    auto fail = [&](const std::string &message) {
        rec.status = RunStatus::Failed;
        rec.message = message;
    };

    if (const std::string problem = validate(config); !problem.empty()) {
        fail("invalid configuration: " + problem);
    } else {
        try {
            std::string deviceError;
            const std::string device = resolveDevice(config.device, deviceError);
            if (device.empty()) {
                fail(deviceError);
            } else {
                if (!data)
                    data = Dataset::load(resolveDataSource(config.data));
                Run run(config, control, obs, rec);
                run.execute(*data, device);
            }
        } catch (const DataError &e) {
            fail(e.what());
        } catch (const c10::Error &e) {
            fail(std::string("LibTorch error: ") + e.what_without_backtrace() +
                 " (for a GPU: out of memory or a lost device; try a smaller batch or the CPU)");
        } catch (const std::exception &e) {
            fail(std::string("unexpected error: ") + e.what());
        }
    }
    rec.totalSeconds = secondsSince(start);
    obs.onFinished(rec);
    return rec;
}

} // namespace reglab
