// reglab-bench-speed: the forum workload at full size (Fashion-MNIST: 48,000 training, 12,000 validation and
// 10,000 test images per epoch, batch 50, lambda1 = 0.01) and the seconds per epoch it takes.
#include "app/cliargs.h"
#include "model/dataset.h"
#include "model/trainer.h"

#include <algorithm>
#include <cstdio>
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
} // namespace

int main(int argc, char **argv)
{
    using namespace reglab;
    CliOptions options;
    // The forum workload unless told otherwise; reglab-train's flags apply.
    std::vector<std::string> args = {"--data", "fashion", "--epochs", "3", "--l1", "0.01", "--device", "cpu"};
    args.insert(args.end(), argv + 1, argv + argc);
    const std::string error = parseTrainArgs(args, options);
    if (options.help) {
        std::cout << "usage: reglab-bench-speed [reglab-train options]\n"
                     "Defaults: --data fashion --epochs 3 --l1 0.01 --device cpu; prints seconds per epoch.\n";
        return 0;
    }
    if (!error.empty()) {
        std::cerr << "reglab-bench-speed: " << error << '\n';
        return 2;
    }
    std::shared_ptr<const Dataset> data;
    try {
        data = Dataset::load(resolveDataSource(options.config.data));
    } catch (const std::exception &e) {
        std::cerr << "reglab-bench-speed: data error: " << e.what() << '\n';
        return 3;
    }
    TrainControl control;
    const RunRecord r = train(options.config, control, nullptr, data);
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
    return 0;
}
