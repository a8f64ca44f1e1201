#include "model/trainer.h"

#include "model/augment.h"
#include "model/blaspool.h"
#include "model/cpupasses.h"
#include "model/dataset.h"
#include "model/datasettensors.h"
#include "model/error.h"
#include "model/flatoptimizer.h"
#include "model/folds.h"
#include "model/measurements.h"
#include "model/mlp.h"
#include "model/runrecordbuilder.h"
#include "model/runtime.h"

#include <chrono>
#include <cstring>
#include <exception>
#include <limits>
#include <cmath>
#include <new>
#include <optional>

namespace reglab {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kClasses = 10;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Rows `idx` of images and labels into x and y. On the CPU (contiguous float32 images, int64 labels) copied by hand
// (gatherRows): index_select's dispatch and its checks cost as much as copying the batch's 50 rows.
void gatherBatch(const torch::Tensor &images, const torch::Tensor &labels, const torch::Tensor &idx, torch::Tensor &x,
                 torch::Tensor &y)
{
    const bool plain = images.is_cpu() && images.scalar_type() == torch::kFloat32 && images.is_contiguous() &&
                       labels.is_cpu() && labels.scalar_type() == torch::kInt64 && labels.is_contiguous() &&
                       idx.is_cpu() && idx.scalar_type() == torch::kInt64 && idx.is_contiguous() && x.is_contiguous() &&
                       images.dim() == 2 && labels.dim() == 1;
    if (!plain) {
        torch::index_select_out(x, images, 0, idx);
        torch::index_select_out(y, labels, 0, idx);
        return;
    }
    const std::int64_t rows = idx.size(0), count = images.size(0);
    const std::int64_t *index = idx.data_ptr<std::int64_t>();
    const std::int64_t *labelFrom = labels.data_ptr<std::int64_t>();
    std::int64_t *labelTo = y.data_ptr<std::int64_t>();
    for (std::int64_t r = 0; r < rows; ++r) {
        const std::int64_t i = index[r];
        if (i < 0 || i >= count)
            throw Error(ErrorKind::Internal, "a batch index outside the data set; this is a bug in RegLab");
        labelTo[r] = labelFrom[i];
    }
    gatherRows(x.data_ptr<float>(), images.data_ptr<float>(), index, rows, images.size(1));
}

// A logging point's two halves (see Run::trainEpoch): part 0, here, the penalties' sums through LibTorch (whose
// exceptions must not cross OpenBLAS's frames: kept and rethrown after); part 1 the gradient balance's loops.
struct LogPoint {
    FlatOptimizer *optimizer;
    BalanceWork balance;
    torch::Tensor l1Sum, l2Sum;
    std::exception_ptr error;
};

void logPointPart(void *context, int part, int)
{
    auto &point = *static_cast<LogPoint *>(context);
    if (part == 1) {
        finishBalance(point.balance);
        return;
    }
    try {
        torch::NoGradGuard noGrad;
        point.l1Sum = point.optimizer->l1AbsSum();
        point.l2Sum = point.optimizer->squareSum();
    } catch (...) {
        point.error = std::current_exception();
    }
}

class Run {
public:
    Run(const TrainConfig &config, TrainControl &control, TrainObserver &observer, RunRecord &record)
        : m_config(config), m_control(control), m_obs(observer), m_rec(record), m_builder(record), m_live(config),
          m_noiseGenerator(at::make_generator<at::CPUGeneratorImpl>(config.seed + 5)),
          m_shiftState(config.seed ^ 0x5bd1e995d1b54a32ULL)
    {
    }

