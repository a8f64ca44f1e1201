// Commands from another thread to a running trainer: pause, resume, stop and new values of live settings.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace reglab {

class TrainControl {
public:
    // Any thread.
    void pause();
    void resume();
    void requestStop();
    // Async-signal-safe: only stores an atomic flag (a paused trainer is not woken).
    void requestStopFromSignal() noexcept { m_stop.store(true); }
    // A live setting's new value, by its key in configFields() and as its flag takes it ("l1", "0.001";
    // "dropout", "0.5,0.5"). The trainer applies it at its next step through the table, and refuses (with no
    // change) a key that is not live or a value the setting does not allow. The newest value of a key wins.
    void set(const std::string &key, const std::string &value);
    // Asks for a WeightSnapshot now; a paused trainer sends it and stays paused.
    void requestSnapshot();
    // At most this many optimizer steps per second (0: as fast as it goes), so a teacher can talk over a run;
    // takes effect at once, even mid-run. It changes the speed, never the numbers.
    void setPace(double stepsPerSecond);
    double pace() const { return m_pace.load(); }
    bool isPaused() const { return m_paused.load(); }
    bool stopRequested() const { return m_stop.load(); }

    // Trainer side.
    // Takes the values set since the last call, by key in the order first set; cheap when nothing changed.
    using Changes = std::vector<std::pair<std::string, std::string>>;
    bool takeChanges(Changes &out);
    // Blocks while paused; returns false when a stop was requested. Returns early (true, still paused) when a
    // snapshot was requested: the trainer sends it and calls again.
    bool waitWhilePaused();
    // Takes a pending snapshot request.
    bool takeSnapshotRequest() { return m_snapshot.exchange(false); }
    // Waits until `deadline` (the paced time of the next step); returns early on a stop, a pause, a snapshot
    // request or a change of pace.
    void waitUntil(std::chrono::steady_clock::time_point deadline);
    // Clears stop, pause and pending changes so the object can drive another run (the pace stays: a setting).
    void reset();

private:
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_paused{false};
    std::atomic<bool> m_dirty{false};
    std::atomic<bool> m_snapshot{false};
    std::atomic<double> m_pace{0.0};
    std::mutex m_mutex;
    std::condition_variable m_wake;
    Changes m_pending;
};

} // namespace reglab
