// The network and the penalties at tensor level: shapes, penalty values, and the two equivalences the forum
// answer relies on (L1 gradient added directly == autograd through abs; weight_decay == explicit L2 penalty).
#include "model/blaspool.h"
#include "model/cpupasses.h"
#include "model/error.h"
#include "model/flatoptimizer.h"
#include "model/measurements.h"
#include "model/mlp.h"
#include "model/runtime.h"
#include "testing.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <tuple>
#include <utility>

using namespace reglab;

namespace {

// Reference versions, written the way the forum's script does it (through autograd, parameter by parameter):
// what the trainer's fast paths are checked against.
std::vector<torch::Tensor> l1Parameters(const Mlp &net, L1Scope scope)
{
    std::vector<torch::Tensor> out;
    for (const auto &item : net->named_parameters())
        if (scope == L1Scope::All || item.key().find("weight") != std::string::npos)
            out.push_back(item.value());
    return out;
}

torch::Tensor absSum(const std::vector<torch::Tensor> &params)
{
    torch::Tensor sum = params.front().abs().sum();
    for (std::size_t i = 1; i < params.size(); ++i)
        sum = sum + params[i].abs().sum();
    return sum;
}

torch::Tensor squareSum(const std::vector<torch::Tensor> &params)
{
    torch::Tensor sum = params.front().square().sum();
    for (std::size_t i = 1; i < params.size(); ++i)
        sum = sum + params[i].square().sum();
    return sum;
}

// lambda * sign(p) added to each gradient: what autograd through lambda * |p| gives.
void addL1Gradient(const std::vector<torch::Tensor> &params, double lambda)
{
    torch::NoGradGuard noGrad;
    for (const auto &p : params) {
        torch::Tensor grad = p.mutable_grad();
        if (grad.defined())
            grad.add_(p.sign(), lambda);
    }
}

torch::Device testDevice()
{
    const char *env = std::getenv("REGLAB_TEST_DEVICE");
    return torch::Device(env && std::string(env) == "cuda" ? torch::kCUDA : torch::kCPU);
}

Mlp forumNet(double dropout = 0.0, torch::Dtype type = torch::kFloat32)
{
    torch::manual_seed(3);
    Mlp net(784, std::vector<int>{200, 200}, 10, std::vector<double>{dropout, dropout}, 0.01);
    net->to(testDevice(), type);
    return net;
}

// `count` random batches of 50 on the test device, seeded.
std::vector<std::pair<torch::Tensor, torch::Tensor>> randomBatches(int count, std::uint64_t seed,
                                                                   torch::Dtype type = torch::kFloat32)
{
    torch::manual_seed(seed);
    std::vector<std::pair<torch::Tensor, torch::Tensor>> batches;
    for (int step = 0; step < count; ++step)
        batches.emplace_back(
            torch::randn({50, 784}, torch::TensorOptions().dtype(type).device(testDevice())),
            torch::randint(0, 10, {50}, torch::TensorOptions().dtype(torch::kInt64).device(testDevice())));
    return batches;
}

double maxRelativeDifference(const std::vector<torch::Tensor> &a, const std::vector<torch::Tensor> &b)
{
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const double diff = (a[i] - b[i]).abs().max().item<double>();
        const double scale = b[i].abs().max().item<double>();
        worst = std::max(worst, diff / std::max(scale, 1e-12));
    }
    return worst;
}

// An optimizer and how L1 acts, as the optimizer tests list them (l1: the lambda1 of their steps, where they vary it).
struct Setting {
    Optimizer kind;
    double momentum;
    bool nesterov;
    L1Method method;
    L1Scope scope;
    double l1 = 0.0;
};

// Two identical networks (seeded alike), each with its own optimizer of `setting`: the pair a pass is compared on.
struct Twins {
    std::vector<Mlp> nets;
    std::vector<std::unique_ptr<FlatOptimizer>> optimizers;
};

Twins twins(const std::vector<int> &hidden, const std::vector<double> &dropout, const Setting &setting)
{
    OptimizerSettings settings;
    settings.kind = setting.kind;
    settings.momentum = setting.momentum;
    settings.nesterov = setting.nesterov;
    settings.l1Method = setting.method;
    settings.l1Scope = setting.scope;
    Twins t;
    for (int k = 0; k < 2; ++k) {
        torch::manual_seed(4);
        t.nets.emplace_back(784, hidden, 10, dropout, 0.01);
        t.nets.back()->seedDropout(3);
        t.optimizers.push_back(std::make_unique<FlatOptimizer>(t.nets.back(), settings));
    }
    return t;
}

} // namespace

TEST_CASE("mlp has the forum shape")
{
    Mlp net = forumNet(0.3);
    const torch::Tensor out = net->forward(torch::randn({7, 784}, testDevice()));
    CHECK_EQ(out.size(0), 7);
    CHECK_EQ(out.size(1), 10);
    std::int64_t count = 0;
    for (const auto &p : net->parameters())
        count += p.numel();
    CHECK_EQ(count, 784 * 200 + 200 + 200 * 200 + 200 + 200 * 10 + 10);
    const auto names = net->named_parameters().keys();
    CHECK_EQ(names.front(), std::string("fc1.weight"));
    CHECK_EQ(names.back(), std::string("fc3.bias"));
    CHECK_EQ(l1Parameters(net, L1Scope::All).size(), 6u);
    CHECK_EQ(l1Parameters(net, L1Scope::Weights).size(), 3u);

    // Hidden sizes are configurable.
    Mlp small(784, std::vector<int>{32}, 10, std::vector<double>{0.1}, 0.01);
    CHECK_EQ(small->forward(torch::randn({2, 784})).size(1), 10);
    CHECK_EQ(small->layers.size(), 2u);
}

