// Runs a preset's runs one after another through the TrainingController, so a lesson's comparison builds up
// on its own: each run that ends is handed on (for the runs list and the overlays), then the next starts.
#pragma once

#include "model/preset.h"
#include "model/runrecord.h"

#include <QObject>
#include <QString>

#include <vector>

namespace reglab::app {

class TrainingController;

class PresetQueue : public QObject {
    Q_OBJECT
public:
    explicit PresetQueue(TrainingController &controller, QObject *parent = nullptr);

    // Queues the runs and asks for the first; a queue already going is replaced.
    void start(const QString &presetName, const std::vector<reglab::PresetRun> &runs);
    // Drops what is still queued; the run in progress goes on unless stopped too.
    void cancel();
    bool isActive() const { return m_next < m_runs.size() || m_waiting; }
    // Position of the run in progress (1-based) and how many there are.
    int position() const { return int(m_next); }
    int count() const { return int(m_runs.size()); }
    QString currentLabel() const;

Q_SIGNALS:
    // About to start run `index` (1-based) of `count`.
    void runStarting(int index, int count, const QString &label, const reglab::TrainConfig &config);
    // A queued run ended (finished, diverged, stopped or failed).
    void runEnded(const QString &label, const reglab::RunRecord &record);
    // The queue is done (`completed`), or it ended early (stopped by the user, or a run failed).
    void queueEnded(const QString &presetName, bool completed, const QString &why);

private:
    void onFinished(const reglab::RunRecord &record);
    void startNext();

    TrainingController &m_controller;
    QString m_name;
    std::vector<reglab::PresetRun> m_runs;
    std::size_t m_next = 0;
    bool m_waiting = false; // a run of the queue is in progress
    bool m_cancelled = false;
};

} // namespace reglab::app
