#include "app/cliargs.h"

#include <functional>
#include <sstream>

namespace reglab {
namespace {

struct Flag {
    std::string name, value, help, defaultText; // value: placeholder, empty for switches
    std::function<std::string(const std::string &, CliOptions &)> apply;
};

Flag fileFlag(const char *name, const char *value, const char *help, std::string CliOptions::*member)
{
    return {name, value, help, {}, [member](const std::string &v, CliOptions &o) -> std::string {
                if (v.empty())
                    return "give a file name";
                o.*member = v;
                return {};
            }};
}

Flag switchFlag(const char *name, const char *help, bool CliOptions::*member)
{
    return {name, {}, help, {}, [member](const std::string &, CliOptions &o) -> std::string {
                o.*member = true;
                return {};
            }};
}

// The settings' flags come from the config's fields (their ranges, defaults and help); then the CLI's own.
const std::vector<Flag> &flags()
{
    static const std::vector<Flag> table = [] {
        std::vector<Flag> out;
        for (const ConfigField &f : configFields()) {
            if (f.flag.empty())
                continue;
            if (f.kind == ConfigField::Kind::Switch) // --nesterov: on when given, no value
                out.push_back({f.flag,
                               {},
                               f.help,
                               f.defaultText() == "true" ? "on" : "off",
                               [&f](const std::string &, CliOptions &o) { return f.set(o.config, "true"); }});
            else
                out.push_back({f.flag, f.placeholder, f.help, f.defaultText(),
                               [&f](const std::string &v, CliOptions &o) { return f.set(o.config, v); }});
        }
        out.push_back(switchFlag("--download", "with --data mnist: download full MNIST (11 MB) when it is not on "
                                               "this machine",
                                 &CliOptions::download));
        out.push_back({"--download-dir", "DIR", "where --download puts MNIST", "~/.local/share/RegLab/mnist",
                       [](const std::string &v, CliOptions &o) -> std::string {
                           if (v.empty())
                               return "give a folder";
                           o.downloadDir = v;
                           return {};
                       }});
        out.push_back(fileFlag("--out", "FILE.json", "write the run record (JSON) there", &CliOptions::outJson));
        out.push_back(fileFlag("--csv", "FILE.csv", "write the epoch table (CSV) there", &CliOptions::outCsv));
        out.push_back(switchFlag("--quiet", "no progress on stderr", &CliOptions::quiet));
        out.push_back(switchFlag("--help", "show this help", &CliOptions::help));
        out.push_back(switchFlag("--version", "print versions", &CliOptions::version));
        return out;
    }();
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

std::vector<std::string> trainFlagNames()
{
    std::vector<std::string> names;
    for (const auto &f : flags())
        names.push_back(f.name);
    return names;
}

std::string trainUsage()
{
    std::ostringstream s;
    s << "usage: reglab-train [options]\n\n"
         "Trains an MLP with L1/L2 regularization, by default the forum's (784-200-200-10, dropout 0.3/0.4,\n"
         "LeakyReLU, SGD); widths, dropout, optimizer (SGD, Adam, AdamW) and L1 method are flags. One line per\n"
         "epoch on stdout, progress on stderr.\n\noptions ([default]):\n";
    const std::string pad(28, ' ');
    for (const auto &f : flags()) {
        const std::string head = "  " + f.name + (f.value.empty() ? "" : " " + f.value);
        s << head << (head.size() < 27 ? std::string(28 - head.size(), ' ') : "\n" + pad);
        // Wrapped at 110 columns, the default last.
        std::string help = f.help + (f.defaultText.empty() ? "" : " [" + f.defaultText + "]");
        std::size_t column = 28;
        std::istringstream words(help);
        std::string word;
        bool first = true;
        while (words >> word) {
            if (!first && column + 1 + word.size() > 110) {
                s << '\n' << pad;
                column = 28;
            } else if (!first) {
                s << ' ';
                ++column;
            }
            s << word;
            column += word.size();
            first = false;
        }
        s << '\n';
    }
    s << "\nexit status: 0 finished, 1 other failure, 2 bad arguments, 3 data error, 4 diverged, 130 interrupted\n"
         "(Ctrl-C stops at the next step and still writes --out and --csv).\n"
         "example, the forum's collapse: reglab-train --l1 0.01 --epochs 10\n";
    return s.str();
}

} // namespace reglab
