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

private:
    std::vector<double> m_dropout;
    double m_slope;
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

} // namespace reglab
