// Runs a sweep on this machine from the window: `reglab-train --sweep FILE --out-dir DIR --jobs N
// --progress-lines` as a child process, its progress read from the stable lines that flag prints, and its end
// told in plain words. Stop sends SIGTERM, which the pool passes on to every run: each keeps what it computed and
// running the same sweep again resumes it. The sweep dialog (ui/) knows it only as a SweepJob.
#pragma once

#include "ui/sweeps/sweepjob.h"

#include <QProcess>
#include <QString>
#include <QStringList>

namespace reglab::app {

using reglab::ui::SweepProgress;

class SweepRunner : public reglab::ui::SweepJob {
    Q_OBJECT
public:
    explicit SweepRunner(QObject *parent = nullptr);
    ~SweepRunner() override; // a sweep still running is stopped and waited for: no runs are left behind

    // reglab-train next to this program (the build folder or the installed bin folder).
    static QString defaultProgram();
    void setProgram(const QString &path) { m_program = path; }
    QString program() const { return m_program; }

    // SweepJob. Stop sends SIGTERM.
    QString start(const QString &sweepFile, const QString &outDir, int jobs) override;
    void stop() override;
    bool stopAndWait(int ms) override;
    bool isRunning() const override { return m_process.state() != QProcess::NotRunning; }
    bool isStopping() const override { return m_stopping; }
    bool wasStopped() const override { return m_wasStopped; }
    SweepProgress progress() const override { return m_progress; }
    QString commandLine() const override;

    // One line of --progress-lines ("progress done=3 total=18 running=2 failed=0 eta_s=42"); false for others.
    static bool parseProgress(const QString &line, SweepProgress &out);

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

} // namespace reglab::app
