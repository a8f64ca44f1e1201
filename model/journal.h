// Crash-safe runs: while a run trains, each logging point, epoch and lambda change is appended to a journal
// file and flushed, so a crash or kill -9 loses at most what came after the last one. A run that ends in any
// way removes its journal; journals left by a process that is gone are interrupted runs, to be recovered.
#pragma once

#include "model/runrecord.h"
#include "model/trainer.h"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace reglab {

// Where journals live: $XDG_DATA_HOME/RegLab/journal, else ~/.local/share/RegLab/journal.
std::string defaultJournalDir();

// A TrainObserver that journals the run and passes every event on to `next` (may be null). Journal problems
// (disk full, read-only folder) never stop training: the journal is dropped and journalError() says why.
class JournalObserver : public TrainObserver {
public:
    JournalObserver(std::string dir, TrainObserver *next);
    ~JournalObserver() override;

    const std::string &path() const { return m_path; }
    const std::string &journalError() const { return m_error; }

    // Journals what recovery needs (the start, logging points, lambda changes, epochs), removes the journal
    // when the run ends, and passes every event on.
    void onEvent(const TrainEvent &event) override;

    // The config is not in any event: the caller gives it before the run starts.
    void setConfig(const TrainConfig &config) { m_config = config; }

private:
    void start(const RunInfo &info);
    void write(const std::string &line, bool sync);
    std::string m_dir, m_path, m_error;
    TrainObserver *m_next;
    TrainConfig m_config;
    std::unique_ptr<FILE, int (*)(FILE *)> m_file{nullptr, std::fclose};
};

// Journals in `dir` whose process is gone: interrupted runs.
std::vector<std::string> interruptedJournals(const std::string &dir);
// The run as far as its journal goes, status Stopped with a message saying it was recovered. Throws
// RecordError for a file that is not a journal; a torn last line (the crash hit mid-write) is skipped.
RunRecord recoverJournal(const std::string &path);
// Removes a journal once its run is recovered (or the user declined); false when it could not be removed.
bool discardJournal(const std::string &path);

} // namespace reglab
