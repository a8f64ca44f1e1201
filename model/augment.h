// Internal to the core (torch): what happens to a training batch before the network sees it (random shifts, input
// noise), and the training set's preparation for the overfitting regime (a seeded subset, flipped labels). Never
// include from Qt code.
#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace reglab {

// One 28x28 image moved by (dx, dy) pixels (right and down when positive), `blank` shifted in.
void shiftImage(const float *in, float *out, int dx, int dy, float blank);

// Each row of `images` (n x 784, in place) moved by its own random dx, dy in [-maxShift, maxShift], drawn from
// `state` (a splitmix64 state), `blank` shifted in. Works on any device (through the CPU off it).
void shiftImages(torch::Tensor &images, int maxShift, std::uint64_t &state, float blank);

// The training set a run trains on: `count` images of the training file drawn with `generator` (all when count
// is 0 or the file has no more), and a share `noise` of their labels replaced by another of `classes` classes,
// drawn with the same generator. The data set's own tensors are never changed.
struct TrainingSet {
    torch::Tensor images, labels;
    std::int64_t flipped = 0;
};
TrainingSet prepareTrainingSet(const torch::Tensor &images, const torch::Tensor &labels, std::int64_t count,
                               double noise, int classes, at::Generator &generator);

} // namespace reglab
