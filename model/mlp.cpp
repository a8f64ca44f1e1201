// The forum's MLP and its hand-written training pass (forward, dropout, LeakyReLU, backward).
#include "model/mlp.h"

#include "model/error.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>
#include <string>

namespace reglab {

std::string layerName(std::size_t index)
{
    return "fc" + std::to_string(index + 1);
}

void requireCpuFloat32(const torch::Tensor &t, const char *what)
{
    if (t.is_cpu() && t.scalar_type() == torch::kFloat32 && t.is_contiguous())
        return;
    std::ostringstream got;
    got << t.scalar_type() << " on " << t.device() << (t.is_contiguous() ? "" : ", not contiguous");
    throw Error(ErrorKind::Internal, std::string("the hand-written CPU pass needs ") + what +
                                         " as contiguous float32 on the CPU, got " + got.str() +
                                         "; this is a bug in RegLab, please report it");
}

MlpImpl::MlpImpl(int inputs, const std::vector<int> &hidden, int classes, const std::vector<double> &dropout,
                 double leakySlope)
    : m_dropout(dropout), m_slope(leakySlope)
{
    int in = inputs;
    for (std::size_t i = 0; i <= hidden.size(); ++i) {
        const int out = i < hidden.size() ? hidden[i] : classes;
        layers.push_back(register_module(layerName(i), torch::nn::Linear(in, out)));
        in = out;
    }
    m_rngState = static_cast<std::uint64_t>(torch::randint(1LL << 62, {1}, torch::kInt64).item<std::int64_t>());
}

namespace {

std::uint64_t splitmix64(std::uint64_t &state)
{
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// Inverted dropout on the CPU. torch's bernoulli_ draws each element from mt19937 (~4 ns each): for the
// forum's two 50x200 masks that was a quarter of a training step. Here one splitmix64 draw gives four 16-bit
// uniforms (element i uses bits 16 * (i % 4) of draw i / 4), so p is applied in steps of
// 1/65536 (0.3 -> 0.300003). The draws go to a buffer first so that the per-element passes below have no
// branches and vectorize (they are kept out of line so the compiler sees unaliased pointers).
void drawBits(std::vector<std::int32_t> &bits, std::int64_t n, std::uint64_t &state)
{
    bits.resize(static_cast<std::size_t>((n + 3) / 4 * 4));
    for (std::size_t d = 0; d < bits.size(); d += 4) {
        const std::uint64_t z = splitmix64(state);
        for (std::size_t k = 0; k < 4; ++k) // 32-bit lanes, so the passes below vectorize on plain SSE2
            bits[d + k] = static_cast<std::int32_t>((z >> (16 * k)) & 0xffff);
    }
}

float keepScale(double p)
{
    return static_cast<float>(1.0 / (1.0 - p));
}

std::int32_t dropThreshold(double p)
{
    return static_cast<std::int32_t>(std::llround(p * 65536.0));
}

__attribute__((noinline)) void maskPass(float *__restrict f, const std::int32_t *__restrict bits, std::int64_t n,
                                        std::int32_t threshold, float scale)
{
    for (std::int64_t i = 0; i < n; ++i)
        f[i] = bits[i] >= threshold ? scale : 0.0f;
}

// h > 0 tested on the float's bits (positive floats are positive integers): a float comparison may trap,
// so the compiler would keep it as a branch and not vectorize the loop.
bool positive(const float &x)
{
    std::int32_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    return bits > 0;
}

// f = mask * (h > 0 ? 1 : slope), h *= f: dropout then LeakyReLU, and the factor the backward pass needs.
__attribute__((noinline)) void dropoutLeakyPass(float *__restrict f, float *__restrict h,
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

__attribute__((noinline)) void leakyPass(float *__restrict f, float *__restrict h, std::int64_t n, float slope)
{
    for (std::int64_t i = 0; i < n; ++i) {
        const float factor = positive(h[i]) ? 1.0f : slope;
        f[i] = factor;
        h[i] *= factor;
    }
}

// The mean cross-entropy of `logits` (n rows of k) against `labels`, and its gradient (softmax - onehot) / n into
// `grad`, in one pass: on a batch of 50 the six LibTorch ops this replaces cost more in dispatch than in arithmetic.
// Returns -1 for a label outside 0..k-1.
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

} // namespace

void MlpImpl::dropoutMask(torch::Tensor &mask, double p)
{
    if (!mask.is_cpu()) { // on CUDA torch's generator is fast
        mask = torch::rand(mask.sizes(), mask.options()).ge_(p).mul_(1.0 / (1.0 - p));
        return;
    }
    // The draws fill a float32 mask; a network in another type (double, say) gets a converted copy of it.
    torch::Tensor floats = mask.scalar_type() == torch::kFloat32 && mask.is_contiguous()
                               ? mask
                               : torch::empty(mask.sizes(), mask.options().dtype(torch::kFloat32));
    requireCpuFloat32(floats, "a dropout mask");
    drawBits(m_bits, floats.numel(), m_rngState);
    maskPass(floats.data_ptr<float>(), m_bits.data(), floats.numel(), dropThreshold(p), keepScale(p));
    if (!floats.is_same(mask))
        mask.copy_(floats);
}

torch::Tensor MlpImpl::applyDropout(const torch::Tensor &x, double p)
{
    if (!is_training() || p <= 0)
        return x;
    torch::Tensor mask = torch::empty(x.sizes(), x.options().requires_grad(false));
    dropoutMask(mask, p);
    return x * mask;
}

torch::Tensor MlpImpl::forward(torch::Tensor x)
{
    for (std::size_t i = 0; i + 1 < layers.size(); ++i) {
        x = applyDropout(layers[i]->forward(x), m_dropout[i]);
        torch::leaky_relu_(x, m_slope);
    }
    return layers.back()->forward(x);
}

void MlpImpl::applyMaxNorm(double maxNorm)
{
    torch::NoGradGuard noGrad;
    for (auto &layer : layers) {
        torch::Tensor &w = layer->weight;
        const torch::Tensor norms = w.norm(2, {1}, true);
        // max / norm where the norm is over the limit, 1 elsewhere (exactly: rows within it keep their bits).
        w.mul_(torch::where(norms > maxNorm, maxNorm / norms, torch::ones_like(norms)));
    }
}

torch::Tensor MlpImpl::lossAndGradients(const torch::Tensor &x, const torch::Tensor &y, double smoothing)
{
    torch::NoGradGuard noGrad;
    const std::size_t count = layers.size();
    std::vector<torch::Tensor> inputs(count), factors(count);
    torch::Tensor a = x;
    for (std::size_t i = 0; i + 1 < count; ++i) {
        inputs[i] = a;
        torch::Tensor h = torch::addmm(layers[i]->bias, a, layers[i]->weight.t());
        // LeakyReLU(dropout(h)) = h * f with f = mask * (h > 0 ? 1 : slope); f is also the backward factor.
        const double p = is_training() ? m_dropout[i] : 0.0;
        torch::Tensor f = torch::empty_like(h);
        const bool fastPath = h.is_cpu() && h.scalar_type() == torch::kFloat32 && h.is_contiguous();
        if (fastPath && p > 0) {
            drawBits(m_bits, h.numel(), m_rngState);
            dropoutLeakyPass(f.data_ptr<float>(), h.data_ptr<float>(), m_bits.data(), h.numel(), dropThreshold(p),
                             keepScale(p), static_cast<float>(m_slope));
        } else if (fastPath) {
            leakyPass(f.data_ptr<float>(), h.data_ptr<float>(), h.numel(), static_cast<float>(m_slope));
        } else {
            torch::Tensor slopeFactor = h.gt(0).to(h.scalar_type()).mul_(1.0 - m_slope).add_(m_slope);
            if (p > 0) {
                dropoutMask(f, p);
                f.mul_(slopeFactor);
            } else {
                f = slopeFactor;
            }
            h.mul_(f);
        }
        factors[i] = f;
        a = h;
    }
    inputs[count - 1] = a;
    const torch::Tensor logits = torch::addmm(layers[count - 1]->bias, a, layers[count - 1]->weight.t());
    // d(mean CE)/d(logits) = (softmax - onehot) / batch
    torch::Tensor loss, g;
    if (logits.is_cpu() && logits.scalar_type() == torch::kFloat32 && logits.is_contiguous() &&
        y.scalar_type() == torch::kInt64 && y.is_contiguous() && y.is_cpu()) {
        g = torch::empty_like(logits);
        const double mean = crossEntropyPass(logits.data_ptr<float>(), y.data_ptr<std::int64_t>(), g.data_ptr<float>(),
                                             logits.size(0), logits.size(1), smoothing);
        if (mean < 0)
            throw DataError("a label outside 0.." + std::to_string(logits.size(1) - 1) + " in the batch");
        loss = torch::scalar_tensor(mean, logits.options());
    } else {
        const torch::Tensor logp = torch::log_softmax(logits, 1);
        loss = smoothing == 0 ? torch::nll_loss(logp, y)
                              : torch::nn::functional::cross_entropy(
                                    logits, y, torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(smoothing));
        g = logp.exp_();
        if (smoothing != 0)
            g.sub_(smoothing / static_cast<double>(logits.size(1)));
        g.scatter_add_(1, y.view({-1, 1}), torch::full({x.size(0), 1}, -(1.0 - smoothing), g.options()));
        g.mul_(1.0 / static_cast<double>(x.size(0)));
    }
    for (std::size_t i = count; i-- > 0;) {
        torch::Tensor &w = layers[i]->weight, &b = layers[i]->bias;
        if (!w.grad().defined())
            w.mutable_grad() = torch::zeros_like(w);
        if (!b.grad().defined())
            b.mutable_grad() = torch::zeros_like(b);
        torch::Tensor gw = w.mutable_grad(), gb = b.mutable_grad();
        torch::mm_out(gw, g.t(), inputs[i]);
        torch::sum_out(gb, g, {0});
        if (i > 0)
            g = torch::mm(g, w).mul_(factors[i - 1]);
    }
    return loss;
}

} // namespace reglab
