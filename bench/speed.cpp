// reglab-bench-speed: the forum workload at full size (Fashion-MNIST: 48,000 training, 12,000 validation and
// 10,000 test images per epoch, batch 50, lambda1 = 0.01) and the seconds per epoch it takes; with
// --compare-optimizers, SGD, Adam and AdamW on it in turn, and what an Adam or AdamW epoch costs against SGD's.
// After each epoch it times the floor (the epoch's matrix products alone, bench/matmulfloor.h) and prints the
// epoch as a multiple of it: paired epoch by epoch, the ratio holds on a machine whose load drifts. First of all it
// names the BLAS kernels in use and times each matrix product of a step alone (GFLOP/s).
#include "app/cliargs.h"
#include "bench/matmulfloor.h"
#include "model/blaskernels.h"
#include "model/blaspool.h"
#include "model/dataset.h"
#include "model/datasettensors.h"
#include "model/flatoptimizer.h"
#include "model/mlp.h"
#include "model/runtime.h"
#include "model/trainer.h"

#include <sys/resource.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <vector>

namespace {
double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// The CPU seconds this process has used, all its threads together.
double cpuSeconds()
{
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// SGD, Adam and AdamW in rounds (one run of each per round, so that a machine's load drifting over the minutes
// touches all three alike); per optimizer the fastest and the median epoch, and their ratios to SGD's. On a busy
// machine the fastest epoch is the one least disturbed by others, and the CPU seconds an epoch takes (what the
// process used, not counting the time others had the cores) are steadier than its wall-clock seconds.
int compareOptimizers(const reglab::TrainConfig &config, const std::shared_ptr<const reglab::Dataset> &data, int rounds)
{
    using namespace reglab;
    const Optimizer kinds[] = {Optimizer::Sgd, Optimizer::Adam, Optimizer::AdamW};
    std::vector<double> trainS[3], epochS[3], cpuS[3];
    TrainControl control;
    for (int round = 1; round <= rounds; ++round)
        for (int k = 0; k < 3; ++k) {
            TrainConfig c = config;
            c.optimizer = kinds[k];
            if (kinds[k] != Optimizer::Sgd)
                c.learningRate = 0.001; // Adam's usual rate; the cost of a step does not depend on it
            const double cpuBefore = cpuSeconds();
            const RunRecord r = train(c, control, nullptr, data);
            if (r.epochs.empty()) {
                std::cerr << "reglab-bench-speed: " << toString(r.status) << ": " << r.message << '\n';
                return 1;
            }
            cpuS[k].push_back((cpuSeconds() - cpuBefore) / double(r.epochs.size()));
            std::vector<double> train, epoch;
            for (const auto &e : r.epochs) {
                train.push_back(e.trainSeconds);
                epoch.push_back(e.trainSeconds + e.evalSeconds);
            }
            trainS[k].insert(trainS[k].end(), train.begin(), train.end());
            epochS[k].insert(epochS[k].end(), epoch.begin(), epoch.end());
            std::printf("round %d %-5s: train %.3f s, epoch %.3f s (median of %zu epochs), %.3f CPU s per epoch; test "
                        "acc %.4f\n",
                        round, toString(kinds[k]).c_str(), median(train), median(epoch), epoch.size(), cpuS[k].back(),
                        r.epochs.back().testAccuracy);
            std::fflush(stdout);
        }
    auto fastest = [](const std::vector<double> &v) { return *std::min_element(v.begin(), v.end()); };
    std::printf("per epoch over %d rounds (%s, batch %d, lambda1 %g), fastest and median:\n", rounds,
                data->name().c_str(), config.batchSize, config.l1);
    for (int k = 0; k < 3; ++k)
        std::printf("  %-5s epoch %.3f s (%+.1f %% against SGD), median %.3f s (%+.1f %%); training alone %.3f s "
                    "(%+.1f %%)\n",
                    toString(kinds[k]).c_str(), fastest(epochS[k]), 100 * (fastest(epochS[k]) / fastest(epochS[0]) - 1),
                    median(epochS[k]), 100 * (median(epochS[k]) / median(epochS[0]) - 1), fastest(trainS[k]),
                    100 * (fastest(trainS[k]) / fastest(trainS[0]) - 1));
    for (int k = 0; k < 3; ++k)
        std::printf("  %-5s %.3f CPU s per epoch, median (%+.1f %% against SGD)\n", toString(kinds[k]).c_str(),
                    median(cpuS[k]), 100 * (median(cpuS[k]) / median(cpuS[0]) - 1));
    std::printf("REGLAB_OPTIMIZER_RATIOS adam %.4f adamw %.4f\n", fastest(epochS[1]) / fastest(epochS[0]),
                fastest(epochS[2]) / fastest(epochS[0]));
    return 0;
}

// The training step alone (the batch gathered, the hand-written forward and backward, the optimizer's pass), for
// SGD, Adam and AdamW in turn step by step on three copies of the network: whatever else the machine does falls
// on the three alike, so the ratios hold on a busy machine where whole epochs vary by a factor of two.
int interleavedSteps(const reglab::TrainConfig &config, const std::shared_ptr<const reglab::Dataset> &data, int steps)
{
    using namespace reglab;
    using Clock = std::chrono::steady_clock;
    configureCpuThreads(config.threads);
    const Optimizer kinds[] = {Optimizer::Sgd, Optimizer::Adam, Optimizer::AdamW};
    std::vector<Mlp> nets;
    std::vector<std::unique_ptr<FlatOptimizer>> optimizers;
    for (Optimizer kind : kinds) {
        torch::manual_seed(config.seed);
        nets.emplace_back(784, config.hidden, 10, config.dropout, config.leakySlope);
        nets.back()->train();
        TrainConfig c = config;
        c.optimizer = kind;
        optimizers.push_back(std::make_unique<FlatOptimizer>(nets.back(), OptimizerSettings::from(c)));
    }
    const DatasetTensors &t = data->tensors();
    const std::int64_t batch = config.batchSize, n = t.trainImages.size(0);
    const torch::Tensor order = torch::randperm(n, torch::kInt64);
    torch::Tensor x = torch::empty({batch, 784}), y = torch::empty({batch}, torch::kInt64);
    std::vector<double> seconds[3];
    for (int step = 0; step < steps; ++step)
        for (int k = 0; k < 3; ++k) {
            const auto start = Clock::now();
            const torch::Tensor idx = order.narrow(0, (step * batch) % (n - batch), batch);
            torch::index_select_out(x, t.trainImages, 0, idx);
            torch::index_select_out(y, t.trainLabels, 0, idx);
            nets[std::size_t(k)]->lossAndGradients(x, y);
            optimizers[std::size_t(k)]->step(
                {kinds[k] == Optimizer::Sgd ? config.learningRate : 0.001, config.l1, 0.0});
            seconds[k].push_back(std::chrono::duration<double>(Clock::now() - start).count());
        }
    std::printf("one training step, the three interleaved step by step (%d steps each, batch %d, lambda1 %g):\n", steps,
                config.batchSize, config.l1);
    for (int k = 0; k < 3; ++k)
        std::printf("  %-5s median %.1f us, fastest %.1f us (%+.1f %% against SGD's median)\n",
                    toString(kinds[k]).c_str(), 1e6 * median(seconds[k]),
                    1e6 * *std::min_element(seconds[k].begin(), seconds[k].end()),
                    100 * (median(seconds[k]) / median(seconds[0]) - 1));
    std::printf("REGLAB_STEP_RATIOS adam %.4f adamw %.4f\n", median(seconds[1]) / median(seconds[0]),
                median(seconds[2]) / median(seconds[0]));
    return 0;
}
} // namespace

int main(int argc, char **argv)
{
    using namespace reglab;
    chooseBlasKernels(argc, argv); // first of all: may run the program again with faster matrix kernels
    CliOptions options;
    // The forum workload unless told otherwise; reglab-train's flags apply.
    std::vector<std::string> args = {"--data", "fashion", "--epochs", "3", "--l1", "0.01", "--device", "cpu"};
    int rounds = 0;      // --compare-optimizers [ROUNDS]: SGD, Adam and AdamW in turn
    int interleaved = 0; // --interleaved-steps N: their training steps, interleaved
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == "--compare-optimizers") {
            rounds = 3;
            if (i + 1 < argc && std::isdigit(static_cast<unsigned char>(argv[i + 1][0])))
                rounds = std::max(1, std::atoi(argv[++i]));
        } else if (std::string(argv[i]) == "--interleaved-steps" && i + 1 < argc) {
            interleaved = std::max(1, std::atoi(argv[++i]));
        } else if (std::string(argv[i]) == "--one-core-passes") {
            allowBlasPool(false); // the A side of an A/B: every pass on the training thread, as before the pool
        } else {
            args.push_back(argv[i]);
        }
    }
    const std::string error = parseTrainArgs(args, options);
    if (options.help) {
        std::cout << "usage: reglab-bench-speed [--compare-optimizers [ROUNDS] | --interleaved-steps N] "
                     "[--one-core-passes] [reglab-train options]\n"
                     "Defaults: --data fashion --epochs 3 --l1 0.01 --device cpu; prints seconds per epoch.\n"
                     "--compare-optimizers: SGD, Adam (lr 0.001) and AdamW (lr 0.001) in turn, ROUNDS times (3),\n"
                     "and each one's seconds per epoch against SGD's.\n"
                     "--interleaved-steps N: N training steps of each, interleaved step by step (steadier on a busy\n"
                     "machine), and each one's step against SGD's.\n"
                     "--one-core-passes: the element-wise passes all on the training thread, none on OpenBLAS's\n"
                     "other threads (to measure what splitting them buys).\n";
        return 0;
    }
    if (!error.empty()) {
        std::cerr << "reglab-bench-speed: " << error << '\n';
        return 2;
    }
    // The kernels first: with OpenBLAS's fallback kernels every figure below is a third of what this CPU does.
    const BlasKernels &kernels = blasKernels();
    std::printf("BLAS: %s [%s]\n", describeBlasKernels(kernels).c_str(), blasLibraryPath().c_str());
    std::printf("REGLAB_BLAS_CORE %s %s\n", kernels.core.empty() ? "none" : kernels.core.c_str(),
                kernels.chosenBy.empty() ? "none" : kernels.chosenBy.c_str());
    if (options.config.device != "cuda") {
        std::printf("the products of one training step (batch %d), each timed alone, the fastest of 5 rounds:\n",
                    options.config.batchSize);
        for (const ProductRate &p : measureProductRates(options.config))
            std::printf("  %-22s %4lld x %4lld x %4lld  %8.1f us  %6.1f GFLOP/s\n", p.what.c_str(),
                        static_cast<long long>(p.m), static_cast<long long>(p.n), static_cast<long long>(p.k),
                        p.microseconds, p.gflops());
        // measureProductRates set the run's BLAS threads: the pool's width is the run's
        const int parts = blasPoolWidth();
        if (parts > 1)
            std::printf("element-wise passes: the large ones split over %d of OpenBLAS's threads\n", parts);
        else
            std::printf("element-wise passes: on the training thread alone\n");
        std::fflush(stdout);
    }
    std::shared_ptr<const Dataset> data;
    try {
        data = Dataset::load(resolveDataSource(options.config.data));
    } catch (const std::exception &e) {
        std::cerr << "reglab-bench-speed: data error: " << e.what() << '\n';
        return 3;
    }
    if (interleaved > 0)
        return interleavedSteps(options.config, data, interleaved);
    if (rounds > 0)
        return compareOptimizers(options.config, data, rounds);
    // The floor, measured on the training thread right after each epoch is evaluated.
    struct FloorAfterEachEpoch : TrainObserver {
        TrainConfig config;
        std::int64_t trainImages = 0, evalImages = 0;
        std::vector<MatmulFloor> floors;
        bool onCpu = false;
        void onEvent(const TrainEvent &event) override
        {
            if (const auto *info = std::get_if<RunInfo>(&event))
                onCpu = info->device == "cpu";
            if (onCpu && std::holds_alternative<EpochRecord>(event))
                floors.push_back(measureMatmulFloor(config, trainImages, evalImages));
        }
    } floorObserver;
    const int folds = options.config.folds;
    floorObserver.config = options.config;
    floorObserver.evalImages = data->trainCount() / folds + data->testCount() +
                               std::min<std::int64_t>(options.config.trainEval,
                                                      data->trainCount() - data->trainCount() / folds);
    floorObserver.trainImages = data->trainCount() - data->trainCount() / folds;
    TrainControl control;
    const RunRecord r = train(options.config, control, &floorObserver, data);
    if (r.epochs.empty()) {
        std::cerr << "reglab-bench-speed: " << toString(r.status) << ": " << r.message << '\n';
        return 1;
    }
    std::vector<double> trainS, evalS, totalS;
    for (const auto &e : r.epochs) {
        const double trainImages = double(data->trainCount()) * (options.config.folds - 1) / options.config.folds;
        std::printf("epoch %d: train %.3f s (%.0f samples/s), eval %.3f s, total %.3f s, test acc %.4f\n", e.epoch,
                    e.trainSeconds, trainImages / e.trainSeconds, e.evalSeconds, e.trainSeconds + e.evalSeconds,
                    e.testAccuracy);
        trainS.push_back(e.trainSeconds);
        evalS.push_back(e.evalSeconds);
        totalS.push_back(e.trainSeconds + e.evalSeconds);
    }
    const double trainImages = double(data->trainCount()) * (options.config.folds - 1) / options.config.folds;
    const double steps = double(r.epochs.front().step);
    std::printf("median per epoch: train %.3f s, eval %.3f s, epoch %.3f s; %.0f training samples/s, %.0f steps/s "
                "(%s, %s, batch %d, %lld train + %lld test images)\n",
                median(trainS), median(evalS), median(totalS), trainImages / median(trainS), steps / median(trainS),
                r.device.c_str(), data->name().c_str(), options.config.batchSize,
                static_cast<long long>(data->trainCount()), static_cast<long long>(data->testCount()));
    std::printf("REGLAB_EPOCH_SECONDS %.4f\n", median(totalS));
    if (options.config.trainEval > 0) {
        // What the training accuracy (the generalization gap's) costs: the same run without it. Its cost is in the
        // evaluation only (the training steps are the same work in both runs), so it is the evaluation's extra
        // time over the epoch without it; the two runs' training times differ by the machine's noise alone (the
        // first run also measures the floor after each epoch).
        TrainConfig without = options.config;
        without.trainEval = 0;
        const RunRecord w = train(without, control, nullptr, data);
        std::vector<double> withoutS, withoutEvalS;
        for (const auto &e : w.epochs) {
            withoutS.push_back(e.trainSeconds + e.evalSeconds);
            withoutEvalS.push_back(e.evalSeconds);
        }
        if (!withoutS.empty()) {
            const double extra = median(evalS) - median(withoutEvalS);
            std::printf("training accuracy on %d images: evaluation %.3f s with it, %.3f s without: %+.3f s on a "
                        "%.3f s epoch (%+.1f %%); whole epochs %.3f s and %.3f s\n"
                        "REGLAB_TRAIN_EVAL_COST %.4f\n",
                        options.config.trainEval, median(evalS), median(withoutEvalS), extra, median(withoutS),
                        100 * extra / median(withoutS), median(totalS), median(withoutS),
                        1 + extra / median(withoutS));
        }
    }
    if (floorObserver.floors.size() == r.epochs.size()) {
        std::vector<double> floorTrain, floorEval, ratio, trainRatio;
        for (std::size_t i = 0; i < r.epochs.size(); ++i) {
            const MatmulFloor &f = floorObserver.floors[i];
            floorTrain.push_back(f.trainSeconds);
            floorEval.push_back(f.evalSeconds);
            ratio.push_back(totalS[i] / f.epochSeconds());
            trainRatio.push_back(trainS[i] / f.trainSeconds);
            std::printf("epoch %d: floor train %.3f s, eval %.3f s; epoch / floor %.2fx (training %.2fx, eval %.2fx)\n",
                        r.epochs[i].epoch, f.trainSeconds, f.evalSeconds, ratio.back(), trainRatio.back(),
                        evalS[i] / f.evalSeconds);
        }
        std::printf("median floor: train %.3f s, eval %.3f s, epoch %.3f s (the matrix products alone); RegLab's epoch "
                    "is %.2fx the floor (training %.2fx; goal: at most 1.3x)\n",
                    median(floorTrain), median(floorEval), median(floorTrain) + median(floorEval), median(ratio),
                    median(trainRatio));
        std::printf("REGLAB_FLOOR_RATIO %.4f\n", median(ratio));
    }
    return 0;
}
