#include "model/folds.h"

#include <algorithm>
#include <numeric>
#include <random>

namespace reglab {

std::vector<Fold> makeFolds(std::int64_t count, int k, std::uint64_t seed)
{
    std::vector<std::int64_t> order(static_cast<std::size_t>(count));
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(seed ^ 0x5eedf01dULL);
    std::shuffle(order.begin(), order.end(), rng);

    std::vector<Fold> folds(static_cast<std::size_t>(k));
    std::vector<int> owner(order.size());
    std::int64_t start = 0;
    for (int f = 0; f < k; ++f) {
        const std::int64_t size = count / k + (f < count % k ? 1 : 0);
        for (std::int64_t i = start; i < start + size; ++i)
            owner[static_cast<std::size_t>(order[static_cast<std::size_t>(i)])] = f;
        start += size;
    }
    for (std::int64_t i = 0; i < count; ++i) {
        for (int f = 0; f < k; ++f) {
            auto &fold = folds[static_cast<std::size_t>(f)];
            (owner[static_cast<std::size_t>(i)] == f ? fold.validation : fold.train).push_back(i);
        }
    }
    return folds;
}

} // namespace reglab
