#include "model/config.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <sstream>

namespace reglab {

std::string toString(L1Scope scope)
{
    return scope == L1Scope::All ? "all" : "weights";
}

std::string toString(L2Mode mode)
{
    return mode == L2Mode::Decay ? "decay" : "penalty";
}

bool parseL1Scope(const std::string &text, L1Scope &out)
{
    if (text == "all")
        out = L1Scope::All;
    else if (text == "weights")
        out = L1Scope::Weights;
    else
        return false;
    return true;
}

bool parseL2Mode(const std::string &text, L2Mode &out)
{
    if (text == "decay")
        out = L2Mode::Decay;
    else if (text == "penalty")
        out = L2Mode::Penalty;
    else
        return false;
    return true;
}

std::string toString(L1Method method)
{
    return method == L1Method::Subgradient ? "subgradient" : "proximal";
}

std::string toString(Optimizer optimizer)
{
    switch (optimizer) {
    case Optimizer::Sgd:
        return "sgd";
    case Optimizer::Adam:
        return "adam";
    case Optimizer::AdamW:
        return "adamw";
    }
    return "sgd";
}

bool parseL1Method(const std::string &text, L1Method &out)
{
    if (text == "subgradient")
        out = L1Method::Subgradient;
    else if (text == "proximal")
        out = L1Method::Proximal;
    else
        return false;
    return true;
}

bool parseOptimizer(const std::string &text, Optimizer &out)
{
    for (Optimizer o : {Optimizer::Sgd, Optimizer::Adam, Optimizer::AdamW})
        if (toString(o) == text) {
            out = o;
            return true;
        }
    return false;
}

std::string toString(Validation validation)
{
    return validation == Validation::Rotate ? "rotate" : "holdout";
}

bool parseValidation(const std::string &text, Validation &out)
{
    if (text == "rotate")
        out = Validation::Rotate;
    else if (text == "holdout")
        out = Validation::Holdout;
    else
        return false;
    return true;
}

std::string formatNumber(double value)
{
    if (std::isfinite(value) && value == std::trunc(value) && std::fabs(value) < 1e15)
        return std::to_string(static_cast<long long>(value)); // 1000000, not 1e+06
    char buffer[32];
    for (int digits = 1; digits <= 17; ++digits) {
        std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
        if (std::strtod(buffer, nullptr) == value)
            break;
    }
    return buffer;
}

std::string formatStrength(double value)
{
    if (value == 0)
        return "off";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6g", value);
    return buffer;
}

// How the window shows each setting and which ones a running network takes (configcontrols.cpp).
void describeControls(std::vector<ConfigField> &fields);

namespace {

using Kind = ConfigField::Kind;

// Whole text, finite, no trailing characters: "1e-3" yes, "0.01x", "nan" and "inf" no.
bool parseReal(const std::string &text, double &out)
{
    if (text.empty())
        return false;
    char *end = nullptr;
    errno = 0;
    out = std::strtod(text.c_str(), &end);
    return end && *end == '\0' && errno == 0 && std::isfinite(out);
}

bool parseWhole(const std::string &text, long long &out)
{
    if (text.empty())
        return false;
    char *end = nullptr;
    errno = 0;
    out = std::strtoll(text.c_str(), &end, 10);
    return end && *end == '\0' && errno == 0;
}

bool inRange(const ConfigField &f, double v)
{
    return std::isfinite(v) && (f.openLow ? v > f.lo : v >= f.lo) && v <= f.hi;
}

std::string refused(const ConfigField &f, const std::string &text)
{
    return "'" + text + "' is not allowed; " + (f.kind == Kind::Choice || f.kind == Kind::Switch ? "use " : "give ") +
           f.allowed();
}

std::vector<std::string> splitList(const std::string &text)
{
    std::vector<std::string> items;
    std::stringstream s(text);
    std::string item;
    while (std::getline(s, item, ','))
        items.push_back(item);
    if (!text.empty() && text.back() == ',')
        items.emplace_back();
    return items;
}

ConfigField base(const char *key, const char *flag, const char *placeholder, const char *help, Kind kind, double lo,
                 double hi)
{
    ConfigField f;
    f.key = key;
    f.flag = flag;
    f.placeholder = placeholder;
    f.help = help;
    f.kind = kind;
    f.lo = lo;
    f.hi = hi;
    return f;
}

ConfigField integer(const char *key, const char *flag, const char *help, int TrainConfig::*member, int lo, int hi)
{
    ConfigField f = base(key, flag, "N", help, Kind::Integer, lo, hi);
    f.get = [member](const TrainConfig &c) { return std::to_string(c.*member); };
    f.set = [member, f](TrainConfig &c, const std::string &text) -> std::string {
        long long n = 0;
        if (!parseWhole(text, n) || !inRange(f, double(n)))
            return refused(f, text);
        c.*member = static_cast<int>(n);
        return {};
    };
    return f;
}

ConfigField real(const char *key, const char *flag, const char *help, double TrainConfig::*member, double lo, double hi,
                 bool openLow = false)
{
    ConfigField f = base(key, flag, "X", help, Kind::Real, lo, hi);
    f.openLow = openLow;
    f.get = [member](const TrainConfig &c) { return formatNumber(c.*member); };
    f.set = [member, f](TrainConfig &c, const std::string &text) -> std::string {
        double x = 0;
        if (!parseReal(text, x) || !inRange(f, x))
            return refused(f, text);
        c.*member = x;
        return {};
    };
    return f;
}

template <typename Enum>
ConfigField choice(const char *key, const char *flag, const char *help, Enum TrainConfig::*member,
                   std::vector<std::string> choices, bool (*parse)(const std::string &, Enum &))
{
    std::string placeholder;
    for (const auto &c : choices)
        placeholder += (placeholder.empty() ? "" : "|") + c;
    ConfigField f = base(key, flag, "", help, Kind::Choice, 0, 0);
    f.placeholder = placeholder;
    f.choices = std::move(choices);
    f.get = [member](const TrainConfig &c) { return toString(c.*member); };
    f.set = [member, parse, f](TrainConfig &c, const std::string &text) -> std::string {
        return parse(text, c.*member) ? std::string() : refused(f, text);
    };
    return f;
}

// On or off; the flag takes no value, the text forms are "true" and "false" (as JSON writes them).
ConfigField toggle(const char *key, const char *flag, const char *help, bool TrainConfig::*member)
{
    ConfigField f = base(key, flag, "", help, Kind::Switch, 0, 1);
    f.choices = {"true", "false"};
    f.get = [member](const TrainConfig &c) { return std::string(c.*member ? "true" : "false"); };
    f.set = [member, f](TrainConfig &c, const std::string &text) -> std::string {
        if (text != "true" && text != "false")
            return refused(f, text);
        c.*member = text == "true";
        return {};
    };
    return f;
}

std::vector<ConfigField> makeFields()
{
    std::vector<ConfigField> fields;

    ConfigField data = base("data", "--data", "SRC",
                            "sample (the bundled 10,000 MNIST digits), mnist (full MNIST), fashion (Fashion-MNIST "
                            "from dataset-fashion-mnist) or a folder holding the four MNIST IDX files",
                            Kind::Text, 0, 0);
    data.get = [](const TrainConfig &c) { return c.data; };
    data.set = [](TrainConfig &c, const std::string &text) -> std::string {
        if (text.empty())
            return "give sample, mnist, fashion or a folder";
        c.data = text;
        return {};
    };
    fields.push_back(data);

    fields.push_back(integer("epochs", "--epochs", "epochs to train", &TrainConfig::epochs, 1, 100000));
    fields.push_back(integer("batch_size", "--batch", "batch size", &TrainConfig::batchSize, 1, 65536));
    fields.push_back(real("learning_rate", "--lr", "learning rate", &TrainConfig::learningRate, 0, 1e6, true));
    fields.push_back(choice("optimizer", "--optimizer",
                            "sgd (the forum code), adam or adamw (Adam with decoupled weight decay), with PyTorch's "
                            "semantics",
                            &TrainConfig::optimizer, {"sgd", "adam", "adamw"}, parseOptimizer));
    fields.push_back(real("momentum", "--momentum", "SGD momentum", &TrainConfig::momentum, 0, 0.999999));
    fields.push_back(toggle("nesterov", "--nesterov", "SGD with Nesterov momentum (needs --momentum above 0)",
                            &TrainConfig::nesterov));
    fields.push_back(real("adam_beta1", "--adam-beta1", "Adam's and AdamW's beta1 (first moment's decay)",
                          &TrainConfig::adamBeta1, 0, 0.999999));
    fields.push_back(real("adam_beta2", "--adam-beta2", "Adam's and AdamW's beta2 (second moment's decay)",
                          &TrainConfig::adamBeta2, 0, 0.999999));
    fields.push_back(real("adam_eps", "--adam-eps", "Adam's and AdamW's epsilon (added to the denominator)",
                          &TrainConfig::adamEps, 0, 1, true));
    fields.push_back(real("l1", "--l1", "L1 strength lambda1: loss += lambda1 * sum|p|", &TrainConfig::l1, 0, 1e6));
    fields.push_back(choice("l1_scope", "--l1-scope",
                            "parameters the L1 term covers: all (the forum code) or weights only",
                            &TrainConfig::l1Scope, {"all", "weights"}, parseL1Scope));
    fields.push_back(choice("l1_method", "--l1-method",
                            "subgradient: lambda1 * sign(p) added to the gradient (the forum code); proximal: a soft "
                            "threshold after each step, p = sign(p) * max(|p| - lr * lambda1, 0), which makes exact "
                            "zeros",
                            &TrainConfig::l1Method, {"subgradient", "proximal"}, parseL1Method));
    fields.push_back(real("l2", "--l2", "L2 strength lambda2", &TrainConfig::l2, 0, 1e6));
    fields.push_back(choice("l2_mode", "--l2-mode",
                            "decay: the optimizer's weight_decay (the forum code; SGD and Adam add lambda2 * p to "
                            "the gradient, AdamW shrinks the weights by lr * lambda2 * p); penalty: loss += "
                            "lambda2/2 * sum p^2",
                            &TrainConfig::l2Mode, {"decay", "penalty"}, parseL2Mode));
    fields.push_back(
        integer("folds", "--folds", "K-fold rotation: epoch e trains on fold e % K", &TrainConfig::folds, 2, 100));

    ConfigField seed = base("seed", "--seed", "N", "seed for weights, dropout, folds and batch order", Kind::Seed, 0,
                            double(std::numeric_limits<std::uint64_t>::max()));
    seed.get = [](const TrainConfig &c) { return std::to_string(c.seed); };
    seed.set = [seed](TrainConfig &c, const std::string &text) -> std::string {
        // Every 64-bit seed round-trips: parsed as an unsigned whole number, never through a double.
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
            return refused(seed, text);
        char *end = nullptr;
        errno = 0;
        const unsigned long long n = std::strtoull(text.c_str(), &end, 10);
        if (errno != 0 || !end || *end != '\0')
            return refused(seed, text);
        c.seed = n;
        return {};
    };
    fields.push_back(seed);

    ConfigField device =
        base("device", "--device", "", "where to train; auto takes CUDA when LibTorch sees a GPU", Kind::Choice, 0, 0);
    device.choices = {"cpu", "cuda", "auto"};
    device.placeholder = "cpu|cuda|auto";
    device.get = [](const TrainConfig &c) { return c.device; };
    device.set = [device](TrainConfig &c, const std::string &text) -> std::string {
        if (text != "cpu" && text != "cuda" && text != "auto")
            return refused(device, text);
        c.device = text;
        return {};
    };
    fields.push_back(device);

    fields.push_back(
        integer("threads", "--threads", "BLAS threads on the CPU; 0 = one per core", &TrainConfig::threads, 0, 1024));

    ConfigField hidden =
        base("hidden", "--hidden", "LIST", "hidden layer sizes, one to eight layers", Kind::IntegerList, 1, 8192);
    hidden.maxItems = 8;
    hidden.get = [](const TrainConfig &c) {
        std::string text;
        for (int h : c.hidden)
            text += (text.empty() ? "" : ",") + std::to_string(h);
        return text;
    };
    hidden.set = [hidden](TrainConfig &c, const std::string &text) -> std::string {
        std::vector<int> sizes;
        for (const std::string &item : splitList(text)) {
            long long n = 0;
            if (!parseWhole(item, n) || !inRange(hidden, double(n)))
                return refused(hidden, text);
            sizes.push_back(static_cast<int>(n));
        }
        if (sizes.empty() || sizes.size() > hidden.maxItems)
            return refused(hidden, text);
        c.hidden = sizes;
        return {};
    };
    fields.push_back(hidden);

    ConfigField dropout =
        base("dropout", "--dropout", "LIST", "dropout rate per hidden layer (0 turns it off)", Kind::RealList, 0, 0.99);
    dropout.maxItems = 8;
    dropout.get = [](const TrainConfig &c) {
        std::string text;
        for (double p : c.dropout)
            text += (text.empty() ? "" : ",") + formatNumber(p);
        return text;
    };
    dropout.set = [dropout](TrainConfig &c, const std::string &text) -> std::string {
        std::vector<double> rates;
        for (const std::string &item : splitList(text)) {
            double p = 0;
            if (!parseReal(item, p) || !inRange(dropout, p))
                return refused(dropout, text);
            rates.push_back(p);
        }
        if (rates.empty() || rates.size() > dropout.maxItems)
            return refused(dropout, text);
        c.dropout = rates;
        return {};
    };
    fields.push_back(dropout);

    fields.push_back(
        real("leaky_slope", "--leaky-slope", "LeakyReLU's slope for negative inputs", &TrainConfig::leakySlope, 0, 1));
    fields.push_back(
        integer("log_every", "--log-every", "steps between loss records", &TrainConfig::logEvery, 1, 1000000));
    fields.push_back(integer("panel_digits", "", "test digits whose predictions are reported after each epoch",
                             &TrainConfig::panelDigits, 0, 100));
    fields.push_back(real("sparsity_threshold", "", "|w| below this counts as (nearly) zero",
                          &TrainConfig::sparsityThreshold, 0, 1e6));

    fields.push_back(integer("train_size", "--train-size",
                             "train on N images of the training file, drawn with the run's seed (0 = all of them)",
                             &TrainConfig::trainSize, 0, 100000000));
    fields.push_back(real("label_noise", "--label-noise",
                          "share of the training images whose label is replaced, once, by another class drawn with "
                          "the run's seed (the test set stays clean)",
                          &TrainConfig::labelNoise, 0, 1));
    fields.push_back(choice("validation", "--validation",
                            "rotate: the forum's K-fold rotation, epoch e validates on fold e % K (which other "
                            "epochs train on); holdout: the first fold's split for every epoch, so validation images "
                            "are never trained on",
                            &TrainConfig::validation, {"rotate", "holdout"}, parseValidation));
    fields.push_back(integer("train_eval", "--train-eval",
                             "training images (at most) whose accuracy and loss are measured after each epoch, "
                             "in eval mode (0 = none)",
                             &TrainConfig::trainEval, 0, 100000000));
    fields.push_back(integer("early_stop", "--early-stop",
                             "early stopping: end the run when the validation loss has not improved for this many "
                             "epochs, and restore the best epoch's weights (0 = off)",
                             &TrainConfig::earlyStop, 0, 100000));
    fields.push_back(real("label_smoothing", "--label-smoothing",
                          "label smoothing e: targets (1 - e) * onehot + e / classes, as PyTorch's cross_entropy",
                          &TrainConfig::labelSmoothing, 0, 1));
    fields.push_back(real("input_noise", "--input-noise",
                          "standard deviation of Gaussian noise added to each training image at each step, in "
                          "normalized pixel units (0 = off)",
                          &TrainConfig::inputNoise, 0, 100));
    fields.push_back(integer("shift", "--shift",
                             "augmentation: each training image moved by a random whole number of pixels, up to "
                             "this many, in x and in y at each step, blank pixels shifted in (0 = off)",
                             &TrainConfig::shift, 0, 27));
    fields.push_back(real("max_norm", "--max-norm",
                          "max-norm constraint: after each step, each unit's incoming weight vector is scaled down "
                          "to an L2 norm of at most this (0 = off)",
                          &TrainConfig::maxNorm, 0, 1e6));
    describeControls(fields);
    return fields;
}

} // namespace

std::string ConfigField::allowed() const
{
    switch (kind) {
    case Kind::Integer:
        return "a whole number from " + formatNumber(lo) + " to " + formatNumber(hi);
    case Kind::Seed:
        return "a whole number from 0 to " + std::to_string(std::numeric_limits<std::uint64_t>::max());
    case Kind::Real:
        return "a number " + (openLow ? "above " + formatNumber(lo) + " up to " : "from " + formatNumber(lo) + " to ") +
               formatNumber(hi);
    case Kind::Switch:
    case Kind::Choice: {
        std::string text;
        for (std::size_t i = 0; i < choices.size(); ++i)
            text += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i];
        return text;
    }
    case Kind::IntegerList:
        return "1 to " + std::to_string(maxItems) + " comma-separated whole numbers from " + formatNumber(lo) + " to " +
               formatNumber(hi) + ", such as " + defaultText();
    case Kind::RealList:
        return "1 to " + std::to_string(maxItems) + " comma-separated numbers from " + formatNumber(lo) + " to " +
               formatNumber(hi) + ", such as " + defaultText();
    case Kind::Text:
        break;
    }
    return "a value";
}

