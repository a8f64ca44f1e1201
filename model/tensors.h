// Internal to the core: the torch side (network, penalties, dataset tensors). Never include from Qt code.
#pragma once

#include "model/config.h"

#include <torch/torch.h>

#include <vector>

namespace reglab {

struct DatasetTensors {
    torch::Tensor trainImages; // N x 784, float, normalized
    torch::Tensor trainLabels; // N, int64
    torch::Tensor testImages;
    torch::Tensor testLabels;
};

// The forum's MLP: Linear -> Dropout -> LeakyReLU per hidden layer, then Linear to the classes.
class MlpImpl : public torch::nn::Module {
public:
    MlpImpl(int inputs, const std::vector<int> &hidden, int classes, const std::vector<double> &dropout,
            double leakySlope);
    torch::Tensor forward(torch::Tensor x);

    std::vector<torch::nn::Linear> layers;
    std::vector<torch::Tensor> weights() const;
    std::vector<torch::Tensor> biases() const;
    // Seeds the CPU dropout masks; the constructor seeds them from torch's global generator.
    void seedDropout(std::uint64_t seed) { m_rngState = seed; }

    // One training-mode forward and backward of the mean cross-entropy, by hand: the same numbers autograd
    // gives (tested), in about a third of the ops, with no graph to build. Writes every parameter's .grad()
    // (overwriting it) and returns the loss as a 0-dim tensor. Draws the same dropout masks as forward().
    torch::Tensor lossAndGradients(const torch::Tensor &x, const torch::Tensor &y);

private:
    torch::Tensor dropout(const torch::Tensor &x, double p);
    // Fills `mask` with 0 or 1/(1-p) from this module's generator (CPU) or torch's (other devices).
    void dropoutMask(torch::Tensor &mask, double p);
    std::vector<double> m_dropout;
    double m_slope;
    std::uint64_t m_rngState = 0;
    std::vector<std::int32_t> m_bits; // scratch for the dropout draws
};
TORCH_MODULE(Mlp);

inline constexpr double kMean = 0.1307;
inline constexpr double kStd = 0.3081;

// The parameters that lambda1 * sum|p| covers.
std::vector<torch::Tensor> l1Parameters(const Mlp &net, L1Scope scope);
// sum |p| and sum p^2 over a parameter list, as 0-dim tensors (no host sync).
torch::Tensor absSum(const std::vector<torch::Tensor> &params);
torch::Tensor squareSum(const std::vector<torch::Tensor> &params);
// The gradient of lambda * sum|p| (lambda * sign(p)) added straight to p.grad: the same numbers as autograd
// through abs() gives, without building that graph each step.
void addL1Gradient(const std::vector<torch::Tensor> &params, double lambda);

// Plain SGD with torch.optim.SGD's semantics (dampening 0, no Nesterov; weight decay added to the gradient
// before momentum) over parameters re-seated into one flat buffer, their gradients into another, and the L1
// gradient lambda1 * sign(p) added directly. At batch 50 the per-op overhead of looping over six parameters
// (zero_grad, sign, add, decay, update) costs more than the arithmetic; flat, a step is a handful of ops.
class FlatSgd {
public:
    // `inL1Scope[i]`: whether params[i] is covered by the L1 term.
    FlatSgd(const std::vector<torch::Tensor> &params, const std::vector<bool> &inL1Scope);
    void zeroGrad();
    void step(double learningRate, double momentum, double weightDecay, double l1);
    // sum|p| over the L1 scope and sum p^2 over all parameters, as 0-dim tensors (no host sync).
    torch::Tensor l1AbsSum() const;
    torch::Tensor squareSum() const;

private:
    torch::Tensor m_params, m_grads, m_l1Mask, m_momentumBuffer;
    bool m_l1All = true;
};

} // namespace reglab
