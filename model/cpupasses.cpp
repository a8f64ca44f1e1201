// The element-wise passes of a CPU training step (dropout, LeakyReLU, the loss, the bias gradient), with AVX-512
// versions chosen at run time that give the same bits as the plain ones.
#include "model/cpupasses.h"

#include "model/blaspool.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <vector>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define REGLAB_X86 1
#endif

namespace reglab {

namespace {

std::atomic<int> g_widest{static_cast<int>(VectorWidth::Avx512)};

VectorWidth cpuWidth()
{
#ifdef REGLAB_X86
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return VectorWidth::Avx512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return VectorWidth::Avx2;
#endif
    return VectorWidth::Sse2;
}

bool useAvx512()
{
    return vectorWidth() == VectorWidth::Avx512;
}

// h > 0 tested on the float's bits (positive floats are positive integers): a float comparison may trap, so the
// compiler would keep it as a branch and not vectorize the loop.
inline bool positive(const float &x)
{
    std::int32_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    return bits > 0;
}

// The draws go to a buffer first so that the per-element passes below have no branches and vectorize (they are
// kept out of line so the compiler sees unaliased pointers). 32-bit lanes, so those passes vectorize on SSE2.
// bits[0 .. ceil(n / 4) * 4) from ceil(n / 4) draws.
void drawBitsInto(std::int32_t *bits, std::int64_t n, std::uint64_t &state)
{
    for (std::int64_t d = 0; d < (n + 3) / 4 * 4; d += 4) {
        const std::uint64_t z = splitmix64(state);
        for (int k = 0; k < 4; ++k)
            bits[d + k] = static_cast<std::int32_t>((z >> (16 * k)) & 0xffff);
    }
}

void drawBits(std::vector<std::int32_t> &bits, std::int64_t n, std::uint64_t &state)
{
    bits.resize(static_cast<std::size_t>((n + 3) / 4 * 4));
    drawBitsInto(bits.data(), n, state);
}

std::vector<std::int32_t> &scratchBits()
{
    thread_local std::vector<std::int32_t> bits;
    return bits;
}

__attribute__((noinline)) void maskLoop(float *__restrict f, const std::int32_t *__restrict bits, std::int64_t n,
                                        std::int32_t threshold, float scale)
{
    for (std::int64_t i = 0; i < n; ++i)
        f[i] = bits[i] >= threshold ? scale : 0.0f;
}

// f = mask * (h > 0 ? 1 : slope), h *= f: dropout then LeakyReLU, and the factor the backward pass needs.
__attribute__((noinline)) void dropoutLeakyLoop(float *__restrict f, float *__restrict h,
                                                const std::int32_t *__restrict bits, std::int64_t n,
                                                std::int32_t threshold, float scale, float slope)
{
    const float scaleSlope = scale * slope;
    for (std::int64_t i = 0; i < n; ++i) {
        const float factor = static_cast<float>(bits[i] >= threshold) * (positive(h[i]) ? scale : scaleSlope);
        f[i] = factor;
        h[i] *= factor;
    }
}

template <typename = void>
__attribute__((always_inline)) inline void leakyLoop(float *__restrict f, float *__restrict h, std::int64_t n,
                                                     float slope)
{
    for (std::int64_t i = 0; i < n; ++i) {
        const float factor = positive(h[i]) ? 1.0f : slope;
        f[i] = factor;
        h[i] *= factor;
    }
}

template <typename = void>
__attribute__((always_inline)) inline void multiplyLoop(float *__restrict g, const float *__restrict f, std::int64_t n)
{
    for (std::int64_t i = 0; i < n; ++i)
        g[i] *= f[i];
}

__attribute__((noinline)) void leakyPlain(float *f, float *h, std::int64_t n, float slope)
{
    leakyLoop(f, h, n, slope);
}

__attribute__((noinline)) void multiplyPlain(float *g, const float *f, std::int64_t n)
{
    multiplyLoop(g, f, n);
}

#ifdef REGLAB_X86
#define REGLAB_AVX512 __attribute__((noinline, target("avx512f,avx512bw,avx512dq,avx2,fma")))

REGLAB_AVX512 void leakyAvx512(float *f, float *h, std::int64_t n, float slope)
{
    leakyLoop(f, h, n, slope);
}

REGLAB_AVX512 void multiplyAvx512(float *g, const float *f, std::int64_t n)
{
    multiplyLoop(g, f, n);
}

// The plain pass's arithmetic on 32 elements at a time, their eight draws made side by side: the draws' 64-bit
// lanes read as 16-bit lanes are the elements' quarters in order. factor = kept ? (h > 0 ? scale : scale * slope)
// : +0, which is what the plain pass's 1.0f * x and 0.0f * x give.
REGLAB_AVX512 void dropoutLeakyAvx512(float *f, float *h, std::int64_t n, std::uint64_t &state,
                                      std::int32_t threshold, float scale, float slope)
{
    using Draws = std::uint64_t __attribute__((vector_size(64))); // GCC's vectors: vpmullq for the products
    constexpr std::uint64_t kGamma = 0x9e3779b97f4a7c15ULL;
    const float scaleSlope = scale * slope;
    const Draws offsets = {kGamma, 2 * kGamma, 3 * kGamma, 4 * kGamma, 5 * kGamma, 6 * kGamma, 7 * kGamma, 8 * kGamma};
    // Draws are below 65536: a threshold of 65536 (p rounds to 1) keeps nothing.
    const bool keepsAny = threshold <= 0xffff;
    const __m512i limit = _mm512_set1_epi16(static_cast<short>(keepsAny ? threshold : 0));
    const __m512 keptPositive = _mm512_set1_ps(scale), keptNegative = _mm512_set1_ps(scaleSlope);
    const __m512i zero = _mm512_setzero_si512();
    std::uint64_t s = state;
    std::int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        Draws z = s + offsets;
        s += 8 * kGamma;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        z = z ^ (z >> 31);
        const __m512i bits = reinterpret_cast<__m512i>(z);
        const __mmask32 keep = keepsAny ? _mm512_cmpge_epu16_mask(bits, limit) : 0;
        for (int half = 0; half < 2; ++half) {
            float *hp = h + i + 16 * half;
            const __m512 hv = _mm512_loadu_ps(hp);
            const __mmask16 up = _mm512_cmpgt_epi32_mask(_mm512_castps_si512(hv), zero);
            const __m512 slopeFactor = _mm512_mask_blend_ps(up, keptNegative, keptPositive);
            const __m512 factor = _mm512_maskz_mov_ps(static_cast<__mmask16>(keep >> (16 * half)), slopeFactor);
            _mm512_storeu_ps(f + i + 16 * half, factor);
            _mm512_storeu_ps(hp, _mm512_mul_ps(hv, factor));
        }
    }
    state = s;
    if (i < n) { // the last (under 32) elements: the plain pass, its draws continuing from here
        std::int32_t bits[32];
        drawBitsInto(bits, n - i, state);
        dropoutLeakyLoop(f + i, h + i, bits, n - i, threshold, scale, slope);
    }
}
#endif

// Up to kBlock columns' sums as LibTorch's multi_row_sum adds each column (aten/src/ATen/native/cpu/SumKernel.cpp):
// runs of 2^levelPower values, their sums carried up four levels. Value i of column c is x[i * stride + c]. The
// columns side by side, so that the loops vectorize; each column's additions are in LibTorch's order.
constexpr std::int64_t kBlock = 64;

void cascadeSums(float *out, const float *x, std::int64_t stride, std::int64_t size, std::int64_t width)
{
    constexpr int kLevels = 4;
    std::int64_t ceilLog2 = 1;
    if (size > 2)
        ceilLog2 = 64 - __builtin_clzll(static_cast<unsigned long long>(size - 1));
    const std::int64_t levelPower = std::max<std::int64_t>(4, ceilLog2 / kLevels);
    const std::int64_t levelStep = std::int64_t(1) << levelPower;
    const std::int64_t levelMask = levelStep - 1;
    float acc[kLevels][kBlock] = {};
    std::int64_t i = 0;
    while (i + levelStep <= size) {
        for (std::int64_t j = 0; j < levelStep; ++j, ++i)
            for (std::int64_t c = 0; c < width; ++c)
                acc[0][c] += x[i * stride + c];
        for (int j = 1; j < kLevels; ++j) {
            for (std::int64_t c = 0; c < width; ++c) {
                acc[j][c] += acc[j - 1][c];
                acc[j - 1][c] = 0;
            }
            if ((i & (levelMask << (j * levelPower))) != 0)
                break;
        }
    }
    for (; i < size; ++i)
        for (std::int64_t c = 0; c < width; ++c)
            acc[0][c] += x[i * stride + c];
    for (int j = 1; j < kLevels; ++j)
        for (std::int64_t c = 0; c < width; ++c)
            acc[0][c] += acc[j][c];
    std::copy(acc[0], acc[0] + width, out);
}

// LibTorch's row_sum: the values as rows of four, each of the four taking the cascade above, the values left over
// added to the first, then the four partial sums in order.
void interleavedSums(float *out, const float *x, std::int64_t stride, std::int64_t size, std::int64_t width)
{
    const std::int64_t groups = size / 4;
    float partial[4][kBlock];
    for (std::int64_t k = 0; k < 4; ++k)
        cascadeSums(partial[k], x + k * stride, 4 * stride, groups, width);
    for (std::int64_t i = groups * 4; i < size; ++i)
        for (std::int64_t c = 0; c < width; ++c)
            partial[0][c] += x[i * stride + c];
    for (int k = 1; k < 4; ++k)
        for (std::int64_t c = 0; c < width; ++c)
            partial[0][c] += partial[k][c];
    std::copy(partial[0], partial[0] + width, out);
}

} // namespace

