// What LibTorch offers here (devices, versions) and the CPU thread set-up.
#include "model/runtime.h"

#include <torch/torch.h>
#include <torch/version.h>

#include <dlfcn.h>

#include <thread>

#ifndef REGLAB_VERSION
#define REGLAB_VERSION "dev"
#endif

namespace reglab {

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
