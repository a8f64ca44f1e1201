#include "app/cliargs.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <map>
#include <sstream>

namespace reglab {
namespace {

bool toDouble(const std::string &text, double &out)
{
    if (text.empty())
        return false;
    char *end = nullptr;
    errno = 0;
    out = std::strtod(text.c_str(), &end);
    return end && *end == '\0' && errno == 0 && std::isfinite(out);
}

bool toInt(const std::string &text, long long &out)
{
    if (text.empty())
        return false;
    char *end = nullptr;
    errno = 0;
    out = std::strtoll(text.c_str(), &end, 10);
    return end && *end == '\0' && errno == 0;
}

struct Flag {
    std::string name, value, help; // value: placeholder, empty for switches
    std::function<std::string(const std::string &, CliOptions &)> apply;
};

std::function<std::string(const std::string &, CliOptions &)> intFlag(int TrainConfig::*field, long long lo,
                                                                      long long hi)
{
    return [=](const std::string &v, CliOptions &o) -> std::string {
        long long n = 0;
        if (!toInt(v, n) || n < lo || n > hi)
            return "'" + v + "' is not allowed; give a whole number from " + std::to_string(lo) + " to " +
                   std::to_string(hi);
        o.config.*field = static_cast<int>(n);
        return {};
    };
}

std::string range(double lo, double hi, bool openLow)
{
    std::ostringstream s;
    s << "a number " << (openLow ? "above " : "from ") << lo << (openLow ? " up to " : " to ") << hi;
    return s.str();
}

std::function<std::string(const std::string &, CliOptions &)> realFlag(double TrainConfig::*field, double lo, double hi,
                                                                       bool openLow = false)
{
    return [=](const std::string &v, CliOptions &o) -> std::string {
        double x = 0;
        if (!toDouble(v, x) || x < lo || x > hi || (openLow && x <= lo))
            return "'" + v + "' is not allowed; give " + range(lo, hi, openLow);
        o.config.*field = x;
        return {};
    };
}

template <typename T>
std::string parseList(const std::string &v, std::vector<T> &out, bool (*conv)(const std::string &, T &))
{
    out.clear();
    std::stringstream s(v);
    std::string item;
    while (std::getline(s, item, ',')) {
        T x{};
        if (!conv(item, x))
            return "'" + item + "' in '" + v + "' is not a number";
        out.push_back(x);
    }
    return out.empty() ? "give a comma-separated list" : "";
}

bool toIntItem(const std::string &t, int &out)
{
    long long n = 0;
    if (!toInt(t, n) || n < 1 || n > 8192)
        return false;
    out = static_cast<int>(n);
    return true;
}

bool toRateItem(const std::string &t, double &out)
{
    return toDouble(t, out) && out >= 0 && out < 1;
}

const std::vector<Flag> &flags()
{
    static const std::vector<Flag> table = {
        {"--data", "SRC",
         "sample (the bundled 10,000 MNIST digits), fashion (Fashion-MNIST from\n"
         "dataset-fashion-mnist) or a folder holding the four MNIST IDX files [sample]",
         [](const std::string &v, CliOptions &o) -> std::string {
             if (v.empty())
                 return "give sample, fashion or a folder";
             o.config.data = v;
             return {};
         }},
        {"--download", "", "with --data mnist: download full MNIST (11 MB) when it is not on this machine",
         [](const std::string &, CliOptions &o) -> std::string {
             o.download = true;
             return {};
         }},
        {"--download-dir", "DIR", "where --download puts MNIST [~/.local/share/RegLab/mnist]",
         [](const std::string &v, CliOptions &o) -> std::string {
             if (v.empty())
                 return "give a folder";
             o.downloadDir = v;
             return {};
         }},
        {"--epochs", "N", "epochs to train [10]", intFlag(&TrainConfig::epochs, 1, 100000)},
        {"--batch", "N", "batch size [50]", intFlag(&TrainConfig::batchSize, 1, 65536)},
        {"--lr", "X", "SGD learning rate [0.01]", realFlag(&TrainConfig::learningRate, 0, 1e6, true)},
        {"--momentum", "X", "SGD momentum [0]", realFlag(&TrainConfig::momentum, 0, 0.999999)},
        {"--l1", "X", "L1 strength lambda1: loss += lambda1 * sum|p| [0]", realFlag(&TrainConfig::l1, 0, 1e6)},
        {"--l1-scope", "all|weights", "parameters the L1 term covers: all (the forum code) or weights only [all]",
         [](const std::string &v, CliOptions &o) -> std::string {
             return parseL1Scope(v, o.config.l1Scope) ? "" : "'" + v + "' is not allowed; use all or weights";
         }},
        {"--l2", "X", "L2 strength lambda2 [0]", realFlag(&TrainConfig::l2, 0, 1e6)},
        {"--l2-mode", "decay|penalty",
         "decay: SGD weight_decay (the forum code); penalty: loss += lambda2/2 * sum p^2 [decay]",
         [](const std::string &v, CliOptions &o) -> std::string {
             return parseL2Mode(v, o.config.l2Mode) ? "" : "'" + v + "' is not allowed; use decay or penalty";
         }},
        {"--folds", "K", "K-fold rotation: epoch e trains on fold e % K [5]", intFlag(&TrainConfig::folds, 2, 100)},
        {"--seed", "N", "seed for weights, dropout, folds and batch order [0]",
         [](const std::string &v, CliOptions &o) -> std::string {
             long long n = 0;
             if (!toInt(v, n) || n < 0)
                 return "'" + v + "' is not allowed; give a whole number >= 0";
             o.config.seed = static_cast<std::uint64_t>(n);
             return {};
         }},
        {"--device", "cpu|cuda|auto", "where to train; auto takes CUDA when LibTorch sees a GPU [auto]",
         [](const std::string &v, CliOptions &o) -> std::string {
             if (v != "cpu" && v != "cuda" && v != "auto")
                 return "'" + v + "' is not allowed; use cpu, cuda or auto";
             o.config.device = v;
             return {};
         }},
        {"--threads", "N", "BLAS threads on the CPU; 0 = one per core [0]", intFlag(&TrainConfig::threads, 0, 1024)},
        {"--hidden", "LIST", "hidden layer sizes [200,200]",
         [](const std::string &v, CliOptions &o) -> std::string {
             const std::string e = parseList<int>(v, o.config.hidden, toIntItem);
             return e.empty() ? "" : e + "; give sizes from 1 to 8192, such as 200,200";
         }},
        {"--dropout", "LIST", "dropout rate per hidden layer [0.3,0.4]",
         [](const std::string &v, CliOptions &o) -> std::string {
             const std::string e = parseList<double>(v, o.config.dropout, toRateItem);
             return e.empty() ? "" : e + "; give rates in [0, 1), such as 0.3,0.4";
         }},
        {"--log-every", "N", "steps between loss records [60]", intFlag(&TrainConfig::logEvery, 1, 1000000)},
        {"--out", "FILE.json", "write the run record (JSON) there",
         [](const std::string &v, CliOptions &o) -> std::string {
             if (v.empty())
                 return "give a file name";
             o.outJson = v;
             return {};
         }},
        {"--csv", "FILE.csv", "write the epoch table (CSV) there",
         [](const std::string &v, CliOptions &o) -> std::string {
             if (v.empty())
                 return "give a file name";
             o.outCsv = v;
             return {};
         }},
        {"--quiet", "", "no progress on stderr",
         [](const std::string &, CliOptions &o) -> std::string {
             o.quiet = true;
             return {};
         }},
        {"--help", "", "show this help",
         [](const std::string &, CliOptions &o) -> std::string {
             o.help = true;
             return {};
         }},
        {"--version", "", "print versions",
         [](const std::string &, CliOptions &o) -> std::string {
             o.version = true;
             return {};
         }},
    };
    return table;
}

} // namespace

std::string parseTrainArgs(const std::vector<std::string> &args, CliOptions &out)
{
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string arg = args[i];
        if (arg == "-h")
            arg = "--help";
        std::string value;
        bool hasValue = false;
        if (const auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
            value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
            hasValue = true;
        }
        const Flag *flag = nullptr;
        for (const auto &f : flags())
            if (f.name == arg)
                flag = &f;
        if (!flag)
            return arg.rfind("-", 0) == 0
                       ? "unknown option " + arg + "; see reglab-train --help"
                       : "unexpected argument '" + arg + "'; options start with --, see reglab-train --help";
        if (flag->value.empty()) {
            if (hasValue)
                return flag->name + " takes no value";
        } else if (!hasValue) {
            if (i + 1 >= args.size())
                return flag->name + " needs a value (" + flag->value + ")";
            value = args[++i];
        }
        if (std::string e = flag->apply(value, out); !e.empty())
            return flag->name + ": " + e;
    }
    if ((out.download || !out.downloadDir.empty()) && out.config.data != "mnist")
        return "--download: only full MNIST can be downloaded; use it with --data mnist";
    if (out.config.dropout.size() != out.config.hidden.size())
        return "--dropout: give one rate per hidden layer (" + std::to_string(out.config.hidden.size()) +
               " for --hidden)";
    if (std::string e = validate(out.config); !e.empty())
        return e;
    return {};
}

std::string trainUsage()
{
    std::ostringstream s;
    s << "usage: reglab-train [options]\n\n"
         "Trains the forum's MLP (784-200-200-10, dropout 0.3/0.4, LeakyReLU, SGD) with L1/L2 regularization,\n"
         "printing one line per epoch on stdout and progress on stderr.\n\noptions ([default]):\n";
    for (const auto &f : flags()) {
        std::string head = "  " + f.name + (f.value.empty() ? "" : " " + f.value);
        s << head;
        std::string help = f.help;
        std::string pad(28, ' ');
        s << (head.size() < 27 ? std::string(28 - head.size(), ' ') : "\n" + pad);
        for (char c : help)
            s << (c == '\n' ? "\n" + pad : std::string(1, c));
        s << '\n';
    }
    s << "\nexit status: 0 finished, 1 other failure, 2 bad arguments, 3 data error, 4 diverged, 130 interrupted\n"
         "(Ctrl-C stops at the next step and still writes --out and --csv).\n"
         "example, the forum's collapse: reglab-train --l1 0.01 --epochs 10\n";
    return s.str();
}

} // namespace reglab
