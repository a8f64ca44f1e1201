// The floor of a training epoch: the matrix products of its steps and of its evaluation alone, at the run's
// shapes, on buffers allocated once. No implementation of the same network does less arithmetic than this, so
// an epoch's seconds over the floor's say how much of it goes to everything else (dropout, activations, the
// loss, the optimizer's pass, gathering batches, bookkeeping).
#pragma once

#include "model/config.h"

#include <cstdint>
#include <string>
#include <vector>

namespace reglab {

struct MatmulFloor {
    double trainSeconds = 0; // forward (one product a layer) and backward (weight gradients and input gradients)
    double evalSeconds = 0;  // forward alone over the validation and test images, in the evaluator's chunks
    double epochSeconds() const { return trainSeconds + evalSeconds; }
};

// One epoch's floor for `config` (hidden sizes, batch, BLAS threads) with `trainImages` images trained on and
// `evalImages` evaluated. CPU only.
MatmulFloor measureMatmulFloor(const TrainConfig &config, std::int64_t trainImages, std::int64_t evalImages);

// One matrix product of a training step, timed alone: out (m x n) = a (m x k) times b (k x n), as LibTorch calls
// the BLAS for it.
struct ProductRate {
    std::string what; // "fc1 forward", "fc1 weight gradient", ...
    std::int64_t m = 0, n = 0, k = 0;
    double microseconds = 0; // the fastest of a few rounds: the kernels' speed, not the machine's load
    double gflops() const { return microseconds > 0 ? 2e-3 * double(m) * double(n) * double(k) / microseconds : 0; }
};

// Every product shape of one training step for `config` (hidden sizes, batch, BLAS threads). CPU only.
std::vector<ProductRate> measureProductRates(const TrainConfig &config);

} // namespace reglab