VectorWidth vectorWidth()
{
    static const VectorWidth cpu = cpuWidth();
    return std::min(cpu, static_cast<VectorWidth>(g_widest.load(std::memory_order_relaxed)));
}

void limitVectorWidth(VectorWidth widest)
{
    g_widest.store(static_cast<int>(widest));
}

std::int32_t dropThreshold(double p)
{
    return static_cast<std::int32_t>(std::llround(p * 65536.0));
}

float keepScale(double p)
{
    return static_cast<float>(1.0 / (1.0 - p));
}

std::uint64_t splitmix64(std::uint64_t &state)
{
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

namespace {

// A piece may run on one of OpenBLAS's threads, where nothing may throw: it allocates nothing. `bits` (the plain
// pass's draws) is the caller's buffer of at least ceil(n / 4) * 4, unused with AVX-512.
void dropoutLeakyPiece(float *f, float *h, std::int64_t n, std::uint64_t &state, double p, float slope,
                       std::int32_t *bits)
{
#ifdef REGLAB_X86
    if (useAvx512())
        return dropoutLeakyAvx512(f, h, n, state, dropThreshold(p), keepScale(p), slope);
#endif
    drawBitsInto(bits, n, state);
    dropoutLeakyLoop(f, h, bits, n, dropThreshold(p), keepScale(p), slope);
}

struct DropoutSplit {
    float *f, *h;
    std::int64_t n;
    std::uint64_t state, endState;
    double p;
    float slope;
    std::int32_t *bits;
};

// Pieces begin at multiples of 32 elements, so a piece's draws are the whole pass's: draw d is the stream's state
// advanced d + 1 times (splitmix64 is a counter), and elements 4d..4d+3 take its quarters.
void dropoutLeakyRange(void *context, std::int64_t begin, std::int64_t end)
{
    auto &d = *static_cast<DropoutSplit *>(context);
    std::uint64_t state = d.state + static_cast<std::uint64_t>(begin / 4) * 0x9e3779b97f4a7c15ULL;
    std::int32_t *bits = d.bits ? d.bits + begin : nullptr;
    dropoutLeakyPiece(d.f + begin, d.h + begin, end - begin, state, d.p, d.slope, bits);
    if (end == d.n) // the last piece leaves the stream where the whole pass leaves it
        d.endState = state;
}

struct LeakySplit {
    float *h;
    float slope;
};

void leakyRange(void *context, std::int64_t begin, std::int64_t end)
{
    const auto &d = *static_cast<const LeakySplit *>(context);
    float *__restrict x = d.h + begin;
    const float slope = d.slope;
    for (std::int64_t i = 0; i < end - begin; ++i)
        x[i] *= positive(x[i]) ? 1.0f : slope; // x * 1 is x: the same bits as the select torch makes
}

} // namespace

void dropoutLeakyPass(float *f, float *h, std::int64_t n, std::uint64_t &state, double p, float slope)
{
    // Split over OpenBLAS's threads from two pieces of 4,096: the forum's 50 x 200 (7 us of draws and passes).
    std::int32_t *bits = nullptr;
    if (!useAvx512()) { // the plain pass's draws, allocated here, before any piece runs elsewhere
        std::vector<std::int32_t> &scratch = scratchBits();
        scratch.resize(static_cast<std::size_t>((n + 3) / 4 * 4));
        bits = scratch.data();
    }
    DropoutSplit split{f, h, n, state, state, p, slope, bits};
    runBlasPoolPieces(n, 32, 4096, &dropoutLeakyRange, &split);
    state = split.endState;
}

void leakyPass(float *f, float *h, std::int64_t n, float slope)
{
#ifdef REGLAB_X86
    if (useAvx512())
        return leakyAvx512(f, h, n, slope);
#endif
    leakyPlain(f, h, n, slope);
}

void dropoutMaskPass(float *mask, std::int64_t n, std::uint64_t &state, double p)
{
    std::vector<std::int32_t> &bits = scratchBits();
    drawBits(bits, n, state);
    maskLoop(mask, bits.data(), n, dropThreshold(p), keepScale(p));
}

void leakyInPlace(float *h, std::int64_t n, float slope)
{
    LeakySplit split{h, slope};
    runBlasPoolPieces(n, 32, 1 << 15, &leakyRange, &split);
}

namespace {

struct RowCopy {
    float *to;
    const float *from;
    const std::int64_t *index;
    std::int64_t width;
};

void copyRows(void *context, std::int64_t begin, std::int64_t end)
{
    const auto &c = *static_cast<const RowCopy *>(context);
    const auto bytes = static_cast<std::size_t>(c.width) * sizeof(float);
    for (std::int64_t r = begin; r < end; ++r)
        std::memcpy(c.to + r * c.width, c.from + c.index[r] * c.width, bytes);
}

} // namespace

void gatherRows(float *to, const float *from, const std::int64_t *index, std::int64_t rows, std::int64_t width)
{
    RowCopy copy{to, from, index, width};
    // At least 4 rows a part: a hand-over (1-2 us) costs about what copying 2 rows of 784 does.
    runBlasPoolPieces(rows, 1, 4, &copyRows, &copy);
}

void biasRows(float *out, const float *bias, std::int64_t rows, std::int64_t cols)
{
    for (std::int64_t r = 0; r < rows; ++r)
        std::memcpy(out + r * cols, bias, static_cast<std::size_t>(cols) * sizeof(float));
}

void multiplyPass(float *g, const float *f, std::int64_t n)
{
#ifdef REGLAB_X86
    if (useAvx512())
        return multiplyAvx512(g, f, n);
#endif
    multiplyPlain(g, f, n);
}

double crossEntropyPass(const float *__restrict logits, const std::int64_t *__restrict labels, float *__restrict grad,
                        std::int64_t n, std::int64_t k, double smoothing)
{
    double loss = 0;
    const float perRow = 1.0f / static_cast<float>(n);
    for (std::int64_t i = 0; i < n; ++i) {
        const float *z = logits + i * k;
        float *g = grad + i * k;
        const std::int64_t label = labels[i];
        if (label < 0 || label >= k)
            return -1;
        float top = z[0];
        for (std::int64_t j = 1; j < k; ++j)
            top = std::max(top, z[j]);
        float sum = 0;
        for (std::int64_t j = 0; j < k; ++j) {
            g[j] = std::exp(z[j] - top);
            sum += g[j];
        }
        const float scale = perRow / sum;
        for (std::int64_t j = 0; j < k; ++j)
            g[j] *= scale;
        const double logSum = double(top) + std::log(double(sum));
        if (smoothing == 0) {
            g[label] -= perRow;
            loss += logSum - double(z[label]); // -log softmax(z)[label]
            continue;
        }
        // Smoothed target t = (1 - e) onehot + e / k: gradient softmax - t, loss -sum_j t_j log softmax(z)_j.
        const float spread = perRow * static_cast<float>(smoothing / double(k));
        double meanLogit = 0;
        for (std::int64_t j = 0; j < k; ++j) {
            g[j] -= spread;
            meanLogit += double(z[j]);
        }
        meanLogit /= double(k);
        g[label] -= perRow * static_cast<float>(1.0 - smoothing);
        loss += (1.0 - smoothing) * (logSum - double(z[label])) + smoothing * (logSum - meanLogit);
    }
    return loss / double(n);
}

void columnSums(float *out, const float *g, std::int64_t rows, std::int64_t cols, int lanes)
{
    // LibTorch's sum over the rows (cascade_sum): with at least one vector of columns, groups of four vectors take
    // the cascade down the rows and the columns after the last whole group the interleaved sum
    // (vectorized_outer_sum); with fewer, groups of four columns and then the same (scalar_outer_sum). Its output
    // starts at zero and the sum is added to it.
    const std::int64_t group = cols >= lanes ? 4 * std::int64_t(lanes) : 4;
    const std::int64_t grouped = cols / group * group;
    float sums[kBlock];
    for (std::int64_t j = 0; j < cols;) {
        const bool cascade = j < grouped;
        const std::int64_t width = std::min(kBlock, (cascade ? grouped : cols) - j);
        if (cascade)
            cascadeSums(sums, g + j, cols, rows, width);
        else
            interleavedSums(sums, g + j, cols, rows, width);
        for (std::int64_t c = 0; c < width; ++c)
            out[j + c] = 0.0f + sums[c];
        j += width;
    }
}

} // namespace reglab