    // Returns normally on finish, stop and divergence (status set); throws on faults.
    void execute(const Dataset &data, const std::string &deviceName);

private:
    void applyChanges(std::int64_t nextStep);
    bool trainEpoch(int epoch, const Fold &fold, const torch::Tensor &order);
    void evaluateEpoch(int epoch, int foldIndex, const torch::Tensor &valIdx, double trainSeconds, double trainLoss);
    // The training images whose accuracy is measured after this epoch: at most train_eval of the epoch's training
    // part, the same ones while the part stays the same (a seeded order, filtered).
    torch::Tensor trainEvalRows(const Fold &fold) const;
    // Shifts and input noise on the batch (a copy): never on the data set's own images.
    void augment(torch::Tensor &x);
    // Early stopping: keeps the best epoch's weights; true when the run should end here (weights restored).
    bool stopsEarly(int epoch, const torch::Tensor &valIdx);
    void sendProgress(bool evaluating, bool force);
    void sendSnapshot();
    // Waits out a pause, answering snapshot requests.
    void waitOutPause();
    // Holds the loop to the teacher's pace (TrainControl::setPace), if one is set.
    void pace();
    // Ends the run as diverged: `what` says how ("became NaN at step 12"); returns false for the caller to return.
    bool diverged(const std::string &what, int epoch);
    // Every event is filed in the run's record and then reported: the record is what the events say.
    void emit(const TrainEvent &event)
    {
        m_builder.apply(event);
        m_obs.onEvent(event);
    }

    const TrainConfig &m_config;
    TrainControl &m_control;
    TrainObserver &m_obs;
    RunRecord &m_rec;
    RunRecordBuilder m_builder;

    torch::Device m_device{torch::kCPU};
    Mlp m_net{nullptr};
    std::unique_ptr<FlatOptimizer> m_opt;
    std::vector<torch::Tensor> m_params;
    torch::Tensor m_trainX, m_trainY, m_testX, m_testY, m_panelIdx;
    torch::Tensor m_evalOrder, m_trainEvalIdx; // a seeded order of the training rows, for trainEvalRows
    double m_bestValLoss = std::numeric_limits<double>::infinity();
    int m_bestEpoch = 0;
    std::vector<torch::Tensor> m_bestParams;
    std::vector<int> m_panel, m_panelLabels;

