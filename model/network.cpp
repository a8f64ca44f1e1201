// The torch side of the core that is not the training loop: MLP, penalties, dataset tensors, runtime.
#include "model/dataset.h"
#include "model/idx.h"
#include "model/runtime.h"
#include "model/tensors.h"

#include <torch/version.h>

#include <dlfcn.h>

#include <cstring>
#include <thread>

#ifndef REGLAB_VERSION
#define REGLAB_VERSION "dev"
#endif

namespace reglab {

MlpImpl::MlpImpl(int inputs, const std::vector<int> &hidden, int classes, const std::vector<double> &dropout,
                 double leakySlope)
    : m_dropout(dropout), m_slope(leakySlope)
{
    int in = inputs;
    for (std::size_t i = 0; i <= hidden.size(); ++i) {
        const int out = i < hidden.size() ? hidden[i] : classes;
        layers.push_back(register_module("fc" + std::to_string(i + 1), torch::nn::Linear(in, out)));
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

} // namespace

void MlpImpl::dropoutMask(torch::Tensor &mask, double p)
{
    if (!mask.is_cpu()) { // on CUDA torch's generator is fast
        mask = torch::rand(mask.sizes(), mask.options()).ge_(p).mul_(1.0 / (1.0 - p));
        return;
    }
    drawBits(m_bits, mask.numel(), m_rngState);
    maskPass(mask.data_ptr<float>(), m_bits.data(), mask.numel(), dropThreshold(p), keepScale(p));
}

torch::Tensor MlpImpl::dropout(const torch::Tensor &x, double p)
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
        x = dropout(layers[i]->forward(x), m_dropout[i]);
        torch::leaky_relu_(x, m_slope);
    }
    return layers.back()->forward(x);
}

torch::Tensor MlpImpl::lossAndGradients(const torch::Tensor &x, const torch::Tensor &y)
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
    const torch::Tensor logp = torch::log_softmax(logits, 1);
    const torch::Tensor loss = torch::nll_loss(logp, y);

    // d(mean CE)/d(logits) = (softmax - onehot) / batch
    const auto batch = static_cast<double>(x.size(0));
    torch::Tensor g = logp.exp_();
    g.scatter_add_(1, y.view({-1, 1}), torch::full({x.size(0), 1}, -1.0, g.options()));
    g.mul_(1.0 / batch);
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

std::vector<torch::Tensor> MlpImpl::weights() const
{
    std::vector<torch::Tensor> out;
    for (const auto &l : layers)
        out.push_back(l->weight);
    return out;
}

std::vector<torch::Tensor> MlpImpl::biases() const
{
    std::vector<torch::Tensor> out;
    for (const auto &l : layers)
        out.push_back(l->bias);
    return out;
}

std::vector<torch::Tensor> l1Parameters(const Mlp &net, L1Scope scope)
{
    return scope == L1Scope::All ? net->parameters() : net->weights();
}

torch::Tensor absSum(const std::vector<torch::Tensor> &params)
{
    torch::Tensor sum = params.front().abs().sum();
    for (std::size_t i = 1; i < params.size(); ++i)
        sum = sum + params[i].abs().sum();
    return sum;
}

torch::Tensor squareSum(const std::vector<torch::Tensor> &params)
{
    torch::Tensor sum = params.front().square().sum();
    for (std::size_t i = 1; i < params.size(); ++i)
        sum = sum + params[i].square().sum();
    return sum;
}

void addL1Gradient(const std::vector<torch::Tensor> &params, double lambda)
{
    torch::NoGradGuard noGrad;
    for (const auto &p : params) {
        torch::Tensor grad = p.mutable_grad();
        if (!grad.defined())
            continue;
        grad.add_(p.sign(), lambda);
    }
}

