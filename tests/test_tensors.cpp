// The network and the penalties at tensor level: shapes, penalty values, and the two equivalences the forum
// answer relies on (L1 gradient added directly == autograd through abs; weight_decay == explicit L2 penalty).
#include "model/tensors.h"
#include "testing.h"

#include <cstdlib>

using namespace reglab;

namespace {

torch::Device testDevice()
{
    const char *env = std::getenv("REGLAB_TEST_DEVICE");
    return torch::Device(env && std::string(env) == "cuda" ? torch::kCUDA : torch::kCPU);
}

Mlp forumNet(double dropout = 0.0)
{
    torch::manual_seed(3);
    Mlp net(784, std::vector<int>{200, 200}, 10, std::vector<double>{dropout, dropout}, 0.01);
    net->to(testDevice());
    return net;
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

} // namespace

TEST_CASE(mlp_has_the_forum_shape)
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

TEST_CASE(penalties_on_known_parameters)
{
    const auto opts = torch::TensorOptions().device(testDevice());
    std::vector<torch::Tensor> params = {torch::tensor({1.0f, -2.0f, 0.0f}, opts),
                                         torch::tensor({{0.5f, -0.5f}}, opts)};
    CHECK_NEAR(absSum(params).item<double>(), 4.0, 1e-6);
    CHECK_NEAR(squareSum(params).item<double>(), 5.5, 1e-6);
}

TEST_CASE(dropout_only_in_training_mode)
{
    Mlp net = forumNet(0.5);
    const torch::Tensor x = torch::randn({4, 784}, testDevice());
    net->eval();
    CHECK(torch::equal(net->forward(x), net->forward(x)));
    net->train();
    CHECK(!torch::equal(net->forward(x), net->forward(x)));
}

TEST_CASE(direct_l1_gradient_equals_autograd_through_abs)
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

TEST_CASE(weight_decay_equals_explicit_l2_penalty_for_plain_sgd)
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

TEST_CASE(flat_sgd_matches_torch_sgd_with_autograd_l1)
{
    // The trainer's optimizer against the forum's way of doing it: torch.optim.SGD with momentum and weight
    // decay, and lambda1 * sum|p| in the loss through autograd.
    for (double momentum : {0.0, 0.9}) {
        const double lr = 0.01, decay = 0.001, l1 = 0.001;
        torch::manual_seed(5);
        std::vector<std::pair<torch::Tensor, torch::Tensor>> batches;
        for (int step = 0; step < 30; ++step)
            batches.emplace_back(
                torch::randn({50, 784}, testDevice()),
                torch::randint(0, 10, {50}, torch::TensorOptions().dtype(torch::kInt64).device(testDevice())));
        for (L1Scope scope : {L1Scope::All, L1Scope::Weights}) {
            Mlp reference = forumNet();
            Mlp flat = forumNet();
            torch::optim::SGD opt(reference->parameters(),
                                  torch::optim::SGDOptions(lr).momentum(momentum).weight_decay(decay));
            std::vector<bool> inScope;
            for (const auto &item : flat->named_parameters())
                inScope.push_back(scope == L1Scope::All || item.key().find("weight") != std::string::npos);
            FlatSgd flatOpt(flat->parameters(), inScope);
            for (const auto &[x, y] : batches) {
                opt.zero_grad();
                (torch::nn::functional::cross_entropy(reference->forward(x), y) +
                 l1 * absSum(l1Parameters(reference, scope)))
                    .backward();
                opt.step();
                flatOpt.zeroGrad();
                torch::nn::functional::cross_entropy(flat->forward(x), y).backward();
                flatOpt.step(lr, momentum, decay, l1);
            }
            CHECK_LT(maxRelativeDifference(flat->parameters(), reference->parameters()), 1e-5);
            CHECK_NEAR(flatOpt.l1AbsSum().item<double>(), absSum(l1Parameters(flat, scope)).item<double>(), 1e-2);
        }
    }
}

TEST_CASE(hand_written_backward_equals_autograd)
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

TEST_CASE(dropout_drops_the_configured_share_and_rescales)
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

TEST_MAIN()
