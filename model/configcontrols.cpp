// How the window shows each setting of configFields() (its control, group, label and steps) and which settings a
// running network takes (live): one place beside the table, read by the window's controls and TrainControl.
#include "model/config.h"

#include <algorithm>
#include <set>

namespace reglab {

namespace {

using Control = ConfigField::Control;

ConfigField *find(std::vector<ConfigField> &fields, const char *key)
{
    for (ConfigField &f : fields)
        if (f.key == key)
            return &f;
    return nullptr;
}

} // namespace

// One place, beside the table.
void describeControls(std::vector<ConfigField> &fields)
{
    const auto show = [&](const char *key, Control control, const char *group, const char *label,
                          const char *shortName = "") -> ConfigField & {
        ConfigField &f = *find(fields, key);
        f.control = control;
        f.group = group;
        f.label = label;
        f.shortName = shortName;
        return f;
    };
    const auto forSgd = [](const TrainConfig &c) { return c.optimizer == Optimizer::Sgd; };
    const auto forAdam = [](const TrainConfig &c) { return c.optimizer != Optimizer::Sgd; };

    show("l1", Control::Strength, "regularization", "L1 strength", "L1").live = true;
    show("l1_scope", Control::Choice, "regularization", "L1 applies to").choiceLabels = {"All parameters",
                                                                                       "Weights only (no biases)"};
    show("l1_method", Control::Choice, "regularization", "L1 acts as").choiceLabels = {"Subgradient (in the loss)",
                                                                                     "Proximal (exact zeros)"};
    show("l2", Control::Strength, "regularization", "L2 strength", "L2").live = true;
    show("l2_mode", Control::Choice, "regularization", "L2 acts as").choiceLabels = {
        "Weight decay", "Penalty \u03bb\u2082/2\u00b7\u03a3p\u00b2 in the loss"};
    ConfigField &dropout = show("dropout", Control::Rates, "regularization", "Dropout", "dropout");
    dropout.live = true;
    dropout.decimals = 4;
    dropout.step = 0.05;
    ConfigField &lr = show("learning_rate", Control::Number, "regularization", "Learning rate", "lr");
    lr.live = true;
    lr.step = 0.001;

    show("optimizer", Control::Choice, "optimizer", "Optimizer").choiceLabels = {"SGD", "Adam",
                                                                               "AdamW (decoupled decay)"};
    ConfigField &momentum = show("momentum", Control::Number, "optimizer", "Momentum");
    momentum.step = 0.1;
    momentum.relevant = forSgd;
    show("nesterov", Control::Check, "optimizer", "Nesterov").relevant = forSgd;
    show("adam_beta1", Control::Number, "optimizer", "Adam \u03b2\u2081").relevant = forAdam;
    ConfigField &beta2 = show("adam_beta2", Control::Number, "optimizer", "Adam \u03b2\u2082");
    beta2.step = 0.001;
    beta2.relevant = forAdam;
    ConfigField &eps = show("adam_eps", Control::Number, "optimizer", "Adam \u03b5");
    eps.decimals = 12;
    eps.step = 1e-8;
    eps.relevant = forAdam;
    show("hidden", Control::Units, "optimizer", "Hidden units");
    ConfigField &slope = show("leaky_slope", Control::Number, "optimizer", "LeakyReLU slope");
    slope.decimals = 4;

    ConfigField &patience = show("early_stop", Control::Whole, "regularization", "Early stopping patience", "patience");
    patience.live = true;
    patience.step = 1;
    ConfigField &smoothing = show("label_smoothing", Control::Number, "regularization", "Label smoothing", "smoothing");
    smoothing.live = true;
    smoothing.decimals = 3;
    smoothing.step = 0.05;
    ConfigField &noise = show("input_noise", Control::Number, "regularization", "Input noise \u03c3", "noise");
    noise.live = true;
    noise.decimals = 3;
    noise.step = 0.1;
    ConfigField &shift = show("shift", Control::Whole, "regularization", "Random shift (pixels)", "shift");
    shift.live = true;
    shift.step = 1;
    ConfigField &maxNorm = show("max_norm", Control::Number, "regularization", "Max-norm", "max-norm");
    maxNorm.live = true;
    maxNorm.decimals = 3;
    maxNorm.step = 0.5;

    show("train_size", Control::Whole, "run", "Training images").step = 100;
    ConfigField &labelNoise = show("label_noise", Control::Number, "run", "Label noise", "label noise");
    labelNoise.decimals = 3;
    labelNoise.step = 0.05;
    show("validation", Control::Choice, "run", "Validation").choiceLabels = {"Rotating folds (the forum's)",
                                                                           "One held-out fold"};
    show("batch_size", Control::Whole, "run", "Batch size").step = 1;
    show("epochs", Control::Whole, "run", "Epochs").step = 1;
    show("folds", Control::Whole, "run", "Folds").step = 1;
    show("seed", Control::Whole, "run", "Seed").step = 1;
    show("device", Control::Device, "run", "Device");
    show("data", Control::Data, "run", "Dataset");
}


std::vector<std::string> configDifferences(const std::vector<TrainConfig> &configs)
{
    // The settings whose values differ, and each one's most common value (ties: the first run's).
    struct Differing {
        const ConfigField *field;
        std::string common;
    };
    std::vector<Differing> differing;
    for (const ConfigField &f : configFields()) {
        if (f.control == Control::None || f.control == Control::Device || !f.get)
            continue;
        std::vector<std::string> values;
        for (const TrainConfig &c : configs)
            values.push_back(f.get(c));
        if (std::set<std::string>(values.begin(), values.end()).size() < 2)
            continue;
        std::string common = values.front();
        long most = 0;
        for (const std::string &v : values)
            if (const long n = std::count(values.begin(), values.end(), v); n > most) {
                most = n;
                common = v;
            }
        differing.push_back({&f, common});
    }
    const auto text = [](const ConfigField &f, const std::string &value) {
        std::string out = value;
        std::replace(out.begin(), out.end(), ',', '/');
        if (f.control == Control::Choice) {
            const auto index = std::size_t(std::find(f.choices.begin(), f.choices.end(), value) - f.choices.begin());
            return index < f.choiceLabels.size() ? f.choiceLabels[index].substr(0, f.choiceLabels[index].find(" (")) : out;
        }
        if (f.control == Control::Strength && value == "0")
            out = "off";
        return (f.shortName.empty() ? f.label : f.shortName) + " " + out;
    };
    // Up to three differing settings: each run by all of them. More: each run by where it departs from the
    // others' common values (two runs that share their first three are still told apart); a run at every
    // common value by its first three.
    const bool byDepartures = differing.size() > 3;
    std::vector<std::string> names(configs.size());
    for (std::size_t i = 0; i < configs.size(); ++i) {
        for (bool departures : {byDepartures, false}) {
            int parts = 0;
            for (const Differing &d : differing) {
                const ConfigField &f = *d.field;
                if ((f.relevant && !f.relevant(configs[i])) || parts >= 3)
                    continue; // momentum for an Adam run is not its own
                const std::string value = f.get(configs[i]);
                if (departures && value == d.common)
                    continue;
                names[i] += (parts++ ? ", " : "") + text(f, value);
            }
            if (parts > 0)
                break;
        }
    }
    return names;
}

} // namespace reglab