FlatSgd::FlatSgd(const std::vector<torch::Tensor> &params, const std::vector<bool> &inL1Scope)
{
    torch::NoGradGuard noGrad;
    std::int64_t total = 0;
    for (const auto &p : params)
        total += p.numel();
    const auto options = params.front().options();
    m_params = torch::empty({total}, options);
    m_grads = torch::zeros({total}, options);
    m_l1Mask = torch::zeros({total}, options);
    std::int64_t offset = 0;
    for (std::size_t i = 0; i < params.size(); ++i) {
        torch::Tensor p = params[i];
        const std::int64_t n = p.numel();
        m_params.narrow(0, offset, n).copy_(p.reshape({-1}));
        p.set_data(m_params.narrow(0, offset, n).view(p.sizes()));
        // Autograd accumulates into a defined .grad in place, so the gradients land in the flat buffer.
        p.mutable_grad() = m_grads.narrow(0, offset, n).view(p.sizes());
        m_l1Mask.narrow(0, offset, n).fill_(inL1Scope[i] ? 1.0 : 0.0);
        m_l1All = m_l1All && inL1Scope[i];
        offset += n;
    }
}

void FlatSgd::zeroGrad()
{
    m_grads.zero_();
}

void FlatSgd::step(double learningRate, double momentum, double weightDecay, double l1)
{
    torch::NoGradGuard noGrad;
    if (momentum == 0 && m_params.is_cpu() && m_params.scalar_type() == torch::kFloat32) {
        // The forum's case (plain SGD) in one pass over the buffer instead of three or four.
        float *p = m_params.data_ptr<float>();
        const float *g = m_grads.data_ptr<float>(), *mask = m_l1Mask.data_ptr<float>();
        const auto lambda1 = static_cast<float>(l1), decay = static_cast<float>(weightDecay);
        const auto rate = static_cast<float>(learningRate);
        const std::int64_t n = m_params.numel();
        if (m_l1All || l1 == 0) {
            for (std::int64_t i = 0; i < n; ++i) {
                const float sign = static_cast<float>((p[i] > 0) - (p[i] < 0));
                p[i] -= rate * (g[i] + lambda1 * sign + decay * p[i]);
            }
        } else {
            for (std::int64_t i = 0; i < n; ++i) {
                const float sign = static_cast<float>((p[i] > 0) - (p[i] < 0));
                p[i] -= rate * (g[i] + lambda1 * mask[i] * sign + decay * p[i]);
            }
        }
        return;
    }
    if (l1 > 0) {
        if (m_l1All)
            m_grads.add_(m_params.sign(), l1);
        else
            m_grads.addcmul_(m_params.sign(), m_l1Mask, l1);
    }
    if (weightDecay > 0)
        m_grads.add_(m_params, weightDecay);
    torch::Tensor update = m_grads;
    if (momentum > 0) {
        if (!m_momentumBuffer.defined())
            m_momentumBuffer = m_grads.clone();
        else
            m_momentumBuffer.mul_(momentum).add_(m_grads);
        update = m_momentumBuffer;
    }
    m_params.add_(update, -learningRate);
}

torch::Tensor FlatSgd::l1AbsSum() const
{
    torch::NoGradGuard noGrad;
    return m_l1All ? m_params.abs().sum() : m_params.abs().mul_(m_l1Mask).sum();
}

torch::Tensor FlatSgd::squareSum() const
{
    torch::NoGradGuard noGrad;
    return m_params.square().sum();
}

// ---- dataset ----

