// How the sweep dialog runs a sweep on this machine, without knowing how: app/ gives it a SweepJob (its
// SweepRunner, reglab-train's pool as a child process) through a SweepJobFactory the window holds. Also the
// words the dialog and the runner share: shell quoting and durations as the CLI writes them.
#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace reglab::ui {

struct SweepProgress {
    int done = 0, total = 0, running = 0, failed = 0;
    int etaSeconds = -1; // -1: not known yet (no run has ended)
};

class SweepJob : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    // Starts the sweep; "" when it started, else why not in words (reglab-train is missing, one is running).
    virtual QString start(const QString &sweepFile, const QString &outDir, int jobs) = 0;
    // Asks every run to stop at its next step; finished() follows.
    virtual void stop() = 0;
    // Stops and waits up to `ms`; kills what is left after that. True when it ended in time.
    virtual bool stopAndWait(int ms) = 0;
    virtual bool isRunning() const = 0;
    virtual bool isStopping() const = 0;
    // Whether the last sweep ended because it was stopped (it resumes when run again).
    virtual bool wasStopped() const = 0;
    virtual SweepProgress progress() const = 0;
    // The command line, as a user would type it.
    virtual QString commandLine() const = 0;

Q_SIGNALS:
    void progressChanged(const reglab::ui::SweepProgress &progress);
    // The sweep ended: `ok` when every run finished; `message` says how in plain words.
    void finished(bool ok, const QString &message);
};

// Makes the job a new sweep dialog runs its sweeps with, owned by `parent`.
using SweepJobFactory = std::function<SweepJob *(QObject *parent)>;

// "1m20s", "2h05m", as the CLI writes durations.
QString sweepDuration(int seconds);
// `text` as one word of a POSIX shell command, quoted only when it needs to be.
QString shellWord(const QString &text);

} // namespace reglab::ui
