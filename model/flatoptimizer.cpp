#include "model/flatoptimizer.h"

#include "model/error.h"

namespace reglab {

std::vector<bool> l1ScopeMask(const Mlp &net, L1Scope scope)
{
    std::vector<bool> mask;
    for (const auto &item : net->named_parameters())
        mask.push_back(scope == L1Scope::All || item.key().find("weight") != std::string::npos);
    return mask;
}

FlatOptimizer::FlatOptimizer(Mlp &net, L1Scope scope)
{
    torch::NoGradGuard noGrad;
    const std::vector<torch::Tensor> params = net->parameters();
    const std::vector<bool> inL1Scope = l1ScopeMask(net, scope);
    std::int64_t total = 0;
    for (const auto &p : params)
        total += p.numel();
    const auto options = params.front().options();
    m_params = torch::empty({total}, options);
    m_grads = torch::zeros({total}, options);
    m_l1Mask = torch::zeros({total}, options);
    std::int64_t offset = 0;
    for (std::size_t i = 0; i < params.size(); ++i) {
        torch::Tensor p = params[i];
        const std::int64_t n = p.numel();
        m_params.narrow(0, offset, n).copy_(p.reshape({-1}));
        p.set_data(m_params.narrow(0, offset, n).view(p.sizes()));
        // Autograd accumulates into a defined .grad in place, so the gradients land in the flat buffer.
        p.mutable_grad() = m_grads.narrow(0, offset, n).view(p.sizes());
        m_l1Mask.narrow(0, offset, n).fill_(inL1Scope[i] ? 1.0 : 0.0);
        m_l1All = m_l1All && inL1Scope[i];
        m_views.push_back(p);
        m_seatedAt.push_back(p.data_ptr());
        offset += n;
    }
}

void FlatOptimizer::checkSeated() const
{
    for (std::size_t i = 0; i < m_views.size(); ++i)
        if (m_views[i].data_ptr() != m_seatedAt[i])
            throw Error(ErrorKind::Internal,
                        "the network's parameters were moved (to another device or type) after the optimizer was "
                        "made, so a step would update stale copies; make the optimizer after net->to(device)");
}

void FlatOptimizer::zeroGrad()
{
    m_grads.zero_();
}

void FlatOptimizer::step(double learningRate, double momentum, double weightDecay, double l1)
{
    torch::NoGradGuard noGrad;
    checkSeated();
    if (momentum == 0 && m_params.is_cpu() && m_params.scalar_type() == torch::kFloat32) {
        requireCpuFloat32(m_grads, "the gradients");
        // The forum's case (plain SGD) in one pass over the buffer instead of three or four.
        float *p = m_params.data_ptr<float>();
        const float *g = m_grads.data_ptr<float>(), *mask = m_l1Mask.data_ptr<float>();
        const auto lambda1 = static_cast<float>(l1), decay = static_cast<float>(weightDecay);
        const auto rate = static_cast<float>(learningRate);
        const std::int64_t n = m_params.numel();
        if (m_l1All || l1 == 0) {
            for (std::int64_t i = 0; i < n; ++i) {
                const float sign = static_cast<float>((p[i] > 0) - (p[i] < 0));
                p[i] -= rate * (g[i] + lambda1 * sign + decay * p[i]);
            }
        } else {
            for (std::int64_t i = 0; i < n; ++i) {
                const float sign = static_cast<float>((p[i] > 0) - (p[i] < 0));
                p[i] -= rate * (g[i] + lambda1 * mask[i] * sign + decay * p[i]);
            }
        }
        return;
    }
    if (l1 > 0) {
        if (m_l1All)
            m_grads.add_(m_params.sign(), l1);
        else
            m_grads.addcmul_(m_params.sign(), m_l1Mask, l1);
    }
    if (weightDecay > 0)
        m_grads.add_(m_params, weightDecay);
    torch::Tensor update = m_grads;
    if (momentum > 0) {
        if (!m_momentumBuffer.defined())
            m_momentumBuffer = m_grads.clone();
        else
            m_momentumBuffer.mul_(momentum).add_(m_grads);
        update = m_momentumBuffer;
    }
    m_params.add_(update, -learningRate);
}

torch::Tensor FlatOptimizer::l1AbsSum() const
{
    torch::NoGradGuard noGrad;
    return m_l1All ? m_params.abs().sum() : m_params.abs().mul_(m_l1Mask).sum();
}

torch::Tensor FlatOptimizer::squareSum() const
{
    torch::NoGradGuard noGrad;
    return m_params.square().sum();
}

} // namespace reglab
