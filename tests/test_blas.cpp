// The choice of OpenBLAS's kernels (model/blaskernels.h): which core a CPU gets, which of OpenBLAS's own choices
// count as a fallback, the order cores are tried in after a failed check, the check itself, and the record's
// "blas" object (older records without it still read). The restarts themselves are test_cli's: they need a program.
#include "model/blaskernels.h"
#include "model/runrecord.h"
#include "testing.h"

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
