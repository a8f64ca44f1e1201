// Element-wise passes split over OpenBLAS's own threads, through blas_level1_thread: the function OpenBLAS itself
// splits saxpy and its kin with. Its interface has been the same since GotoBLAS (read in OpenBLAS 0.2.20, 0.3.0,
// 0.3.10, 0.3.13, 0.3.21, 0.3.26 and 0.3.28):
//   blas_level1_thread(mode, m, n, k, alpha, a, lda, b, ldb, c, ldc, routine, nthreads)
// splits m over nthreads queue entries (part 0 runs on the calling thread, the rest on the pool's threads), each
// given a = a + (its first row) * lda * (element size), b likewise, and, with mode BLAS_PTHREAD, calls
// routine(args) where args starts with those two pointers. With m = parts each part gets one row; the element size
// (1 or 4 bytes, by version) is measured once, by a first hand-over that must come back as expected (b unchanged
// too) or the pool is never used. b carries the job (ldb = 0: every part gets the same b).
#include "model/blaspool.h"

#include "model/blaskernels.h"

#include <pthread.h>
#if defined(__SSE__)
#include <xmmintrin.h>
#endif

#include <algorithm>
#include <atomic>
#include <mutex>

namespace reglab {

namespace {

using Level1Thread = int (*)(int mode, long m, long n, long k, void *alpha, void *a, long lda, void *b, long ldb,
                             void *c, long ldc, int (*routine)(), int nthreads);
using GetInt = int (*)();

constexpr int kPthreadMode = 0x4000; // BLAS_PTHREAD: routine(args), not BLAS's own calling convention
constexpr int kMaxParts = 64;

// The rows' base: parts see it offset by part * stride bytes.
alignas(64) char g_rows[kMaxParts * 16];

struct Job {
    PoolPart part;
    void *context;
    int parts;
    long stride;
    unsigned mxcsr; // the caller's floating-point mode (flush to zero, rounding), which each part runs under
};

// What a hand-over gives a routine: the first fields of OpenBLAS's blas_arg_t.
struct Args {
    char *a;
    Job *b;
};

void routine(void *args)
{
    const auto *given = static_cast<const Args *>(args);
    const Job &job = *given->b;
    const int part = static_cast<int>((given->a - g_rows) / job.stride);
#if defined(__SSE__)
    const unsigned own = _mm_getcsr();
    if (own != job.mxcsr)
        _mm_setcsr(job.mxcsr);
    job.part(job.context, part, job.parts);
    if (own != job.mxcsr)
        _mm_setcsr(own);
#else
    job.part(job.context, part, job.parts);
#endif
}

// OpenBLAS's queue keeps int (*)() and calls it as void (*)(void *) in BLAS_PTHREAD mode; void (*)() is the
// generic function pointer type between the two.
int (*handOver(void (*routine)(void *)))()
{
    return reinterpret_cast<int (*)()>(reinterpret_cast<void (*)()>(routine));
}

struct Probe {
    std::atomic<int> calls{0};
    std::atomic<int> sawJob{0}; // the calls whose b was the job handed over
    long offsets[2] = {-1, -1};
    pthread_t threads[2] = {};
};

// The probe's routine records the raw offset and the thread of each call (the stride is what it measures).
Probe *g_probe = nullptr;
void probeRoutine(void *args)
{
    const auto *given = static_cast<const Args *>(args);
    if (static_cast<const void *>(given->b) == g_probe)
        g_probe->sawJob.fetch_add(1);
    const int call = g_probe->calls.fetch_add(1);
    if (call < 2) {
        g_probe->offsets[call] = given->a - g_rows;
        g_probe->threads[call] = pthread_self();
    }
}

struct Symbols {
    Level1Thread level1 = nullptr;
    GetInt threads = nullptr;
};

#if defined(__SANITIZE_THREAD__)
#define REGLAB_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define REGLAB_TSAN 1
#endif
#endif

Symbols findSymbols()
{
    Symbols found;
#if !defined(REGLAB_TSAN)
    // (ThreadSanitizer cannot see OpenBLAS's hand-over, its own uninstrumented spin-waits, and would report the
    // parts' writes as races: such builds split nothing.)
    const auto level1 = reinterpret_cast<Level1Thread>(openblasSymbol("blas_level1_thread"));
    const auto parallel = reinterpret_cast<GetInt>(openblasSymbol("openblas_get_parallel"));
    const auto threads = reinterpret_cast<GetInt>(openblasSymbol("openblas_get_num_threads"));
    // 1: pthreads. An OpenMP OpenBLAS (2) would run the parts in an OpenMP team that LibTorch's may hold.
    if (level1 && parallel && threads && parallel() == 1) {
        found.level1 = level1;
        found.threads = threads;
    }
#endif
    return found;
}

const Symbols &symbols()
{
    static const Symbols found = findSymbols();
    return found;
}

// One hand-over of two rows, which must come back as described above: both rows run, the first on this thread and
// the second on another, one element apart. Returns that element size, 0 when anything differs. Made only while
// OpenBLAS has two threads or more (with one it has no thread to hand a row to).
std::atomic<long> g_stride{-1}; // -1: not probed yet; 0: the pool is not used
std::atomic<bool> g_allowed{true};

long probeStride(Level1Thread level1)
{
    static std::mutex probing;
    const std::lock_guard<std::mutex> lock(probing);
    if (const long known = g_stride.load(); known >= 0) // another thread probed while this one waited
        return known;
    Probe probe;
    g_probe = &probe;
    float alpha = 0;
    level1(kPthreadMode, 2, 0, 0, &alpha, g_rows, 1, &probe, 0, nullptr, 0, handOver(&probeRoutine), 2);
    g_probe = nullptr;
    long stride = 0;
    const int zero = probe.offsets[0] == 0 ? 0 : 1;
    const long other = probe.offsets[1 - zero];
    if (probe.calls.load() == 2 && probe.sawJob.load() == 2 && !pthread_equal(probe.threads[0], probe.threads[1]) &&
        probe.offsets[zero] == 0 && pthread_equal(probe.threads[zero], pthread_self()) && (other == 1 || other == 4))
        stride = other;
    g_stride.store(stride, std::memory_order_release);
    return stride;
}

} // namespace

int blasPoolWidth()
{
    const Symbols &found = symbols();
    if (!found.level1 || !g_allowed.load(std::memory_order_relaxed))
        return 1;
    const int threads = found.threads();
    if (threads < 2)
        return 1;
    long stride = g_stride.load(std::memory_order_acquire);
    if (stride < 0)
        stride = probeStride(found.level1);
    if (stride == 0)
        return 1;
    return threads < kMaxParts ? threads : kMaxParts;
}

void runBlasPool(int parts, PoolPart part, void *context)
{
    if (parts >= 2 && parts <= blasPoolWidth()) {
        Job job{part, context, parts, g_stride.load(std::memory_order_relaxed), 0};
#if defined(__SSE__)
        job.mxcsr = _mm_getcsr();
#endif
        float alpha = 0;
        symbols().level1(kPthreadMode, parts, 0, 0, &alpha, g_rows, 1, &job, 0, nullptr, 0,
                         handOver(&routine), parts);
        return;
    }
    for (int k = 0; k < parts; ++k)
        part(context, k, parts);
}

namespace {

struct Pieces {
    std::int64_t n, align;
    PoolPiece piece;
    void *context;
};

void runPiece(void *context, int part, int parts)
{
    const auto &p = *static_cast<const Pieces *>(context);
    const std::int64_t blocks = (p.n + p.align - 1) / p.align;
    const std::int64_t begin = std::min(p.n, blocks * part / parts * p.align);
    const std::int64_t end = std::min(p.n, blocks * (part + 1) / parts * p.align);
    if (end > begin)
        p.piece(p.context, begin, end);
}

} // namespace

void runBlasPoolPieces(std::int64_t n, std::int64_t align, std::int64_t leastPerPart, PoolPiece piece, void *context)
{
    const std::int64_t most = leastPerPart > 0 ? n / leastPerPart : n;
    const int parts = static_cast<int>(std::min<std::int64_t>(most, n >= 2 ? blasPoolWidth() : 1));
    if (parts < 2) {
        if (n > 0)
            piece(context, 0, n);
        return;
    }
    Pieces pieces{n, align > 0 ? align : 1, piece, context};
    runBlasPool(parts, &runPiece, &pieces);
}

bool allowBlasPool(bool allowed)
{
    return g_allowed.exchange(allowed);
}

} // namespace reglab