    TrainConfig m_live; // the settings in force: the config and the live changes so far
    at::Generator m_noiseGenerator; // input noise's own: runs without it draw what they drew before
    std::uint64_t m_shiftState;
    std::int64_t m_step = 0, m_totalSteps = 0, m_stepsPerEpoch = 0, m_stepInEpoch = 0;
    int m_epoch = 0;
    double m_trainSecondsDone = 0; // finished epochs' training time
    double m_evalSecondsDone = 0;
    Clock::time_point m_epochStart, m_lastProgress, m_nextPacedStep;
    double m_pausedInEpoch = 0;
    double m_lastRate = 0;
    double m_lastEpochLoss = 0;
};

void Run::applyChanges(std::int64_t nextStep)
{
    TrainControl::Changes changes;
    if (!m_control.takeChanges(changes))
        return;
    for (const auto &[key, value] : changes) {
        // Only a live setting, by its key, with a value its flag would take and that the run can use (one
        // dropout rate per hidden layer): anything else would poison the run. The window validates too.
        const ConfigField *field = findField(key);
        if (!field || field->key != key || !field->live)
            continue;
        TrainConfig next = m_live;
        if (!field->set(next, value).empty() || !validate(next).empty() || field->get(next) == field->get(m_live))
            continue;
        m_live = std::move(next);
        emit(SettingChange{nextStep, key, field->get(m_live)});
    }
    m_net->setDropout(m_live.dropout); // from this step's forward pass on
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
    emit(p);
}

bool Run::diverged(const std::string &what, int epoch)
{
    m_rec.status = RunStatus::Diverged;
    m_rec.errorKind = ErrorKind::Diverged;
    m_rec.message = "the loss " + what + " (epoch " + std::to_string(epoch) +
                    "); lower the learning rate or the regularization strength";
    return false;
}

bool Run::trainEpoch(int epoch, const Fold &fold, const torch::Tensor &order)
{
    m_net->train();
    const std::int64_t n = static_cast<std::int64_t>(fold.train.size());
    const std::int64_t batch = m_config.batchSize;
    const bool onCpu = m_device.is_cpu();
    torch::Tensor lossSum = torch::zeros({}, m_trainX.options());
    // On the CPU the same float additions as that tensor's, without an op per step.
    float cpuLossSum = 0;
    const auto epochLossSum = [&] { return onCpu ? double(cpuLossSum) : lossSum.item<double>(); };
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
        gatherBatch(m_trainX, m_trainY, idx, x, y);
        augment(x);
        // The explicit L2 penalty goes through autograd: it is the check that weight decay is right. Everything
        // else takes the hand-written backward, which gives the same gradients with far fewer ops.
        const bool autograd = m_config.l2Mode == L2Mode::Penalty && m_live.l2 > 0;
        torch::Tensor dataLoss, loss;
        if (autograd) {
            dataLoss = torch::nn::functional::cross_entropy(
                m_net->forward(x),
                y, torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(m_live.labelSmoothing));
            torch::Tensor squares = m_params.front().square().sum();
            for (std::size_t i = 1; i < m_params.size(); ++i)
                squares = squares + m_params[i].square().sum();
            loss = dataLoss + (m_live.l2 / 2) * squares;
        }

        const bool logNow = m_step == 0 || (m_step + 1) % m_config.logEvery == 0;
        // On the CPU without autograd, a logging point's two halves run side by side once the gradients are there
        // (the parameters are still those the batch's loss was computed with): the penalties' sums here and the
        // gradient balance's loops on OpenBLAS's other thread, 0.3 ms each for the forum network.
        const bool sideBySide = logNow && onCpu && !autograd;
        torch::Tensor l1Sum, l2Sum;
        if (logNow && !sideBySide) {
            // The penalties of the parameters this batch's loss was computed with, before the update.
            torch::NoGradGuard noGrad;
            l1Sum = m_opt->l1AbsSum();
            l2Sum = m_opt->squareSum();
        }

        if (autograd) {
            m_opt->zeroGrad();
            loss.backward();
        } else {
            dataLoss = m_net->lossAndGradients(x, y, m_live.labelSmoothing);
            loss = dataLoss;
        }
        // The gradients are the data loss's until the step adds the penalties.
        if (sideBySide) {
            LogPoint point{m_opt.get(), prepareBalance(m_net, m_live.l1, m_live.l2, false, m_step + 1, epoch), {}, {}, {}};
            runBlasPool(2, &logPointPart, &point);
            if (point.error)
                std::rethrow_exception(point.error);
            l1Sum = point.l1Sum;
            l2Sum = point.l2Sum;
            emit(point.balance.balance);
        } else if (logNow) {
            emit(gradientBalance(m_net, m_live.l1, m_live.l2, autograd, m_step + 1, epoch));
        }
        m_opt->step({m_live.learningRate, m_live.l1, m_config.l2Mode == L2Mode::Decay ? m_live.l2 : 0.0});
        if (m_live.maxNorm > 0)
            m_net->applyMaxNorm(m_live.maxNorm);
        ++m_step;
        ++m_stepInEpoch;
        samplesSinceLog += size;
        if (onCpu)
            cpuLossSum += dataLoss.item<float>();
        else
            lossSum += dataLoss.detach();

        // On CPU a scalar read costs nothing, so divergence is caught at its step; on CUDA only at logging
        // points, to keep the host from waiting on the GPU every step.
        if (onCpu) {
            const double v = loss.item<double>();
            if (!std::isfinite(v))
                return diverged(std::string("became ") + (std::isnan(v) ? "NaN" : "infinite") + " at step " +
                                    std::to_string(m_step),
                                epoch);
        }
        if (logNow) {
            StepRecord s;
            s.step = m_step;
            s.epoch = epoch;
            s.dataLoss = dataLoss.item<double>();
            s.l1Term = m_live.l1 * l1Sum.item<double>();
            s.l2Term = m_live.l2 / 2 * l2Sum.item<double>();
            s.loss = s.dataLoss + s.l1Term + s.l2Term;
            s.l1 = m_live.l1;
            s.l2 = m_live.l2;
            s.learningRate = m_live.learningRate;
            const double elapsed = secondsSince(lastLog);
            s.samplesPerSecond = elapsed > 0 ? double(samplesSinceLog) / elapsed : 0.0;
            m_lastRate = s.samplesPerSecond;
            lastLog = Clock::now();
            samplesSinceLog = 0;
            if (!std::isfinite(s.dataLoss) || !std::isfinite(epochLossSum()))
                return diverged("became non-finite by step " + std::to_string(m_step), epoch);
            emit(s);
        }
        sendProgress(false, false);
        pace();
    }
    const double meanLoss = epochLossSum() / double(m_stepInEpoch);
    if (!std::isfinite(meanLoss))
        return diverged("became non-finite in this epoch", epoch);
    m_lastEpochLoss = meanLoss;
    return true;
}

