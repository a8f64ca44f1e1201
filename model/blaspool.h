// Element-wise passes split over OpenBLAS's own threads. With two BLAS threads the products run on both cores and
// everything else on one, while OpenBLAS's second thread spins waiting for the next product; a thread of ours would
// fight it for the core (3x slower steps, measured), so the parts run on OpenBLAS's thread itself, handed over as
// OpenBLAS hands over its own level-1 work. No Qt and no torch here.
#pragma once

#include <cstdint>

namespace reglab {

// One part of a pass: part k of `parts`. Part 0 runs on the caller's thread, the others on OpenBLAS's, all inside
// OpenBLAS's frames: no exception may leave a part, and a part hands nothing over itself (no runBlasPool, no
// threaded BLAS call).
using PoolPart = void (*)(void *context, int part, int parts);

// How many parts a pass may be split into now: OpenBLAS's thread count when its pool takes work of ours (a
// pthreads OpenBLAS whose hand-over checked out, see the .cpp), else 1.
int blasPoolWidth();

// Runs part(context, k, parts) for every k in [0, parts): part 0 on this thread and the others on OpenBLAS's
// threads, all finished on return, when 2 <= parts <= blasPoolWidth(); else all here, one after another.
void runBlasPool(int parts, PoolPart part, void *context);

// A pass over n elements (or rows) in pieces: piece(context, begin, end) for consecutive ranges covering [0, n),
// one per part of runBlasPool, meeting at multiples of `align` (so each element goes through the same vector code
// as in one pass). As many parts as the pool has threads, but none smaller than `leastPerPart` (a hand-over costs
// 1-2 us): a short pass runs here in one piece.
using PoolPiece = void (*)(void *context, std::int64_t begin, std::int64_t end);
void runBlasPoolPieces(std::int64_t n, std::int64_t align, std::int64_t leastPerPart, PoolPiece piece, void *context);

// For tests and benchmarks (A/B): whether the pool may be used (default: yes). Returns the previous value.
bool allowBlasPool(bool allowed);

} // namespace reglab
