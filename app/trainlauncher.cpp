// reglab-train as users and scripts start it: blocks the signals, then becomes the trainer (libexec). Loading
// LibTorch takes the dynamic loader a few hundred milliseconds before any code of the trainer runs, and a SIGTERM,
// SIGINT or SIGHUP then ended the process in its default way, without a message or its 128+N status. Blocked,
// such a signal waits across the exec for the trainer's handlers, which restore this mask
// (kSignalMaskVariable) as soon as they are in place. Only libc here, so this runs within a millisecond.
#include "model/signalmask.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

std::string folderOf(const std::string &path)
{
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

} // namespace

int main(int, char **argv)
{
    const sigset_t block = reglab::startupBlockMask();
    sigset_t old;
    ::sigprocmask(SIG_BLOCK, &block, &old);
    if (!std::getenv(reglab::kSignalMaskVariable))
        ::setenv(reglab::kSignalMaskVariable, reglab::maskText(old).c_str(), 1);
    char self[4096];
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    const std::string here = n > 0 ? folderOf(std::string(self, std::size_t(n))) : std::string(".");
    // The trainer keeps the name reglab-train (what ps, pkill and its messages show): in core/ beside this file in
    // the build tree, in libexec/reglab once installed.
    ::setenv("REGLAB_TRAIN_LAUNCHER", n > 0 ? std::string(self, std::size_t(n)).c_str() : argv[0], 1);
    for (const std::string &trainer : {here + "/core/reglab-train", here + "/" REGLAB_TRAINER_FROM_BINDIR})
        ::execv(trainer.c_str(), argv);
    const int error = errno;
    ::sigprocmask(SIG_SETMASK, &old, nullptr);
    std::fprintf(stderr, "reglab-train: cannot start the trainer %s/%s (%s); reinstall RegLab\n", here.c_str(),
                 REGLAB_TRAINER_FROM_BINDIR, std::strerror(error));
    return 127;
}