TEST_CASE("penalties on known parameters")
{
    const auto opts = torch::TensorOptions().device(testDevice());
    std::vector<torch::Tensor> params = {torch::tensor({1.0f, -2.0f, 0.0f}, opts),
                                         torch::tensor({{0.5f, -0.5f}}, opts)};
    CHECK_NEAR(absSum(params).item<double>(), 4.0, 1e-6);
    CHECK_NEAR(squareSum(params).item<double>(), 5.5, 1e-6);
}

TEST_CASE("dropout only in training mode")
{
    Mlp net = forumNet(0.5);
    const torch::Tensor x = torch::randn({4, 784}, testDevice());
    net->eval();
    CHECK(torch::equal(net->forward(x), net->forward(x)));
    net->train();
    CHECK(!torch::equal(net->forward(x), net->forward(x)));
}

TEST_CASE("direct l1 gradient equals autograd through abs")
{
    const torch::Tensor x = torch::randn({50, 784}, testDevice());
    const torch::Tensor y =
        torch::randint(0, 10, {50}, torch::TensorOptions().dtype(torch::kInt64).device(testDevice()));
    for (L1Scope scope : {L1Scope::All, L1Scope::Weights}) {
        Mlp a = forumNet();
        Mlp b = forumNet();
        // The forum's way: loss += lambda * sum|p| through autograd.
        torch::Tensor lossA =
            torch::nn::functional::cross_entropy(a->forward(x), y) + 0.01 * absSum(l1Parameters(a, scope));
        lossA.backward();
        // RegLab's way: the data loss, then lambda * sign(p) added to the gradients.
        torch::nn::functional::cross_entropy(b->forward(x), y).backward();
        addL1Gradient(l1Parameters(b, scope), 0.01);
        std::vector<torch::Tensor> ga, gb;
        for (const auto &p : a->parameters())
            ga.push_back(p.grad());
        for (const auto &p : b->parameters())
            gb.push_back(p.grad());
        CHECK_LT(maxRelativeDifference(gb, ga), 1e-6);
    }
}

TEST_CASE("weight decay equals explicit l2 penalty for plain sgd")
{
    const double lambda2 = 0.01, lr = 0.01;
    torch::manual_seed(11);
    std::vector<std::pair<torch::Tensor, torch::Tensor>> batches;
    for (int step = 0; step < 50; ++step)
        batches.emplace_back(
            torch::randn({50, 784}, testDevice()),
            torch::randint(0, 10, {50}, torch::TensorOptions().dtype(torch::kInt64).device(testDevice())));
    // mode 0: weight_decay; 1: (lambda2 / 2) * sum p^2 in the loss; 2: no regularization.
    auto trained = [&](int mode) {
        Mlp net = forumNet();
        torch::optim::SGD opt(net->parameters(), torch::optim::SGDOptions(lr).weight_decay(mode == 0 ? lambda2 : 0.0));
        for (const auto &[x, y] : batches) {
            opt.zero_grad();
            torch::Tensor loss = torch::nn::functional::cross_entropy(net->forward(x), y);
            if (mode == 1)
                loss = loss + (lambda2 / 2) * squareSum(net->parameters());
            loss.backward();
            opt.step();
        }
        return net->parameters();
    };
    const auto decay = trained(0);
    CHECK_LT(maxRelativeDifference(trained(1), decay), 1e-5);
    // Both differ from no regularization, so a penalty that did nothing would be noticed.
    CHECK_GT(maxRelativeDifference(trained(2), decay), 1e-5);
}

TEST_CASE("flat sgd matches torch sgd with autograd l1")
{
    // The trainer's optimizer against the forum's way of doing it: torch.optim.SGD with momentum (plain and
    // Nesterov) and weight decay, and lambda1 * sum|p| in the loss through autograd.
    for (const auto &[momentum, nesterov, wide] :
         {std::tuple{0.0, false, true}, {0.9, false, true}, {0.9, true, true}, {0.9, true, false}}) {
        allowWideVectors(wide); // the AVX2 passes where the CPU has them, and the SSE2 ones
        const double lr = 0.01, decay = 0.001, l1 = 0.001;
        const auto batches = randomBatches(30, 5);
        for (L1Scope scope : {L1Scope::All, L1Scope::Weights}) {
            CAPTURE(momentum);
            CAPTURE(nesterov);
            Mlp reference = forumNet();
            Mlp flat = forumNet();
            torch::optim::SGD opt(
                reference->parameters(),
                torch::optim::SGDOptions(lr).momentum(momentum).nesterov(nesterov).weight_decay(decay));
            OptimizerSettings settings;
            settings.momentum = momentum;
            settings.nesterov = nesterov;
            settings.l1Scope = scope;
            FlatOptimizer flatOpt(flat, settings);
            for (const auto &[x, y] : batches) {
                opt.zero_grad();
                (torch::nn::functional::cross_entropy(reference->forward(x), y) +
                 l1 * absSum(l1Parameters(reference, scope)))
                    .backward();
                opt.step();
                flatOpt.zeroGrad();
                torch::nn::functional::cross_entropy(flat->forward(x), y).backward();
                flatOpt.step({lr, l1, decay});
            }
            CHECK_LT(maxRelativeDifference(flat->parameters(), reference->parameters()), 1e-5);
            CHECK_NEAR(flatOpt.l1AbsSum().item<double>(), absSum(l1Parameters(flat, scope)).item<double>(), 1e-2);
        }
    }
    allowWideVectors(true);
}

