// Signal masks carried across an exec, as text in the environment (see signalmask.h).
#include "model/signalmask.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace reglab {

namespace {

bool synchronousSignal(int signal)
{
    return signal == SIGSEGV || signal == SIGBUS || signal == SIGFPE || signal == SIGILL || signal == SIGTRAP ||
           signal == SIGSYS || signal == SIGKILL || signal == SIGSTOP;
}

} // namespace

sigset_t startupBlockMask()
{
    sigset_t block;
    sigfillset(&block);
    for (int s = 1; s < NSIG; ++s)
        if (synchronousSignal(s))
            ::sigdelset(&block, s);
    return block;
}

std::string maskText(const sigset_t &mask)
{
    std::uint64_t bits = 0;
    for (int s = 1; s <= 64 && s < NSIG; ++s)
        if (::sigismember(&mask, s) == 1)
            bits |= std::uint64_t(1) << (s - 1);
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%llx", static_cast<unsigned long long>(bits));
    return buffer;
}

sigset_t maskFromText(const char *text)
{
    sigset_t mask;
    sigemptyset(&mask);
    const std::uint64_t bits = text ? std::strtoull(text, nullptr, 16) : 0;
    for (int s = 1; s <= 64 && s < NSIG; ++s)
        if (bits & (std::uint64_t(1) << (s - 1)))
            ::sigaddset(&mask, s);
    return mask;
}

} // namespace reglab
