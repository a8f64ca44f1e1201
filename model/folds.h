// K-fold split of the training set, shuffled with the run's seed (scikit-learn's KFold(shuffle=True) layout).
#pragma once

#include <cstdint>
#include <vector>

namespace reglab {

struct Fold {
    std::vector<std::int64_t> train;      // ascending indices
    std::vector<std::int64_t> validation; // ascending indices
};

// Fold sizes follow KFold: the first n % k folds hold one sample more. k >= 2, n >= k.
std::vector<Fold> makeFolds(std::int64_t count, int k, std::uint64_t seed);

} // namespace reglab
