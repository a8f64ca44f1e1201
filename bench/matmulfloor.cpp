#include "bench/matmulfloor.h"

#include "model/runtime.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace reglab {

namespace {
using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}
} // namespace

MatmulFloor measureMatmulFloor(const TrainConfig &config, std::int64_t trainImages, std::int64_t evalImages)
{
    torch::NoGradGuard noGrad;
    configureCpuThreads(config.threads);
    std::vector<std::int64_t> widths = {784};
    widths.insert(widths.end(), config.hidden.begin(), config.hidden.end());
    widths.push_back(10);
    const std::size_t layers = widths.size() - 1;
    const std::int64_t batch = config.batchSize;
    // The same buffers every step, as a tuned implementation would keep them: the floor pays for no allocation.
    std::vector<torch::Tensor> weights, weightGrads, inputs, outputs, inputGrads;
    for (std::size_t i = 0; i < layers; ++i) {
        weights.push_back(torch::randn({widths[i + 1], widths[i]}) * 0.05);
        weightGrads.push_back(torch::empty({widths[i + 1], widths[i]}));
        inputs.push_back(torch::rand({batch, widths[i]}));
        outputs.push_back(torch::randn({batch, widths[i + 1]}) * 0.1);
        inputGrads.push_back(torch::empty({batch, widths[i]}));
    }
    MatmulFloor floor;
    const std::int64_t steps = (trainImages + batch - 1) / batch;
    auto start = Clock::now();
    for (std::int64_t s = 0; s < steps; ++s) {
        for (std::size_t i = 0; i < layers; ++i)
            torch::mm_out(outputs[i], inputs[i], weights[i].t());
        for (std::size_t i = layers; i-- > 0;) {
            torch::mm_out(weightGrads[i], outputs[i].t(), inputs[i]);
            if (i > 0) // the first layer's input is the image: no gradient wanted
                torch::mm_out(inputGrads[i], outputs[i], weights[i]);
        }
    }
    floor.trainSeconds = secondsSince(start);

    const std::int64_t chunk = 2048; // the evaluator's chunk on the CPU (model/measurements.cpp)
    std::vector<torch::Tensor> evalIn, evalOut;
    for (std::size_t i = 0; i < layers; ++i) {
        evalIn.push_back(torch::rand({chunk, widths[i]}));
        evalOut.push_back(torch::empty({chunk, widths[i + 1]}));
    }
    start = Clock::now();
    for (std::int64_t done = 0; done < evalImages; done += chunk) {
        const std::int64_t n = std::min(chunk, evalImages - done);
        for (std::size_t i = 0; i < layers; ++i) {
            torch::Tensor out = evalOut[i].narrow(0, 0, n);
            torch::mm_out(out, evalIn[i].narrow(0, 0, n), weights[i].t());
        }
    }
    floor.evalSeconds = secondsSince(start);
    return floor;
}

std::vector<ProductRate> measureProductRates(const TrainConfig &config)
{
    torch::NoGradGuard noGrad;
    configureCpuThreads(config.threads);
    std::vector<std::int64_t> widths = {784};
    widths.insert(widths.end(), config.hidden.begin(), config.hidden.end());
    widths.push_back(10);
    const std::int64_t batch = config.batchSize;
    std::vector<ProductRate> rates;
    // Repeats for about 20 ms, keeping the fastest of 5 rounds: a product takes microseconds, a round a few ms.
    auto time = [](const std::function<void()> &product) {
        product(); // the buffers' first touch, outside the timing
        double best = 1e30;
        for (int round = 0; round < 5; ++round) {
            int reps = 0;
            const auto start = Clock::now();
            do {
                product();
                ++reps;
            } while (secondsSince(start) < 0.004);
            best = std::min(best, 1e6 * secondsSince(start) / reps);
        }
        return best;
    };
    for (std::size_t i = 0; i + 1 < widths.size(); ++i) {
        const std::int64_t in = widths[i], out = widths[i + 1];
        const std::string layer = "fc" + std::to_string(i + 1);
        const torch::Tensor w = torch::randn({out, in}) * 0.05, x = torch::rand({batch, in}),
                            g = torch::randn({batch, out}) * 0.1;
        torch::Tensor y = torch::empty({batch, out}), wg = torch::empty({out, in}), xg = torch::empty({batch, in});
        ProductRate forward{layer + " forward", batch, out, in, 0};
        forward.microseconds = time([&] { torch::mm_out(y, x, w.t()); });
        rates.push_back(forward);
        ProductRate weightGrad{layer + " weight gradient", out, in, batch, 0};
        weightGrad.microseconds = time([&] { torch::mm_out(wg, g.t(), x); });
        rates.push_back(weightGrad);
        if (i > 0) { // the first layer's input is the image: no gradient wanted
            ProductRate inputGrad{layer + " input gradient", batch, in, out, 0};
            inputGrad.microseconds = time([&] { torch::mm_out(xg, g, w); });
            rates.push_back(inputGrad);
        }
    }
    return rates;
}

} // namespace reglab
