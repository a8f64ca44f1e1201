// The configuration of one training run (plain values, no Qt, no torch), and the one home of every setting's
// name, flag, meaning, allowed range and default: the CLI's flags and help, the window's controls and flags,
// validation and presets read them from configFields().
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace reglab {

// Which parameters the L1 penalty lambda1 * sum|p| covers.
enum class L1Scope { All, Weights };
// How lambda2 acts: the optimizer's weight_decay (PyTorch's meaning: SGD and Adam add lambda2 * p to the
// gradient, AdamW shrinks the weights directly), or (lambda2 / 2) * sum p^2 added to the loss.
enum class L2Mode { Decay, Penalty };
// How lambda1 acts: its subgradient lambda1 * sign(p) added to the gradient (the forum's loss += lambda1 * sum|p|),
// or a soft threshold after each step, p <- sign(p) * max(|p| - lr * lambda1, 0), which makes exact zeros.
enum class L1Method { Subgradient, Proximal };
// torch.optim.SGD, Adam or AdamW (Loshchilov and Hutter's decoupled weight decay).
enum class Optimizer { Sgd, Adam, AdamW };
// Which images validate: the forum's K-fold rotation (epoch e validates on fold e % K, which other epochs train
// on), or one fold held out for every epoch, so validation images are never trained on.
enum class Validation { Rotate, Holdout };

struct TrainConfig {
    std::string data = "sample"; // sample | mnist | fashion | a folder with the four IDX files
    std::vector<int> hidden = {200, 200};
    std::vector<double> dropout = {0.3, 0.4}; // one rate per hidden layer
    double leakySlope = 0.01;
    double learningRate = 0.01;
    Optimizer optimizer = Optimizer::Sgd;
    double momentum = 0.0; // SGD only
    bool nesterov = false; // SGD only; needs momentum > 0
    double adamBeta1 = 0.9, adamBeta2 = 0.999, adamEps = 1e-8;
    int batchSize = 50;
    int epochs = 10;
    int folds = 5;
    std::uint64_t seed = 0;
    double l1 = 0.0;
    L1Scope l1Scope = L1Scope::All;
    L1Method l1Method = L1Method::Subgradient;
    double l2 = 0.0;
    L2Mode l2Mode = L2Mode::Decay;
    int logEvery = 60;           // steps between step records (the forum plots every 60)
    std::string device = "auto"; // cpu | cuda | auto
    int threads = 0;             // BLAS threads on CPU; 0 = one per core
    int panelDigits = 16;        // digits whose predictions are reported after each evaluation
    double sparsityThreshold = 1e-3;
    // The overfitting regime: a seeded subset of the training file (0 = all of it), a share of its labels
    // replaced once by another class, and how validation images are chosen.
    int trainSize = 0;
    double labelNoise = 0;
    Validation validation = Validation::Rotate;
    int trainEval = 10000; // training images evaluated after each epoch (at most; 0 = none)
    // Regularizers beyond L1, L2 and dropout (0 = off; all live).
    int earlyStop = 0;          // patience in epochs on the validation loss
    double labelSmoothing = 0;  // targets (1 - e) * onehot + e / classes, PyTorch's meaning
    double inputNoise = 0;      // std of Gaussian noise added to each training image, in normalized units
    int shift = 0;              // each training image moved by up to this many pixels in x and in y
    double maxNorm = 0;         // each unit's incoming weight vector scaled to an L2 norm of at most this
    // Settings registered at run time (addConfigField: an extension, a test), as their text, by key.
    std::map<std::string, std::string> extra;
};

// One setting. `lo`..`hi` bound a number (each entry of a list); `openLow` excludes lo itself.
struct ConfigField {
    // Switch: on or off, as "true" or "false"; its flag takes no value (--nesterov turns it on).
    enum class Kind { Integer, Real, Seed, Text, Choice, Switch, IntegerList, RealList };
    std::string key;         // the run record's "config" key, e.g. "learning_rate"
    std::string flag;        // reglab-train's flag, e.g. "--lr"; "" when there is none
    std::string placeholder; // what the flag takes, e.g. "X"
    std::string help;        // one line on what it means
    Kind kind = Kind::Real;
    double lo = 0, hi = 0;
    bool openLow = false;
    std::vector<std::string> choices; // Kind::Choice
    std::size_t maxItems = 0;         // lists: at most this many entries

    // Changeable while a run trains (TrainControl::set); the trainer reads its value at every step.
    bool live = false;
    // The window's control for it; None: only the CLI and files set it.
    enum class Control { None, Strength, Number, Whole, Choice, Check, Units, Rates, Data, Device };
    Control control = Control::None;
    // Where the window shows it: "regularization", "optimizer" or "run".
    std::string group;
    std::string label;     // the window's label, "L1 strength"
    std::string shortName; // in change markers and labels, "L1" ("L1=0.001"); the key when empty
    std::vector<std::string> choiceLabels; // Kind::Choice: the window's words for each choice
    int decimals = 6;      // Number: digits after the point a box keeps
    double step = 0.01;    // Number, Whole: a box's step
    // When the setting matters (Adam's betas only for Adam); always when empty.
    std::function<bool(const TrainConfig &)> relevant;

    // The value in `config` as text, as the flag takes it ("0.01", "200,200", "all").
    std::function<std::string(const TrainConfig &)> get;
    // Parses `text` into `config`: "" on success, else what is allowed ("give a number from 0 to 1000000").
    std::function<std::string(TrainConfig &, const std::string &)> set;

    // What is allowed, in words: "a whole number from 1 to 100000", "all or weights".
    std::string allowed() const;
    // The default as text (a default-constructed TrainConfig's value).
    std::string defaultText() const { return get(TrainConfig{}); }
};

const std::vector<ConfigField> &configFields();
// Adds a setting to the table (an extension, a test): its value lives in TrainConfig::extra unless its own get and
// set say otherwise. Call before the settings are read (before a window or a run starts).
void addConfigField(ConfigField field);
// A real-valued setting kept in TrainConfig::extra, with `fallback` as its default.
ConfigField extraRealField(const std::string &key, const std::string &flag, const std::string &help, double lo,
                           double hi, double fallback);
// The known key nearest to `key` (a misspelling's likely meaning), or "" when none is close.
std::string nearestKey(const std::string &key);
// By key ("learning_rate") or flag ("--lr"); null when there is none.
const ConfigField *findField(const std::string &keyOrFlag);
// The field's range, for a control's limits.
inline const ConfigField &field(const std::string &key)
{
    return *findField(key);
}

std::string toString(L1Scope scope);
std::string toString(L2Mode mode);
std::string toString(L1Method method);
std::string toString(Optimizer optimizer);
std::string toString(Validation validation);
bool parseL1Scope(const std::string &text, L1Scope &out);
bool parseL2Mode(const std::string &text, L2Mode &out);
bool parseL1Method(const std::string &text, L1Method &out);
bool parseOptimizer(const std::string &text, Optimizer &out);
bool parseValidation(const std::string &text, Validation &out);

// Empty when the configuration can run; otherwise which setting is wrong and what is allowed.
std::string validate(const TrainConfig &config);

// A short label such as "L1 0.01 (all) - L2 off - bs 50".
std::string shortLabel(const TrainConfig &config);
// What tells runs apart in a legend: for each run, the settings whose values differ among `configs` ("dropout
// 0.5/0.5", "Adam, lr 0.001"; a strength of 0 is "off", a choice its own word), in the settings table's order;
// when more than three differ, those where it departs from the others' most common value, at most three (a run
// at every common value: its first three); "" for every run when nothing differs.
std::vector<std::string> configDifferences(const std::vector<TrainConfig> &configs);

// Numbers as flags and labels write them: the shortest text that reads back the same value ("0.01", "1e-05").
std::string formatNumber(double value);
// A regularization strength as the controls, the charts and the runs list show it: "off" for 0, else at most six
// significant digits ("0.01", "1e-05", "0.000123457").
std::string formatStrength(double value);

} // namespace reglab