std::shared_ptr<const Dataset> Dataset::load(const DataFiles &files)
{
    IdxImages trainImages = readIdxImages(files.trainImages);
    IdxLabels trainLabels = readIdxLabels(files.trainLabels);
    IdxImages testImages = readIdxImages(files.testImages);
    IdxLabels testLabels = readIdxLabels(files.testLabels);
    if (trainImages.count != static_cast<std::int64_t>(trainLabels.labels.size()))
        throw DataError(files.folder + ": " + std::to_string(trainImages.count) + " training images but " +
                        std::to_string(trainLabels.labels.size()) +
                        " training labels; the files do not belong together");
    if (testImages.count != static_cast<std::int64_t>(testLabels.labels.size()))
        throw DataError(files.folder + ": " + std::to_string(testImages.count) + " test images but " +
                        std::to_string(testLabels.labels.size()) + " test labels; the files do not belong together");

    auto normalized = [](const IdxImages &images) {
        torch::Tensor raw =
            torch::from_blob(const_cast<std::uint8_t *>(images.pixels.data()), {images.count, 784}, torch::kUInt8);
        // Same float32 arithmetic as torchvision's ToTensor() then Normalize((0.1307,), (0.3081,)).
        return raw.to(torch::kFloat32).div_(255.0f).sub_(float(kMean)).div_(float(kStd));
    };
    auto labels = [](const IdxLabels &l) {
        torch::Tensor raw = torch::from_blob(const_cast<std::uint8_t *>(l.labels.data()),
                                             {static_cast<std::int64_t>(l.labels.size())}, torch::kUInt8);
        return raw.to(torch::kInt64);
    };

    std::shared_ptr<Dataset> d(new Dataset);
    d->m_files = files;
    d->m_trainCount = trainImages.count;
    d->m_testCount = testImages.count;
    d->m_tensors = std::make_unique<DatasetTensors>();
    d->m_tensors->trainImages = normalized(trainImages);
    d->m_tensors->trainLabels = labels(trainLabels);
    d->m_tensors->testImages = normalized(testImages);
    d->m_tensors->testLabels = labels(testLabels);
    d->m_testPixels = std::move(testImages.pixels);
    d->m_testLabels = std::move(testLabels.labels);
    return d;
}

Dataset::~Dataset() = default;

std::array<std::uint8_t, 784> Dataset::testPixels(std::int64_t index) const
{
    std::array<std::uint8_t, 784> out{};
    std::copy_n(m_testPixels.begin() + index * 784, 784, out.begin());
    return out;
}

// ---- runtime ----

bool cudaAvailable()
{
    try {
        return torch::cuda::is_available();
    } catch (...) {
        return false;
    }
}

int cudaDeviceCount()
{
    try {
        return static_cast<int>(torch::cuda::device_count());
    } catch (...) {
        return 0;
    }
}

std::string cudaUnavailableReason()
{
    if (cudaAvailable())
        return {};
    if (!torch::hasCUDA())
        return "this LibTorch was built without CUDA (Debian's libtorch is CPU-only); build RegLab against a "
               "CUDA LibTorch to train on a GPU";
    return "LibTorch has CUDA but sees no GPU (no device, or the NVIDIA driver is not loaded)";
}

std::string resolveDevice(const std::string &requested, std::string &error)
{
    if (requested == "cpu")
        return "cpu";
    if (requested == "cuda") {
        if (cudaAvailable())
            return "cuda";
        error = "CUDA was requested but " + cudaUnavailableReason() + "; use device cpu or auto";
        return {};
    }
    if (requested == "auto")
        return cudaAvailable() ? "cuda" : "cpu";
    error = "unknown device '" + requested + "'; use cpu, cuda or auto";
    return {};
}

std::map<std::string, std::string> libraryVersions()
{
    return {{"reglab", REGLAB_VERSION},
            {"libtorch", std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
                             std::to_string(TORCH_VERSION_PATCH)},
            {"compiler", __VERSION__}};
}

int configureCpuThreads(int blasThreads)
{
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const int wanted = blasThreads > 0 ? blasThreads : cores;
    // LibTorch's own ops at this size gain nothing from threads and their OpenMP spin-wait steals the cores
    // that OpenBLAS needs; at::set_num_threads sets the calling thread's OpenMP team size.
    torch::set_num_threads(1);
    using SetThreads = void (*)(int);
    // Only present when OpenBLAS is the BLAS in use (Debian's libopenblas0-pthread); the reference BLAS is
    // single-threaded.
    if (auto set = reinterpret_cast<SetThreads>(::dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) {
        set(wanted);
        return wanted;
    }
    return 0;
}

} // namespace reglab
