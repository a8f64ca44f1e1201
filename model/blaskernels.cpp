// Which matrix kernels OpenBLAS runs, and choosing the right ones at start (see blaskernels.h). OpenBLAS picks its
// kernels once, while it loads, from OPENBLAS_CORETYPE or its own look at the CPU; by main() that is done, so the
// only way to other kernels is to run the program again with the variable set: exec replaces the process (same
// pid, same parent, so exit statuses and signals reach the caller as before).
#include "model/blaskernels.h"

#include <dlfcn.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

namespace reglab {

namespace {

constexpr const char *kCoreVariable = "OPENBLAS_CORETYPE";
// "ORIGINAL:TRIED1,TRIED2": the core OpenBLAS picked on its own, then the cores RegLab set in turn (the last one in
// force; "default" for OpenBLAS's own). Present means "RegLab already chose": never a second restart for the same
// reason, whatever else the environment says; children (sweeps) inherit it and keep the choice.
constexpr const char *kMarkerVariable = "REGLAB_BLAS_CHOSEN";
// The signal mask the first process had, while restarts run with signals blocked (see restart()).
constexpr const char *kMaskVariable = kSignalMaskVariable;
constexpr const char *kStopping = "a stop signal came while starting"; // mayRestart said no
constexpr std::size_t kMaxTries = 4; // SkylakeX, Haswell, default: never more, whatever the marker holds

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return text;
}

bool sameCore(const std::string &a, const std::string &b)
{
    return lower(a) == lower(b);
}

// OpenBLAS's x86-64 cores by the newest instructions their kernels use. Names from OpenBLAS 0.3.21's
// driver/others/dynamic.c; a name not here is newer than this list and left to OpenBLAS.
int coreLevel(const std::string &core)
{
    static const char *const avx512[] = {"skylakex", "cooperlake", "sapphirerapids"};
    static const char *const avx2[] = {"haswell", "zen"};
    static const char *const avx[] = {"sandybridge", "bulldozer", "piledriver", "steamroller", "excavator"};
    static const char *const sse[] = {"unknown", "katmai",       "coppermine", "northwood",  "prescott", "banias",
                                      "atom",    "core2",        "penryn",     "dunnington", "nehalem",  "athlon",
                                      "opteron", "opteron_sse3", "barcelona",  "nano",       "bobcat",   "generic"};
    const std::string c = lower(core);
    for (const char *name : avx512)
        if (c == name)
            return 3;
    for (const char *name : avx2)
        if (c == name)
            return 2;
    for (const char *name : avx)
        if (c == name)
            return 1;
    for (const char *name : sse)
        if (c == name)
            return 0;
    return 99;
}

std::vector<std::string> split(const std::string &text, char by)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find(by, start), text.size());
        if (end > start)
            parts.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return parts;
}

std::string join(const std::vector<std::string> &parts, const char *by)
{
    std::string text;
    for (const std::string &p : parts)
        text += (text.empty() ? "" : by) + p;
    return text;
}

struct Marker {
    std::string original;           // the core OpenBLAS picked on its own
    std::vector<std::string> tried; // RegLab's choices in turn; the last is in force ("default": OpenBLAS's own)
    bool valid() const { return !original.empty() && !tried.empty(); }
    std::string text() const { return original + ":" + join(tried, ","); }
};

Marker parseMarker(const char *text)
{
    Marker m;
    if (!text)
        return m;
    const std::string s = text;
    const std::size_t colon = s.find(':');
    if (colon == std::string::npos)
        return m;
    m.original = s.substr(0, colon);
    m.tried = split(s.substr(colon + 1), ',');
    return m;
}

// The program's name for messages: "reglab-train".
std::string programName(char **argv)
{
    const char *name = argv && argv[0] ? argv[0] : "reglab";
    const char *slash = std::strrchr(name, '/');
    return slash ? slash + 1 : name;
}

using Sgemm = SgemmFunction;
using Text = char *(*)();

// sgemm_ as LibTorch's calls find it: the first definition in the process's global scope.
void *sgemmSymbol()
{
    return ::dlsym(RTLD_DEFAULT, "sgemm_");
}

} // namespace

