#include "model/config.h"

#include <cmath>
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

namespace {
bool finiteIn(double v, double lo, double hi)
{
    return std::isfinite(v) && v >= lo && v <= hi;
}
} // namespace

std::string validate(const TrainConfig &c)
{
    if (c.hidden.empty() || c.hidden.size() > 8)
        return "hidden layers: give 1 to 8 sizes";
    for (int h : c.hidden)
        if (h < 1 || h > 8192)
            return "hidden layer size " + std::to_string(h) + " is outside 1..8192";
    if (c.dropout.size() != c.hidden.size())
        return "dropout: give one rate per hidden layer (" + std::to_string(c.hidden.size()) + ")";
    for (double p : c.dropout)
        if (!(p >= 0.0 && p < 1.0))
            return "dropout rate must be in [0, 1)";
    if (!finiteIn(c.leakySlope, 0.0, 1.0))
        return "LeakyReLU slope must be in [0, 1]";
    if (!(std::isfinite(c.learningRate) && c.learningRate > 0.0 && c.learningRate <= 1e6))
        return "learning rate must be a number above 0 (and at most 1e6)";
    if (!finiteIn(c.momentum, 0.0, 0.999999))
        return "momentum must be in [0, 1)";
    if (c.batchSize < 1 || c.batchSize > 65536)
        return "batch size must be in 1..65536";
    if (c.epochs < 1 || c.epochs > 100000)
        return "epochs must be in 1..100000";
    if (c.folds < 2 || c.folds > 100)
        return "folds must be in 2..100";
    if (!finiteIn(c.l1, 0.0, 1e6))
        return "L1 strength must be a number >= 0";
    if (!finiteIn(c.l2, 0.0, 1e6))
        return "L2 strength must be a number >= 0";
    if (c.logEvery < 1)
        return "log interval must be at least 1 step";
    if (c.device != "cpu" && c.device != "cuda" && c.device != "auto")
        return "device must be cpu, cuda or auto";
    if (c.threads < 0 || c.threads > 1024)
        return "threads must be in 0..1024 (0 = one per core)";
    if (c.panelDigits < 0 || c.panelDigits > 100)
        return "panel digits must be in 0..100";
    if (!finiteIn(c.sparsityThreshold, 0.0, 1e6))
        return "sparsity threshold must be a number >= 0";
    return {};
}

namespace {
std::string number(double v)
{
    std::ostringstream out;
    out << v;
    return out.str();
}
} // namespace

std::string shortLabel(const TrainConfig &c)
{
    std::string label = c.l1 > 0 ? "L1 " + number(c.l1) + " (" + toString(c.l1Scope) + ")" : "L1 off";
    label += c.l2 > 0 ? " - L2 " + number(c.l2) + (c.l2Mode == L2Mode::Penalty ? " (penalty)" : "") : " - L2 off";
    label += " - bs " + std::to_string(c.batchSize);
    return label;
}

} // namespace reglab