namespace {
std::vector<ConfigField> &registry()
{
    static std::vector<ConfigField> fields = [] {
        std::vector<ConfigField> made = makeFields();
        made.reserve(made.size() + 64); // added fields never move the table's entries
        return made;
    }();
    return fields;
}
} // namespace

const std::vector<ConfigField> &configFields()
{
    return registry();
}

void addConfigField(ConfigField field)
{
    std::vector<ConfigField> &fields = registry();
    if (findField(field.key) || (!field.flag.empty() && findField(field.flag)) ||
        fields.size() == fields.capacity())
        return; // a key is one setting; a full table keeps what it has (its entries never move)
    fields.push_back(std::move(field));
}

ConfigField extraRealField(const std::string &key, const std::string &flag, const std::string &help, double lo,
                           double hi, double fallback)
{
    ConfigField f = base(key.c_str(), flag.c_str(), "X", help.c_str(), Kind::Real, lo, hi);
    f.get = [key, fallback](const TrainConfig &c) {
        const auto it = c.extra.find(key);
        return it == c.extra.end() ? formatNumber(fallback) : it->second;
    };
    f.set = [key, f](TrainConfig &c, const std::string &text) -> std::string {
        double x = 0;
        if (!parseReal(text, x) || !inRange(f, x))
            return refused(f, text);
        c.extra[key] = formatNumber(x);
        return {};
    };
    return f;
}

