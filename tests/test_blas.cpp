// The choice of OpenBLAS's kernels (model/blaskernels.h): which core a CPU gets, which of OpenBLAS's own choices
// count as a fallback, the order cores are tried in after a failed check, the check itself, and the record's
// "blas" object (older records without it still read). The restarts themselves are test_cli's: they need a program.
#include "model/blaskernels.h"
#include "model/blaspool.h"
#include "model/runtime.h"
#include "model/runrecord.h"
#include "testing.h"

#include <pthread.h>
#if defined(__SSE__)
#include <xmmintrin.h>
#endif

#include <atomic>
#include <cstdlib>
#include <string>

using namespace reglab;

TEST_CASE("the newest core the cpu runs is preferred")
{
    CpuFeatures skylake;
    skylake.avx512f = skylake.avx2 = skylake.fma = true;
    CHECK_EQ(preferredBlasCore(skylake), "SkylakeX");
    CpuFeatures haswell;
    haswell.avx2 = haswell.fma = true;
    CHECK_EQ(preferredBlasCore(haswell), "Haswell");
    CpuFeatures noFma;
    noFma.avx2 = true;
    CHECK_EQ(preferredBlasCore(noFma), "");
    CHECK_EQ(preferredBlasCore(CpuFeatures{}), "");
}

TEST_CASE("on this machine the chooser picks the core its cpu runs")
{
    const CpuFeatures cpu = CpuFeatures::detect();
    MESSAGE("avx512f " << cpu.avx512f << ", avx2 " << cpu.avx2 << ", fma " << cpu.fma << ": "
                       << preferredBlasCore(cpu));
    if (cpu.avx512f && cpu.avx2 && cpu.fma)
        CHECK_EQ(preferredBlasCore(cpu), "SkylakeX"); // the project's own machine kind (issue 24)
    else if (cpu.avx2 && cpu.fma)
        CHECK_EQ(preferredBlasCore(cpu), "Haswell");
}

TEST_CASE("only older cores than the preferred one count as a fallback")
{
    CHECK(blasCoreOlderThan("Prescott", "SkylakeX"));
    CHECK(blasCoreOlderThan("prescott", "SkylakeX")); // OpenBLAS's spelling varies between versions
    CHECK(blasCoreOlderThan("Haswell", "SkylakeX"));
    CHECK(blasCoreOlderThan("Sandybridge", "Haswell"));
    CHECK(blasCoreOlderThan("Nehalem", "Haswell"));
    CHECK_FALSE(blasCoreOlderThan("SkylakeX", "SkylakeX"));
    CHECK_FALSE(blasCoreOlderThan("Cooperlake", "SkylakeX"));
    CHECK_FALSE(blasCoreOlderThan("Zen", "Haswell"));
    CHECK_FALSE(blasCoreOlderThan("SkylakeX", "Haswell"));
    // A name this list does not know is newer than it: OpenBLAS knows that CPU better.
    CHECK_FALSE(blasCoreOlderThan("SomeFutureLake", "SkylakeX"));
    CHECK_FALSE(blasCoreOlderThan("Prescott", ""));
}

TEST_CASE("after a failed check the next older core is tried, then openblas's own")
{
    CpuFeatures cpu;
    cpu.avx512f = cpu.avx2 = cpu.fma = true;
    CHECK_EQ(nextOlderBlasCore("SkylakeX", cpu), "Haswell");
    CHECK_EQ(nextOlderBlasCore("Haswell", cpu), "");
    CpuFeatures oddCpu; // AVX-512 without AVX2 is no CPU sold, but then Haswell's kernels are no choice
    oddCpu.avx512f = true;
    CHECK_EQ(nextOlderBlasCore("SkylakeX", oddCpu), "");
}

TEST_CASE("the products of the blas in use pass the check, and a forced failure fails it")
{
    const BlasKernels &k = blasKernels();
    MESSAGE("BLAS: " << describeBlasKernels(k) << " [" << blasLibraryPath() << "]");
    if (blasLibraryPath().empty()) {
        MESSAGE("no sgemm_ in this process: nothing to check");
        return;
    }
    std::string detail;
    CHECK_MESSAGE(checkBlasProducts(detail), detail);
    if (k.core.empty())
        return;
    ::setenv("REGLAB_BLAS_CHECK_FAIL", ("SomeOther," + k.core).c_str(), 1);
    detail.clear();
    CHECK_FALSE(checkBlasProducts(detail));
    CHECK(detail.find("REGLAB_BLAS_CHECK_FAIL") != std::string::npos);
    ::setenv("REGLAB_BLAS_CHECK_FAIL", "SomeOther", 1);
    CHECK(checkBlasProducts(detail));
    ::unsetenv("REGLAB_BLAS_CHECK_FAIL");
}

