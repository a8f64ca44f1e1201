// Runs a sweep on this machine from the window: `reglab-train --sweep FILE --out-dir DIR --jobs N
// --progress-lines` as a child process, its progress read from the stable lines that flag prints, and its end
// told in plain words. Stop sends SIGTERM, which the pool passes on to every run: each keeps what it computed and
// running the same sweep again resumes it.
#pragma once

#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace reglab::ui {

struct SweepProgress {
    int done = 0, total = 0, running = 0, failed = 0;
    int etaSeconds = -1; // -1: not known yet (no run has ended)
};

class SweepRunner : public QObject {
    Q_OBJECT
public:
    explicit SweepRunner(QObject *parent = nullptr);
    ~SweepRunner() override; // a sweep still running is stopped and waited for: no runs are left behind

    // reglab-train next to this program (the build folder or the installed bin folder).
    static QString defaultProgram();
    void setProgram(const QString &path) { m_program = path; }
    QString program() const { return m_program; }

    // Starts the sweep; "" when it started, else why not in words (reglab-train is missing, one is running).
    QString start(const QString &sweepFile, const QString &outDir, int jobs);
    // Asks every run to stop at its next step (SIGTERM); finished() follows.
    void stop();
    // Stops and waits up to `ms`; kills what is left after that. True when it ended in time.
    bool stopAndWait(int ms);
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    bool isStopping() const { return m_stopping; }
    // Whether the last sweep ended because it was stopped (it resumes when run again).
    bool wasStopped() const { return m_wasStopped; }
    SweepProgress progress() const { return m_progress; }
    // The command line, as a user would type it.
    QString commandLine() const;

    // One line of --progress-lines ("progress done=3 total=18 running=2 failed=0 eta_s=42"); false for others.
    static bool parseProgress(const QString &line, SweepProgress &out);
    // "1m20s", "2h05m", as the CLI writes durations.
    static QString duration(int seconds);
    // `text` as one word of a POSIX shell command, quoted only when it needs to be.
    static QString shellWord(const QString &text);

Q_SIGNALS:
    void progressChanged(const reglab::ui::SweepProgress &progress);
    // The sweep ended: `ok` when every run finished; `message` says how in plain words.
    void finished(bool ok, const QString &message);

private:
    void readOutput();
    void readErrors();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onError(QProcess::ProcessError error);
    QString lastErrors() const;

    QProcess m_process;
    QString m_program;
    QString m_outDir;
    SweepProgress m_progress;
    QString m_summary;       // the CLI's closing line on stdout
    QStringList m_errors;    // stderr's last lines
    QByteArray m_outPending; // a line not yet ended
    bool m_stopping = false, m_wasStopped = false;
};

} // namespace reglab::ui