void Run::pace()
{
    const double stepsPerSecond = m_control.pace();
    if (stepsPerSecond <= 0) {
        m_nextPacedStep = {};
        return;
    }
    const auto now = Clock::now();
    const auto interval =
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / stepsPerSecond));
    // A slow step, a pause or a new pace restarts the schedule from now rather than rushing to catch up.
    if (m_nextPacedStep == Clock::time_point{} || m_nextPacedStep < now - interval || m_nextPacedStep > now + interval)
        m_nextPacedStep = now;
    m_nextPacedStep += interval;
    m_control.waitUntil(m_nextPacedStep);
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
    WeightSnapshot snapshot = weightSnapshot(m_net, static_cast<int>(m_rec.epochs.size()), m_step);
    emit(snapshot);
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
    const Evaluation val = evaluate(m_net, m_trainX, m_trainY, valIdx, true);
    const Evaluation test = evaluate(m_net, m_testX, m_testY, torch::Tensor());
    e.valLoss = val.loss;
    e.valAccuracy = val.accuracy;
    e.testLoss = test.loss;
    e.testAccuracy = test.accuracy;
    if (m_trainEvalIdx.defined() && m_trainEvalIdx.numel() > 0) {
        const Evaluation seen = evaluate(m_net, m_trainX, m_trainY, m_trainEvalIdx);
        e.trainAccuracy = seen.accuracy;
        e.trainEvalLoss = seen.loss;
    }
    e.layers = layerStats(m_net, m_config.sparsityThreshold);
    std::optional<Predictions> panel;
    if (!m_panel.empty())
        panel = panelPredictions(m_net, m_testX, m_panelIdx, m_panel, m_panelLabels, epoch, m_step);
    e.trainSeconds = trainSeconds;
    e.evalSeconds = secondsSince(start);
    m_evalSecondsDone += e.evalSeconds;
    emit(e);
    if (panel)
        emit(*panel);
    if (val.predicted.defined() && val.predicted.numel() > 0)
        emit(validationDetail(m_net, m_trainX, m_trainY, valIdx, val.predicted, epoch, m_step));
    sendSnapshot();
}

void Run::augment(torch::Tensor &x)
{
    if (m_live.shift > 0)
        shiftImages(x, m_live.shift, m_shiftState, static_cast<float>(-kMean / kStd));
    if (m_live.inputNoise > 0) {
        const torch::Tensor noise =
            torch::randn(x.sizes(), m_noiseGenerator, x.options().device(torch::kCPU)).mul_(m_live.inputNoise);
        x.add_(noise.to(x.device()));
    }
}

torch::Tensor Run::trainEvalRows(const Fold &fold) const
{
    const std::int64_t limit = m_config.trainEval;
    if (limit <= 0 || fold.train.empty())
        return {};
    std::vector<char> inPart(static_cast<std::size_t>(m_trainX.size(0)), 0);
    for (std::int64_t i : fold.train)
        inPart[static_cast<std::size_t>(i)] = 1;
    std::vector<std::int64_t> rows;
    rows.reserve(static_cast<std::size_t>(std::min<std::int64_t>(limit, std::int64_t(fold.train.size()))));
    const std::int64_t *order = m_evalOrder.data_ptr<std::int64_t>();
    for (std::int64_t k = 0; k < m_evalOrder.size(0) && std::int64_t(rows.size()) < limit; ++k)
        if (inPart[static_cast<std::size_t>(order[k])])
            rows.push_back(order[k]);
    std::sort(rows.begin(), rows.end()); // in memory order: the gather reads forward
    return torch::tensor(rows, torch::kInt64).to(m_device);
}

