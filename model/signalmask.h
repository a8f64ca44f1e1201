// Signal masks carried across an exec: programs that start reglab-train (its launcher, a BLAS restart, the sweep
// pool) block the stop signals until its handlers are in place, and leave the mask to restore in the environment.
// Only libc: the launcher links this file and nothing else of the core.
#pragma once

#include <signal.h>

#include <string>

namespace reglab {

// Where the mask to restore is left (hexadecimal, bit N-1 for signal N).
inline constexpr const char *kSignalMaskVariable = "REGLAB_BLAS_SIGMASK";

// Every signal but those that report a thread's own fault (a blocked SIGSEGV kills without a handler anyway).
sigset_t startupBlockMask();

// The mask as kSignalMaskVariable holds it, and back (unknown bits and bad text give an empty mask).
std::string maskText(const sigset_t &mask);
sigset_t maskFromText(const char *text);

} // namespace reglab
