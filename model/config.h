// The configuration of one training run: plain values, no Qt, no torch.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace reglab {

// Which parameters the L1 penalty lambda1 * sum|p| covers.
enum class L1Scope { All, Weights };
// How lambda2 acts: SGD's weight_decay, or (lambda2 / 2) * sum p^2 added to the loss.
enum class L2Mode { Decay, Penalty };

struct TrainConfig {
    std::string data = "sample"; // sample | fashion | a folder with the four IDX files
    std::vector<int> hidden = {200, 200};
    std::vector<double> dropout = {0.3, 0.4}; // one rate per hidden layer
    double leakySlope = 0.01;
    double learningRate = 0.01;
    double momentum = 0.0;
    int batchSize = 50;
    int epochs = 10;
    int folds = 5;
    std::uint64_t seed = 0;
    double l1 = 0.0;
    L1Scope l1Scope = L1Scope::All;
    double l2 = 0.0;
    L2Mode l2Mode = L2Mode::Decay;
    int logEvery = 60;           // steps between step records (the forum plots every 60)
    std::string device = "auto"; // cpu | cuda | auto
    int threads = 0;             // BLAS threads on CPU; 0 = one per core
    int panelDigits = 16;        // digits whose predictions are reported after each evaluation
    double sparsityThreshold = 1e-3;
};

std::string toString(L1Scope scope);
std::string toString(L2Mode mode);
bool parseL1Scope(const std::string &text, L1Scope &out);
bool parseL2Mode(const std::string &text, L2Mode &out);

// Empty when the configuration can run; otherwise what is wrong and what is allowed.
std::string validate(const TrainConfig &config);

// A short label such as "L1 0.01 (all) - L2 off - bs 50".
std::string shortLabel(const TrainConfig &config);

} // namespace reglab
