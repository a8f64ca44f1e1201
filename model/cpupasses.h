// The element-wise passes of a CPU training step over raw float buffers (no torch): dropout and LeakyReLU after a
// layer's product, the mask on the way back, the loss and its gradient, the bias gradient. Each gives the same bits
// on every path; the AVX-512 ones are taken where the CPU has them.
#pragma once

#include <cstdint>

namespace reglab {

// The widest vectors the hand-written passes use: the CPU's best, unless a test narrowed it.
enum class VectorWidth { Sse2, Avx2, Avx512 };
VectorWidth vectorWidth();
// For tests: at most `widest` from now on (Sse2 checks the passes every x86-64 takes), Avx512 to undo.
void limitVectorWidth(VectorWidth widest);

// The dropout threshold on 16-bit draws (a draw >= it keeps the unit) and the kept units' scale 1 / (1 - p).
std::int32_t dropThreshold(double p);
float keepScale(double p);

// One splitmix64 draw: the dropout masks' generator, `state` advanced.
std::uint64_t splitmix64(std::uint64_t &state);

// h = LeakyReLU(dropout(h)) and f = the factor that took it there, mask * (h > 0 ? 1 : slope), which the backward
// pass multiplies by. The mask comes from `state`: draw d gives elements 4d..4d+3 its four 16-bit quarters, so n
// elements take ceil(n / 4) draws. Without dropout (p = 0) no draws. From 8,192 elements on it is split over
// OpenBLAS's threads (model/blaspool.h), each piece starting at its own place in the stream: the same masks.
void dropoutLeakyPass(float *f, float *h, std::int64_t n, std::uint64_t &state, double p, float slope);
void leakyPass(float *f, float *h, std::int64_t n, float slope);
// mask = 0 or 1/(1-p), from the same draws as dropoutLeakyPass.
void dropoutMaskPass(float *mask, std::int64_t n, std::uint64_t &state, double p);

// h = LeakyReLU(h) in place, the numbers torch::leaky_relu_ gives (h > 0 ? h : h * slope): evaluation's. Split over
// OpenBLAS's threads from 65,536 elements on.
void leakyInPlace(float *h, std::int64_t n, float slope);

// to (rows x width) = the rows index[0..rows) of `from` (rows of `width` floats; the indices valid). The rows lie
// scattered over a data set and each copy waits on memory, so the copies are split over OpenBLAS's threads
// (model/blaspool.h): two cores keep twice as many rows in flight (a batch of 50 Fashion-MNIST images, 157 KB:
// 26-33 -> 17-22 us, measured).
void gatherRows(float *to, const float *from, const std::int64_t *index, std::int64_t rows, std::int64_t width);

// out (rows x cols) = each row a copy of bias: the product then adds to it, as torch::addmm does.
void biasRows(float *out, const float *bias, std::int64_t rows, std::int64_t cols);
// g *= f, element by element.
void multiplyPass(float *g, const float *f, std::int64_t n);

// The mean cross-entropy of `logits` (n rows of k) against `labels`, and its gradient (softmax - onehot) / n into
// `grad`; `smoothing`: label smoothing e as PyTorch's cross_entropy(..., label_smoothing=e). Returns -1 for a label
// outside 0..k-1.
double crossEntropyPass(const float *logits, const std::int64_t *labels, float *grad, std::int64_t n, std::int64_t k,
                        double smoothing);

// out[j] = sum over the rows of g (rows x cols) in column j, added in LibTorch's order for torch::sum(g, 0) on
// float32 (its cascade of partial sums), so the bits are the same. `lanes`: the vector width in floats LibTorch's
// kernel ran with (8: AVX2, 16: AVX-512), which decides which columns it summed how.
void columnSums(float *out, const float *g, std::int64_t rows, std::int64_t cols, int lanes);

} // namespace reglab
