// The one place a run's events are handed out: each goes to every registered RunView. During a run they are
// queued and handed out at the window's redraw tick (a run's end at once), and of the events that only say
// where things stand (progress, the panel's predictions) the newest is enough: a fast run costs the UI thread
// one batch per tick, however many events it sends.
#pragma once

#include "model/events.h"

#include <QObject>

#include <vector>

namespace reglab::ui {

class RunView;

class EventRouter : public QObject {
    Q_OBJECT
public:
    explicit EventRouter(QObject *parent = nullptr);

    // Hands the run's events to `view` too, after the views added before it. Not owned: the window that makes
    // the router makes the views, and they live as long as it does.
    void add(RunView *view);

    // Queues an event; `now`: hand out everything queued at once (no redraw tick is running).
    void post(const reglab::TrainEvent &event, bool now);
    // Hands out what is queued, in order; at a run's start (a RunInfo) it stops after that event and returns true:
    // the window lays itself out for the new run at this tick and draws the run's first points at the next, so the
    // two do not make one long stall (28 ms together on the sample, 8 and 20 apart).
    bool drain();
    // Every view's flush(): the redraw tick, after drain().
    void flush();
    // Every view's clear(): Reset.
    void clear();
    // After a Reset during a run: its events are dropped until its record arrives (finished() still comes).
    void setDiscarding(bool on) { m_discarding = on; }
    bool discarding() const { return m_discarding; }

Q_SIGNALS:
    // The run ended: its record, for the window to file.
    void finished(const reglab::RunRecord &record);

private:
    void dispatch(const reglab::TrainEvent &event);

    std::vector<RunView *> m_views;
    std::vector<reglab::TrainEvent> m_pending;
    bool m_discarding = false;
};

} // namespace reglab::ui
