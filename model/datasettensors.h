// Internal to the core (torch): a data set's images and labels as tensors. Never include from Qt code.
#pragma once

#include <torch/torch.h>

namespace reglab {

// torchvision's Normalize((0.1307,), (0.3081,)), which the forum's script uses.
inline constexpr double kMean = 0.1307;
inline constexpr double kStd = 0.3081;

struct DatasetTensors {
    torch::Tensor trainImages; // N x 784, float, normalized
    torch::Tensor trainLabels; // N, int64
    torch::Tensor testImages;
    torch::Tensor testLabels;
};

} // namespace reglab
