// What LibTorch offers here (devices, versions) and the CPU thread set-up.
#include "model/runtime.h"

#include <torch/torch.h>
#include <torch/version.h>

#include "model/error.h"

#include <dlfcn.h>
#include <malloc.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <new>
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

namespace {

// glibc gives each block of 128 KB or more (the evaluation's 2,048-image chunks, a step's activations) fresh pages
// from the kernel and returns them when freed, so the next block faults and zeroes them again: about 10 % of an
// evaluation's time here. Blocks up to 32 MB (glibc's largest threshold) come from the heap instead, and up to
// 256 MB freed at its top stays with the process; the data sets (larger) are still mapped and returned apart.
void keepFreedMemory()
{
    static std::once_flag once;
    std::call_once(once, [] {
        ::mallopt(M_MMAP_THRESHOLD, 32 << 20);
        ::mallopt(M_TRIM_THRESHOLD, 256 << 20);
    });
}

} // namespace

int configureCpuThreads(int blasThreads)
{
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const int wanted = blasThreads > 0 ? blasThreads : cores;
    // LibTorch's own ops at this size gain nothing from threads and their OpenMP spin-wait steals the cores
    // that OpenBLAS needs; at::set_num_threads sets the calling thread's OpenMP team size.
    torch::set_num_threads(1);
    keepFreedMemory();
    using SetThreads = void (*)(int);
    // Only present when OpenBLAS is the BLAS in use (Debian's libopenblas0-pthread); the reference BLAS is
    // single-threaded.
    if (auto set = reinterpret_cast<SetThreads>(::dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) {
        set(wanted);
        return wanted;
    }
    return 0;
}

namespace {

std::string megabytes(double bytes)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.0f MB", bytes / 1e6);
    return buffer;
}

// The address space this process uses now (VmSize).
double addressSpaceInUse()
{
    long pages = 0;
    if (FILE *f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld", &pages) != 1)
            pages = 0;
        std::fclose(f);
    }
    return double(pages) * double(::sysconf(_SC_PAGESIZE));
}

// The memory limits in force, in words (" this process may use 922 MB of address space (ulimit -v), 744 MB of it in
// use"), or "" when there are none.
std::string limitsText()
{
    std::string text;
    rlimit limit{};
    if (::getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
        text += megabytes(double(limit.rlim_cur)) + " of address space (ulimit -v), " + megabytes(addressSpaceInUse()) +
                " of it in use";
    if (::getrlimit(RLIMIT_DATA, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
        text += (text.empty() ? "" : ", and ") + megabytes(double(limit.rlim_cur)) + " of data (ulimit -d)";
    return text.empty() ? text : " (this process may use " + text + ")";
}

} // namespace

void prepareCpu(int blasThreads)
{
    static std::mutex mutex;
    static int prepared = -1; // the most BLAS threads already given their buffers
    std::lock_guard<std::mutex> lock(mutex);
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const int wanted = blasThreads > 0 ? blasThreads : cores;
    if (prepared >= wanted)
        return;
    // The threads OpenBLAS runs now took their buffers when they started; the calling thread takes one at its
    // first product, and each thread still to start takes one (128 MB and a page) and a stack. A thread that could
    // not take its buffer retries for ever, so too little room left for one buffer is refused as well.
    using GetThreads = int (*)();
    const auto getThreads = reinterpret_cast<GetThreads>(::dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    const int running = getThreads ? std::max(1, getThreads()) : 1;
    const int starting = std::max(0, wanted - running);
    rlimit stack{};
    const double stackBytes = ::getrlimit(RLIMIT_STACK, &stack) == 0 && stack.rlim_cur != RLIM_INFINITY
                                  ? double(stack.rlim_cur)
                                  : 8.0 * (1 << 20);
    const std::size_t needed = static_cast<std::size_t>((1 + starting) * 135e6 + starting * stackBytes);
    // Writable and private, as OpenBLAS's buffers are, so that ulimit -d (RLIMIT_DATA) counts it as well as
    // ulimit -v; never touched, so it costs no memory.
    void *probe = ::mmap(nullptr, needed, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (probe == MAP_FAILED)
        throw Error(ErrorKind::Memory,
                    "not enough memory to start training: OpenBLAS needs about " + megabytes(double(needed)) +
                        " more for its buffers (" + std::to_string(wanted) + " thread(s))" + limitsText() +
                        "; raise the limit, or use fewer BLAS threads, each about 140 MB (OPENBLAS_NUM_THREADS=1 in "
                        "the environment and --threads 1)");
    ::munmap(probe, needed);
    configureCpuThreads(blasThreads);
    // One product large enough to wake every BLAS thread: their buffers are taken now, while there is room.
    torch::NoGradGuard noGrad;
    const torch::Tensor a = torch::ones({384, 384});
    (void)torch::mm(a, a).sum().item<float>();
    prepared = wanted;
}

bool describeAllocationFailure(const std::exception &error, const std::string &doing, std::string &message)
{
    std::string what;
    if (dynamic_cast<const std::bad_alloc *>(&error)) {
        what = "out of memory";
    } else if (const auto *torchError = dynamic_cast<const c10::Error *>(&error)) {
        const std::string text = torchError->what_without_backtrace();
        if (text.find("alloc") == std::string::npos && text.find("memory") == std::string::npos)
            return false;
        // "[enforce fail at alloc_cpu.cpp:75] err == 0. DefaultCPUAllocator: can't allocate memory: ...": the
        // part after the allocator's name says it.
        std::string line = text.substr(0, text.find('\n'));
        if (const auto at = line.find("Allocator: "); at != std::string::npos)
            line = line.substr(at + 11);
        what = "out of memory (" + line + ")";
    } else {
        return false;
    }
    message = what + " while " + doing + limitsText() +
              "; free memory or raise the limit, or use a smaller data set, batch or network";
    return true;
}

} // namespace reglab
