// The lock a sweep's run holds on its name for its whole life (the journal's flock pattern), so that no two
// processes train one run at once: two pools on one folder, a pool resumed beside the children of a killed one,
// two array tasks given the same index.
#pragma once

#include <string>

namespace reglab {

// The exit status of a run whose lock another process holds: not trained here, and not a failure.
inline constexpr int kRunHeldElsewhereStatus = 75; // EX_TEMPFAIL
// How the pool hands a run's lock, taken in its child before the exec, to the run: the descriptor's number.
inline constexpr const char *kRunLockFdVariable = "REGLAB_SWEEP_LOCK_FD";

class SweepRunLock {
public:
    // OUT/logs/NAME.lock: beside the run's log, out of the way of the folder's records.
    static std::string lockPath(const std::string &outDir, const std::string &runName);
    // Takes the run's lock without waiting, or adopts the one the pool took for this process (kRunLockFdVariable).
    // A folder where no lock file can be made (read-only, a file system without locks) does not stop the run:
    // held() is true, without a lock.
    SweepRunLock(const std::string &outDir, const std::string &runName);
    ~SweepRunLock();
    SweepRunLock(const SweepRunLock &) = delete;
    SweepRunLock &operator=(const SweepRunLock &) = delete;
    // False when another process holds the lock: it is training the run.
    bool held() const { return m_held; }

private:
    int m_fd = -1;
    bool m_held = true;
};

} // namespace reglab
