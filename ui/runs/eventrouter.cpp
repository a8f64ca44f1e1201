#include "ui/runs/eventrouter.h"
#include "ui/live/digitpanel.h"
#include "ui/live/liveview.h"
#include "ui/network/networkpanel.h"
#include "ui/runs/runmodel.h"
#include "ui/window/statusline.h"

#include <algorithm>
#include <iterator>

namespace reglab::ui {

EventRouter::EventRouter(LiveView *live, StatusLine *status, DigitPanel *digits, NetworkPanel *network, RunModel *runs,
                         QObject *parent)
    : QObject(parent), m_live(live), m_status(status), m_digits(digits), m_network(network), m_runs(runs)
{
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

void EventRouter::dispatch(const reglab::TrainEvent &event)
{
    if (m_discarding && !std::holds_alternative<reglab::RunRecord>(event))
        return; // Reset during the run: it ends on cleared charts
    const int live = m_runs->liveId();
    std::visit(
        reglab::Overloaded{[&](const reglab::RunInfo &info) {
                               m_live->onStarted(info);
                               m_status->onStarted(info);
                               m_digits->setDigits(info.panelPixels, info.panelLabels, info.classNames);
                               m_network->setClassNames(info.classNames);
                           },
                           [&](const reglab::StepRecord &step) {
                               m_live->onStep(step);
                               m_runs->appendStep(live, step);
                           },
                           [&](const reglab::SettingChange &change) {
                               m_runs->appendChange(live, change);
                               if (const QString label = m_live->onChange(change); !label.isEmpty())
                                   m_status->showMessage(tr("%1 from step %2").arg(label).arg(change.step), 5000);
                           },
                           [&](const reglab::Progress &progress) { m_status->onProgress(progress); },
                           [&](const reglab::EpochRecord &epoch) {
                               m_live->onEpoch(epoch);
                               m_network->onEpoch(epoch);
                               m_runs->appendEpoch(live, epoch);
                           },
                           [&](const reglab::Predictions &predictions) { m_digits->setPredictions(predictions); },
                           [&](const reglab::WeightSnapshot &snapshot) {
                               m_runs->setSnapshot(live, std::make_shared<const reglab::WeightSnapshot>(snapshot));
                               m_network->onWeights(snapshot);
                           },
                           [&](const reglab::GradientBalance &balance) { m_network->onGradientBalance(balance); },
                           [&](const reglab::ValidationDetail &detail) { m_network->onValidationDetail(detail); },
                           [&](const reglab::RunRecord &record) { Q_EMIT finished(record); }},
        event);
}

} // namespace reglab::ui
