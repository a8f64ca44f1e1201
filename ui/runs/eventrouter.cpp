#include "ui/runs/eventrouter.h"
#include "ui/runs/runview.h"

#include <algorithm>
#include <iterator>

namespace reglab::ui {

EventRouter::EventRouter(QObject *parent) : QObject(parent) {}

void EventRouter::add(RunView *view)
{
    m_views.push_back(view);
}

void EventRouter::post(const reglab::TrainEvent &event, bool now)
{
    m_pending.push_back(event);
    if (now || std::holds_alternative<reglab::RunRecord>(event))
        while (drain()) {
        }
}

bool EventRouter::drain()
{
    std::vector<reglab::TrainEvent> events;
    events.swap(m_pending);
    // A run's start is handed out alone with what came before it: what follows waits for the next tick.
    const auto start = std::find_if(events.begin(), events.end(), [](const reglab::TrainEvent &e) {
        return std::holds_alternative<reglab::RunInfo>(e);
    });
    const bool started = start != events.end();
    if (started && std::next(start) != events.end()) {
        m_pending.assign(std::make_move_iterator(std::next(start)), std::make_move_iterator(events.end()));
        events.erase(std::next(start), events.end());
    }
    bool laterProgress = false, laterPredictions = false;
    std::vector<bool> superseded(events.size(), false);
    for (std::size_t i = events.size(); i-- > 0;) {
        if (std::holds_alternative<reglab::Progress>(events[i])) {
            superseded[i] = laterProgress;
            laterProgress = true;
        } else if (std::holds_alternative<reglab::Predictions>(events[i])) {
            superseded[i] = laterPredictions;
            laterPredictions = true;
        }
    }
    for (std::size_t i = 0; i < events.size(); ++i)
        if (!superseded[i])
            dispatch(events[i]);
    return started;
}

void EventRouter::flush()
{
    for (RunView *view : m_views)
        view->flush();
}

void EventRouter::clear()
{
    for (RunView *view : m_views)
        view->clear();
}

void EventRouter::dispatch(const reglab::TrainEvent &event)
{
    if (const auto *record = std::get_if<reglab::RunRecord>(&event)) {
        Q_EMIT finished(*record); // even while discarding: the window files the record of a run reset mid-way
        return;
    }
    if (m_discarding)
        return; // Reset during the run: it ends on cleared charts
    if (const auto *info = std::get_if<reglab::RunInfo>(&event)) {
        for (RunView *view : m_views)
            view->onStarted(*info);
        return;
    }
    for (RunView *view : m_views)
        view->onEvent(event);
}

} // namespace reglab::ui
