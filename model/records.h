// What a run produces, as plain values: the trainer's events carry these, the run record stores them.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace reglab {

enum class RunStatus { Running, Finished, Stopped, Diverged, Failed };
std::string toString(RunStatus status);
bool parseRunStatus(const std::string &text, RunStatus &out);

// One logging point (every logEvery steps): the loss of that step's batch and its parts.
struct StepRecord {
    std::int64_t step = 0; // 1-based index of the optimizer step
    int epoch = 0;         // 1-based
    double loss = 0;       // dataLoss + l1Term + l2Term
    double dataLoss = 0;   // cross-entropy of the batch
    double l1Term = 0;     // lambda1 * sum|p| over the L1 scope
    double l2Term = 0;     // (lambda2 / 2) * sum p^2, shown for weight decay too
    double l1 = 0, l2 = 0, learningRate = 0;
    double samplesPerSecond = 0;
};

struct LayerStats {
    std::string name;         // "fc1", "fc2", ...
    double smallFraction = 0; // share of weights with |w| < the sparsity threshold
    double l1Norm = 0;
    double l2Norm = 0;
};

struct EpochRecord {
    int epoch = 0;         // 1-based
    int fold = 0;          // 0-based fold whose training part was used
    std::int64_t step = 0; // steps done at the end of this epoch
    double trainLoss = 0;  // mean cross-entropy over the epoch's batches
    double valLoss = 0, valAccuracy = 0;
    double testLoss = 0, testAccuracy = 0;
    std::vector<LayerStats> layers;
    double trainSeconds = 0, evalSeconds = 0;
};

// lambda1, lambda2 or the learning rate changed; `step` is the first step that used the new values.
struct LambdaChange {
    std::int64_t step = 0;
    double l1 = 0, l2 = 0, learningRate = 0;
};

struct DigitPrediction {
    int index = 0; // index in the test set
    int label = 0;
    int predicted = 0;
    std::array<float, 10> probabilities{};
};

// Predictions for the fixed panel digits after one evaluation.
struct Predictions {
    int epoch = 0;
    std::int64_t step = 0;
    std::vector<DigitPrediction> digits;
};

// Where training stands, sent a few times a second.
struct Progress {
    int epoch = 0, epochs = 0; // epoch is 1-based
    std::int64_t stepInEpoch = 0, stepsPerEpoch = 0;
    std::int64_t step = 0, totalSteps = 0;
    double samplesPerSecond = 0;
    double etaSeconds = 0;
    bool evaluating = false;
};

// Sent once when a run starts, before the first step.
struct RunInfo {
    std::string device; // "cpu" or "cuda:0 (name)"
    std::string dataName;
    std::vector<std::string> classNames;
    std::int64_t trainCount = 0, testCount = 0;
    std::int64_t stepsPerEpoch = 0, totalSteps = 0;
    std::int64_t parameterCount = 0;
    // The panel digits: their test-set index, label and 28x28 pixels (0..255, row-major).
    std::vector<int> panelIndices;
    std::vector<int> panelLabels;
    std::vector<std::array<std::uint8_t, 784>> panelPixels;
};

} // namespace reglab
