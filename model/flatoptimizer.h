// Internal to the core (torch): the optimizer over one flat buffer. Never include from Qt code.
#pragma once

#include "model/config.h"
#include "model/mlp.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace reglab {

// What stays fixed for a run: the optimizer and its constants, and how L1 acts and on which parameters.
struct OptimizerSettings {
    Optimizer kind = Optimizer::Sgd;
    double momentum = 0; // SGD
    bool nesterov = false;
    double beta1 = 0.9, beta2 = 0.999, eps = 1e-8; // Adam, AdamW
    L1Scope l1Scope = L1Scope::All;
    L1Method l1Method = L1Method::Subgradient;

    static OptimizerSettings from(const TrainConfig &config);
};

// What may change from one step to the next: the live settings.
struct StepValues {
    double learningRate = 0.01;
    double l1 = 0;          // lambda1
    double weightDecay = 0; // lambda2 when L2 acts as the optimizer's weight decay, else 0
};

// torch.optim.SGD (dampening 0, optional Nesterov), Adam and AdamW with PyTorch's semantics (weight decay added
// to the gradient before the moments for SGD and Adam; p *= 1 - lr * decay before the update for AdamW; Adam's
// bias corrections as torch computes them), over the network's parameters re-seated into one flat buffer, their
// gradients into another and the optimizer's state (momentum, or Adam's two moments) into flat buffers too.
// L1 acts either as its subgradient lambda1 * sign(p) added to the gradient, or as a soft threshold after the
// step (proximal), over the parameters the scope names. At batch 50 the per-op overhead of looping over six
// parameters costs more than the arithmetic; flat, a step is a handful of ops, and on the CPU one fused pass.
class FlatOptimizer {
public:
    // Re-seats the parameters of `net` (already on its device) into the flat buffers. Make it after
    // net->to(device): a later move is refused by step().
    FlatOptimizer(Mlp &net, const OptimizerSettings &settings);
    void zeroGrad();
    // One update from the gradients in the flat buffer (which it may change). Throws reglab::Error (Internal)
    // when the parameters no longer live in the flat buffer (a later to()).
    void step(const StepValues &values);
    // sum|p| over the L1 scope and sum p^2 over all parameters, as 0-dim tensors (no host sync).
    torch::Tensor l1AbsSum() const;
    torch::Tensor squareSum() const;
    const OptimizerSettings &settings() const { return m_settings; }
    std::int64_t steps() const { return m_steps; }

private:
    void checkSeated() const;
    // The step as torch ops, for any device and type.
    void stepWithOps(const StepValues &values);
    // The step in one pass over the buffers, for contiguous float32 CPU tensors.
    void stepFused(const StepValues &values);

    OptimizerSettings m_settings;
    std::vector<torch::Tensor> m_views; // the parameters, viewing the flat buffer
    std::vector<const void *> m_seatedAt;
    torch::Tensor m_params, m_grads, m_l1Mask;
    torch::Tensor m_first, m_second; // SGD: the momentum buffer; Adam: exp_avg and exp_avg_sq
    bool m_l1All = true;
    std::int64_t m_steps = 0;
};

// For tests: whether the fused CPU passes may use AVX2 and FMA where the CPU has them (the default), so that the
// SSE2 passes, which other CPUs take, are checked here too.
void allowWideVectors(bool allowed);

// Whether each of the network's parameters (in parameters() order) is covered by the L1 term.
std::vector<bool> l1ScopeMask(const Mlp &net, L1Scope scope);

} // namespace reglab
