// What a run produces, as plain values: the trainer's events carry these, the run record stores them.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
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
    double zeroFraction = 0; // share of weights exactly 0 (proximal L1 makes them; the subgradient hardly ever)
};

struct EpochRecord {
    int epoch = 0;         // 1-based
    int fold = 0;          // 0-based fold whose training part was used
    std::int64_t step = 0; // steps done at the end of this epoch
    double trainLoss = 0;  // mean cross-entropy over the epoch's batches
    double valLoss = 0, valAccuracy = 0;
    double testLoss = 0, testAccuracy = 0;
    // On (at most train_eval of) the epoch's training images in eval mode: what the network memorized. NaN when
    // not measured (train_eval 0, or a record from before it).
    double trainAccuracy = std::numeric_limits<double>::quiet_NaN();
    double trainEvalLoss = std::numeric_limits<double>::quiet_NaN();
    std::vector<LayerStats> layers;
    double trainSeconds = 0, evalSeconds = 0;
};

// A live setting took effect: `key` is its key in configFields() ("l1", "dropout"), `value` its new value as the
// flag takes it ("0.001", "0.5,0.5"), and `step` the first step that used it. One event per setting changed.
struct SettingChange {
    std::int64_t step = 0;
    std::string key;
    std::string value;
    bool operator==(const SettingChange &o) const { return step == o.step && key == o.key && value == o.value; }
};

// Early stopping ended the run: the validation loss had not improved for `patience` epochs after `bestEpoch`,
// whose weights were restored; `lastEpoch` is the last epoch trained.
struct EarlyStop {
    int lastEpoch = 0;
    int bestEpoch = 0;
    int patience = 0;
    double bestValLoss = 0;
    bool operator==(const EarlyStop &o) const
    {
        return lastEpoch == o.lastEpoch && bestEpoch == o.bestEpoch && patience == o.patience &&
               bestValLoss == o.bestValLoss;
    }
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

// A histogram of one layer's weights over a fixed range, so frames and runs compare bin by bin.
struct WeightHistogram {
    std::string name;                // "fc1", ...
    double low = -0.25, high = 0.25; // the bins split [low, high) evenly
    std::vector<std::int64_t> counts;
    std::int64_t below = 0, above = 0; // outside the range
    std::int64_t zeros = 0;            // exactly 0
};

// Copies of the weights after an evaluation (or on demand while paused), made by the trainer: the views never
// touch a tensor that training is changing.
struct WeightSnapshot {
    int epoch = 0; // 0: before the first epoch ended
    std::int64_t step = 0;
    struct Layer {
        std::string name;           // "fc1", ...
        int rows = 0, cols = 0;     // out x in; fc1 is hidden units x 784, so row r is unit r's 28x28 tile
        std::vector<float> weights; // rows * cols, row-major
    };
    std::vector<Layer> layers;
    std::vector<WeightHistogram> histograms; // one per layer, kHistogramBins bins over [-0.25, 0.25)
};
inline constexpr int kHistogramBins = 100;

// At each logging point: per layer, the mean size per weight of the data loss's gradient and of the two
// regularization pushes (lambda1 * |sign(w)|, lambda2 * |w|). With lambda1 = 0.01 the L1 push is 0.01 on every
// weight while the data gradient is around 1e-3: that is why the forum's network forgets everything.
struct GradientBalance {
    std::int64_t step = 0;
    int epoch = 0;
    struct Layer {
        std::string name;
        double dataGradient = 0; // mean |dL/dw|
        double l1Push = 0;       // mean |lambda1 * sign(w)| over the L1 scope (0 for biases-only changes)
        double l2Push = 0;       // mean |lambda2 * w|
    };
    std::vector<Layer> layers;
};

// After each evaluation: the confusion matrix on the validation fold and some misclassified digits.
struct ValidationDetail {
    int epoch = 0;
    std::int64_t step = 0;
    std::array<std::array<std::int64_t, 10>, 10> confusion{}; // [true class][predicted class]
    struct Miss {
        int index = 0; // in the training set (the validation fold is part of it)
        int label = 0, predicted = 0;
        std::array<float, 10> probabilities{};
        std::array<std::uint8_t, 784> pixels{};
    };
    std::vector<Miss> misclassified; // at most kMaxMisses, in validation order
};
inline constexpr int kMaxMisses = 48;

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
    std::string kernels; // the CPU's matrix kernels ("OpenBLAS SkylakeX"); "" on a GPU or without a BLAS
    std::string dataName;
    std::vector<std::string> classNames;
    std::int64_t trainCount = 0, testCount = 0; // trainCount: the images trained on (train_size's subset)
    std::int64_t flippedLabels = 0;             // training labels label_noise replaced
    std::int64_t stepsPerEpoch = 0, totalSteps = 0;
    std::int64_t parameterCount = 0;
    // The panel digits: their test-set index, label and 28x28 pixels (0..255, row-major).
    std::vector<int> panelIndices;
    std::vector<int> panelLabels;
    std::vector<std::array<std::uint8_t, 784>> panelPixels;
};

} // namespace reglab
