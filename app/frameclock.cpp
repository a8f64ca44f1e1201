// FrameClock: the run's steps mapped onto the video's frames.
#include "app/frameclock.h"

#include <algorithm>

namespace reglab::app {

FrameClock::FrameClock(int frames, int segments) : m_frames(std::max(1, frames)), m_segments(std::max(1, segments)) {}

void FrameClock::beginSegment(std::int64_t steps)
{
    m_segment = std::min(m_segment + 1, m_segments - 1); // a run more than announced shares the last share
    m_steps = std::max<std::int64_t>(1, steps);
}

int FrameClock::dueAt(std::int64_t step) const
{
    if (m_segment < 0)
        return 0;
    const std::int64_t first = std::int64_t(m_frames) * m_segment / m_segments;
    const std::int64_t end = std::int64_t(m_frames) * (m_segment + 1) / m_segments;
    const std::int64_t done = std::clamp<std::int64_t>(step, 0, m_steps);
    const std::int64_t due = first + (end - first) * done / m_steps;
    return int(std::min<std::int64_t>(due, m_frames - 1));
}

} // namespace reglab::app
