// Internal to the core (torch): the optimizer over one flat buffer. Never include from Qt code.
#pragma once

#include "model/config.h"
#include "model/mlp.h"

#include <torch/torch.h>

#include <vector>

namespace reglab {

// Plain SGD with torch.optim.SGD's semantics (dampening 0, no Nesterov; weight decay added to the gradient
// before momentum) over the network's parameters re-seated into one flat buffer, their gradients into another,
// and the L1 gradient lambda1 * sign(p) added directly. At batch 50 the per-op overhead of looping over six
// parameters (zero_grad, sign, add, decay, update) costs more than the arithmetic; flat, a step is a handful
// of ops, and on the CPU one pass.
class FlatOptimizer {
public:
    // Re-seats the parameters of `net` (already on its device) into the flat buffers; `scope` names the
    // parameters the L1 term covers. Make it after net->to(device): a later move is refused by step().
    FlatOptimizer(Mlp &net, L1Scope scope);
    void zeroGrad();
    // Throws reglab::Error (Internal) when the parameters no longer live in the flat buffer (a later to()).
    void step(double learningRate, double momentum, double weightDecay, double l1);
    // sum|p| over the L1 scope and sum p^2 over all parameters, as 0-dim tensors (no host sync).
    torch::Tensor l1AbsSum() const;
    torch::Tensor squareSum() const;

private:
    void checkSeated() const;
    std::vector<torch::Tensor> m_views; // the parameters, viewing the flat buffer
    std::vector<const void *> m_seatedAt;
    torch::Tensor m_params, m_grads, m_l1Mask, m_momentumBuffer;
    bool m_l1All = true;
};

// Whether each of the network's parameters (in parameters() order) is covered by the L1 term.
std::vector<bool> l1ScopeMask(const Mlp &net, L1Scope scope);

} // namespace reglab
