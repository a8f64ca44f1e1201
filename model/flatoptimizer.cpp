// The optimizer over one flat buffer (torch): SGD, Adam and AdamW, L1 as subgradient or proximal step.
#include "model/flatoptimizer.h"

#include "model/blaspool.h"
#include "model/cpupasses.h"
#include "model/error.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

namespace reglab {

OptimizerSettings OptimizerSettings::from(const TrainConfig &c)
{
    OptimizerSettings s;
    s.kind = c.optimizer;
    s.momentum = c.momentum;
    s.nesterov = c.nesterov;
    s.beta1 = c.adamBeta1;
    s.beta2 = c.adamBeta2;
    s.eps = c.adamEps;
    s.l1Scope = c.l1Scope;
    s.l1Method = c.l1Method;
    return s;
}

std::vector<bool> l1ScopeMask(const Mlp &net, L1Scope scope)
{
    std::vector<bool> mask;
    for (const auto &item : net->named_parameters())
        mask.push_back(scope == L1Scope::All || item.key().find("weight") != std::string::npos);
    return mask;
}

FlatOptimizer::FlatOptimizer(Mlp &net, const OptimizerSettings &settings) : m_settings(settings)
{
    torch::NoGradGuard noGrad;
    const std::vector<torch::Tensor> params = net->parameters();
    const std::vector<bool> inL1Scope = l1ScopeMask(net, settings.l1Scope);
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
    // Zero state is torch's first step: its momentum buffer starts as the first gradient (0 * momentum + g),
    // Adam's moments start at zero.
    if (settings.kind == Optimizer::Sgd && settings.momentum > 0) {
        m_first = torch::zeros({total}, options);
    } else if (settings.kind != Optimizer::Sgd) {
        m_first = torch::zeros({total}, options);
        m_second = torch::zeros({total}, options);
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

void FlatOptimizer::step(const StepValues &values)
{
    torch::NoGradGuard noGrad;
    checkSeated();
    ++m_steps;
    if (m_params.is_cpu() && m_params.scalar_type() == torch::kFloat32)
        stepFused(values);
    else
        stepWithOps(values);
}

void FlatOptimizer::stepWithOps(const StepValues &v)
{
    const bool proximal = m_settings.l1Method == L1Method::Proximal;
    if (v.l1 > 0 && !proximal) {
        if (m_l1All)
            m_grads.add_(m_params.sign(), v.l1);
        else
            m_grads.addcmul_(m_params.sign(), m_l1Mask, v.l1);
    }
    if (m_settings.kind == Optimizer::Sgd) {
        if (v.weightDecay > 0)
            m_grads.add_(m_params, v.weightDecay);
        torch::Tensor update = m_grads;
        if (m_settings.momentum > 0) {
            m_first.mul_(m_settings.momentum).add_(m_grads);
            update = m_settings.nesterov ? m_grads.add(m_first, m_settings.momentum) : m_first;
        }
        m_params.add_(update, -v.learningRate);
    } else {
        if (v.weightDecay > 0) {
            if (m_settings.kind == Optimizer::AdamW)
                m_params.mul_(1 - v.learningRate * v.weightDecay);
            else
                m_grads.add_(m_params, v.weightDecay);
        }
        const double beta1 = m_settings.beta1, beta2 = m_settings.beta2;
        m_first.mul_(beta1).add_(m_grads, 1 - beta1);
        m_second.mul_(beta2).addcmul_(m_grads, m_grads, 1 - beta2);
        const double correction1 = 1 - std::pow(beta1, double(m_steps));
        const double correction2 = 1 - std::pow(beta2, double(m_steps));
        const torch::Tensor denominator = (m_second.sqrt() / std::sqrt(correction2)).add_(m_settings.eps);
        m_params.addcdiv_(m_first, denominator, -v.learningRate / correction1);
    }
    if (v.l1 > 0 && proximal) {
        // p <- sign(p) * max(|p| - lr * lambda1, 0) over the L1 scope.
        const torch::Tensor shrunk = m_params.sign().mul_(m_params.abs().sub_(v.learningRate * v.l1).clamp_min_(0));
        if (m_l1All)
            m_params.copy_(shrunk);
        else
            m_params.copy_(torch::where(m_l1Mask > 0, shrunk, m_params));
    }
}

namespace {


inline float signOf(float w)
{
    return static_cast<float>((w > 0) - (w < 0));
}

// w moved towards zero by t, never past it: the proximal step of t * |w|. With t = 0, w itself.
inline float softThreshold(float w, float t)
{
    return std::copysign(std::max(std::fabs(w) - t, 0.0f), w);
}

// `l1` is the subgradient's lambda1 (0 when proximal), `threshold` the proximal step's lr * lambda1 (0 when
// subgradient); `mask` (the L1 scope) is read only when masked.
struct SgdArgs {
    float *p;
    const float *g;
    float *buffer;
    const float *mask;
    std::int64_t n;
    float rate, l1, decay, momentum, threshold;
};

struct AdamArgs {
    float *p;
    const float *g;
    float *m, *v;
    const float *mask;
    std::int64_t n;
    float l1, decay, shrink; // decay: Adam's (added to the gradient); shrink: AdamW's 1 - lr * decay
    float beta1, oneMinusBeta1, beta2, oneMinusBeta2;
    float stepSize, inverseRootCorrection2, eps, threshold;
};

// One pass per optimizer, each loop branch-free so that it vectorizes; the choices are template arguments.
template <bool Masked, bool Momentum, bool Nesterov, bool Proximal>
__attribute__((always_inline)) inline void sgdLoop(const SgdArgs &a)
{
    float *__restrict p = a.p;
    const float *__restrict g = a.g;
    float *__restrict buffer = a.buffer;
    const float *__restrict mask = a.mask;
    for (std::int64_t i = 0; i < a.n; ++i) {
        const float w = p[i];
        const float scope = Masked ? mask[i] : 1.0f;
        float d = g[i] + a.l1 * scope * signOf(w) + a.decay * w;
        if (Momentum) {
            const float b = a.momentum * buffer[i] + d;
            buffer[i] = b;
            d = Nesterov ? d + a.momentum * b : b;
        }
        const float next = w - a.rate * d;
        p[i] = Proximal ? softThreshold(next, a.threshold * scope) : next;
    }
}

template <bool Masked, bool Decoupled, bool Proximal>
__attribute__((always_inline)) inline void adamLoop(const AdamArgs &a)
{
    float *__restrict p = a.p;
    const float *__restrict g = a.g;
    float *__restrict m = a.m;
    float *__restrict v = a.v;
    const float *__restrict mask = a.mask;
    for (std::int64_t i = 0; i < a.n; ++i) {
        float w = p[i];
        const float scope = Masked ? mask[i] : 1.0f;
        float d = g[i] + a.l1 * scope * signOf(w);
        if (Decoupled)
            w *= a.shrink;
        else
            d += a.decay * w;
        const float first = a.beta1 * m[i] + a.oneMinusBeta1 * d;
        const float second = a.beta2 * v[i] + a.oneMinusBeta2 * d * d;
        m[i] = first;
        v[i] = second;
        const float next = w - a.stepSize * first / (std::sqrt(second) * a.inverseRootCorrection2 + a.eps);
        p[i] = Proximal ? softThreshold(next, a.threshold * scope) : next;
    }
}

// Each loop built twice: for any x86-64 (SSE2), and for AVX2 with FMA, taken when the CPU has them: Adam's square
// roots and divisions make its SSE2 pass three to four times as slow as SGD's (measured for the forum network on a
// busy machine: SGD's pass 110 -> 38 us a step with AVX2, Adam's 400 -> 110 us). Approximate reciprocal square
// roots refined by a Newton step were tried for Adam and were slower here than the exact instructions.
template <bool Masked, bool Momentum, bool Nesterov, bool Proximal>
__attribute__((noinline)) void sgdPass(const SgdArgs &a)
{
    sgdLoop<Masked, Momentum, Nesterov, Proximal>(a);
}

template <bool Masked, bool Decoupled, bool Proximal>
__attribute__((noinline)) void adamPass(const AdamArgs &a)
{
    adamLoop<Masked, Decoupled, Proximal>(a);
}

#if defined(__x86_64__) && defined(__GNUC__)
template <bool Masked, bool Momentum, bool Nesterov, bool Proximal>
__attribute__((noinline, target("avx2,fma"))) void sgdPassWide(const SgdArgs &a)
{
    sgdLoop<Masked, Momentum, Nesterov, Proximal>(a);
}

template <bool Masked, bool Decoupled, bool Proximal>
__attribute__((noinline, target("avx2,fma"))) void adamPassWide(const AdamArgs &a)
{
    adamLoop<Masked, Decoupled, Proximal>(a);
}

// And for AVX-512: the same source, so the same multiplications fused with additions as in the AVX2 build (FMA
// in both), hence the same bits (tested), sixteen parameters an instruction.
template <bool Masked, bool Momentum, bool Nesterov, bool Proximal>
__attribute__((noinline, target("avx512f,avx2,fma"))) void sgdPassAvx512(const SgdArgs &a)
{
    sgdLoop<Masked, Momentum, Nesterov, Proximal>(a);
}

template <bool Masked, bool Decoupled, bool Proximal>
__attribute__((noinline, target("avx512f,avx2,fma"))) void adamPassAvx512(const AdamArgs &a)
{
    adamLoop<Masked, Decoupled, Proximal>(a);
}
#endif

template <bool Masked, bool Momentum, bool Nesterov, bool Proximal>
void runSgd(const SgdArgs &a)
{
#if defined(__x86_64__) && defined(__GNUC__)
    if (vectorWidth() == VectorWidth::Avx512)
        return sgdPassAvx512<Masked, Momentum, Nesterov, Proximal>(a);
    if (vectorWidth() == VectorWidth::Avx2)
        return sgdPassWide<Masked, Momentum, Nesterov, Proximal>(a);
#endif
    sgdPass<Masked, Momentum, Nesterov, Proximal>(a);
}

template <bool Masked, bool Decoupled, bool Proximal>
void runAdam(const AdamArgs &a)
{
#if defined(__x86_64__) && defined(__GNUC__)
    if (vectorWidth() == VectorWidth::Avx512)
        return adamPassAvx512<Masked, Decoupled, Proximal>(a);
    if (vectorWidth() == VectorWidth::Avx2)
        return adamPassWide<Masked, Decoupled, Proximal>(a);
#endif
    adamPass<Masked, Decoupled, Proximal>(a);
}

// The passes split over OpenBLAS's threads (model/blaspool.h) when the buffers are large enough to gain: with two
// BLAS threads half of each gradient was written on the other core, and the update's pass, alone on this one, spent
// more time fetching it than computing (forum network: 85 -> 40 us a step, measured). Parts meet at multiples of 64
// parameters, so every parameter goes through the same vector code as in one pass: the same bits (tested).
template <typename Args>
struct SplitPass {
    Args whole;
    void (*pass)(const Args &);
};

template <typename Args>
Args partOf(const Args &whole, std::int64_t begin, std::int64_t end);

template <>
SgdArgs partOf(const SgdArgs &a, std::int64_t begin, std::int64_t end)
{
    SgdArgs part = a;
    part.p += begin;
    part.g += begin;
    if (part.buffer)
        part.buffer += begin;
    part.mask += begin;
    part.n = end - begin;
    return part;
}

template <>
AdamArgs partOf(const AdamArgs &a, std::int64_t begin, std::int64_t end)
{
    AdamArgs part = a;
    part.p += begin;
    part.g += begin;
    part.m += begin;
    part.v += begin;
    part.mask += begin;
    part.n = end - begin;
    return part;
}

template <typename Args>
void runPiece(void *context, std::int64_t begin, std::int64_t end)
{
    const auto &job = *static_cast<const SplitPass<Args> *>(context);
    job.pass(partOf(job.whole, begin, end));
}

template <typename Args>
void runSplit(const Args &a, void (*pass)(const Args &))
{
    SplitPass<Args> job{a, pass};
    runBlasPoolPieces(a.n, 64, 1 << 14, &runPiece<Args>, &job);
}

// Calls f(masked, proximal) with the run-time choices as compile-time constants (std::true_type or false_type).
template <typename F>
void dispatch(bool masked, bool proximal, F &&f)
{
    if (masked)
        proximal ? f(std::true_type{}, std::true_type{}) : f(std::true_type{}, std::false_type{});
    else
        proximal ? f(std::false_type{}, std::true_type{}) : f(std::false_type{}, std::false_type{});
}

} // namespace

void FlatOptimizer::stepFused(const StepValues &v)
{
    requireCpuFloat32(m_params, "the parameters");
    requireCpuFloat32(m_grads, "the gradients");
    const bool proximal = m_settings.l1Method == L1Method::Proximal && v.l1 > 0;
    // The mask matters only when L1 acts and does not cover everything.
    const bool masked = !m_l1All && v.l1 > 0;
    const auto l1 = static_cast<float>(proximal ? 0.0 : v.l1);
    const auto threshold = static_cast<float>(proximal ? v.learningRate * v.l1 : 0.0);
    float *p = m_params.data_ptr<float>();
    const float *g = m_grads.data_ptr<float>();
    const float *mask = m_l1Mask.data_ptr<float>();
    const std::int64_t n = m_params.numel();

    if (m_settings.kind == Optimizer::Sgd) {
        float *buffer = nullptr;
        if (m_first.defined()) {
            requireCpuFloat32(m_first, "the momentum buffer");
            buffer = m_first.data_ptr<float>();
        }
        const SgdArgs a{p,
                        g,
                        buffer,
                        mask,
                        n,
                        static_cast<float>(v.learningRate),
                        l1,
                        static_cast<float>(v.weightDecay),
                        static_cast<float>(m_settings.momentum),
                        threshold};
        const bool nesterov = m_settings.nesterov;
        dispatch(masked, proximal, [&](auto maskedConstant, auto proximalConstant) {
            constexpr bool Masked = decltype(maskedConstant)::value, Proximal = decltype(proximalConstant)::value;
            if (!buffer)
                runSplit(a, &runSgd<Masked, false, false, Proximal>);
            else if (nesterov)
                runSplit(a, &runSgd<Masked, true, true, Proximal>);
            else
                runSplit(a, &runSgd<Masked, true, false, Proximal>);
        });
        return;
    }

    requireCpuFloat32(m_first, "Adam's first moment");
    requireCpuFloat32(m_second, "Adam's second moment");
    const bool decoupled = m_settings.kind == Optimizer::AdamW;
    const double beta1 = m_settings.beta1, beta2 = m_settings.beta2;
    const double correction1 = 1 - std::pow(beta1, double(m_steps));
    const double correction2 = 1 - std::pow(beta2, double(m_steps));
    AdamArgs a{};
    a.p = p;
    a.g = g;
    a.m = m_first.data_ptr<float>();
    a.v = m_second.data_ptr<float>();
    a.mask = mask;
    a.n = n;
    a.l1 = l1;
    a.decay = static_cast<float>(decoupled ? 0.0 : v.weightDecay);
    a.shrink = static_cast<float>(decoupled ? 1 - v.learningRate * v.weightDecay : 1.0);
    a.beta1 = static_cast<float>(beta1);
    a.oneMinusBeta1 = static_cast<float>(1 - beta1);
    a.beta2 = static_cast<float>(beta2);
    a.oneMinusBeta2 = static_cast<float>(1 - beta2);
    a.stepSize = static_cast<float>(v.learningRate / correction1);
    a.inverseRootCorrection2 = static_cast<float>(1 / std::sqrt(correction2));
    a.eps = static_cast<float>(m_settings.eps);
    a.threshold = threshold;
    dispatch(masked, proximal, [&](auto maskedConstant, auto proximalConstant) {
        constexpr bool Masked = decltype(maskedConstant)::value, Proximal = decltype(proximalConstant)::value;
        if (decoupled)
            runSplit(a, &runAdam<Masked, true, Proximal>);
        else
            runSplit(a, &runAdam<Masked, false, Proximal>);
    });
}

void allowWideVectors(bool allowed)
{
    limitVectorWidth(allowed ? VectorWidth::Avx512 : VectorWidth::Sse2);
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