// Adam and AdamW over the flat buffers against torch::optim::Adam and AdamW, compared after every step: with
// and without weight decay, with the L1 subgradient through autograd, on all parameters or weights only, in
// float32 (the fused CPU pass, or torch ops on CUDA) and float64 (torch ops).
TEST_CASE("flat adam and adamw match torch step for step")
{
    const double lr = 0.001, l1 = 0.0005;
    // float32 with the AVX2 passes (where the CPU has them) and with the SSE2 ones; float64 through torch ops.
    for (const auto &[type, wide] :
         {std::pair{torch::kFloat32, true}, {torch::kFloat32, false}, {torch::kFloat64, true}}) {
        allowWideVectors(wide);
        const auto batches = randomBatches(25, 7, type);
        for (Optimizer kind : {Optimizer::Adam, Optimizer::AdamW}) {
            for (double decay : {0.0, 0.01}) {
                for (L1Scope scope : {L1Scope::All, L1Scope::Weights}) {
                    CAPTURE(toString(kind));
                    CAPTURE(decay);
                    CAPTURE(toString(scope));
                    CAPTURE(type);
                    Mlp reference = forumNet(0.0, type);
                    Mlp flat = forumNet(0.0, type);
                    std::unique_ptr<torch::optim::Optimizer> opt;
                    // Betas and eps other than the defaults, to check they are used.
                    if (kind == Optimizer::Adam)
                        opt = std::make_unique<torch::optim::Adam>(
                            reference->parameters(),
                            torch::optim::AdamOptions(lr).betas({0.85, 0.995}).eps(1e-7).weight_decay(decay));
                    else
                        opt = std::make_unique<torch::optim::AdamW>(
                            reference->parameters(),
                            torch::optim::AdamWOptions(lr).betas({0.85, 0.995}).eps(1e-7).weight_decay(decay));
                    OptimizerSettings settings;
                    settings.kind = kind;
                    settings.beta1 = 0.85;
                    settings.beta2 = 0.995;
                    settings.eps = 1e-7;
                    settings.l1Scope = scope;
                    FlatOptimizer flatOpt(flat, settings);
                    double worst = 0;
                    for (const auto &[x, y] : batches) {
                        opt->zero_grad();
                        (torch::nn::functional::cross_entropy(reference->forward(x), y) +
                         l1 * absSum(l1Parameters(reference, scope)))
                            .backward();
                        opt->step();
                        flatOpt.zeroGrad();
                        torch::nn::functional::cross_entropy(flat->forward(x), y).backward();
                        flatOpt.step({lr, l1, decay});
                        worst = std::max(worst, maxRelativeDifference(flat->parameters(), reference->parameters()));
                    }
                    CHECK_LT(worst, 1e-5);
                    // The runs moved: Adam's first steps are about lr on every weight.
                    CHECK_GT(maxRelativeDifference(flat->parameters(), forumNet(0.0, type)->parameters()), 1e-3);
                }
            }
        }
    }
    allowWideVectors(true);
}

// PyTorch's meaning of weight_decay: Adam adds lambda2 * p to the gradient, which is what the explicit penalty
// (lambda2 / 2) * sum p^2 does, so the two give the same run; AdamW shrinks the weights outside the adaptive
// scaling, so its decay is not its penalty (Loshchilov and Hutter).
TEST_CASE("adam decay equals its penalty and adamw decay does not")
{
    const double lr = 0.001, lambda2 = 0.05;
    const auto batches = randomBatches(40, 11);
    // Trained with the flat optimizer: weight decay, or the penalty in the loss through autograd.
    auto trained = [&](Optimizer kind, bool penalty) {
        Mlp net = forumNet();
        OptimizerSettings settings;
        settings.kind = kind;
        FlatOptimizer opt(net, settings);
        for (const auto &[x, y] : batches) {
            opt.zeroGrad();
            torch::Tensor loss = torch::nn::functional::cross_entropy(net->forward(x), y);
            if (penalty)
                loss = loss + (lambda2 / 2) * squareSum(net->parameters());
            loss.backward();
            opt.step({lr, 0.0, penalty ? 0.0 : lambda2});
        }
        return net->parameters();
    };
    const auto adamDecay = trained(Optimizer::Adam, false);
    CHECK_LT(maxRelativeDifference(trained(Optimizer::Adam, true), adamDecay), 1e-5);
    const auto adamwDecay = trained(Optimizer::AdamW, false), adamwPenalty = trained(Optimizer::AdamW, true);
    CHECK_GT(maxRelativeDifference(adamwPenalty, adamwDecay), 1e-3);
    // AdamW's penalty is Adam's penalty (the same gradient, the same update).
    CHECK_LT(maxRelativeDifference(adamwPenalty, adamDecay), 1e-5);
}

