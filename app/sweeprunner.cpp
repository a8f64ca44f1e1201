#include "app/sweeprunner.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace reglab::app {

namespace {

constexpr int kKeptErrorLines = 6;

} // namespace

SweepRunner::SweepRunner(QObject *parent) : SweepJob(parent), m_program(defaultProgram())
{
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &SweepRunner::readOutput);
    connect(&m_process, &QProcess::readyReadStandardError, this, &SweepRunner::readErrors);
    connect(&m_process, &QProcess::finished, this, &SweepRunner::onFinished);
    connect(&m_process, &QProcess::errorOccurred, this, &SweepRunner::onError);
}

SweepRunner::~SweepRunner()
{
    // QProcess's own destructor would kill only the pool (SIGKILL) and orphan its runs: stop them all instead.
    if (isRunning()) {
        const QSignalBlocker quiet(this);
        stopAndWait(15000);
    }
}

QString SweepRunner::defaultProgram()
{
    return QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("reglab-train"));
}

QString SweepRunner::start(const QString &sweepFile, const QString &outDir, int jobs)
{
    if (isRunning())
        return tr("A sweep is already running; stop it first.");
    const QFileInfo program(m_program);
    if (!program.isFile() || !program.isExecutable())
        return tr("reglab-train, which runs the sweep, was not found next to RegLab (%1). Build it "
                  "(scripts/build) or install the reglab package; or write the sweep file and run the command "
                  "shown under \"On a cluster\" in a terminal.")
            .arg(QDir::toNativeSeparators(m_program));
    m_outDir = outDir;
    m_progress = {};
    m_summary.clear();
    m_errors.clear();
    m_outPending.clear();
    m_stopping = m_wasStopped = false;
    m_process.setProgram(m_program);
    m_process.setArguments({QStringLiteral("--sweep"), sweepFile, QStringLiteral("--out-dir"), outDir,
                            QStringLiteral("--jobs"), QString::number(jobs), QStringLiteral("--progress-lines")});
    m_process.start(QIODevice::ReadOnly);
    return {};
}

void SweepRunner::stop()
{
    if (!isRunning())
        return;
    m_stopping = true;
    m_process.terminate(); // SIGTERM: the pool stops every run at its next step; each keeps its record
}

bool SweepRunner::stopAndWait(int ms)
{
    if (!isRunning())
        return true;
    stop();
    if (m_process.waitForFinished(ms))
        return true;
    m_process.kill();
    m_process.waitForFinished(2000);
    return false;
}

QString SweepRunner::commandLine() const
{
    QStringList words{reglab::ui::shellWord(m_program)};
    for (const QString &a : m_process.arguments())
        words << reglab::ui::shellWord(a);
    return words.join(QLatin1Char(' '));
}

bool SweepRunner::parseProgress(const QString &line, SweepProgress &out)
{
    static const QRegularExpression form(
        QStringLiteral("^progress done=(\\d+) total=(\\d+) running=(\\d+) failed=(\\d+) eta_s=(-1|\\d+)\\s*$"));
    const QRegularExpressionMatch m = form.match(line);
    if (!m.hasMatch())
        return false;
    out.done = m.captured(1).toInt();
    out.total = m.captured(2).toInt();
    out.running = m.captured(3).toInt();
    out.failed = m.captured(4).toInt();
    out.etaSeconds = m.captured(5).toInt();
    return true;
}

void SweepRunner::readOutput()
{
    m_outPending += m_process.readAllStandardOutput();
    qsizetype end = 0;
    while ((end = m_outPending.indexOf('\n')) >= 0) {
        const QString line = QString::fromUtf8(m_outPending.left(end)).trimmed();
        m_outPending.remove(0, end + 1);
        SweepProgress p;
        if (parseProgress(line, p)) {
            m_progress = p;
            Q_EMIT progressChanged(p);
        } else if (!line.isEmpty()) {
            m_summary = line;
        }
    }
}

void SweepRunner::readErrors()
{
    for (const QByteArray &raw : m_process.readAllStandardError().split('\n')) {
        const QString line = QString::fromUtf8(raw).trimmed();
        if (!line.isEmpty())
            m_errors << line;
    }
    while (m_errors.size() > kKeptErrorLines)
        m_errors.removeFirst();
}

QString SweepRunner::lastErrors() const
{
    return m_errors.isEmpty() ? QString() : QStringLiteral("\n") + m_errors.join(QLatin1Char('\n'));
}

void SweepRunner::onFinished(int exitCode, QProcess::ExitStatus status)
{
    readOutput();
    readErrors();
    const SweepProgress &p = m_progress;
    const QString folder = QDir::toNativeSeparators(m_outDir);
    m_wasStopped = m_stopping || (status == QProcess::NormalExit && exitCode > 128);
    m_stopping = false;
    if (m_wasStopped) {
        Q_EMIT finished(false, tr("Stopped: %1 of %2 runs done. The interrupted runs kept what they computed; "
                                  "Run here again resumes the sweep.")
                                   .arg(p.done)
                                   .arg(p.total));
    } else if (status == QProcess::CrashExit) {
        Q_EMIT finished(false, tr("reglab-train ended unexpectedly (it crashed or was killed) after %1 of %2 runs. "
                                  "Run here again resumes the sweep.%3")
                                   .arg(p.done)
                                   .arg(p.total)
                                   .arg(lastErrors()));
    } else if (exitCode == 0) {
        // The CLI's closing line has the pace and the diverged runs; the folder is said already.
        const QString pace = m_summary.section(QStringLiteral("; records in"), 0, 0);
        Q_EMIT finished(true, tr("Done: all %1 runs have their records in %2.").arg(p.total).arg(folder) +
                                  (pace.isEmpty() ? QString() : QStringLiteral("\n") + pace));
    } else if (exitCode == 1 && p.failed > 0) {
        Q_EMIT finished(false, tr("Done, but %1 of %2 failed: each one's record says why, and its log is in "
                                  "%3/logs. Delete a failed run's record to run it again.")
                                   .arg(p.failed)
                                   .arg(p.total)
                                   .arg(folder));
    } else {
        Q_EMIT finished(false,
                        tr("reglab-train could not run the sweep (exit status %1).%2").arg(exitCode).arg(lastErrors()));
    }
}

void SweepRunner::onError(QProcess::ProcessError error)
{
    if (error != QProcess::FailedToStart)
        return; // the others end in finished()
    Q_EMIT finished(false,
                    tr("Could not start %1: %2").arg(QDir::toNativeSeparators(m_program), m_process.errorString()));
}

} // namespace reglab::app