std::string nearestKey(const std::string &key)
{
    // Edit distance (insertions, deletions, substitutions, and swaps of neighbours: "learnign_rate").
    const auto distance = [](const std::string &a, const std::string &b) {
        std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
        for (std::size_t i = 0; i <= a.size(); ++i)
            d[i][0] = i;
        for (std::size_t j = 0; j <= b.size(); ++j)
            d[0][j] = j;
        for (std::size_t i = 1; i <= a.size(); ++i)
            for (std::size_t j = 1; j <= b.size(); ++j) {
                d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])});
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        return d[a.size()][b.size()];
    };
    if (key.size() > 64)
        return {};
    std::string best;
    std::size_t bestDistance = 0;
    for (const ConfigField &f : configFields()) {
        const std::size_t dist = distance(key, f.key);
        if (best.empty() || dist < bestDistance) {
            best = f.key;
            bestDistance = dist;
        }
    }
    // Close means a few edits, and fewer than half the word: "lr" is not a misspelling of "l1".
    return bestDistance <= std::max<std::size_t>(1, std::min<std::size_t>(3, key.size() / 3)) ? best : std::string();
}

const ConfigField *findField(const std::string &keyOrFlag)
{
    for (const auto &f : configFields())
        if (f.key == keyOrFlag || (!f.flag.empty() && f.flag == keyOrFlag))
            return &f;
    return nullptr;
}

