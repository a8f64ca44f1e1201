// The core's tests use doctest: Debian's doctest-dev where it is installed, the copy in third_party/ elsewhere
// (the GPU machine). Include this header after every torch header: LibTorch's logging defines glog-style CHECK
// macros, which are dropped here in favour of doctest's.
#pragma once

#undef CHECK
#undef CHECK_OP
#undef CHECK_EQ
#undef CHECK_NE
#undef CHECK_LT
#undef CHECK_GT
#undef CHECK_LE
#undef CHECK_GE
#undef CHECK_NEAR
#undef CHECK_NOTNULL

#include <doctest/doctest.h>

#include <cmath>

// |a - b| <= tol, with both values in the message when it fails.
#define CHECK_NEAR(a, b, tol)                                                                                          \
    do {                                                                                                               \
        const double va_ = (a), vb_ = (b);                                                                             \
        CHECK_MESSAGE(std::fabs(va_ - vb_) <= (tol), #a " = " << va_ << ", " #b " = " << vb_);                         \
    } while (0)
// `expr` throws ExceptionType whose message contains `needle`.
#define CHECK_THROWS_CONTAINING(expr, ExceptionType, needle)                                                           \
    CHECK_THROWS_WITH_AS(expr, doctest::Contains(std::string(needle).c_str()), ExceptionType)

#include <string>

// A JSON value nested `levels` deep ("[[[...]]]"): a hostile file's, which once overflowed the stack of any reader
// that copied it (100,000 levels) when it came before other members.
inline std::string deepJson(int levels = 100000)
{
    return std::string(std::size_t(levels), '[') + std::string(std::size_t(levels), ']');
}
