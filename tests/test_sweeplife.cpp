// A sweep's whole life (issue 23): one stop signal, to the pool or to its whole process group, stops the pool
// promptly with its summary and every run keeps what it computed; a killed pool's runs stop too; a run is never
// trained by two processes at once; a run killed by SIGKILL keeps its epochs and runs again on resume; a record
// of other settings under a run's name is kept and said, not taken as done.
#include "app/sweepcommand.h"
#include "app/sweeprunlock.h"
#include "model/journal.h"
#include "model/runrecord.h"
#include "clitest.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

using namespace reglab;

namespace {

// Journals of the runs a test starts go to a folder of that test's own (its children inherit the variable).
std::string freshJournals()
{
    ::setenv("XDG_DATA_HOME", tempDir().c_str(), 1);
    return defaultJournalDir();
}

// A pool of `args` in a process group of its own (as a shell's job is), stdout and stderr into `dir`.
pid_t startPool(const std::string &dir, const std::vector<std::string> &args)
{
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::setpgid(0, 0);
        if (!::freopen((dir + "/err").c_str(), "w", stderr) || !::freopen((dir + "/stdout").c_str(), "w", stdout))
            _exit(98);
        std::vector<char *> argv{const_cast<char *>("reglab-train")};
        for (const std::string &a : args)
            argv.push_back(const_cast<char *>(a.c_str()));
        argv.push_back(nullptr);
        ::execv(REGLAB_TRAIN_EXE, argv.data());
        _exit(99);
    }
    return pid;
}

// The journals in `dir` holding a line of `type` ("step", "epoch").
std::vector<std::string> journalsWith(const std::string &dir, const std::string &type)
{
    std::vector<std::string> found;
    if (DIR *d = ::opendir(dir.c_str())) {
        while (const dirent *e = ::readdir(d))
            if (std::string(e->d_name).rfind("run-", 0) == 0 &&
                slurp(dir + "/" + e->d_name).find("\"type\":\"" + type + "\"") != std::string::npos)
                found.push_back(dir + "/" + e->d_name);
        ::closedir(d);
    }
    return found;
}

// The exit status, or 1000 + N for signal N; -1 when it has not ended within `seconds`.
int waitExit(pid_t pid, double seconds)
{
    int raw = 0;
    if (!waitFor([&] { return ::waitpid(pid, &raw, WNOHANG) == pid; }, seconds))
        return -1;
    return WIFEXITED(raw) ? WEXITSTATUS(raw) : 1000 + WTERMSIG(raw);
}

// Runs that train until stopped: a small network, many epochs.
std::string longSweep(const std::string &dir, int runs)
{
    std::string seeds;
    for (int i = 0; i < runs; ++i)
        seeds += (i ? ", " : "") + std::to_string(i);
    return write(dir, "long.json", R"({"format": "reglab-sweep", "name": "long",
      "base": {"hidden": [16], "dropout": [0], "epochs": 500, "device": "cpu"}, "vary": {"seed": [)" + seeds + "]}}");
}

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

// One SIGTERM with runs still waiting once hung the pool for 60 s, which then left through its watchdog without
// a summary; `timeout`'s SIGTERM to the whole group reached the runs twice, and they died without a record.
TEST_CASE("one sigterm to the pool's group stops it promptly with its summary, and the run saves")
{
    const std::string journals = freshJournals(), dir = tempDir(), out = dir + "/out";
    const pid_t pool = startPool(dir, {"--sweep", longSweep(dir, 3), "--out-dir", out, "--jobs", "1"});
    REQUIRE(waitFor([&] { return !journalsWith(journals, "step").empty(); }, 60));
    const auto stopped = std::chrono::steady_clock::now();
    ::kill(-pool, SIGTERM); // the group, as timeout and a terminal's Ctrl-C signal it
    CHECK_EQ(waitExit(pool, 30), 128 + SIGTERM);
    CHECK(secondsSince(stopped) < 15);
    CHECK(contains(slurp(dir + "/err"), "sweep stopped: 0 of 3 run(s) done"));
    const RunRecord r = runRecordFromJson(slurp(out + "/0000-seed_0.json"));
    CHECK(r.status == RunStatus::Stopped);
    CHECK(contains(r.message, "SIGTERM"));
    CHECK(!slurp(out + "/logs/0000-seed_0.log").empty());
    CHECK(journalsWith(journals, "start").empty()); // saved, so its journal is gone
}

// Once the pool was killed its runs trained on, and a resume started the same runs beside them.
TEST_CASE("a pool killed with sigkill stops its runs, which save what they computed")
{
    const std::string journals = freshJournals(), dir = tempDir(), out = dir + "/out";
    const pid_t pool = startPool(dir, {"--sweep", longSweep(dir, 1), "--out-dir", out, "--jobs", "1"});
    REQUIRE(waitFor([&] { return !journalsWith(journals, "step").empty(); }, 60));
    ::kill(pool, SIGKILL);
    ::waitpid(pool, nullptr, 0);
    // The run is told (SIGINT), stops, saves its record and removes its journal.
    CHECK(waitFor([&] { return journalsWith(journals, "start").empty(); }, 20));
    const RunRecord r = runRecordFromJson(slurp(out + "/0000-seed_0.json"));
    CHECK(r.status == RunStatus::Stopped);
    CHECK(contains(r.message, "Ctrl-C (SIGINT)"));
}

