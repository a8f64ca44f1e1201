// What LibTorch offers here (devices, versions) and the CPU thread set-up that makes training fast.
#pragma once

#include <exception>
#include <map>
#include <string>

namespace reglab {

bool cudaAvailable();
int cudaDeviceCount();
// "" when CUDA can be used; else why not, in words a user can act on.
std::string cudaUnavailableReason();

// "cpu" or "cuda" for cpu|cuda|auto; "" with `error` set when the request cannot be met.
std::string resolveDevice(const std::string &requested, std::string &error);

// reglab, libtorch, compiler.
std::map<std::string, std::string> libraryVersions();

// On 2 cores, LibTorch's OpenMP threads and OpenBLAS's own threads busy-wait against each other. The fast
// set-up for this small MLP: torch ops on the calling thread, BLAS on `blasThreads` (0 = one per core).
// Returns the BLAS thread count used (0 when OpenBLAS is not the BLAS in use).
int configureCpuThreads(int blasThreads);

// configureCpuThreads, and OpenBLAS's working buffers taken now, before the data takes memory: OpenBLAS retries a
// failed buffer allocation for ever, so a process near its memory limit (ulimit -v) would hang in its first
// matrix product instead of failing. Checks first that the address space left holds a buffer (about 130 MB) and
// a stack per BLAS thread; throws Error(ErrorKind::Memory) saying what is missing and what to do when it does
// not. Cheap when called again with no more threads.
void prepareCpu(int blasThreads);

// The message and kind for an allocation failure (std::bad_alloc, or LibTorch's "can't allocate memory") caught
// while `doing` something ("loading the data"); false when `error` is not one.
bool describeAllocationFailure(const std::exception &error, const std::string &doing, std::string &message);

} // namespace reglab
