#include "app/trainingcontroller.h"

#include "model/dataset.h"
#include "model/idx.h"
#include "model/journal.h"
#include "model/runtime.h"
#include "model/trainer.h"

#include <QElapsedTimer>
#include <QThread>

#include <algorithm>

namespace reglab::app {

namespace {

// Runs on the training thread: copies each event into the queued signal and returns at once.
class SignalObserver : public reglab::TrainObserver {
public:
    explicit SignalObserver(TrainWorker &worker, quint64 runId) : m_worker(worker), m_runId(runId) {}
    void onEvent(const reglab::TrainEvent &e) override
    {
        // The finished record is sent by the worker once train() has returned and the journal is closed.
        if (!std::holds_alternative<reglab::RunRecord>(e))
            Q_EMIT m_worker.event(m_runId, e);
    }

private:
    TrainWorker &m_worker;
    quint64 m_runId;
};

} // namespace

void registerEventTypes()
{
    qRegisterMetaType<reglab::TrainEvent>();
    qRegisterMetaType<reglab::TrainConfig>();
    qRegisterMetaType<reglab::RunRecord>();
    qRegisterMetaType<std::shared_ptr<const reglab::Dataset>>();
}

TrainWorker::TrainWorker(quint64 runId, reglab::TrainConfig config, reglab::TrainControl &control,
                         std::shared_ptr<const reglab::Dataset> data)
    : m_runId(runId), m_config(std::move(config)), m_control(control), m_data(std::move(data))
{
}

void TrainWorker::run()
{
    // Loaded here rather than inside train() so the controller can keep the data set for the next run.
    if (!m_data) {
        QElapsedTimer clock;
        clock.start();
        try {
            m_data = reglab::Dataset::load(reglab::resolveDataSource(m_config.data));
            Q_EMIT dataLoaded(QString::fromStdString(m_config.data), m_data);
        } catch (const std::exception &e) {
            // A record as complete as train() would make it, so it can be saved like any other.
            reglab::RunRecord record;
            record.config = m_config;
            record.startedAt = reglab::nowIso8601();
            record.versions = reglab::libraryVersions();
            record.blas = reglab::blasKernels();
            record.status = reglab::RunStatus::Failed;
            const auto *error = dynamic_cast<const reglab::Error *>(&e);
            record.errorKind = error ? error->kind() : reglab::ErrorKind::Internal;
            record.message = e.what();
            record.totalSeconds = double(clock.nsecsElapsed()) / 1e9;
            Q_EMIT event(m_runId, record);
            return;
        }
    }
    SignalObserver observer(*this, m_runId);
    // Every logging point, epoch and lambda change is journalled and flushed, so a crash or kill -9 of the
    // program loses nothing before the last one; the journal goes when the run ends. A journal problem (a full
    // disk, a read-only folder) drops the journal and never stops training.
    reglab::JournalObserver journal(reglab::defaultJournalDir(), &observer);
    journal.setConfig(m_config);
    const reglab::RunRecord record = reglab::train(m_config, m_control, &journal, m_data);
    if (!journal.journalError().empty())
        qWarning("reglab: the run was not journalled: %s", journal.journalError().c_str());
    Q_EMIT event(m_runId, record);
}

TrainingController::TrainingController(QObject *parent) : QObject(parent)
{
    registerEventTypes();
}

TrainingController::~TrainingController()
{
    if (shutdown(2000) || !m_thread)
        return;
    // A data load or a long evaluation outlasted the bounded wait. The stop is requested and the trainer's
    // phases end in seconds; the thread (a child of this object) and the worker (which holds m_control) must
    // not outlive it, so wait for as long as it takes.
    qWarning("reglab: waiting for the training thread to end");
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
}

void TrainingController::start(const reglab::TrainConfig &config)
{
    if (m_thread) {
        m_queued = config; // starts once the current thread is gone (onThreadFinished)
        return;
    }
    launch(config);
}

void TrainingController::launch(const reglab::TrainConfig &requested)
{
    reglab::TrainConfig config = requested;
    // On a small machine the trainer's BLAS threads spin against the UI thread: leave it a core.
    if (config.threads == 0)
        config.threads = std::max(1, QThread::idealThreadCount() - 1);
    m_control.reset();

    const QString spec = QString::fromStdString(config.data);
    auto data = spec == m_dataSpec ? m_data : nullptr;
    const quint64 id = ++m_runId;
    auto *worker = new TrainWorker(id, config, m_control, data);
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("reglab-train"));
    worker->moveToThread(m_thread);

    // The receiver (this) lives on the UI thread, so each event is queued. Events still queued when a newer
    // run has started (after shutdown() let go of this one's thread) carry an old id and are dropped.
    connect(worker, &TrainWorker::event, this, [this](quint64 runId, const reglab::TrainEvent &e) {
        if (runId == m_runId)
            Q_EMIT event(e);
    });
    connect(worker, &TrainWorker::dataLoaded, this,
            [this](const QString &loadedSpec, std::shared_ptr<const reglab::Dataset> loaded) {
                m_dataSpec = loadedSpec;
                m_data = std::move(loaded);
            });
    // The run's last event is its record: the thread may end.
    connect(worker, &TrainWorker::event, m_thread, [thread = m_thread](quint64, const reglab::TrainEvent &e) {
        if (std::holds_alternative<reglab::RunRecord>(e))
            thread->quit();
    });
    connect(m_thread, &QThread::started, worker, &TrainWorker::run);
    connect(m_thread, &QThread::finished, worker, &QObject::deleteLater);
    connect(m_thread, &QThread::finished, this, &TrainingController::onThreadFinished);
    m_thread->start();
    Q_EMIT runningChanged(true);
}

void TrainingController::onThreadFinished()
{
    auto *thread = qobject_cast<QThread *>(sender());
    if (!thread || thread != m_thread)
        return;
    m_thread = nullptr;
    thread->deleteLater();
    Q_EMIT runningChanged(false);
    if (m_queued) {
        const reglab::TrainConfig next = *m_queued;
        m_queued.reset();
        launch(next);
    }
}

void TrainingController::pause()
{
    if (m_thread)
        m_control.pause();
}

void TrainingController::resume()
{
    if (m_thread)
        m_control.resume();
}

void TrainingController::stop()
{
    if (!m_thread)
        return;
    m_control.requestStop();
    m_control.resume(); // a paused trainer must wake to see the stop
}

void TrainingController::setSetting(const std::string &key, const std::string &value)
{
    if (m_thread)
        m_control.set(key, value);
}

void TrainingController::setPace(double stepsPerSecond)
{
    m_control.setPace(stepsPerSecond); // kept by the control between runs (reset() leaves it)
}

void TrainingController::requestSnapshot()
{
    if (m_thread)
        m_control.requestSnapshot();
}

bool TrainingController::shutdown(int timeoutMs)
{
    m_queued.reset(); // whoever shuts down wants no further run
    if (!m_thread)
        return true;
    QElapsedTimer clock;
    clock.start();
    stop();
    m_thread->quit(); // ends the event loop once run() returns
    const bool done = m_thread->wait(QDeadlineTimer(timeoutMs));
    m_lastShutdownMs = clock.elapsed();
    if (!done) {
        qWarning("reglab: the training thread did not stop within %d ms", timeoutMs);
        return false;
    }
    // The worker was deleted as its thread finished; the queued onThreadFinished will find m_thread cleared.
    QThread *thread = m_thread;
    m_thread = nullptr;
    thread->deleteLater();
    Q_EMIT runningChanged(false);
    return true;
}

} // namespace reglab::app
