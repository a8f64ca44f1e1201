#include "app/presetqueue.h"

#include "app/trainingcontroller.h"

namespace reglab::app {

PresetQueue::PresetQueue(TrainingController &controller, QObject *parent) : QObject(parent), m_controller(controller)
{
    connect(&m_controller, &TrainingController::event, this, [this](const reglab::TrainEvent &e) {
        if (const auto *record = std::get_if<reglab::RunRecord>(&e))
            onFinished(*record);
    });
}

void PresetQueue::start(const QString &presetName, const std::vector<reglab::PresetRun> &runs)
{
    m_name = presetName;
    m_runs = runs;
    m_next = 0;
    m_waiting = false;
    m_cancelled = false;
    startNext();
}

void PresetQueue::cancel()
{
    if (!isActive())
        return;
    m_cancelled = true;
    m_runs.resize(m_waiting ? m_next : 0); // the run in progress keeps its label
    if (!m_waiting)
        startNext();
}

QString PresetQueue::currentLabel() const
{
    return m_waiting && m_next > 0 ? QString::fromStdString(m_runs[m_next - 1].label) : QString();
}

void PresetQueue::startNext()
{
    if (m_next >= m_runs.size()) {
        const bool completed = !m_cancelled;
        m_runs.clear();
        m_next = 0;
        Q_EMIT queueEnded(m_name, completed, completed ? QString() : tr("cancelled"));
        return;
    }
    const reglab::PresetRun &run = m_runs[m_next++];
    m_waiting = true;
    Q_EMIT runStarting(int(m_next), int(m_runs.size()), QString::fromStdString(run.label), run.config);
    m_controller.start(run.config); // queued by the controller if the previous run's thread is still ending
}

void PresetQueue::onFinished(const reglab::RunRecord &record)
{
    if (!m_waiting)
        return; // a run started by hand
    m_waiting = false;
    const QString label = QString::fromStdString(m_runs[m_next - 1].label);
    Q_EMIT runEnded(label, record);
    // A diverged run is a result worth keeping (the lesson may be about it); a stop or a failure ends the queue.
    if (record.status == reglab::RunStatus::Stopped || record.status == reglab::RunStatus::Failed) {
        const QString why = record.status == reglab::RunStatus::Stopped
                                ? tr("stopped")
                                : tr("run \"%1\" failed: %2").arg(label, QString::fromStdString(record.message));
        m_runs.clear();
        m_next = 0;
        Q_EMIT queueEnded(m_name, false, why);
        return;
    }
    startNext();
}

} // namespace reglab::app
