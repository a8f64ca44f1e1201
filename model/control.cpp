#include "model/control.h"

#include <cmath>

namespace reglab {

void TrainControl::pause()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_paused.store(true);
}

void TrainControl::resume()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_paused.store(false);
    }
    m_wake.notify_all();
}

void TrainControl::requestStop()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop.store(true);
    }
    m_wake.notify_all();
}

void TrainControl::set(const std::string &key, const std::string &value)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    for (auto &[k, v] : m_pending)
        if (k == key) {
            v = value;
            m_dirty.store(true);
            return;
        }
    m_pending.emplace_back(key, value);
    m_dirty.store(true);
}

bool TrainControl::takeChanges(Changes &out)
{
    if (!m_dirty.load(std::memory_order_acquire))
        return false;
    std::lock_guard<std::mutex> lock(m_mutex);
    out.swap(m_pending);
    m_pending.clear();
    m_dirty.store(false);
    return !out.empty();
}

void TrainControl::requestSnapshot()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_snapshot.store(true);
    }
    m_wake.notify_all();
}

void TrainControl::setPace(double stepsPerSecond)
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_pace.store(std::isfinite(stepsPerSecond) && stepsPerSecond > 0 ? stepsPerSecond : 0.0);
    }
    m_wake.notify_all();
}

void TrainControl::waitUntil(std::chrono::steady_clock::time_point deadline)
{
    std::unique_lock<std::mutex> lock(m_mutex);
    const double pace = m_pace.load();
    m_wake.wait_until(lock, deadline, [this, pace] {
        return m_stop.load() || m_paused.load() || m_snapshot.load() || m_pace.load() != pace;
    });
}

bool TrainControl::waitWhilePaused()
{
    if (!m_paused.load() || m_stop.load())
        return !m_stop.load();
    std::unique_lock<std::mutex> lock(m_mutex);
    m_wake.wait(lock, [this] { return !m_paused.load() || m_stop.load() || m_snapshot.load(); });
    return !m_stop.load();
}

void TrainControl::reset()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_stop.store(false);
    m_paused.store(false);
    m_dirty.store(false);
    m_snapshot.store(false);
    m_pending = Changes{};
}

} // namespace reglab
