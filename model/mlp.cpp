// The forum's MLP and its hand-written training pass (forward, dropout, LeakyReLU, backward).
#include "model/mlp.h"

#include "model/blaskernels.h"
#include "model/cpupasses.h"
#include "model/error.h"

#include <algorithm>
#include <atomic>
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

// Every parameter and the batch as contiguous float32 on the CPU, labels as int64, no dimension under 2 (LibTorch
// picks other BLAS arguments for vectors), sizes a BLAS int holds: the products then go straight to sgemm_ with the
// arguments LibTorch would pass.
bool directCpuLayers(const std::vector<torch::nn::Linear> &layers, const torch::Tensor &x)
{
    const auto fits = [](const torch::Tensor &t) {
        return t.is_cpu() && t.scalar_type() == torch::kFloat32 && t.is_contiguous() && t.layout() == torch::kStrided;
    };
    if (!blasSgemm() || !fits(x) || x.dim() != 2 || x.size(0) < 2 || x.size(0) > (1 << 24))
        return false;
    std::int64_t in = x.size(1);
    for (const auto &layer : layers) {
        const torch::Tensor &w = layer->weight, &b = layer->bias;
        if (!fits(w) || !fits(b) || w.dim() != 2 || w.size(1) != in || w.size(0) < 2 || in < 2 || in > (1 << 24) ||
            w.size(0) > (1 << 24))
            return false;
        for (const torch::Tensor *grad : {&w.grad(), &b.grad()})
            if (grad->defined() && !fits(*grad))
                return false;
        in = w.size(0);
    }
    return true;
}

bool directCpuPath(const std::vector<torch::nn::Linear> &layers, const torch::Tensor &x, const torch::Tensor &y)
{
    return y.is_cpu() && y.scalar_type() == torch::kInt64 && y.is_contiguous() && y.dim() == 1 &&
           directCpuLayers(layers, x) && y.size(0) == x.size(0);
}

std::atomic<bool> g_allowDirect{true};

// A parameter's gradient, made (zeros) the first time a hand-written backward writes into it.
void ensureGrad(torch::Tensor &p)
{
    if (!p.grad().defined())
        p.mutable_grad() = torch::zeros_like(p);
}

} // namespace

void allowDirectCpuPass(bool allowed)
{
    g_allowDirect.store(allowed);
}

// Found once by matching LibTorch's results on a few shapes (whose columns the two widths sum in different orders).
int torchSumLanes()
{
    static const int lanes = [] {
        torch::NoGradGuard noGrad;
        std::uint32_t state = 2463534242u; // xorshift: torch's own generator must not move
        int found = 0;
        for (int candidate : {16, 8}) {
            bool all = true;
            for (const auto &[rows, cols] : {std::pair{50, 48}, {37, 10}, {130, 200}, {64, 7}}) {
                torch::Tensor g = torch::empty({rows, cols});
                float *data = g.data_ptr<float>();
                for (std::int64_t i = 0; i < g.numel(); ++i) {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    data[i] = static_cast<float>(state % 20001) / 1000.0f - 10.0f;
                }
                const torch::Tensor reference = g.sum(0);
                std::vector<float> sums(static_cast<std::size_t>(cols));
                columnSums(sums.data(), data, rows, cols, candidate);
                all = all && std::memcmp(sums.data(), reference.data_ptr<float>(), sums.size() * sizeof(float)) == 0;
            }
            if (all && found == 0)
                found = candidate;
        }
        return found;
    }();
    return lanes;
}

// Inverted dropout on the CPU. torch's bernoulli_ draws each element from mt19937 (~4 ns each): for the forum's
// two 50x200 masks that was a quarter of a training step. Here one splitmix64 draw gives four 16-bit uniforms
// (model/cpupasses.h), so p is applied in steps of 1/65536 (0.3 -> 0.300003).
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
    dropoutMaskPass(floats.data_ptr<float>(), floats.numel(), m_rngState, p);
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

torch::Tensor MlpImpl::inferenceLogits(const torch::Tensor &x)
{
    torch::NoGradGuard noGrad;
    const bool dropping =
        is_training() && std::any_of(m_dropout.begin(), m_dropout.end(), [](double p) { return p > 0; });
    if (dropping || !g_allowDirect.load(std::memory_order_relaxed) || !directCpuLayers(layers, x))
        return forward(x);
    // The arguments torch::addmm passes for Linear's forward (see cpuLossAndGradients), on buffers kept while no
    // larger x comes: evaluation's chunks of 2,048 rows, 3.4 MB for the forum network.
    const SgemmFunction sgemm = blasSgemm();
    const std::int64_t rows = x.size(0);
    bool fits = m_inference.size() == layers.size();
    for (std::size_t i = 0; fits && i < layers.size(); ++i)
        fits = m_inference[i].size(0) >= rows && m_inference[i].size(1) == layers[i]->weight.size(0);
    if (!fits) {
        m_inference.clear();
        for (const auto &layer : layers)
            m_inference.push_back(torch::empty({rows, layer->weight.size(0)}));
    }
    const float one = 1.0f;
    const char normal = 'N', transposed = 'T';
    const int n = static_cast<int>(rows);
    const float *a = x.data_ptr<float>();
    int in = static_cast<int>(x.size(1));
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const torch::Tensor &w = layers[i]->weight;
        const int out = static_cast<int>(w.size(0));
        float *h = m_inference[i].data_ptr<float>();
        biasRows(h, layers[i]->bias.data_ptr<float>(), rows, out);
        sgemm(&transposed, &normal, &out, &n, &in, &one, w.data_ptr<float>(), &in, a, &in, &one, h, &out);
        if (i + 1 < layers.size())
            leakyInPlace(h, rows * out, static_cast<float>(m_slope));
        a = h;
        in = out;
    }
    return m_inference.back().narrow(0, 0, rows);
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
    if (g_allowDirect.load(std::memory_order_relaxed) && directCpuPath(layers, x, y))
        return cpuLossAndGradients(x, y, smoothing);
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
            dropoutLeakyPass(f.data_ptr<float>(), h.data_ptr<float>(), h.numel(), m_rngState, p,
                             static_cast<float>(m_slope));
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
        ensureGrad(w);
        ensureGrad(b);
        torch::Tensor gw = w.mutable_grad(), gb = b.mutable_grad();
        torch::mm_out(gw, g.t(), inputs[i]);
        torch::sum_out(gb, g, {0});
        if (i > 0)
            g = torch::mm(g, w).mul_(factors[i - 1]);
    }
    return loss;
}

