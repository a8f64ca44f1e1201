// What the reglab-train tests share: running the built binary, spawning it, waiting, journals, a temporary folder.
#pragma once

#include "app/cliargs.h"
#include "model/blaskernels.h"
#include "model/journal.h"
#include "model/runrecord.h"
#include "testing.h"

#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

using namespace reglab;

// Built with AddressSanitizer (scripts/test's build-asan): its shadow memory does not fit under ulimit -v, and its
// quarantine keeps what was freed, so memory limits and peak-memory bounds are not checked there.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

// Journals of the runs these tests start go to a folder of their own, not the user's.
inline const bool kIsolated = [] {
    char pattern[] = "/tmp/reglab-cli-xdg-XXXXXX";
    ::setenv("XDG_DATA_HOME", ::mkdtemp(pattern), 1);
    return true;
}();

struct Result {
    int status = -1;
    std::string out, err;
};

inline std::string slurp(const std::string &path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Writes `text` to dir/name and returns the path.
inline std::string write(const std::string &dir, const std::string &name, const std::string &text)
{
    std::ofstream(dir + "/" + name) << text;
    return dir + "/" + name;
}

inline Result run(const std::string &args)
{
    // Files of this process's own: another checkout's tests may run at the same time.
    static const std::string dir = [] {
        char pattern[] = "/tmp/reglab-cli-run-XXXXXX";
        return std::string(::mkdtemp(pattern));
    }();
    const std::string out = dir + "/out", err = dir + "/err";
    const std::string cmd = std::string(REGLAB_TRAIN_EXE) + " " + args + " >" + out + " 2>" + err;
    const int raw = std::system(cmd.c_str());
    return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(out), slurp(err)};
}

inline bool contains(const std::string &text, const std::string &needle)
{
    if (text.find(needle) != std::string::npos)
        return true;
    std::fprintf(stderr, "expected '%s' in: %s\n", needle.c_str(), text.c_str());
    return false;
}

// A small, quick network for runs whose results do not matter.
const std::string kQuick = "--device cpu --hidden 16 --dropout 0 --quiet";

// Starts reglab-train with `args`, stdout and stderr into files.
inline pid_t spawn(const std::vector<std::string> &args, const std::string &out = "/dev/null",
            const std::string &err = "/dev/null")
{
    std::fflush(stdout);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        if (!::freopen(out.c_str(), "w", stdout) || !::freopen(err.c_str(), "w", stderr))
            _exit(98);
        std::vector<char *> argv{const_cast<char *>("reglab-train")};
        for (const auto &a : args)
            argv.push_back(const_cast<char *>(a.c_str()));
        argv.push_back(nullptr);
        ::execv(REGLAB_TRAIN_EXE, argv.data());
        _exit(99);
    }
    return pid;
}

// The exit status of `pid`, or 1000 + N when signal N ended it.
inline int waitStatus(pid_t pid)
{
    int raw = 0;
    ::waitpid(pid, &raw, 0);
    return WIFEXITED(raw) ? WEXITSTATUS(raw) : 1000 + WTERMSIG(raw);
}

// Polls `done` every 20 ms for up to `seconds`.
inline bool waitFor(const std::function<bool()> &done, double seconds)
{
    for (int i = 0; i < seconds * 50; ++i) {
        if (done())
            return true;
        ::usleep(20 * 1000);
    }
    return done();
}

// A journal in `dir` holding at least `count` lines of `type` ("step", "epoch"), or "".
inline std::string journalWith(const std::string &dir, const std::string &type, std::size_t count)
{
    std::string found;
    if (DIR *d = ::opendir(dir.c_str())) {
        while (const dirent *e = ::readdir(d)) {
            if (std::string(e->d_name).rfind("run-", 0) != 0)
                continue;
            const std::string text = slurp(dir + "/" + e->d_name), needle = "\"type\":\"" + type + "\"";
            std::size_t n = 0;
            for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
                ++n;
            if (n >= count)
                found = dir + "/" + e->d_name;
        }
        ::closedir(d);
    }
    return found;
}

// Whether process `pid` runs reglab-train (not this program's fork before its exec) and catches `signal` yet (its
// handlers are in place before its libraries load).
inline bool catches(pid_t pid, int signal)
{
    if (slurp("/proc/" + std::to_string(pid) + "/comm") != "reglab-train\n")
        return false;
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("SigCgt:", 0) == 0)
            return (std::stoull(line.substr(7), nullptr, 16) >> (signal - 1)) & 1;
    return false;
}

inline std::string tempDir()
{
    char pattern[] = "/tmp/reglab-cli-XXXXXX";
    const char *dir = ::mkdtemp(pattern);
    REQUIRE(dir != nullptr);
    return dir;
}

