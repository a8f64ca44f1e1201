// Internal to the core (torch): the forum's MLP, with a hand-written training pass. Never include from Qt code.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace reglab {

// Linear -> Dropout -> LeakyReLU per hidden layer, then Linear to the classes. Layers are named fc1, fc2, ...
class MlpImpl : public torch::nn::Module {
public:
    MlpImpl(int inputs, const std::vector<int> &hidden, int classes, const std::vector<double> &dropout,
            double leakySlope);
    torch::Tensor forward(torch::Tensor x);

    std::vector<torch::nn::Linear> layers;
    // Seeds the CPU dropout masks; the constructor seeds them from torch's global generator.
    void seedDropout(std::uint64_t seed) { m_rngState = seed; }
    // Rates take effect from the next forward pass (a live change); one per hidden layer.
    void setDropout(const std::vector<double> &rates) { m_dropout = rates; }
    const std::vector<double> &dropout() const { return m_dropout; }

    // One training-mode forward and backward of the mean cross-entropy, by hand: the same numbers autograd
    // gives (tested), in about a third of the ops, with no graph to build. Writes every parameter's .grad()
    // (overwriting it) and returns the loss as a 0-dim tensor. Draws the same dropout masks as forward().
    // `smoothing`: label smoothing e, PyTorch's cross_entropy(..., label_smoothing=e).
    torch::Tensor lossAndGradients(const torch::Tensor &x, const torch::Tensor &y, double smoothing = 0);

    // The logits of x (rows of inputs) without dropout, the numbers forward() gives in eval mode: on contiguous
    // float32 CPU tensors the products go straight to sgemm_ into buffers kept from call to call (the result views
    // them: read it before the next call), else forward(x).
    torch::Tensor inferenceLogits(const torch::Tensor &x);

    // Max-norm (Srivastava et al.): each unit's incoming weight vector (a row of every layer's weight) scaled
    // down, in place, to an L2 norm of at most `maxNorm`; rows within it are left untouched. Biases are not rows.
    void applyMaxNorm(double maxNorm);

private:
    torch::Tensor applyDropout(const torch::Tensor &x, double p);
    // Fills `mask` with 0 or 1/(1-p) from this module's generator (CPU) or torch's (other devices).
    void dropoutMask(torch::Tensor &mask, double p);
    std::vector<double> m_dropout;
    double m_slope;
    std::uint64_t m_rngState = 0;

    // lossAndGradients for contiguous float32 CPU tensors: products straight into these buffers, kept while the
    // batch size stays (a shorter last batch makes new ones).
    torch::Tensor cpuLossAndGradients(const torch::Tensor &x, const torch::Tensor &y, double smoothing);
    struct CpuBuffers {
        std::int64_t rows = 0;
        std::vector<torch::Tensor> outputs, factors, gradients; // per layer: h, dropout/slope factor, dLoss/dh
    };
    CpuBuffers m_buffers;
    std::vector<torch::Tensor> m_inference; // inferenceLogits' outputs per layer, rows for the largest x so far
};
TORCH_MODULE(Mlp);

// "fc1", "fc2", ...: the name of layer `index` (0-based), as the module registers it and records report it.
std::string layerName(std::size_t index);

// For tests: whether lossAndGradients may take its direct CPU pass (the default) or must take the general one, so
// that the two can be compared bit for bit.
void allowDirectCpuPass(bool allowed);
// The vector width (in floats) LibTorch's sum kernel runs with on this machine, which decides the order it adds a
// column's values in (columnSums, model/cpupasses.h); 0 when it could not be told, and the direct pass then leaves
// the bias gradients to torch::sum.
int torchSumLanes();

// Hand-written CPU passes read raw float pointers: a tensor of another type, device or layout would be
// misread. Throws reglab::Error (Internal) naming `what` and what it got.
void requireCpuFloat32(const torch::Tensor &tensor, const char *what);

} // namespace reglab