// Two pools on one folder each trained every run. A run holds a lock on its name for its life.
TEST_CASE("a run another process holds is left to it, by a task and by the pool")
{
    freshJournals();
    const std::string dir = tempDir(), out = dir + "/out";
    const std::string sweep = longSweep(dir, 1);
    REQUIRE(::mkdir(out.c_str(), 0755) == 0);
    REQUIRE(::mkdir((out + "/logs").c_str(), 0755) == 0);
    const int held = ::open(SweepRunLock::lockPath(out, "0000-seed_0").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    REQUIRE(held >= 0);
    REQUIRE(::flock(held, LOCK_EX | LOCK_NB) == 0); // as the other process's run holds it
    const Result task = run("--sweep " + sweep + " --out-dir " + out + " --task 0");
    CHECK_EQ(task.status, kRunHeldElsewhereStatus);
    CHECK(contains(task.out, "run 0 (0000-seed_0) is being trained by another process"));
    const Result pool = run("--sweep " + sweep + " --out-dir " + out);
    CHECK_EQ(pool.status, 1);
    CHECK(contains(pool.err, "run 0 (0000-seed_0) is being trained by another process; left to it"));
    CHECK(contains(pool.out, "0 run(s) done"));
    CHECK(contains(pool.out, "1 left to another process training them"));
    CHECK(::access((out + "/0000-seed_0.json").c_str(), F_OK) != 0); // nothing written over the other's run
    CHECK(slurp(out + "/logs/0000-seed_0.log").empty());             // nor its log
    ::close(held);
}

// A run killed by SIGKILL (the out-of-memory killer) once got a permanent "failed" record without its epochs, and
// a resume never ran it again.
TEST_CASE("a run killed by sigkill keeps its epochs from its journal and runs again on resume")
{
    const std::string journals = freshJournals(), dir = tempDir(), out = dir + "/out";
    const std::string sweep = longSweep(dir, 1);
    const pid_t pool = startPool(dir, {"--sweep", sweep, "--out-dir", out, "--jobs", "1"});
    REQUIRE(waitFor([&] { return !journalsWith(journals, "epoch").empty(); }, 60));
    // run-STAMP-PID-TAG.jsonl: the run's process.
    const std::string name = journalsWith(journals, "epoch").front();
    const std::string base = name.substr(name.rfind('/') + 1);
    const std::size_t end = base.rfind('-'), start = base.rfind('-', end - 1);
    const pid_t run = pid_t(std::stol(base.substr(start + 1, end - start - 1)));
    ::kill(run, SIGKILL);
    CHECK_EQ(waitExit(pool, 30), 1);
    CHECK(contains(slurp(dir + "/err"), "run 0 (0000-seed_0) was killed by signal 9; what it computed is in its "
                                        "record, from its journal"));
    CHECK(contains(slurp(dir + "/stdout"), "1 failed (a failed run runs again when the same command is given again)"));
    const RunRecord r = runRecordFromJson(slurp(out + "/0000-seed_0.json"));
    CHECK(r.status == RunStatus::Failed);
    CHECK_GE(r.epochs.size(), 1u);
    CHECK(contains(r.message, "killed by signal 9 (SIGKILL: the out-of-memory killer, or kill -9) after"));
    CHECK(journalsWith(journals, "start").empty());
    std::string difference;
    CHECK(sweepRunState(out + "/0000-seed_0.json", r.config, &difference) == SweepRunState::ToRun);
}

// A finished record with other settings under a run's name (an earlier version of the sweep) was taken as done.
TEST_CASE("a record of other settings under a run's name is kept and said, not taken as done")
{
    freshJournals();
    const std::string dir = tempDir(), out = dir + "/out";
    const std::string sweep = write(dir, "s.json", R"({"format": "reglab-sweep", "name": "s",
      "base": {"hidden": [16], "dropout": [0], "epochs": 1, "device": "cpu"}, "vary": {"l1": [0.001]}})");
    REQUIRE(::mkdir(out.c_str(), 0755) == 0);
    RunRecord other;
    other.status = RunStatus::Finished;
    other.config.hidden = {16};
    other.config.dropout = {0};
    other.config.epochs = 1;
    other.config.device = "cpu";
    other.config.l1 = 0.5;
    const std::string record = out + "/0000-l1_0.001.json", text = toJson(other);
    REQUIRE(writeFileAtomically(record, text).empty());
    std::string difference;
    CHECK(sweepRunState(record, other.config) == SweepRunState::Done);
    TrainConfig mine = other.config;
    mine.l1 = 0.001;
    mine.threads = 1; // the machine's: never a difference
    CHECK(sweepRunState(record, mine, &difference) == SweepRunState::OtherSettings);
    CHECK_EQ(difference, "l1 0.5 in the record, 0.001 in the sweep");
    const Result task = run("--sweep " + sweep + " --out-dir " + out + " --task 0");
    CHECK_EQ(task.status, 2);
    CHECK(contains(task.err, record + " is a record of other settings (l1 0.5 in the record, 0.001 in the sweep); it "
                             "is kept and the run is not trained"));
    const Result list = run("--sweep " + sweep + " --out-dir " + out + " --list");
    CHECK(contains(list.out, "[a record of other settings: l1 0.5 in the record, 0.001 in the sweep]"));
    CHECK_EQ(slurp(record), text);
}