bool Run::stopsEarly(int epoch, const torch::Tensor &valIdx)
{
    const double valLoss = m_rec.epochs.back().valLoss;
    torch::NoGradGuard noGrad;
    if (valLoss < m_bestValLoss) {
        m_bestValLoss = valLoss;
        m_bestEpoch = epoch;
        if (m_bestParams.empty())
            for (const auto &p : m_params)
                m_bestParams.push_back(p.detach().clone());
        else
            for (std::size_t i = 0; i < m_params.size(); ++i)
                m_bestParams[i].copy_(m_params[i]);
        return false;
    }
    const int patience = m_live.earlyStop; // live: read at each epoch's end
    if (patience <= 0 || m_bestEpoch == 0 || epoch - m_bestEpoch < patience)
        return false;
    for (std::size_t i = 0; i < m_params.size(); ++i)
        m_params[i].copy_(m_bestParams[i]);
    EarlyStop stop{epoch, m_bestEpoch, patience, m_bestValLoss};
    emit(stop);
    char loss[32];
    std::snprintf(loss, sizeof loss, "%.4f", m_bestValLoss);
    m_rec.message = "early stopping after epoch " + std::to_string(epoch) + ": the validation loss had not improved for " +
                    std::to_string(patience) + " epoch(s); the weights of epoch " + std::to_string(m_bestEpoch) +
                    " (validation loss " + loss + ") were restored";
    // What the views show last is the network the run ends with.
    if (!m_panel.empty())
        emit(panelPredictions(m_net, m_testX, m_panelIdx, m_panel, m_panelLabels, m_bestEpoch, m_step));
    const Evaluation val = evaluate(m_net, m_trainX, m_trainY, valIdx, true);
    if (val.predicted.defined() && val.predicted.numel() > 0)
        emit(validationDetail(m_net, m_trainX, m_trainY, valIdx, val.predicted, m_bestEpoch, m_step));
    sendSnapshot();
    return true;
}

void Run::execute(const Dataset &data, const std::string &deviceName)
{
    m_device = torch::Device(deviceName == "cuda" ? torch::kCUDA : torch::kCPU);
    if (m_device.is_cpu())
        configureCpuThreads(m_config.threads);

    // One seed fixes the initial weights and dropout masks (global generator) and, separately, the folds and
    // the batch order, so runs that differ only in lambda see the same data in the same order.
    torch::manual_seed(m_config.seed);
    m_net = Mlp(784, m_config.hidden, kClasses, m_config.dropout, m_config.leakySlope);
    m_net->to(m_device);
    m_params = m_net->parameters();
    m_opt = std::make_unique<FlatOptimizer>(m_net, OptimizerSettings::from(m_config));

    const DatasetTensors &t = data.tensors();
    // The overfitting regime's training set, from its own generator: with train_size and label_noise at 0 the
    // run draws exactly what it drew before them.
    auto setGenerator = at::make_generator<at::CPUGeneratorImpl>(m_config.seed + 3);
    const TrainingSet set = prepareTrainingSet(t.trainImages, t.trainLabels, m_config.trainSize, m_config.labelNoise,
                                               kClasses, setGenerator);
    m_trainX = set.images.to(m_device);
    m_trainY = set.labels.to(m_device);
    m_testX = t.testImages.to(m_device);
    m_testY = t.testLabels.to(m_device);
    const std::int64_t trainCount = m_trainX.size(0);
    auto evalGenerator = at::make_generator<at::CPUGeneratorImpl>(m_config.seed + 2);
    m_evalOrder = torch::randperm(trainCount, evalGenerator, torch::kInt64);

    const std::vector<Fold> folds = makeFolds(trainCount, m_config.folds, m_config.seed);
    // Holdout: the first fold's split for every epoch; rotate: epoch e takes fold e % K.
    const auto foldOf = [&](int epoch) {
        return m_config.validation == Validation::Holdout ? 0 : (epoch - 1) % m_config.folds;
    };
    auto stepsFor = [&](const Fold &f) {
        return (static_cast<std::int64_t>(f.train.size()) + m_config.batchSize - 1) / m_config.batchSize;
    };
    for (int e = 1; e <= m_config.epochs; ++e)
        m_totalSteps += stepsFor(folds[static_cast<std::size_t>(foldOf(e))]);

    m_panel = choosePanel(data, m_config.panelDigits, m_config.seed);
    for (int i : m_panel)
        m_panelLabels.push_back(data.testLabel(i));
    m_panelIdx = torch::tensor(std::vector<std::int64_t>(m_panel.begin(), m_panel.end()), torch::kInt64).to(m_device);

    RunInfo info;
    info.device = m_device.is_cuda() ? "cuda:0" : "cpu";
    info.kernels = m_device.is_cuda() ? std::string() : shortBlasKernels(blasKernels());
    info.dataName = data.name();
    info.classNames = data.classNames();
    info.trainCount = trainCount;
    info.flippedLabels = set.flipped;
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
    emit(info);

    auto orderGen = at::make_generator<at::CPUGeneratorImpl>(m_config.seed + 1);
    for (int epoch = 1; epoch <= m_config.epochs; ++epoch) {
        m_epoch = epoch;
        const int foldIndex = foldOf(epoch);
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
        m_trainEvalIdx = trainEvalRows(fold);
        evaluateEpoch(epoch, foldIndex, valIdx, trainSeconds, m_lastEpochLoss);
        sendProgress(false, true);
        if (stopsEarly(epoch, valIdx))
            break;
    }
    m_rec.status = RunStatus::Finished;
}

} // namespace

