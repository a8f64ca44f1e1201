// The lock a sweep's run holds on its name (see sweeprunlock.h).
#include "app/sweeprunlock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace reglab {

std::string SweepRunLock::lockPath(const std::string &outDir, const std::string &runName)
{
    return outDir + "/logs/" + runName + ".lock";
}

SweepRunLock::SweepRunLock(const std::string &outDir, const std::string &runName)
{
    const std::string path = lockPath(outDir, runName);
    // The pool's lock, taken in its child: the same file, already ours. Used once, never passed on.
    if (const char *fdText = std::getenv(kRunLockFdVariable)) {
        const int fd = std::atoi(fdText);
        ::unsetenv(kRunLockFdVariable);
        struct stat mine {}, there{};
        if (fd > 2 && ::fstat(fd, &mine) == 0 && ::stat(path.c_str(), &there) == 0 && mine.st_dev == there.st_dev &&
            mine.st_ino == there.st_ino && ::flock(fd, LOCK_EX | LOCK_NB) == 0) {
            ::fcntl(fd, F_SETFD, FD_CLOEXEC);
            m_fd = fd;
            return;
        }
    }
    m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0)
        return; // no lock file can be made here: the run goes on, unguarded
    if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
        m_held = false;
        ::close(m_fd);
        m_fd = -1;
    }
}

SweepRunLock::~SweepRunLock()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

} // namespace reglab