TEST_CASE("the kernels are named in words")
{
    const BlasKernels chosen{"OpenBLAS", "0.3.21", "SkylakeX", "reglab", "OpenBLAS picked Prescott on this CPU"};
    CHECK_EQ(describeBlasKernels(chosen),
             "OpenBLAS 0.3.21, SkylakeX kernels (chosen by reglab; OpenBLAS picked Prescott on this CPU)");
    CHECK_EQ(shortBlasKernels(chosen), "OpenBLAS SkylakeX");
    CHECK_EQ(describeBlasKernels(BlasKernels{"OpenBLAS", "0.3.21", "Haswell", "user", ""}),
             "OpenBLAS 0.3.21, Haswell kernels (chosen by user)");
    CHECK_EQ(describeBlasKernels(BlasKernels{"libblas.so.3", "", "", "", ""}), "libblas.so.3");
    CHECK_EQ(shortBlasKernels(BlasKernels{}), "");
}

TEST_CASE("a run record keeps its blas object, and a record without one still reads")
{
    RunRecord r;
    r.config = TrainConfig{};
    r.status = RunStatus::Finished;
    r.blas = BlasKernels{"OpenBLAS", "0.3.21", "Haswell", "fallback",
                         "the SkylakeX kernels failed RegLab's check; OpenBLAS picked Prescott on this CPU"};
    const std::string json = toJson(r);
    CHECK(json.find("\"blas\"") != std::string::npos);
    CHECK(json.find("\"chosen_by\": \"fallback\"") != std::string::npos);
    const RunRecord back = runRecordFromJson(json);
    REQUIRE(back.blas.has_value());
    CHECK(*back.blas == *r.blas);

    r.blas.reset();
    const std::string old = toJson(r);
    CHECK(old.find("\"blas\"") == std::string::npos);
    CHECK_FALSE(runRecordFromJson(old).blas.has_value());
}

// Passes split over OpenBLAS's own threads (model/blaspool.h): every part runs once, part 0 on the caller, the
// others on OpenBLAS's threads under the caller's floating-point mode; one thread or the pool refused: all here.
namespace {

struct PartLog {
    std::atomic<int> runs[8];
    pthread_t threads[8];
    unsigned mxcsr[8];
    int parts = 0;
};

void logPart(void *context, int part, int parts)
{
    auto &log = *static_cast<PartLog *>(context);
    log.parts = parts;
    log.runs[part].fetch_add(1);
    log.threads[part] = pthread_self();
#if defined(__SSE__)
    log.mxcsr[part] = _mm_getcsr();
#endif
}

} // namespace

TEST_CASE("a pass split over openblas's threads runs every part once, part 0 here")
{
    // Two threads, and three: more than this machine's cores (OpenBLAS makes the threads all the same)
    for (int threads : {2, 3}) {
        CAPTURE(threads);
        configureCpuThreads(threads);
        const int width = blasPoolWidth();
#if defined(__SANITIZE_THREAD__)
        CHECK_EQ(width, 1); // ThreadSanitizer cannot see OpenBLAS's hand-over: such builds split nothing
#else
        if (blasKernels().library == "OpenBLAS")
            CHECK_EQ(width, threads); // Debian's OpenBLAS is the pthreads build
#endif
        for (int round = 0; round < 300; ++round) {
            PartLog log;
            for (auto &r : log.runs)
                r = 0;
            runBlasPool(width, &logPart, &log);
            for (int k = 0; k < width; ++k)
                REQUIRE_EQ(log.runs[k].load(), 1);
            CHECK(pthread_equal(log.threads[0], pthread_self()));
            for (int k = 1; k < width; ++k)
                CHECK_FALSE(pthread_equal(log.threads[k], pthread_self()));
        }
#if defined(__SSE__)
        // Flush-to-zero and denormals-are-zero set here hold in the other parts too: their numbers are this thread's.
        const unsigned own = _mm_getcsr();
        _mm_setcsr(own | 0x8040);
        PartLog log;
        for (auto &r : log.runs)
            r = 0;
        runBlasPool(width, &logPart, &log);
        _mm_setcsr(own);
        for (int k = 0; k < width; ++k)
            CHECK_EQ(log.mxcsr[k], own | 0x8040);
#endif
    }
    configureCpuThreads(2);
}

TEST_CASE("with one thread or the pool refused every part runs here, in order")
{
    for (int threads : {1, 2}) {
        configureCpuThreads(threads);
        const bool before = allowBlasPool(threads == 2 ? false : true);
        CHECK_EQ(blasPoolWidth(), 1);
        PartLog log;
        for (auto &r : log.runs)
            r = 0;
        runBlasPool(3, &logPart, &log);
        allowBlasPool(before);
        CHECK_EQ(log.parts, 3);
        for (int k = 0; k < 3; ++k) {
            CHECK_EQ(log.runs[k].load(), 1);
            CHECK(pthread_equal(log.threads[k], pthread_self()));
        }
    }
    configureCpuThreads(2);
}
