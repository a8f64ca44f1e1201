// The torch side of the core that is not the training loop: MLP, penalties, dataset tensors, runtime.
#include "model/dataset.h"
#include "model/idx.h"
#include "model/runtime.h"
#include "model/tensors.h"

#include <torch/version.h>

#include <dlfcn.h>
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
}

torch::Tensor MlpImpl::forward(torch::Tensor x)
{
    namespace F = torch::nn::functional;
    for (std::size_t i = 0; i + 1 < layers.size(); ++i) {
        x = layers[i]->forward(x);
        if (m_dropout[i] > 0)
            x = F::dropout(x, F::DropoutFuncOptions().p(m_dropout[i]).training(is_training()));
        x = torch::leaky_relu_(x, m_slope);
    }
    return layers.back()->forward(x);
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

// ---- dataset ----

std::shared_ptr<const Dataset> Dataset::load(const DataFiles &files)
{
    IdxImages trainImages = readIdxImages(files.trainImages);
    IdxLabels trainLabels = readIdxLabels(files.trainLabels);
    IdxImages testImages = readIdxImages(files.testImages);
    IdxLabels testLabels = readIdxLabels(files.testLabels);
    if (trainImages.count != static_cast<std::int64_t>(trainLabels.labels.size()))
        throw DataError(files.folder + ": " + std::to_string(trainImages.count) + " training images but " +
                        std::to_string(trainLabels.labels.size()) + " training labels; the files do not belong together");
    if (testImages.count != static_cast<std::int64_t>(testLabels.labels.size()))
        throw DataError(files.folder + ": " + std::to_string(testImages.count) + " test images but " +
                        std::to_string(testLabels.labels.size()) + " test labels; the files do not belong together");

    auto normalized = [](const IdxImages &images) {
        torch::Tensor raw = torch::from_blob(const_cast<std::uint8_t *>(images.pixels.data()), {images.count, 784},
                                             torch::kUInt8);
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
    // Only present when OpenBLAS is the BLAS in use (Debian's libopenblas0-pthread); the reference BLAS is single-threaded.
    if (auto set = reinterpret_cast<SetThreads>(::dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) {
        set(wanted);
        return wanted;
    }
    return 0;
}

} // namespace reglab
