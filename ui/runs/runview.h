// What every view of the run in progress implements, so the EventRouter can hand the run's events to it without
// knowing what it shows: a run begins, an event arrives, the window is about to redraw, the run's figures go.
// A new view is its own files plus one entry in the list of views the window adds (EventRouter::add).
#pragma once

#include "model/events.h"

namespace reglab::ui {

class RunView {
public:
    RunView() = default;
    RunView(const RunView &) = delete;
    RunView &operator=(const RunView &) = delete;
    virtual ~RunView() = default;

    // The run started (its RunInfo, handed out alone at its redraw tick).
    virtual void onStarted(const reglab::RunInfo &info) = 0;
    // Any later event of the run but its end (the finished RunRecord goes to EventRouter::finished); a view
    // handles the types it shows and ignores the rest.
    virtual void onEvent(const reglab::TrainEvent &event) = 0;
    // The window's redraw tick: what arrived goes to the screen.
    virtual void flush() {}
    // Reset: the run's figures go.
    virtual void clear() {}
};

} // namespace reglab::ui
