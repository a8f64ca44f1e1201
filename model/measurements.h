// Internal to the core (torch): what the trainer measures about the network, as functions of its tensors that
// return the plain records the views draw. None of them changes the network's parameters.
#pragma once

#include "model/mlp.h"
#include "model/records.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace reglab {

class Dataset;

struct Evaluation {
    double loss = 0, accuracy = 0;
    torch::Tensor predicted; // argmax per row, when asked for
};

// Loss and accuracy in eval mode over the rows `indices` selects (all rows when undefined).
Evaluation evaluate(Mlp &net, const torch::Tensor &images, const torch::Tensor &labels, const torch::Tensor &indices,
                    bool keepPredictions = false);

// The weights' histogram over WeightHistogram's fixed range, so frames and runs compare bin by bin.
WeightHistogram histogramOf(const std::string &name, const std::vector<float> &weights);
// Copies of every layer's weights (on the host, float32) with their histograms.
WeightSnapshot weightSnapshot(const Mlp &net, int epoch, std::int64_t step);

// Per layer: the share of weights with |w| < threshold, the share exactly 0, and the L1 and L2 norms.
std::vector<LayerStats> layerStats(const Mlp &net, double sparsityThreshold);

// The mean size per weight of the data gradient (the weights' .grad(), from which an explicit L2 penalty's
// lambda2 * w is taken out when `penaltyInGradient`) and of the L1 and L2 pushes.
GradientBalance gradientBalance(const Mlp &net, double l1, double l2, bool penaltyInGradient, std::int64_t step,
                                int epoch);
// The same in two halves, so that its loops (a third of a millisecond for the forum network) can run on another
// thread beside other work: prepareBalance (LibTorch, on the calling thread) takes each layer's weights and data
// gradients as host pointers, or measures the layers that are not contiguous float32 CPU tensors itself;
// finishBalance (no LibTorch, no allocation, no exception) does the loops. The tensors must not change in between.
struct BalanceWork {
    GradientBalance balance; // the layers finishBalance fills have `pending` set
    struct Pending {
        std::size_t layer;
        const float *weights, *gradients;
        std::int64_t count;
    };
    std::vector<Pending> pending;
    std::vector<torch::Tensor> held; // what the pointers point into
    double l1 = 0, l2 = 0;
};
BalanceWork prepareBalance(const Mlp &net, double l1, double l2, bool penaltyInGradient, std::int64_t step, int epoch);
void finishBalance(BalanceWork &work) noexcept;

// The panel: a seeded shuffle of the test set taken class by class (0, 1, ..., 9, 0, ...), so the grid shows
// every class.
std::vector<int> choosePanel(const Dataset &data, int count, std::uint64_t seed);
// The panel digits' class probabilities (rows of `testImages` at `panelRows`).
Predictions panelPredictions(Mlp &net, const torch::Tensor &testImages, const torch::Tensor &panelRows,
                             const std::vector<int> &panel, const std::vector<int> &panelLabels, int epoch,
                             std::int64_t step);

// The validation fold's confusion matrix and its first misclassified digits, from the predictions of an
// evaluation over `valIdx` (rows of the training tensors).
ValidationDetail validationDetail(Mlp &net, const torch::Tensor &trainImages, const torch::Tensor &trainLabels,
                                  const torch::Tensor &valIdx, const torch::Tensor &predicted, int epoch,
                                  std::int64_t step);

} // namespace reglab