// Proximal L1: after each step, p <- sign(p) * max(|p| - lr * lambda1, 0) over the L1 scope, so weights that the
// data does not hold up become exactly zero; the subgradient only makes them oscillate around zero.
TEST_CASE("proximal l1 is a soft threshold after the step and makes exact zeros")
{
    const double lr = 0.01;
    const auto batches = randomBatches(60, 13);
    auto zeroShare = [](const Mlp &net) {
        torch::Tensor w = net->layers[0]->weight.detach();
        return w.eq(0).to(torch::kFloat64).mean().item<double>();
    };
    for (Optimizer kind : {Optimizer::Sgd, Optimizer::Adam, Optimizer::AdamW}) {
        for (L1Scope scope : {L1Scope::All, L1Scope::Weights}) {
            CAPTURE(toString(kind));
            CAPTURE(toString(scope));
            Mlp reference = forumNet();
            Mlp flat = forumNet();
            Mlp subgradient = forumNet();
            std::unique_ptr<torch::optim::Optimizer> opt;
            if (kind == Optimizer::Sgd)
                opt = std::make_unique<torch::optim::SGD>(reference->parameters(),
                                                          torch::optim::SGDOptions(lr).momentum(0.9));
            else if (kind == Optimizer::Adam)
                opt = std::make_unique<torch::optim::Adam>(reference->parameters(), torch::optim::AdamOptions(lr / 10));
            else
                opt = std::make_unique<torch::optim::AdamW>(reference->parameters(),
                                                            torch::optim::AdamWOptions(lr / 10).weight_decay(0.01));
            // Thresholds of 5e-4 per step: over 60 steps most of fc1's initial weights (|w| < 0.036) reach zero.
            const double rate = kind == Optimizer::Sgd ? lr : lr / 10, l1 = 5e-4 / rate;
            const double decay = kind == Optimizer::AdamW ? 0.01 : 0.0;
            OptimizerSettings settings;
            settings.kind = kind;
            settings.momentum = kind == Optimizer::Sgd ? 0.9 : 0.0;
            settings.l1Scope = scope;
            settings.l1Method = L1Method::Proximal;
            FlatOptimizer flatOpt(flat, settings);
            settings.l1Method = L1Method::Subgradient;
            FlatOptimizer subOpt(subgradient, settings);
            double worst = 0;
            for (const auto &[x, y] : batches) {
                opt->zero_grad();
                torch::nn::functional::cross_entropy(reference->forward(x), y).backward();
                opt->step();
                {
                    torch::NoGradGuard noGrad;
                    for (torch::Tensor &p : l1Parameters(reference, scope))
                        p.copy_(p.sign() * (p.abs() - rate * l1).clamp_min(0));
                }
                for (auto [net, o] : {std::pair{&flat, &flatOpt}, {&subgradient, &subOpt}}) {
                    o->zeroGrad();
                    torch::nn::functional::cross_entropy((*net)->forward(x), y).backward();
                    o->step({rate, l1, decay});
                }
                worst = std::max(worst, maxRelativeDifference(flat->parameters(), reference->parameters()));
                // Step for step from the same weights: once many weights sit at zero, pre-activations sit near
                // LeakyReLU's kink, where a rounding difference flips a slope and the runs part ways.
                torch::NoGradGuard noGrad;
                for (std::size_t i = 0; i < flat->parameters().size(); ++i)
                    flat->parameters()[i].copy_(reference->parameters()[i]);
            }
            CHECK_LT(worst, 1e-5);
            // Exact zeros in the first layer; the subgradient at the same lambda1 leaves almost none.
            CHECK_GT(zeroShare(flat), 0.3);
            CHECK_LT(zeroShare(subgradient), 0.01);
            // Biases outside the scope are never thresholded.
            if (scope == L1Scope::Weights)
                CHECK_EQ(flat->layers[0]->bias.eq(0).sum().item<std::int64_t>(), 0);
        }
    }
}

TEST_CASE("hand written backward equals autograd")
{
    const torch::Tensor x = torch::randn({50, 784}, testDevice());
    const torch::Tensor y =
        torch::randint(0, 10, {50}, torch::TensorOptions().dtype(torch::kInt64).device(testDevice()));
    for (double dropout : {0.0, 0.4}) {
        for (double slope : {0.01, 0.2}) {
            torch::manual_seed(3);
            Mlp a(784, std::vector<int>{200, 100}, 10, std::vector<double>{dropout, dropout}, slope);
            torch::manual_seed(3);
            Mlp b(784, std::vector<int>{200, 100}, 10, std::vector<double>{dropout, dropout}, slope);
            a->to(testDevice());
            b->to(testDevice());
            a->seedDropout(99);
            b->seedDropout(99);
            const torch::Tensor lossA = torch::nn::functional::cross_entropy(a->forward(x), y);
            lossA.backward();
            const torch::Tensor lossB = b->lossAndGradients(x, y);
            if (testDevice().is_cpu() || dropout == 0) { // CUDA masks come from torch's generator
                CHECK_NEAR(lossB.item<double>(), lossA.item<double>(), 1e-5);
                std::vector<torch::Tensor> ga, gb;
                for (const auto &p : a->parameters())
                    ga.push_back(p.grad());
                for (const auto &p : b->parameters())
                    gb.push_back(p.grad());
                CHECK_LT(maxRelativeDifference(gb, ga), 1e-5);
            }
        }
    }
}