std::string validate(const TrainConfig &c)
{
    // Each setting against its range: its own text read back through its parser, so the checks are the
    // flags' checks (a NaN or an out-of-range value is refused with what is allowed).
    for (const auto &f : configFields()) {
        TrainConfig probe = c;
        const std::string text = f.get(c);
        if (const std::string problem = f.set(probe, text); !problem.empty())
            return f.key + ": " + problem;
    }
    if (c.dropout.size() != c.hidden.size())
        return "dropout: give one rate per hidden layer (" + std::to_string(c.hidden.size()) + ")";
    if (c.nesterov && !(c.momentum > 0))
        return "nesterov: Nesterov momentum needs a momentum above 0 (as in PyTorch); give --momentum, such as 0.9";
    return {};
}

std::string shortLabel(const TrainConfig &c)
{
    std::string label =
        c.optimizer == Optimizer::Sgd ? std::string() : (c.optimizer == Optimizer::Adam ? "Adam - " : "AdamW - ");
    label += c.l1 > 0 ? "L1 " + formatNumber(c.l1) + " (" + toString(c.l1Scope) +
                            (c.l1Method == L1Method::Proximal ? ", proximal" : "") + ")"
                      : std::string("L1 off");
    label += c.l2 > 0 ? " - L2 " + formatNumber(c.l2) + (c.l2Mode == L2Mode::Penalty ? " (penalty)" : "")
                      : " - L2 off";
    label += " - bs " + std::to_string(c.batchSize);
    // The other regularizers only when on, so the forum's runs keep their labels.
    for (const char *key : {"early_stop", "label_smoothing", "input_noise", "shift", "max_norm"}) {
        const ConfigField &f = field(key);
        const std::string value = f.get(c);
        if (value != "0")
            label += " - " + f.shortName + " " + value;
    }
    return label;
}

} // namespace reglab
