// The bridge between the UI thread and the trainer: owns the training thread, turns the trainer's events into
// one queued Qt signal carrying plain values, and passes commands on through a TrainControl.
#pragma once

#include "model/config.h"
#include "model/control.h"
#include "model/events.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <memory>
#include <optional>

class QThread;

namespace reglab {
class Dataset;
}

namespace reglab::app {

// Lives on the training thread; run() blocks there until the run ends.
class TrainWorker : public QObject {
    Q_OBJECT
public:
    TrainWorker(quint64 runId, reglab::TrainConfig config, reglab::TrainControl &control,
                std::shared_ptr<const reglab::Dataset> data);

public Q_SLOTS:
    void run();

Q_SIGNALS:
    void dataLoaded(const QString &spec, std::shared_ptr<const reglab::Dataset> data);
    // Every event of the run, the finished RunRecord last; `runId` is the id the controller gave the run.
    void event(quint64 runId, const reglab::TrainEvent &event);

private:
    quint64 m_runId;
    reglab::TrainConfig m_config;
    reglab::TrainControl &m_control;
    std::shared_ptr<const reglab::Dataset> m_data;
};

class TrainingController : public QObject {
    Q_OBJECT
public:
    explicit TrainingController(QObject *parent = nullptr);
    // Stops a run and waits for its thread: bounded first, then for as long as it takes (the stop is requested,
    // so the trainer ends within its current phase); the worker refers to this object's TrainControl.
    ~TrainingController() override;

    // True from start() until the run's thread is gone (runningChanged follows it).
    bool isRunning() const { return m_thread != nullptr; }
    bool isPaused() const { return m_control.isPaused(); }
    // A start() that came while a thread was still running waits here until that thread is gone.
    bool hasQueuedStart() const { return m_queued.has_value(); }
    // The thread of the current run (null when idle); tests watch its finished() signal.
    QThread *thread() const { return m_thread; }
    // How long the last shutdown() waited for the training thread, in milliseconds.
    qint64 lastShutdownMs() const { return m_lastShutdownMs; }

public Q_SLOTS:
    // Starts a run on a new thread. The data set is loaded on that thread and kept for the next run with the
    // same source. While a thread is still running (a run, or one that is ending) the request is queued and
    // starts as soon as that thread is gone; a later request replaces a queued one. shutdown() drops it.
    void start(const reglab::TrainConfig &config);
    void pause();
    void resume();
    void stop();
    // A live setting of the running network, by its key and as its flag takes it ("l1", "0.001"); the trainer
    // applies it at its next step (TrainControl::set). Nothing happens without a run.
    void setSetting(const std::string &key, const std::string &value);
    // At most this many steps a second (0: full speed), for this run and the next ones.
    void setPace(double stepsPerSecond);
    // A paused run sends a WeightSnapshot (weights) and stays paused; a running one sends its next as usual.
    void requestSnapshot();
    // Stops the run and waits for its thread up to `timeoutMs`; true when no thread is left running.
    bool shutdown(int timeoutMs = 1000);

Q_SIGNALS:
    // The current run's events, in order (RunInfo first, the finished RunRecord last); a stopped or replaced
    // run's late events are dropped.
    void event(const reglab::TrainEvent &event);
    // True when a run's thread starts, false once it is gone (after its RunRecord); a queued start follows at
    // once.
    void runningChanged(bool running);

private:
    void launch(const reglab::TrainConfig &config);
    void onThreadFinished();

    reglab::TrainControl m_control;
    QThread *m_thread = nullptr;
    // Each run's events carry the id it had when started; events of an older run are dropped.
    quint64 m_runId = 0;
    std::optional<reglab::TrainConfig> m_queued;
    QString m_dataSpec;
    std::shared_ptr<const reglab::Dataset> m_data;
    qint64 m_lastShutdownMs = 0;
};

} // namespace reglab::app

namespace reglab::app {
// Registers the types that travel in queued signals (the event, the config, the data set); idempotent. The
// controller calls it; tests that spy on signals call it first.
void registerEventTypes();
} // namespace reglab::app
