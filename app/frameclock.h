// When a recording takes its frames: a video of N frames spreads the run's steps (or a preset's runs, an equal
// share of the frames each) over its length, so a ten-epoch run lasts the seconds asked for whatever its speed.
// The last frame is kept for the end, where the state is the still figure's.
#pragma once

#include <cstdint>

namespace reglab::app {

class FrameClock {
public:
    // `frames` in all, shared by `segments` runs one after another.
    FrameClock(int frames, int segments = 1);

    // The next run starts; it will take `steps` steps (its last frame is due when it has done them).
    void beginSegment(std::int64_t steps);
    // How many frames are due once the current run has done `step` steps: frame k shows the state once the run
    // is (k+1)/n of the way through its share. Never the last frame (the end's), 0 before a run starts.
    int dueAt(std::int64_t step) const;
    int frames() const { return m_frames; }
    int segment() const { return m_segment; }

private:
    int m_frames;
    int m_segments;
    int m_segment = -1;
    std::int64_t m_steps = 0;
};

} // namespace reglab::app