RunRecord train(const TrainConfig &config, TrainControl &control, TrainObserver *observer,
                std::shared_ptr<const Dataset> data)
{
    struct NullObserver : TrainObserver {
        void onEvent(const TrainEvent &) override {}
    } none;
    TrainObserver &obs = observer ? *observer : none;
    RunRecord rec;
    rec.config = config;
    rec.startedAt = nowIso8601();
    rec.versions = libraryVersions();
    rec.blas = blasKernels();
    const auto start = Clock::now();
    auto fail = [&](ErrorKind kind, const std::string &message) {
        rec.status = RunStatus::Failed;
        rec.errorKind = kind;
        rec.message = message;
    };

    if (const std::string problem = validate(config); !problem.empty()) {
        fail(ErrorKind::Arguments, "invalid configuration: " + problem);
    } else {
        try {
            std::string deviceError;
            const std::string device = resolveDevice(config.device, deviceError);
            if (device.empty()) {
                fail(ErrorKind::Device, deviceError);
            } else {
                // OpenBLAS's buffers before the data: near a memory limit a message, not a hang (see prepareCpu).
                if (device == "cpu")
                    prepareCpu(config.threads);
                if (!data)
                    data = Dataset::load(resolveDataSource(config.data));
                if (config.trainSize > data->trainCount())
                    throw DataError(data->name() + " has " + std::to_string(data->trainCount()) +
                                    " training images, fewer than --train-size " + std::to_string(config.trainSize) +
                                    " asks for; use at most " + std::to_string(data->trainCount()) +
                                    ", or 0 for all of them");
                const std::int64_t trainCount = config.trainSize > 0 ? config.trainSize : data->trainCount();
                if (trainCount < config.folds)
                    throw DataError(data->name() + ": " + std::to_string(trainCount) +
                                    " training image(s) cannot make " + std::to_string(config.folds) +
                                    " folds (each fold validates on at least one); " +
                                    (trainCount >= 2
                                         ? "use at most " + std::to_string(trainCount) + " folds (--folds " +
                                               std::to_string(trainCount) + "), or "
                                         : std::string("use ")) +
                                    (config.trainSize > 0 ? "a larger --train-size" : "a data set with more training images"));
                Run run(config, control, obs, rec);
                run.execute(*data, device);
            }
        } catch (const Error &e) {
            fail(e.kind(), e.what());
        } catch (const std::bad_alloc &) {
            fail(ErrorKind::Memory, "out of memory; use a smaller batch, fewer hidden units or a smaller data set, "
                                    "or free memory (the curves so far are kept)");
        } catch (const c10::Error &e) {
            const std::string what = e.what_without_backtrace();
            const bool memory =
                what.find("out of memory") != std::string::npos || what.find("alloc") != std::string::npos;
            fail(memory                   ? ErrorKind::Memory
                 : config.device == "cpu" ? ErrorKind::Internal
                                          : ErrorKind::Device,
                 "LibTorch error: " + what +
                     (memory ? " (out of memory: use a smaller batch or free memory)"
                             : " (for a GPU: a lost device or a driver problem; try the CPU)"));
        } catch (const std::exception &e) {
            fail(ErrorKind::Internal, std::string("unexpected error: ") + e.what());
        }
    }
    rec.totalSeconds = secondsSince(start);
    obs.onEvent(rec);
    return rec;
}

} // namespace reglab