// The same arithmetic as the general pass above, on buffers kept from step to step, with the products handed to
// sgemm_ as LibTorch hands them (row-major tensors are the BLAS's column-major transposes):
//   forward  h = bias + a W^T:   sgemm(T, N, out, rows, in, 1, W, in, a, in, 1, h, out), h holding the bias rows
//   weights  gW = g^T a:         sgemm(N, T, in, out, rows, 1, a, in, g, out, 0, gW, in)
//   inputs   g' = g W:           sgemm(N, N, in, rows, out, 1, W, in, g, out, 0, g', in)
// At batch 50 LibTorch's dispatch, its allocations and its copies cost about as much as the passes themselves.
torch::Tensor MlpImpl::cpuLossAndGradients(const torch::Tensor &x, const torch::Tensor &y, double smoothing)
{
    const SgemmFunction sgemm = blasSgemm();
    const std::size_t count = layers.size();
    const std::int64_t rows = x.size(0);
    if (m_buffers.rows != rows || m_buffers.outputs.size() != count) {
        m_buffers = {};
        m_buffers.rows = rows;
        for (std::size_t i = 0; i < count; ++i) {
            const std::int64_t width = layers[i]->weight.size(0);
            m_buffers.outputs.push_back(torch::empty({rows, width}));
            m_buffers.factors.push_back(torch::empty({rows, width}));
            m_buffers.gradients.push_back(torch::empty({rows, width}));
        }
    }
    const int lanes = torchSumLanes();
    const bool ownSums = lanes > 0 && torch::get_num_threads() == 1;
    const float one = 1.0f, zero = 0.0f;
    const char normal = 'N', transposed = 'T';
    const int n = static_cast<int>(rows);

    const float *a = x.data_ptr<float>();
    int in = static_cast<int>(x.size(1));
    for (std::size_t i = 0; i < count; ++i) {
        const torch::Tensor &w = layers[i]->weight;
        const int out = static_cast<int>(w.size(0));
        float *h = m_buffers.outputs[i].data_ptr<float>();
        biasRows(h, layers[i]->bias.data_ptr<float>(), rows, out);
        sgemm(&transposed, &normal, &out, &n, &in, &one, w.data_ptr<float>(), &in, a, &in, &one, h, &out);
        if (i + 1 < count) {
            const double p = is_training() ? m_dropout[i] : 0.0;
            float *f = m_buffers.factors[i].data_ptr<float>();
            if (p > 0)
                dropoutLeakyPass(f, h, rows * out, m_rngState, p, static_cast<float>(m_slope));
            else
                leakyPass(f, h, rows * out, static_cast<float>(m_slope));
        }
        a = h;
        in = out;
    }
    const std::int64_t classes = layers.back()->weight.size(0);
    float *g = m_buffers.gradients[count - 1].data_ptr<float>();
    const double mean = crossEntropyPass(m_buffers.outputs[count - 1].data_ptr<float>(), y.data_ptr<std::int64_t>(), g,
                                         rows, classes, smoothing);
    if (mean < 0)
        throw DataError("a label outside 0.." + std::to_string(classes - 1) + " in the batch");

    for (std::size_t i = count; i-- > 0;) {
        torch::Tensor &w = layers[i]->weight, &b = layers[i]->bias;
        ensureGrad(w);
        ensureGrad(b);
        const int out = static_cast<int>(w.size(0));
        in = static_cast<int>(w.size(1));
        const float *input = i > 0 ? m_buffers.outputs[i - 1].data_ptr<float>() : x.data_ptr<float>();
        sgemm(&normal, &transposed, &in, &out, &n, &one, input, &in, g, &out, &zero, w.grad().data_ptr<float>(), &in);
        if (ownSums) {
            columnSums(b.grad().data_ptr<float>(), g, rows, out, lanes);
        } else {
            torch::Tensor gb = b.mutable_grad();
            torch::sum_out(gb, m_buffers.gradients[i], {0});
        }
        if (i > 0) {
            float *previous = m_buffers.gradients[i - 1].data_ptr<float>();
            sgemm(&normal, &normal, &in, &n, &out, &one, w.data_ptr<float>(), &in, g, &out, &zero, previous, &in);
            multiplyPass(previous, m_buffers.factors[i - 1].data_ptr<float>(), rows * in);
            g = previous;
        }
    }
    return torch::scalar_tensor(mean, x.options());
}

} // namespace reglab