// From the library that holds sgemm_ or its own dependencies (Debian's libblas.so.3 from libopenblas0-pthread is
// a thin BLAS interface over libopenblas.so.0, which runs the kernels): the names then describe the very code the
// products run in, not some other OpenBLAS that happens to be loaded.
void *openblasSymbol(const char *name)
{
    void *sgemm = sgemmSymbol();
    Dl_info info{};
    if (!sgemm || !::dladdr(sgemm, &info) || !info.dli_fname)
        return nullptr;
    void *handle = ::dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD);
    if (!handle)
        return nullptr;
    void *symbol = ::dlsym(handle, name); // searches the library, then its dependencies
    ::dlclose(handle);
    return symbol;
}

namespace {

// Library, version and core as the library says now; chosenBy and note are the caller's.
BlasKernels inspect()
{
    BlasKernels k;
    const std::string path = blasLibraryPath();
    if (path.empty())
        return k;
    k.library = path.substr(path.rfind('/') + 1);
    const auto corename = reinterpret_cast<Text>(openblasSymbol("openblas_get_corename"));
    const auto config = reinterpret_cast<Text>(openblasSymbol("openblas_get_config"));
    if (!corename)
        return k;
    k.library = "OpenBLAS";
    if (const char *core = corename())
        k.core = core;
    if (config) { // "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Prescott MAX_THREADS=64"
        const std::vector<std::string> words = split(config() ? config() : "", ' ');
        if (words.size() > 1 && words[0] == "OpenBLAS")
            k.version = words[1];
    }
    k.chosenBy = "openblas";
    return k;
}

std::mutex g_mutex;
bool g_chosen = false;
BlasKernels g_kernels;

void remember(const BlasKernels &k)
{
    const std::lock_guard<std::mutex> lock(g_mutex);
    g_kernels = k;
    g_chosen = true;
}

// Puts back the signal mask the first process had (restart() blocked signals across the exec): a signal that came
// during the exec is delivered now, to the handlers this process has installed by now (or in its default way).
void restoreSignalMask()
{
    const char *text = std::getenv(kMaskVariable);
    if (!text)
        return;
    const sigset_t mask = maskFromText(text);
    ::unsetenv(kMaskVariable);
    ::pthread_sigmask(SIG_SETMASK, &mask, nullptr);
}

// In the restarted process, right after its own earlier entries (reglab-train's handlers, installed by its
// .preinit_array before this one: the executable's objects link before this library's) and before any library's
// initializer: signals behave as they would have without the restart from here on. OpenBLAS, for one, raises
// SIGINT on itself while it loads when it cannot start its threads (a memory limit); blocked, that would be lost
// and OpenBLAS would go on to wait for its buffers for ever. Only libc is used: nothing else is initialized yet.
extern "C" void reglabRestoreSignalMaskEarly(int, char **, char **)
{
    restoreSignalMask();
}
__attribute__((section(".preinit_array"),
               used)) void (*const kRestoreSignalMaskEarly)(int, char **, char **) = reglabRestoreSignalMaskEarly;

// Runs this program again with OPENBLAS_CORETYPE=`core` ("" : unset, OpenBLAS's own choice) and the marker; returns
// only when that could not be done, with `why` set and everything as it was.
void restart(char **argv, const std::string &core, const Marker &marker, bool (*mayRestart)(), std::string &why)
{
    char self[4096];
    const char *testExe = std::getenv("REGLAB_BLAS_TEST_EXE"); // tests: an executable that cannot be run
    std::string exe;
    if (testExe) {
        exe = testExe;
    } else {
        // The file's own path rather than /proc/self/exe: the process's name (comm, what ps and pkill see) is taken
        // from the path exec is given, and would read "exe".
        const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
        exe = n > 0 ? std::string(self, std::size_t(n)) : std::string();
        if (exe.empty() || exe.find(" (deleted)") != std::string::npos)
            exe = "/proc/self/exe";
    }
    // Between here and the new process's main() a signal must neither be lost (a handler of this process would take
    // it and then be replaced) nor end the process in its default way while the handlers are not yet installed
    // again: blocked, it stays pending across exec and is delivered once the new process restores the mask (in its
    // .preinit_array, right after reglab-train has installed its handlers there).
    const sigset_t block = startupBlockMask();
    sigset_t old;
    ::pthread_sigmask(SIG_BLOCK, &block, &old);
    if (mayRestart && !mayRestart()) {
        ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
        why = kStopping;
        return;
    }
    const char *oldCore = std::getenv(kCoreVariable), *oldMarker = std::getenv(kMarkerVariable);
    const std::string savedCore = oldCore ? oldCore : "", savedMarker = oldMarker ? oldMarker : "";
    const bool hadMask = std::getenv(kMaskVariable) != nullptr;
    if (core.empty())
        ::unsetenv(kCoreVariable);
    else
        ::setenv(kCoreVariable, core.c_str(), 1);
    ::setenv(kMarkerVariable, marker.text().c_str(), 1);
    if (!hadMask) // a second restart keeps the first process's mask
        ::setenv(kMaskVariable, maskText(old).c_str(), 1);
    if (std::getenv("REGLAB_BLAS_TRACE")) // the tests count restarts with it
        std::fprintf(stderr, "%s: restarting with OPENBLAS_CORETYPE=%s (%s=%s)\n", programName(argv).c_str(),
                     core.empty() ? "(unset)" : core.c_str(), kMarkerVariable, marker.text().c_str());
    std::fflush(nullptr);
    ::execv(exe.c_str(), argv);
    if (!testExe && exe != "/proc/self/exe")
        ::execv("/proc/self/exe", argv);
    why = exe + ": " + std::strerror(errno);
    if (oldCore)
        ::setenv(kCoreVariable, savedCore.c_str(), 1);
    else
        ::unsetenv(kCoreVariable);
    if (oldMarker) // a restart after a failed check: children still see RegLab's choice as RegLab's
        ::setenv(kMarkerVariable, savedMarker.c_str(), 1);
    else
        ::unsetenv(kMarkerVariable);
    if (!hadMask)
        ::unsetenv(kMaskVariable);
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

// After a restart through /proc/self/exe the process is named "exe": give it its file's name back.
void fixProcessName()
{
    char comm[32] = {};
    if (FILE *f = std::fopen("/proc/self/comm", "r")) {
        if (!std::fgets(comm, sizeof comm, f))
            comm[0] = 0;
        std::fclose(f);
    }
    if (std::strcmp(comm, "exe\n") != 0)
        return;
    char self[4096];
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return;
    std::string name(self, std::size_t(n));
    name = name.substr(name.rfind('/') + 1);
    name = name.substr(0, name.find(" (deleted)"));
    ::prctl(PR_SET_NAME, name.c_str(), 0, 0, 0);
}

float pseudoRandom(std::uint32_t &state)
{
    state = state * 1664525u + 1013904223u;
    return float(state >> 8) / float(1u << 23) - 1.0f; // [-1, 1)
}

} // namespace

CpuFeatures CpuFeatures::detect()
{
    CpuFeatures cpu;
#if defined(__x86_64__) || defined(__i386__)
    // libgcc's checks include the OS's support (XCR0) for the AVX and AVX-512 registers.
    __builtin_cpu_init();
    cpu.avx512f = __builtin_cpu_supports("avx512f");
    cpu.avx2 = __builtin_cpu_supports("avx2");
    cpu.fma = __builtin_cpu_supports("fma");
#endif
    return cpu;
}

std::string preferredBlasCore(const CpuFeatures &cpu)
{
    if (cpu.avx512f && cpu.avx2 && cpu.fma)
        return "SkylakeX";
    if (cpu.avx2 && cpu.fma)
        return "Haswell";
    return {};
}

bool blasCoreOlderThan(const std::string &core, const std::string &preferred)
{
    return !preferred.empty() && coreLevel(core) < coreLevel(preferred);
}

std::string nextOlderBlasCore(const std::string &core, const CpuFeatures &cpu)
{
    if (sameCore(core, "SkylakeX") && cpu.avx2 && cpu.fma)
        return "Haswell";
    return {};
}

std::string blasLibraryPath()
{
    Dl_info info{};
    void *sgemm = sgemmSymbol();
    if (!sgemm || !::dladdr(sgemm, &info) || !info.dli_fname)
        return {};
    return info.dli_fname;
}

SgemmFunction blasSgemm()
{
    static const auto sgemm = reinterpret_cast<SgemmFunction>(sgemmSymbol());
    return sgemm;
}

bool checkBlasProducts(std::string &detail)
{
    const auto sgemm = reinterpret_cast<Sgemm>(sgemmSymbol());
    if (!sgemm) {
        detail = "no sgemm_ in this process";
        return false;
    }
    if (const char *forced = std::getenv("REGLAB_BLAS_CHECK_FAIL")) {
        const auto corename = reinterpret_cast<Text>(openblasSymbol("openblas_get_corename"));
        const std::string core = corename && corename() ? corename() : "";
        for (const std::string &name : split(forced, ','))
            if (sameCore(name, core)) {
                detail = "made to fail by REGLAB_BLAS_CHECK_FAIL=" + std::string(forced);
                return false;
            }
    }
    // The calling thread takes OpenBLAS's working buffer (about 130 MB) at its first product, and under a memory
    // limit (ulimit -v or -d) a buffer it cannot get is retried for ever: a hang. Where there is no room for one,
    // the check is left out and the run meets prepareCpu()'s message about the limit instead. Room for two: the
    // buffer the check takes stays taken, and prepareCpu() asks for room for one more before training starts.
    const std::size_t buffer = std::size_t(300) << 20;
    void *probe = ::mmap(nullptr, buffer, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (probe == MAP_FAILED) {
        detail = "not checked: too little memory left for OpenBLAS's working buffer";
        return true;
    }
    ::munmap(probe, buffer);
    // Column-major (BLAS's order). The first is LibTorch's forward product of the forum network's first layer at
    // batch 50 (row-major x 50x784 times W^T, W 200x784); the others its weight-gradient form and odd sizes that
    // reach the kernels' edge cases.
    struct Shape {
        char transA, transB;
        int m, n, k;
    };
    const Shape shapes[] = {
        {'T', 'N', 200, 50, 784}, {'N', 'T', 96, 64, 50}, {'T', 'T', 37, 19, 129}, {'N', 'N', 10, 1, 200}};
    std::uint32_t state = 12345;
    for (const Shape &s : shapes) {
        const bool ta = s.transA == 'T', tb = s.transB == 'T';
        const int lda = ta ? s.k : s.m, ldb = tb ? s.n : s.k, ldc = s.m;
        std::vector<float> a(std::size_t(s.m) * std::size_t(s.k)), b(std::size_t(s.k) * std::size_t(s.n)),
            c(std::size_t(s.m) * std::size_t(s.n), 7.0f);
        for (float &v : a)
            v = pseudoRandom(state);
        for (float &v : b)
            v = pseudoRandom(state);
        const float one = 1.0f, zero = 0.0f;
        sgemm(&s.transA, &s.transB, &s.m, &s.n, &s.k, &one, a.data(), &lda, b.data(), &ldb, &zero, c.data(), &ldc);
        for (int j = 0; j < s.n; ++j)
            for (int i = 0; i < s.m; ++i) {
                double sum = 0, magnitude = 0;
                for (int p = 0; p < s.k; ++p) {
                    const double x = ta ? a[std::size_t(p) + std::size_t(i) * std::size_t(lda)]
                                        : a[std::size_t(i) + std::size_t(p) * std::size_t(lda)];
                    const double y = tb ? b[std::size_t(j) + std::size_t(p) * std::size_t(ldb)]
                                        : b[std::size_t(p) + std::size_t(j) * std::size_t(ldb)];
                    sum += x * y;
                    magnitude += std::fabs(x * y);
                }
                const double got = c[std::size_t(i) + std::size_t(j) * std::size_t(ldc)];
                // Not !(error > bound): a NaN fails too.
                if (!(std::fabs(got - sum) <= 1e-5 * magnitude + 1e-30)) {
                    char text[200];
                    std::snprintf(text, sizeof text, "%c%c %dx%dx%d product, element (%d, %d): %.9g, not %.9g",
                                  s.transA, s.transB, s.m, s.n, s.k, i, j, got, sum);
                    detail = text;
                    return false;
                }
            }
    }
    return true;
}

void chooseBlasKernels(int argc, char **argv, bool (*mayRestart)())
{
    (void)argc; // argv ends with its null pointer, as exec wants it
    const std::string program = programName(argv);
    const char *markerText = std::getenv(kMarkerVariable);
    if (markerText)
        fixProcessName();
    BlasKernels k = inspect();
    if (k.core.empty()) { // not OpenBLAS: nothing to choose
        restoreSignalMask();
        remember(k);
        return;
    }
    const char *userCore = std::getenv(kCoreVariable);
    const Marker marker = parseMarker(markerText);
    const bool ours =
        marker.valid() && (marker.tried.back() == "default" ? !userCore : userCore && marker.tried.back() == userCore);
    const CpuFeatures cpu = CpuFeatures::detect();
    std::string detail, why;

    if (userCore && !ours) {
        // The user's word is kept, even when the check disagrees: they may know what they are doing.
        k.chosenBy = "user";
        if (!sameCore(userCore, k.core))
            k.note = "OPENBLAS_CORETYPE=" + std::string(userCore) + ", and OpenBLAS runs " + k.core;
        const bool passed = checkBlasProducts(detail);
        if (!detail.empty()) // failed, or not checked for want of memory
            k.note += std::string(k.note.empty() ? "" : "; ") +
                      (passed ? detail : "failed RegLab's check of its products (" + detail + ")");
        if (!passed)
            std::fprintf(stderr,
                         "%s: warning: OpenBLAS's %s kernels (OPENBLAS_CORETYPE=%s) failed RegLab's check of "
                         "its products: %s; kept, as OPENBLAS_CORETYPE asks\n",
                         program.c_str(), k.core.c_str(), userCore, detail.c_str());
    } else if (ours) {
        const std::string current = marker.tried.back();
        std::vector<std::string> failed(marker.tried.begin(), marker.tried.end() - 1);
        const std::string failedText =
            failed.empty() ? std::string() : "the " + join(failed, " and ") + " kernels failed RegLab's check; ";
        if (current == "default") {
            k.chosenBy = "fallback";
            k.note = failedText + "OpenBLAS's own choice in use";
        } else if (checkBlasProducts(detail)) {
            k.chosenBy = failed.empty() ? "reglab" : "fallback";
            k.note = failedText + "OpenBLAS picked " + marker.original + " on this CPU";
            if (!detail.empty()) // not checked (too little memory)
                k.note += "; " + detail;
        } else {
            const std::string next = nextOlderBlasCore(current, cpu);
            const std::string nextText = next.empty() ? "OpenBLAS's own choice" : next + " kernels";
            std::fprintf(stderr,
                         "%s: OpenBLAS's %s kernels failed RegLab's check of its products (%s); falling "
                         "back to %s\n",
                         program.c_str(), current.c_str(), detail.c_str(), nextText.c_str());
            Marker further = marker;
            further.tried.push_back(next.empty() ? "default" : next);
            if (further.tried.size() <= kMaxTries)
                restart(argv, next, further, mayRestart, why);
            else
                why = "too many restarts";
            // Still here: the failed kernels stay in use, and the record says so.
            k.chosenBy = "reglab";
            k.note = failedText + "the " + current + " kernels failed RegLab's check (" + detail +
                     ") and could not be replaced (" + why + ")";
            std::fprintf(stderr, "%s: could not restart with %s (%s); the %s kernels stay in use\n", program.c_str(),
                         nextText.c_str(), why.c_str(), current.c_str());
        }
    } else {
        const std::string preferred = preferredBlasCore(cpu);
        if (blasCoreOlderThan(k.core, preferred)) {
            Marker fresh;
            fresh.original = k.core;
            fresh.tried = {preferred};
            restart(argv, preferred, fresh, mayRestart, why);
            // Still here: OpenBLAS's own fallback stays, and the user learns how to get the right kernels (not when
            // the program is about to stop anyway).
            k.note =
                "OpenBLAS picked " + k.core + " on a CPU that runs " + preferred + "; could not restart (" + why + ")";
            if (why != kStopping)
                std::fprintf(stderr,
                             "%s: OpenBLAS uses its %s kernels on this CPU, which runs its faster %s ones; could not "
                             "restart with them (%s): set OPENBLAS_CORETYPE=%s to get them\n",
                             program.c_str(), k.core.c_str(), preferred.c_str(), why.c_str(), preferred.c_str());
        }
    }
    restoreSignalMask();
    remember(k);
}

const BlasKernels &blasKernels()
{
    const std::lock_guard<std::mutex> lock(g_mutex);
    if (!g_chosen) {
        // Not chosen at start (a test, a tool): what the library says, and who chose it as far as can be told.
        g_kernels = inspect();
        const char *userCore = std::getenv(kCoreVariable);
        const Marker marker = parseMarker(std::getenv(kMarkerVariable));
        if (!g_kernels.core.empty() && userCore)
            g_kernels.chosenBy = marker.valid() && marker.tried.back() == userCore ? "reglab" : "user";
        g_chosen = true;
    }
    return g_kernels;
}

std::string describeBlasKernels(const BlasKernels &k)
{
    if (k.library.empty())
        return "none found (LibTorch's own loops)";
    std::string text = k.library + (k.version.empty() ? "" : " " + k.version);
    if (!k.core.empty()) {
        text += ", " + k.core + " kernels (chosen by " + k.chosenBy;
        text += k.note.empty() ? ")" : "; " + k.note + ")";
    }
    return text;
}

std::string shortBlasKernels(const BlasKernels &k)
{
    if (k.library.empty())
        return {};
    return k.core.empty() ? k.library : k.library + " " + k.core;
}

} // namespace reglab
