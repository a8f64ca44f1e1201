// Crash-safe runs: while a run trains, each logging point, epoch and lambda change is appended to a journal
// file and flushed, so a crash or kill -9 loses at most what came after the last one. The writer holds an
// flock() on its journal for the run's life; the system releases it when the process ends in any way, so a
// journal whose lock can be taken is an interrupted run, whatever process ids, containers or hosts say.
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
    // What becomes of the journal when the run ends.
    enum class End {
        Remove,           // removed at once: the caller holds the record in memory (the dashboard)
        KeepUntilDiscard, // kept, with the run's outcome and still locked, until discard(): for a caller that
                          // saves the record first, so a failed save or a kill during it loses nothing
    };

    JournalObserver(std::string dir, TrainObserver *next, End end = End::Remove);
    // Releases the lock. A journal that was not removed stays: an interrupted run, recovered later.
    ~JournalObserver() override;

    // The journal's path ("" before the run starts or when it could not be created).
    const std::string &path() const { return m_path; }
    // Why the run is not (or no longer) protected by its journal, in words; "" while it is.
    const std::string &journalError() const { return m_error; }
    // Whether this run's journal is on the disk (it may have been dropped, or discarded).
    bool hasJournal() const { return m_file != nullptr; }

    // Journals what recovery needs (the start, logging points, lambda changes, epochs, and with
    // KeepUntilDiscard the outcome), removes the journal when the run ends (End::Remove), and passes every
    // event on.
    void onEvent(const TrainEvent &event) override;

    // The config is not in any event: the caller gives it before the run starts.
    void setConfig(const TrainConfig &config) { m_config = config; }

    // Removes the journal (call it once the run's record is safely saved). True when none is left.
    bool discard();

private:
    void start(const RunInfo &info);
    void finish(const RunRecord &record);
    void write(const std::string &line, bool sync);
    void close(bool remove);
    // Whether lines still go to the journal (it is open and has not filled the disk).
    bool writing() const { return m_file && !m_full; }
    std::string m_dir, m_path, m_error;
    bool m_started = false; // renamed into place with its start line
    bool m_full = false;    // a write failed: the journal keeps what it has, still locked, and takes no more
    long m_goodSize = 0;    // its size after the last complete line
    std::int64_t m_lastStep = 0;
    int m_epochs = 0;
    TrainObserver *m_next;
    End m_end;
    TrainConfig m_config;
    std::unique_ptr<FILE, int (*)(FILE *)> m_file{nullptr, std::fclose};
};

// Journals in `dir` whose lock can be taken: interrupted runs (also a journal of an older RegLab, which held no
// lock, whose process is gone, and anything in the folder that is not a regular file, so recoverJournal can say
// what it is). The journals of runs going on, in this process or any other, are never listed.
std::vector<std::string> interruptedJournals(const std::string &dir);
// The run as far as its journal goes. A run whose program ended during training has status Stopped with a
// message saying it was recovered; a run that ended but whose record was not saved has the status and message it
// ended with. Throws RecordError naming the file for one that is not a journal; a torn last line (the crash hit
// mid-write) is skipped.
RunRecord recoverJournal(const std::string &path);
// Removes a journal once its run is recovered (or the user declined); false when it could not be removed, or a
// running program still writes it.
bool discardJournal(const std::string &path);

// Holds a journal's lock while it is recovered and saved, so that no other program recovers or removes it
// meanwhile; claimed() is false for the journal of a run going on (or one that cannot be opened).
class JournalClaim {
public:
    explicit JournalClaim(const std::string &path);
    ~JournalClaim();
    JournalClaim(const JournalClaim &) = delete;
    JournalClaim &operator=(const JournalClaim &) = delete;

    bool claimed() const { return m_fd >= 0; }
    // Removes the journal, still holding it; true when it is gone.
    bool remove();

private:
    std::string m_path;
    int m_fd = -1;
};

} // namespace reglab
