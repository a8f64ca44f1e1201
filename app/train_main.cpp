// reglab-train: the headless trainer. One line per epoch on stdout, progress on stderr, JSON/CSV on request.
#include "app/cliargs.h"
#include "model/dataset.h"
#include "model/download.h"
#include "model/idx.h"
#include "model/journal.h"
#include "model/runtime.h"
#include "model/trainer.h"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>

namespace {

reglab::TrainControl *g_control = nullptr;
volatile std::sig_atomic_t g_interruptedDownload = 0;

extern "C" void onInterrupt(int)
{
    g_interruptedDownload = 1;
    if (g_control)
        g_control->requestStopFromSignal();
    std::signal(SIGINT, SIG_DFL); // a second Ctrl-C ends the process at once
}

std::string clock(double seconds)
{
    const long s = static_cast<long>(seconds + 0.5);
    char buffer[32];
    if (s >= 3600)
        std::snprintf(buffer, sizeof buffer, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        std::snprintf(buffer, sizeof buffer, "%ld:%02ld", s / 60, s % 60);
    return buffer;
}

class ConsoleObserver : public reglab::TrainObserver {
public:
    explicit ConsoleObserver(bool quiet) : m_quiet(quiet), m_tty(::isatty(STDERR_FILENO) == 1) {}

    void onEvent(const reglab::TrainEvent &event) override
    {
        std::visit(reglab::Overloaded{[this](const reglab::RunInfo &info) { started(info); },
                                      [this](const reglab::Progress &p) { progress(p); },
                                      [this](const reglab::SettingChange &c) { settingChanged(c); },
                                      [this](const reglab::EpochRecord &e) { epochEnded(e); },
                                      [this](const reglab::RunRecord &) { clearLine(); },
                                      [](const auto &) {}},
                   event);
    }

private:
    void started(const reglab::RunInfo &info)
    {
        m_epochs = 0;
        if (!m_quiet)
            std::fprintf(stderr, "training on %s: %s, %lld training + %lld test images, %lld parameters\n",
                         info.device.c_str(), info.dataName.c_str(), static_cast<long long>(info.trainCount),
                         static_cast<long long>(info.testCount), static_cast<long long>(info.parameterCount));
    }

    void progress(const reglab::Progress &p)
    {
        m_epochs = p.epochs;
        if (m_quiet)
            return;
        const double percent = p.stepsPerEpoch ? 100.0 * double(p.stepInEpoch) / double(p.stepsPerEpoch) : 0.0;
        char line[160];
        std::snprintf(line, sizeof line, "epoch %d/%d %3.0f%%%s  %.0f samples/s  ETA %s", p.epoch, p.epochs, percent,
                      p.evaluating ? " (evaluating)" : "", p.samplesPerSecond, clock(p.etaSeconds).c_str());
        if (m_tty) {
            std::fprintf(stderr, "\r%-70s", line);
            m_dirty = true;
        } else if (++m_calls % 50 == 0) { // a log file gets a line every few seconds, not a stream of \r
            std::fprintf(stderr, "%s\n", line);
        }
    }

    void settingChanged(const reglab::SettingChange &c)
    {
        clearLine();
        std::string dropout;
        for (double p : c.dropout)
            dropout += (dropout.empty() ? ", dropout " : "/") + reglab::formatNumber(p);
        std::printf("step %lld: l1 %g, l2 %g, lr %g%s\n", static_cast<long long>(c.step), c.l1, c.l2, c.learningRate,
                    dropout.c_str());
    }

    void epochEnded(const reglab::EpochRecord &e)
    {
        clearLine();
        std::printf("epoch %3d/%d  fold %d  train_loss %.4f  val_loss %.4f  val_acc %6.2f%%  test_loss %.4f  "
                    "test_acc %6.2f%%  fc1_small %5.1f%%  fc1_zero %5.1f%%  train %.2fs  eval %.2fs\n",
                    e.epoch, m_epochs, e.fold + 1, e.trainLoss, e.valLoss, 100 * e.valAccuracy, e.testLoss,
                    100 * e.testAccuracy, e.layers.empty() ? 0.0 : 100 * e.layers.front().smallFraction,
                    e.layers.empty() ? 0.0 : 100 * e.layers.front().zeroFraction, e.trainSeconds, e.evalSeconds);
        std::fflush(stdout);
    }

    void clearLine()
    {
        if (m_dirty) {
            std::fprintf(stderr, "\r%-70s\r", "");
            m_dirty = false;
        }
    }
    bool m_quiet, m_tty, m_dirty = false;
    int m_epochs = 0;
    long m_calls = 0;
};

// Checked before training so a long run is not lost to a path that cannot be written.
std::string checkWritable(const std::string &path)
{
    if (path.empty())
        return {};
    const std::string probe = path + ".tmp";
    FILE *f = std::fopen(probe.c_str(), "wb");
    if (!f)
        return "cannot write " + path + " (" + std::strerror(errno) + "); choose a writable path";
    std::fclose(f);
    std::remove(probe.c_str());
    return {};
}

} // namespace

int main(int argc, char **argv)
{
    using namespace reglab;
    // A file-size limit (ulimit -f) or a full quota must be a write error with a message, not a killed process.
    std::signal(SIGXFSZ, SIG_IGN);
    CliOptions options;
    const std::string error = parseTrainArgs(std::vector<std::string>(argv + 1, argv + argc), options);
    if (options.help) {
        std::cout << trainUsage();
        return 0;
    }
    if (!error.empty()) {
        std::cerr << "reglab-train: " << error << '\n';
        return 2;
    }
    if (options.version) {
        for (const auto &[name, version] : libraryVersions())
            std::cout << name << ' ' << version << '\n';
        std::cout << "cuda " << (cudaAvailable() ? "available" : "not available: " + cudaUnavailableReason()) << '\n';
        return 0;
    }
    for (const std::string *path : {&options.outJson, &options.outCsv}) {
        if (const std::string e = checkWritable(*path); !e.empty()) {
            std::cerr << "reglab-train: " << (path == &options.outJson ? "--out: " : "--csv: ") << e << '\n';
            return 2;
        }
    }
    std::string deviceError;
    if (resolveDevice(options.config.device, deviceError).empty()) {
        std::cerr << "reglab-train: --device: " << deviceError << '\n';
        return 2;
    }

    std::signal(SIGINT, onInterrupt); // a download or a run stops cleanly on Ctrl-C
    std::shared_ptr<const Dataset> data;
    try {
        DataFiles files;
        const std::string dir = options.downloadDir.empty() ? defaultMnistDir() : options.downloadDir;
        try {
            files = options.downloadDir.empty() ? resolveDataSource(options.config.data) : resolveDataSource(dir);
        } catch (const DataError &) {
            if (!options.download)
                throw;
            std::fprintf(stderr, "downloading full MNIST into %s\n", dir.c_str());
            const bool tty = ::isatty(STDERR_FILENO) == 1;
            std::string lastFile;
            downloadFiles(dir, mnistFiles(), mnistMirrors(), [&](const DownloadProgress &p) {
                if (p.file != lastFile || tty) {
                    std::fprintf(stderr, tty ? "\r  %d/%d %-28s %7.1f of %.1f MB   " : "  %d/%d %s (%.1f of %.1f MB)\n",
                                 p.fileIndex, p.fileCount, p.file.c_str(), p.received / 1e6, p.total / 1e6);
                    lastFile = p.file;
                }
                return !g_interruptedDownload;
            });
            if (tty)
                std::fprintf(stderr, "\n");
            files = resolveDataSource(dir);
        }
        data = Dataset::load(files);
    } catch (const DownloadError &e) {
        std::cerr << "reglab-train: download failed: " << e.what() << '\n';
        return 3;
    } catch (const DataError &e) {
        std::cerr << "reglab-train: data error: " << e.what() << '\n';
        return 3;
    }

    TrainControl control;
    g_control = &control;
    std::signal(SIGINT, onInterrupt);
    ConsoleObserver console(options.quiet);
    // Journaled, so a crash or kill -9 leaves what was computed for the dashboard to recover.
    JournalObserver observer(defaultJournalDir(), &console);
    observer.setConfig(options.config);
    const RunRecord record = train(options.config, control, &observer, data);
    if (!observer.journalError().empty() && !options.quiet)
        std::cerr << "reglab-train: " << observer.journalError() << '\n';
    std::signal(SIGINT, SIG_DFL);
    g_control = nullptr;

    int status = 0;
    switch (record.status) {
    case RunStatus::Finished:
        break;
    case RunStatus::Stopped:
        status = 130;
        break;
    case RunStatus::Diverged:
        status = 4;
        break;
    default:
        status = 1;
        break;
    }
    if (!record.epochs.empty()) {
        const auto &last = record.epochs.back();
        double best = 0;
        for (const auto &e : record.epochs)
            best = std::max(best, e.testAccuracy);
        std::printf("%s after %zu epoch(s): test accuracy %.2f%% (best %.2f%%), validation %.2f%%, %.1f s on %s [%s]\n",
                    toString(record.status).c_str(), record.epochs.size(), 100 * last.testAccuracy, 100 * best,
                    100 * last.valAccuracy, record.totalSeconds, record.device.c_str(),
                    shortLabel(record.config).c_str());
    } else {
        std::printf("%s before the first epoch ended (%.1f s)\n", toString(record.status).c_str(), record.totalSeconds);
    }
    std::fflush(stdout);
    if (!record.message.empty() && record.status != RunStatus::Finished)
        std::cerr << "reglab-train: " << (status == 130 ? "interrupted: " : "") << record.message << '\n';

    if (!options.outJson.empty()) {
        if (const std::string e = writeFileAtomically(options.outJson, toJson(record)); !e.empty()) {
            std::cerr << "reglab-train: --out: " << e << '\n';
            status = status ? status : 1;
        }
    }
    if (!options.outCsv.empty()) {
        if (const std::string e = writeFileAtomically(options.outCsv, epochsCsv(record)); !e.empty()) {
            std::cerr << "reglab-train: --csv: " << e << '\n';
            status = status ? status : 1;
        }
    }
    return status;
}
