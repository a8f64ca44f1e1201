#include "app/cliargs.h"

#include "model/weightsfile.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <sstream>

namespace reglab {
namespace {

struct Flag {
    std::string name, value, help, defaultText; // value: placeholder, empty for switches
    std::function<std::string(const std::string &, CliOptions &)> apply;
    bool optionalValue = false; // takes the next argument only when it does not start with '-'
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
        out.push_back(switchFlag("--download",
                                 "with --data mnist: download full MNIST (11 MB) when it is not on "
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
        Flag recover{"--recover",
                     "[JOURNAL]",
                     "save a run interrupted by a crash, a kill or a failed save from its journal with --out and "
                     "--csv (the journal goes once they are written); without JOURNAL the only interrupted one",
                     {},
                     [](const std::string &v, CliOptions &o) -> std::string {
                         o.recover = true;
                         o.recoverJournal = v;
                         return {};
                     }};
        recover.optionalValue = true;
        out.push_back(recover);
        out.push_back(switchFlag("--list", "with --recover: list the interrupted runs; with --sweep: list its runs",
                                 &CliOptions::list));
        out.push_back(fileFlag("--sweep", "FILE.json",
                               "run a sweep file's grid of runs (each run's settings come from the file)",
                               &CliOptions::sweepFile));
        out.push_back(fileFlag("--out-dir", "DIR", "with --sweep: where each run's record goes (made if missing)",
                               &CliOptions::outDir));
        out.push_back({"--jobs", "N", "with --sweep: runs at once, one process each with one BLAS thread",
                       "one per core", [](const std::string &v, CliOptions &o) -> std::string {
                           char *end = nullptr;
                           const long n = std::strtol(v.c_str(), &end, 10);
                           if (v.empty() || *end != '\0' || n < 1 || n > 1024)
                               return "'" + v + "' is not allowed; give a whole number from 1 to 1024";
                           o.jobs = int(n);
                           return {};
                       }});
        out.push_back({"--task", "I", "with --sweep: run only run I (what a cluster's array task calls)", {},
                       [](const std::string &v, CliOptions &o) -> std::string {
                           char *end = nullptr;
                           errno = 0;
                           const long long n = std::strtoll(v.c_str(), &end, 10);
                           if (v.empty() || *end != '\0' || n < 0)
                               return "give a run's index, a whole number from 0 (--list shows them)";
                           if (errno == ERANGE) // said as given, not as the largest number it was clamped to
                               return "'" + v + "' is far more than any sweep's runs; give a run's index (--list "
                                                "shows them)";
                           o.task = n;
                           return {};
                       }});
        out.push_back(switchFlag("--slurm", "with --sweep: write a Slurm job array for the sweep and submit it",
                                 &CliOptions::slurm));
        out.push_back({"--slurm-args", "\"...\"", "with --slurm: more #SBATCH options, such as --partition=short",
                       {}, [](const std::string &v, CliOptions &o) -> std::string {
                           o.slurmArgs = v;
                           return {};
                       }});
        out.push_back(switchFlag("--dry-run", "with --slurm: print the job script instead of submitting it",
                                 &CliOptions::dryRun));
        out.push_back(switchFlag("--progress-lines",
                                 "with --sweep: progress on stdout for programs, a line whenever it changes and "
                                 "each second: progress done=D total=T running=R failed=F eta_s=S (-1: unknown)",
                                 &CliOptions::progressLines));
        out.push_back(switchFlag("--help", "show this help", &CliOptions::help));
        out.push_back(switchFlag("--version", "print versions", &CliOptions::version));
        return out;
    }();
    return table;
}

// --sweep takes its settings from the file; its own flags need it.
std::string checkSweepArgs(const std::vector<std::string> &seen, const CliOptions &out)
{
    static const std::vector<std::string> sweepOnly{"--out-dir", "--jobs", "--task", "--slurm", "--slurm-args",
                                                    "--dry-run", "--progress-lines"};
    if (out.sweepFile.empty()) {
        for (const std::string &name : seen)
            if (std::find(sweepOnly.begin(), sweepOnly.end(), name) != sweepOnly.end())
                return name + ": use it with --sweep FILE.json";
        return {};
    }
    for (const std::string &name : seen)
        if (name != "--sweep" && name != "--list" && name != "--quiet" && name != "--threads" && name != "--help" &&
            name != "--version" &&
            std::find(sweepOnly.begin(), sweepOnly.end(), name) == sweepOnly.end())
            return "--sweep takes its settings from the sweep file (its \"base\" and \"vary\"), not " + name +
                   "; --sweep goes with --out-dir, --jobs, --task, --list, --slurm, --threads and --quiet";
    if (out.outDir.empty() && !out.list && !(out.slurm && out.dryRun))
        return "--sweep: give --out-dir DIR, where each run's record goes (running the same command again "
               "resumes there)";
    if ((!out.slurmArgs.empty() || out.dryRun) && !out.slurm)
        return std::string(out.dryRun ? "--dry-run" : "--slurm-args") + ": use it with --slurm";
    if (out.slurm && out.task >= 0)
        return "--task runs one run here; --slurm submits them all: use one or the other";
    return {};
}

} // namespace

std::string parseTrainArgs(const std::vector<std::string> &args, CliOptions &out)
{
    std::vector<std::string> seen;
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
        seen.push_back(flag->name);
        if (flag->value.empty()) {
            if (hasValue)
                return flag->name + " takes no value";
        } else if (flag->optionalValue) {
            if (!hasValue && i + 1 < args.size() && args[i + 1].rfind("-", 0) != 0)
                value = args[++i];
        } else if (!hasValue) {
            if (i + 1 >= args.size())
                return flag->name + " needs a value (" + flag->value + ")";
            value = args[++i];
        }
        if (std::string e = flag->apply(value, out); !e.empty())
            return flag->name + ": " + e;
    }
    if (std::string e = checkSweepArgs(seen, out); !e.empty())
        return e;
    if (out.list && !out.recover && out.sweepFile.empty())
        return "--list: use it with --recover (reglab-train --recover --list) or --sweep";
    if (out.recover) {
        for (const std::string &name : seen)
            if (name != "--recover" && name != "--list" && name != "--out" && name != "--csv" && name != "--quiet" &&
                name != "--help" && name != "--version")
                return "--recover takes only --list, --out, --csv and --quiet (the run's settings come from its "
                       "journal), not " +
                       name;
        if (out.list && (!out.outJson.empty() || !out.outCsv.empty() || !out.recoverJournal.empty()))
            return "--list only lists the interrupted runs; recover one with --recover JOURNAL --out FILE.json";
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
    s << "\nexit status: 0 finished, 1 other failure (memory, a file that cannot be written), 2 bad arguments,\n"
         "3 data error, 4 diverged, 128+N stopped by signal N: 130 Ctrl-C, 143 SIGTERM, 129 SIGHUP (they stop at the\n"
         "next step and still write --out and --csv). A run is journaled while it trains and until --out and --csv\n"
         "are written; after a crash, a kill or a failed save, reglab-train --recover --list shows it.\n"
         "example, the forum's collapse: reglab-train --l1 0.01 --epochs 10\n";
    return s.str();
}

std::string checkTrainOutputs(const CliOptions &options)
{
    for (const auto &[flag, path] :
         {std::pair<const char *, const std::string *>{"--out", &options.outJson}, {"--csv", &options.outCsv}})
        if (!path->empty())
            if (const std::string e = checkWritableTarget(*path); !e.empty())
                return std::string(flag) + ": " + e + "; choose a writable file";
    if (!options.outJson.empty() && !options.outCsv.empty() && sameSaveTarget(options.outJson, options.outCsv))
        return "--out and --csv name the same file (" + options.outCsv +
               "); give two different files, or the CSV would replace the record";
    return {};
}

bool writeTrainOutputs(const CliOptions &options, const RunRecord &record, const WeightSnapshot *weights)
{
    bool ok = true;
    if (!options.outJson.empty()) {
        if (const std::string e = writeFileAtomically(options.outJson, toJson(record)); !e.empty()) {
            std::fprintf(stderr, "reglab-train: --out: %s\n", e.c_str());
            ok = false;
        } else if (weights && !weights->layers.empty()) {
            const std::string path = weightsPathFor(options.outJson);
            if (const std::string w = writeWeightsFile(path, *weights, weightsRunKey(record)); !w.empty())
                std::fprintf(stderr, "reglab-train: --out: the record is saved, its weights are not (%s): the window "
                                     "will show its charts but not its network\n",
                             w.c_str());
        }
    }
    if (!options.outCsv.empty())
        if (const std::string e = writeFileAtomically(options.outCsv, epochsCsv(record)); !e.empty()) {
            std::fprintf(stderr, "reglab-train: --csv: %s\n", e.c_str());
            ok = false;
        }
    return ok;
}

int exitStatusFor(const RunRecord &record, int stopSignal)
{
    if (stopSignal > 0 && record.status == RunStatus::Stopped)
        return 128 + stopSignal;
    switch (record.status) {
    case RunStatus::Finished:
        return 0;
    case RunStatus::Diverged:
        return 4;
    case RunStatus::Stopped:
        return 130; // stopped with no signal seen: by the user all the same
    default:
        break;
    }
    switch (record.errorKind) {
    case ErrorKind::Arguments:
        return 2;
    case ErrorKind::Data:
        return 3;
    case ErrorKind::Diverged:
        return 4;
    default:
        return 1;
    }
}

} // namespace reglab