TEST_CASE("the hand-written loss refuses a label outside the classes")
{
    torch::manual_seed(3);
    Mlp net(784, std::vector<int>{20}, 10, std::vector<double>{0.0}, 0.01);
    const torch::Tensor x = torch::randn({4, 784});
    CHECK_THROWS_CONTAINING(net->lossAndGradients(x, torch::tensor({1, 2, 12, 3}, torch::kInt64)), DataError,
                            "a label outside 0..9");
    CHECK(std::isfinite(net->lossAndGradients(x, torch::tensor({1, 2, 9, 0}, torch::kInt64)).item<double>()));
}

TEST_CASE("dropout drops the configured share and rescales")
{
    // One hidden layer of 100,000 units that all output 1 before dropout (weights 0, bias 1, LeakyReLU slope 1
    // is the identity); the output layer sums them, so its value counts the kept units times 1 / (1 - p).
    torch::manual_seed(1);
    Mlp net(4, std::vector<int>{100000}, 1, std::vector<double>{0.3}, 1.0);
    torch::NoGradGuard noGrad;
    net->layers[0]->weight.fill_(0);
    net->layers[0]->bias.fill_(1);
    net->layers[1]->weight.fill_(1);
    net->layers[1]->bias.fill_(0);
    const torch::Tensor x = torch::zeros({1, 4});
    net->train();
    net->seedDropout(7);
    const double kept = net->forward(x)[0][0].item<double>() * 0.7;
    CHECK_NEAR(kept / 100000.0, 0.7, 0.01);
    net->seedDropout(7);
    CHECK_NEAR(net->forward(x)[0][0].item<double>() * 0.7, kept, 1e-2); // seeded: the same mask
    net->eval();
    CHECK_NEAR(net->forward(x)[0][0].item<double>(), 100000.0, 1e-2);
}

TEST_CASE("the flat optimizer refuses parameters moved after it was made")
{
    Mlp net = forumNet();
    FlatOptimizer opt(net, OptimizerSettings{});
    opt.zeroGrad();
    opt.step({0.01, 0.0, 0.0}); // seated: fine
    net->to(torch::kFloat64);   // re-seats every parameter in new storage
    CHECK_THROWS_CONTAINING(opt.step({0.01, 0.0, 0.0}), Error, "moved (to another device or type)");
}

TEST_CASE("the hand-written passes say what they need")
{
    CHECK_NOTHROW(requireCpuFloat32(torch::zeros({3}), "x"));
    CHECK_THROWS_CONTAINING(requireCpuFloat32(torch::zeros({3}, torch::kFloat64), "the mask"), Error,
                            "needs the mask as contiguous float32 on the CPU, got Double");
    CHECK_THROWS_CONTAINING(requireCpuFloat32(torch::zeros({3, 3}).t(), "x"), Error, "not contiguous");
    // A double-precision network still trains: it takes the general path, not the float32 one.
    torch::manual_seed(3);
    Mlp net(784, std::vector<int>{20}, 10, std::vector<double>{0.3}, 0.01);
    net->to(torch::kFloat64);
    const torch::Tensor loss =
        net->lossAndGradients(torch::randn({5, 784}, torch::kFloat64), torch::randint(0, 10, {5}, torch::kInt64));
    CHECK(std::isfinite(loss.item<double>()));
}

namespace {

bool sameBits(const torch::Tensor &a, const torch::Tensor &b)
{
    const torch::Tensor ca = a.contiguous(), cb = b.contiguous();
    return ca.sizes() == cb.sizes() && ca.scalar_type() == cb.scalar_type() &&
           std::memcmp(ca.data_ptr(), cb.data_ptr(), static_cast<std::size_t>(ca.nbytes())) == 0;
}

// Random floats of assorted magnitudes and both signs, exact zeros among them, from torch's seeded generator.
torch::Tensor assorted(std::int64_t rows, std::int64_t cols)
{
    torch::Tensor t = torch::randn({rows, cols}) * torch::exp(torch::randn({rows, cols}) * 3);
    return t.masked_fill_(torch::rand({rows, cols}) < 0.05, 0.0);
}

} // namespace

