// A minimal test harness for the core's tests: no dependency, so the core's tests also build on machines
// with nothing but a compiler and LibTorch (the GPU machine). Each test executable runs its cases and ends
// with "N passed, N failed"; `EXE NAME` runs one case.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace testing {

struct Case {
    const char *name;
    std::function<void()> body;
};

inline std::vector<Case> &cases()
{
    static std::vector<Case> all;
    return all;
}

struct Failure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

inline int &failedChecks()
{
    static int n = 0;
    return n;
}

struct Register {
    Register(const char *name, std::function<void()> body) { cases().push_back({name, std::move(body)}); }
};

inline void fail(const char *file, int line, const std::string &what, bool fatal)
{
    std::fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what.c_str());
    ++failedChecks();
    if (fatal)
        throw Failure(what);
}

template <typename A, typename B>
std::string describe(const char *ea, const char *eb, const A &a, const B &b, const char *op)
{
    std::ostringstream s;
    s.precision(10);
    s << ea << ' ' << op << ' ' << eb << " (" << a << " vs " << b << ")";
    return s.str();
}

inline int runAll(int argc, char **argv)
{
    int passed = 0, failed = 0;
    for (const auto &c : cases()) {
        if (argc > 1 && std::strcmp(argv[1], c.name) != 0)
            continue;
        const int before = failedChecks();
        try {
            c.body();
        } catch (const Failure &) {
        } catch (const std::exception &e) {
            std::fprintf(stderr, "%s: unexpected exception: %s\n", c.name, e.what());
            ++failedChecks();
        }
        const bool ok = failedChecks() == before;
        std::printf("[%s] %s\n", ok ? "pass" : "FAIL", c.name);
        (ok ? passed : failed)++;
    }
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 && passed > 0 ? 0 : 1;
}

} // namespace testing

// LibTorch's logging headers define glog-style CHECK macros; these replace them in the tests.
#undef CHECK
#undef CHECK_OP
#undef CHECK_EQ
#undef CHECK_LT
#undef CHECK_GT
#undef CHECK_LE
#undef CHECK_GE
#undef CHECK_NEAR

#define TEST_CONCAT2(a, b) a##b
#define TEST_CONCAT(a, b) TEST_CONCAT2(a, b)
#define TEST_CASE(name)                                                                                                \
    static void TEST_CONCAT(test_, name)();                                                                            \
    static testing::Register TEST_CONCAT(reg_, name)(#name, TEST_CONCAT(test_, name));                                 \
    static void TEST_CONCAT(test_, name)()

#define CHECK(cond)                                                                                                    \
    do {                                                                                                               \
        if (!(cond))                                                                                                   \
            testing::fail(__FILE__, __LINE__, #cond, false);                                                           \
    } while (0)
#define REQUIRE(cond)                                                                                                  \
    do {                                                                                                               \
        if (!(cond))                                                                                                   \
            testing::fail(__FILE__, __LINE__, #cond, true);                                                            \
    } while (0)
#define CHECK_OP(a, b, op)                                                                                             \
    do {                                                                                                               \
        const auto &va_ = (a);                                                                                         \
        const auto &vb_ = (b);                                                                                         \
        if (!(va_ op vb_))                                                                                             \
            testing::fail(__FILE__, __LINE__, testing::describe(#a, #b, va_, vb_, #op), false);                        \
    } while (0)
#define CHECK_EQ(a, b) CHECK_OP(a, b, ==)
#define CHECK_LT(a, b) CHECK_OP(a, b, <)
#define CHECK_GT(a, b) CHECK_OP(a, b, >)
#define CHECK_LE(a, b) CHECK_OP(a, b, <=)
#define CHECK_GE(a, b) CHECK_OP(a, b, >=)
#define CHECK_NEAR(a, b, tol)                                                                                          \
    do {                                                                                                               \
        const double va_ = (a), vb_ = (b);                                                                             \
        if (!(std::fabs(va_ - vb_) <= (tol)))                                                                          \
            testing::fail(__FILE__, __LINE__, testing::describe(#a, #b, va_, vb_, "~="), false);                       \
    } while (0)
// Checks that `expr` throws ExceptionType whose message contains `needle`.
#define CHECK_THROWS_WITH(expr, ExceptionType, needle)                                                                 \
    do {                                                                                                               \
        bool thrown_ = false;                                                                                          \
        try {                                                                                                          \
            (void)(expr);                                                                                              \
        } catch (const ExceptionType &e_) {                                                                            \
            thrown_ = true;                                                                                            \
            if (std::string(e_.what()).find(needle) == std::string::npos)                                              \
                testing::fail(__FILE__, __LINE__, std::string("message '") + e_.what() + "' lacks '" + (needle) + "'", \
                              false);                                                                                  \
        }                                                                                                              \
        if (!thrown_)                                                                                                  \
            testing::fail(__FILE__, __LINE__, #expr " did not throw " #ExceptionType, false);                          \
    } while (0)

#define TEST_MAIN()                                                                                                    \
    int main(int argc, char **argv)                                                                                    \
    {                                                                                                                  \
        return testing::runAll(argc, argv);                                                                            \
    }
