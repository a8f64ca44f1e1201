// The one place a run's events are handled: each goes to the widgets that show it. During a run they are
// queued and handed out at the window's redraw tick (a run's end at once), and of the events that only say
// where things stand (progress, the panel's predictions) the newest is enough: a fast run costs the UI thread
// one batch per tick, however many events it sends.
#pragma once

#include "model/events.h"

#include <QObject>

#include <vector>

namespace reglab::ui {

class DigitPanel;
class LiveView;
class NetworkPanel;
class RunModel;
class StatusLine;

class EventRouter : public QObject {
    Q_OBJECT
public:
    EventRouter(LiveView *live, StatusLine *status, DigitPanel *digits, NetworkPanel *network, RunModel *runs,
                QObject *parent = nullptr);

    // Queues an event; `now`: hand out everything queued at once (no redraw tick is running).
    void post(const reglab::TrainEvent &event, bool now);
    // Hands out what is queued, in order; at a run's start (a RunInfo) it stops after that event and returns true:
    // the window lays itself out for the new run at this tick and draws the run's first points at the next, so the
    // two do not make one long stall (28 ms together on the sample, 8 and 20 apart).
    bool drain();
    // After a Reset during a run: its events are dropped until its record arrives (finished() still comes).
    void setDiscarding(bool on) { m_discarding = on; }
    bool discarding() const { return m_discarding; }

Q_SIGNALS:
    // The run ended: its record, for the window to file.
    void finished(const reglab::RunRecord &record);

private:
    void dispatch(const reglab::TrainEvent &event);

    LiveView *m_live;
    StatusLine *m_status;
    DigitPanel *m_digits;
    NetworkPanel *m_network;
    RunModel *m_runs;
    std::vector<reglab::TrainEvent> m_pending;
    bool m_discarding = false;
};

} // namespace reglab::ui