// The direct CPU pass (products straight into kept buffers, the element-wise passes in AVX-512 where the CPU has
// it) must change no number of a run: its loss, gradients and the parameters after a few SGD steps against the
// general pass (LibTorch's ops), bit for bit, for assorted shapes, dropout, smoothing and vector widths.
TEST_CASE("the direct cpu pass gives the general pass's bits")
{
    if (!testDevice().is_cpu())
        return;
    struct Case {
        std::vector<int> hidden;
        std::vector<double> dropout;
        std::int64_t batch;
        double smoothing;
    };
    const Case cases[] = {{{200, 200}, {0.3, 0.4}, 50, 0.0},    {{200, 200}, {0.3, 0.4}, 37, 0.1},
                          {{100, 64, 30}, {0.2, 0.0, 0.5}, 64, 0.0}, {{7}, {0.0}, 2, 0.0},
                          {{33, 17}, {0.9999, 0.5}, 13, 0.05},  {{300}, {0.5}, 128, 0.0}};
    for (VectorWidth width : {VectorWidth::Avx512, VectorWidth::Avx2, VectorWidth::Sse2}) {
        limitVectorWidth(width);
        for (const Case &c : cases) {
            CAPTURE(static_cast<int>(width));
            CAPTURE(c.batch);
            CAPTURE(c.hidden.size());
            std::vector<Mlp> nets;
            std::vector<std::unique_ptr<FlatOptimizer>> optimizers;
            for (int k = 0; k < 2; ++k) {
                torch::manual_seed(5);
                nets.emplace_back(784, c.hidden, 10, c.dropout, 0.05);
                nets.back()->seedDropout(11);
                OptimizerSettings settings;
                settings.momentum = 0.5;
                optimizers.push_back(std::make_unique<FlatOptimizer>(nets.back(), settings));
            }
            torch::manual_seed(6);
            for (int step = 0; step < 3; ++step) {
                const torch::Tensor x = torch::randn({c.batch, 784});
                const torch::Tensor y = torch::randint(0, 10, {c.batch}, torch::kInt64);
                torch::Tensor losses[2];
                for (int k = 0; k < 2; ++k) {
                    allowDirectCpuPass(k == 0);
                    optimizers[std::size_t(k)]->zeroGrad();
                    losses[k] = nets[std::size_t(k)]->lossAndGradients(x, y, c.smoothing);
                }
                allowDirectCpuPass(true);
                CHECK(sameBits(losses[0], losses[1]));
                const auto direct = nets[0]->parameters(), general = nets[1]->parameters();
                for (std::size_t i = 0; i < direct.size(); ++i)
                    CHECK(sameBits(direct[i].grad(), general[i].grad()));
                for (auto &opt : optimizers)
                    opt->step({0.05, 0.001, 0.0});
                for (std::size_t i = 0; i < direct.size(); ++i)
                    CHECK(sameBits(direct[i], general[i]));
            }
        }
    }
    limitVectorWidth(VectorWidth::Avx512);
}

// The bias gradients: LibTorch's order of additions for torch::sum(g, 0), reproduced, for shapes on both sides of
// its kernel's vector groups; and the width it runs with here is found.
TEST_CASE("column sums add in libtorch's order")
{
    const int lanes = torchSumLanes();
    CHECK((lanes == 8 || lanes == 16));
    if (lanes == 0)
        return;
    torch::manual_seed(8);
    for (std::int64_t rows : {2, 3, 4, 5, 15, 16, 17, 31, 33, 50, 64, 100, 128, 257}) {
        for (std::int64_t cols : {2, 3, 5, 7, 8, 10, 16, 31, 32, 48, 64, 65, 100, 128, 200, 300}) {
            CAPTURE(rows);
            CAPTURE(cols);
            const torch::Tensor g = assorted(rows, cols);
            std::vector<float> sums(static_cast<std::size_t>(cols));
            columnSums(sums.data(), g.data_ptr<float>(), rows, cols, lanes);
            CHECK(sameBits(torch::from_blob(sums.data(), {cols}), g.sum(0)));
        }
    }
}

// Each AVX-512 pass against the plain one (what a CPU without it runs): dropout with LeakyReLU, whose draws the
// AVX-512 pass makes eight at a time, over lengths around its blocks of 32, and its thresholds' extremes (p =
// 0.999995 rounds to 65536 of 65536: nothing kept).
TEST_CASE("the avx-512 element-wise passes give the plain passes' bits")
{
    if (vectorWidth() != VectorWidth::Avx512) {
        MESSAGE("no AVX-512 on this CPU: only the plain passes run here");
        return;
    }
    torch::manual_seed(9);
    for (std::int64_t n : {1, 3, 4, 31, 32, 33, 64, 100, 10000, 10007}) {
        for (double p : {0.0, 1.0 / 65536, 0.3, 0.5, 0.99999, 0.999995}) {
            CAPTURE(n);
            CAPTURE(p);
            const torch::Tensor h = assorted(1, n).reshape({n});
            torch::Tensor h2[2], f2[2];
            std::uint64_t states[2];
            for (int k = 0; k < 2; ++k) {
                limitVectorWidth(k == 0 ? VectorWidth::Avx512 : VectorWidth::Sse2);
                h2[k] = h.clone();
                f2[k] = torch::empty({n});
                states[k] = 12345;
                if (p > 0)
                    dropoutLeakyPass(f2[k].data_ptr<float>(), h2[k].data_ptr<float>(), n, states[k], p, 0.01f);
                else
                    leakyPass(f2[k].data_ptr<float>(), h2[k].data_ptr<float>(), n, 0.01f);
            }
            CHECK(sameBits(h2[0], h2[1]));
            CHECK(sameBits(f2[0], f2[1]));
            CHECK_EQ(states[0], states[1]);
            for (int k = 0; k < 2; ++k) {
                limitVectorWidth(k == 0 ? VectorWidth::Avx512 : VectorWidth::Sse2);
                multiplyPass(h2[k].data_ptr<float>(), h.data_ptr<float>(), n);
            }
            CHECK(sameBits(h2[0], h2[1]));
        }
    }
    limitVectorWidth(VectorWidth::Avx512);
}

