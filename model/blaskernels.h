// Which matrix kernels OpenBLAS runs, and choosing the right ones: OpenBLAS falls back to its oldest x86-64 kernels
// ("Prescott", SSE3) on CPUs it does not know (cloud VMs, new models), a third of the speed of the AVX-512 ones.
// chooseBlasKernels(), at the very top of main(), restarts the program with OPENBLAS_CORETYPE set when that
// happened, checks the chosen kernels against a plain loop, and remembers what it found for --version, the status
// bar, the run record and the benchmarks. No Qt and no torch here: OpenBLAS is reached by its own symbols.
#pragma once

#include "model/signalmask.h"

#include <string>

namespace reglab {

// The BLAS in use, as a run record keeps it ("blas": {library, version, core, chosen_by, note}).
struct BlasKernels {
    std::string library;  // "OpenBLAS"; else the file name of the BLAS found ("libblas.so.3"), "" if none
    std::string version;  // "0.3.21" ("" when the library does not say)
    std::string core;     // OpenBLAS's kernels: "SkylakeX", "Haswell", "Prescott", ... ("" when not OpenBLAS)
    std::string chosenBy; // "openblas" (it recognized the CPU), "reglab", "user" (OPENBLAS_CORETYPE), "fallback"
    std::string note;     // why, when it is worth a word: the kernels OpenBLAS had picked, a failed check, ...
    bool operator==(const BlasKernels &o) const
    {
        return library == o.library && version == o.version && core == o.core && chosenBy == o.chosenBy &&
               note == o.note;
    }
};

// What the CPU can run, as OpenBLAS's kernels need it (the OS's support for the registers included).
struct CpuFeatures {
    bool avx512f = false, avx2 = false, fma = false;
    static CpuFeatures detect();
};

// The newest OpenBLAS core this CPU runs: "SkylakeX" (AVX-512F), "Haswell" (AVX2 and FMA), or "" (leave it to
// OpenBLAS).
std::string preferredBlasCore(const CpuFeatures &cpu);
// Whether OpenBLAS's `core` is older than `preferred` (a fallback worth correcting). Cores this file does not know
// (newer than it) count as not older: OpenBLAS knows them better.
bool blasCoreOlderThan(const std::string &core, const std::string &preferred);
// The core to try after `core` failed its check: SkylakeX -> Haswell (when the CPU runs it) -> "" (OpenBLAS's own).
std::string nextOlderBlasCore(const std::string &core, const CpuFeatures &cpu);

// At the very top of main(), before anything else (signal handlers, Qt, threads): when OpenBLAS fell back to
// older kernels than this CPU runs and OPENBLAS_CORETYPE is not set, re-executes the program (the same argv and
// environment, plus OPENBLAS_CORETYPE and the marker REGLAB_BLAS_CHOSEN, which stops any second restart) and does
// not return. In the restarted process it checks the chosen kernels (checkBlasProducts) and restarts with the next
// older core when they fail. `mayRestart`, when given, is asked right before a restart (reglab-train: "no stop
// signal came while the libraries loaded"); false keeps this process and its kernels. Without /proc/self/exe it
// goes on with OpenBLAS's kernels and says so on stderr.
void chooseBlasKernels(int argc, char **argv, bool (*mayRestart)() = nullptr);

// The kernels in use: what chooseBlasKernels found, or (when it was not called: tests, tools) a look now.
const BlasKernels &blasKernels();
// "OpenBLAS 0.3.21, SkylakeX kernels (chosen by RegLab: OpenBLAS picked Prescott)", for --version.
std::string describeBlasKernels(const BlasKernels &kernels);
// "OpenBLAS SkylakeX", for a status bar.
std::string shortBlasKernels(const BlasKernels &kernels);
// The file the matrix products run in (the library holding sgemm_), "" if none.
std::string blasLibraryPath();
// A symbol of that library or its dependencies (OpenBLAS's own functions), nullptr if none.
void *openblasSymbol(const char *name);

// sgemm_ (the Fortran interface, column-major) as LibTorch's own calls reach it, for passes that call the products
// themselves into buffers they keep: the same function with the same arguments gives the same numbers as
// torch::addmm and torch::mm. nullptr when the process has no sgemm_.
using SgemmFunction = void (*)(const char *transA, const char *transB, const int *m, const int *n, const int *k,
                               const float *alpha, const float *a, const int *lda, const float *b, const int *ldb,
                               const float *beta, float *c, const int *ldc);
SgemmFunction blasSgemm();

// A few single-precision products of the library in use (sgemm_, the entry LibTorch calls; shapes of the forum
// network's step among them) against a plain loop in double: each element within 1e-5 of the sum of its terms'
// magnitudes. False with `detail` saying which product and how far off. REGLAB_BLAS_CHECK_FAIL=SkylakeX[,Haswell]
// makes it fail for those cores (the tests' way to see a fallback on a machine whose kernels are right).
bool checkBlasProducts(std::string &detail);

} // namespace reglab
