// What LibTorch offers here (devices, versions) and the CPU thread set-up that makes training fast.
#pragma once

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

} // namespace reglab