// The optimizers' AVX-512 passes against their AVX2 ones (what this CPU ran before they were added): the same
// source compiled for both, so the same fused multiply-adds and the same bits, for SGD (plain, momentum, Nesterov,
// proximal, masked) and Adam and AdamW.
TEST_CASE("the avx-512 optimizer passes give the avx2 passes' bits")
{
    if (vectorWidth() != VectorWidth::Avx512) {
        MESSAGE("no AVX-512 on this CPU");
        return;
    }
    const Setting settings[] = {{Optimizer::Sgd, 0.0, false, L1Method::Subgradient, L1Scope::All},
                                {Optimizer::Sgd, 0.9, false, L1Method::Subgradient, L1Scope::Weights},
                                {Optimizer::Sgd, 0.9, true, L1Method::Proximal, L1Scope::All},
                                {Optimizer::Adam, 0.0, false, L1Method::Subgradient, L1Scope::Weights},
                                {Optimizer::AdamW, 0.0, false, L1Method::Proximal, L1Scope::All}};
    for (const Setting &s : settings) {
        CAPTURE(toString(s.kind));
        auto [nets, optimizers] = twins({37, 19}, {0.0, 0.0}, s);
        torch::manual_seed(5);
        for (int step = 0; step < 4; ++step) {
            const torch::Tensor x = torch::randn({20, 784});
            const torch::Tensor y = torch::randint(0, 10, {20}, torch::kInt64);
            for (int k = 0; k < 2; ++k) {
                limitVectorWidth(k == 0 ? VectorWidth::Avx512 : VectorWidth::Avx2);
                optimizers[std::size_t(k)]->zeroGrad();
                nets[std::size_t(k)]->lossAndGradients(x, y);
                optimizers[std::size_t(k)]->step({0.01, 0.001, 0.0005});
            }
            const auto a = nets[0]->parameters(), b = nets[1]->parameters();
            for (std::size_t i = 0; i < a.size(); ++i)
                CHECK(sameBits(a[i], b[i]));
        }
    }
    limitVectorWidth(VectorWidth::Avx512);
}

// The passes split over OpenBLAS's threads (model/blaspool.h) against the same passes in one piece on this thread:
// the optimizer's update (each parameter through the same vector code, so the same bits), the rows of a batch and
// evaluation's forward straight to sgemm_ (the numbers forward() gives).
TEST_CASE("the optimizer's pass split over openblas's threads gives one pass's bits")
{
    configureCpuThreads(2);
    MESSAGE("parts a pass is split into here: " << blasPoolWidth());
    // Two parts at each vector width, and three (more threads than this machine's cores: OpenBLAS makes them all)
    const std::pair<int, VectorWidth> rounds[] = {{2, VectorWidth::Avx512},
                                                  {2, VectorWidth::Avx2},
                                                  {2, VectorWidth::Sse2},
                                                  {3, VectorWidth::Avx512}};
    const Setting settings[] = {{Optimizer::Sgd, 0.0, false, L1Method::Subgradient, L1Scope::All, 0.01},
                                {Optimizer::Sgd, 0.0, false, L1Method::Subgradient, L1Scope::All, 0.0},
                                {Optimizer::Sgd, 0.9, false, L1Method::Subgradient, L1Scope::Weights, 0.001},
                                {Optimizer::Sgd, 0.9, true, L1Method::Proximal, L1Scope::All, 0.001},
                                {Optimizer::Adam, 0.0, false, L1Method::Subgradient, L1Scope::Weights, 0.001},
                                {Optimizer::AdamW, 0.0, false, L1Method::Proximal, L1Scope::All, 0.001}};
    for (const auto &[threads, width] : rounds) {
        configureCpuThreads(threads);
        limitVectorWidth(width);
        for (const Setting &s : settings) {
            CAPTURE(threads);
            CAPTURE(static_cast<int>(width));
            CAPTURE(toString(s.kind));
            CAPTURE(s.l1);
            // 784-61-37-10: 50,601 parameters, enough to be split, in layers whose sizes are not multiples of 64
            auto [nets, optimizers] = twins({61, 37}, {0.3, 0.0}, s);
            torch::manual_seed(5);
            for (int step = 0; step < 4; ++step) {
                const torch::Tensor x = torch::randn({50, 784});
                const torch::Tensor y = torch::randint(0, 10, {50}, torch::kInt64);
                for (int k = 0; k < 2; ++k) {
                    allowBlasPool(k == 0);
                    optimizers[std::size_t(k)]->zeroGrad();
                    nets[std::size_t(k)]->lossAndGradients(x, y);
                    optimizers[std::size_t(k)]->step({0.01, s.l1, 0.0005});
                }
                allowBlasPool(true);
                const auto a = nets[0]->parameters(), b = nets[1]->parameters();
                for (std::size_t i = 0; i < a.size(); ++i)
                    CHECK(sameBits(a[i], b[i]));
            }
        }
    }
    limitVectorWidth(VectorWidth::Avx512);
    configureCpuThreads(2);
}

TEST_CASE("dropout and leakyrelu split over openblas's threads give one pass's bits and leave the stream alike")
{
    torch::manual_seed(10);
    const std::pair<int, VectorWidth> rounds[] = {{2, VectorWidth::Avx512},
                                                  {2, VectorWidth::Avx2},
                                                  {2, VectorWidth::Sse2},
                                                  {3, VectorWidth::Avx512},
                                                  {3, VectorWidth::Sse2}};
    for (const auto &[threads, width] : rounds) {
        configureCpuThreads(threads);
        limitVectorWidth(width);
        for (std::int64_t n : {8191, 8192, 10000, 10001, 65536, 409600 + 3}) {
            for (double p : {0.3, 0.999995}) {
                CAPTURE(threads);
                CAPTURE(static_cast<int>(width));
                CAPTURE(n);
                CAPTURE(p);
                const torch::Tensor h = torch::randn({n});
                torch::Tensor hs[2] = {h.clone(), h.clone()}, fs[2] = {torch::empty({n}), torch::empty({n})};
                std::uint64_t states[2] = {77, 77};
                for (int k = 0; k < 2; ++k) {
                    allowBlasPool(k == 0);
                    dropoutLeakyPass(fs[k].data_ptr<float>(), hs[k].data_ptr<float>(), n, states[k], p, 0.01f);
                }
                allowBlasPool(true);
                CHECK(sameBits(hs[0], hs[1]));
                CHECK(sameBits(fs[0], fs[1]));
                CHECK_EQ(states[0], states[1]);
            }
            torch::Tensor xs[2] = {torch::randn({n}), torch::empty({n})};
            xs[1].copy_(xs[0]);
            for (int k = 0; k < 2; ++k) {
                allowBlasPool(k == 0);
                leakyInPlace(xs[k].data_ptr<float>(), n, 0.2f);
            }
            allowBlasPool(true);
            CHECK(sameBits(xs[0], xs[1]));
        }
    }
    limitVectorWidth(VectorWidth::Avx512);
    configureCpuThreads(2);
}

TEST_CASE("rows gathered by hand are index_select's")
{
    configureCpuThreads(2);
    torch::manual_seed(9);
    const torch::Tensor images = torch::randn({1000, 784});
    for (std::int64_t rows : {1, 3, 4, 7, 8, 50, 333}) {
        CAPTURE(rows);
        const torch::Tensor idx = torch::randint(0, 1000, {rows}, torch::kInt64);
        torch::Tensor out = torch::full({rows, 784}, -1.0f);
        gatherRows(out.data_ptr<float>(), images.data_ptr<float>(), idx.data_ptr<std::int64_t>(), rows, 784);
        CHECK(sameBits(out, images.index_select(0, idx)));
    }
}

TEST_CASE("evaluation's direct forward gives forward()'s bits and the same measures")
{
    configureCpuThreads(2);
    struct Case {
        std::vector<int> hidden;
        double slope;
    };
    const Case cases[] = {{{200, 200}, 0.01}, {{61, 37, 5}, 0.2}, {{3}, 0.0}};
    for (const Case &c : cases) {
        CAPTURE(c.hidden.size());
        torch::manual_seed(12);
        Mlp net(784, c.hidden, 10, std::vector<double>(c.hidden.size(), 0.5), c.slope);
        net->eval();
        for (std::int64_t rows : {2, 50, 2048, 2051}) {
            CAPTURE(rows);
            const torch::Tensor x = torch::randn({rows, 784});
            const torch::Tensor direct = net->inferenceLogits(x).clone();
            torch::Tensor general;
            {
                torch::NoGradGuard noGrad;
                general = net->forward(x);
            }
            CHECK(sameBits(direct, general));
        }
        // evaluate() in chunks of 2,048 over gathered rows, through either forward
        const torch::Tensor images = torch::randn({5000, 784});
        const torch::Tensor labels = torch::randint(0, 10, {5000}, torch::kInt64);
        const torch::Tensor indices = torch::randperm(5000, torch::kInt64).narrow(0, 0, 4500);
        const Evaluation byHand = evaluate(net, images, labels, indices, true);
        allowDirectCpuPass(false);
        const Evaluation general = evaluate(net, images, labels, indices, true);
        allowDirectCpuPass(true);
        CHECK_EQ(byHand.loss, general.loss);
        CHECK_EQ(byHand.accuracy, general.accuracy);
        CHECK(sameBits(byHand.predicted, general.predicted));
    }
    Mlp net(784, std::vector<int>{20}, 10, std::vector<double>{0.0}, 0.01);
    const torch::Tensor images = torch::randn({10, 784});
    const torch::Tensor labels = torch::zeros({10}, torch::kInt64);
    CHECK_THROWS_AS(evaluate(net, images, labels, torch::tensor({1, 10}, torch::kInt64)), Error);
}
