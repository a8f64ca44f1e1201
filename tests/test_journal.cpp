// Journals: the writer's flock() tells a run going on from an interrupted one, whatever process ids say (a reused
// pid, another PID namespace); a journal kept until discard() survives a failed save with the run's outcome; odd
// entries in the journal folder never block a scan.
#include "model/journal.h"
#include "testing.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

using namespace reglab;

namespace {

std::string tempDir()
{
    char pattern[] = "/tmp/reglab-journal-XXXXXX";
    const char *dir = ::mkdtemp(pattern);
    REQUIRE(dir != nullptr);
    return dir;
}

bool exists(const std::string &path)
{
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

TrainConfig config()
{
    TrainConfig c;
    c.seed = std::numeric_limits<std::uint64_t>::max(); // every seed must round-trip, this one too
    c.l1 = 0.01;
    return c;
}

// The start of a run and one epoch of it.
void startRun(JournalObserver &journal, const std::string &dataName = "MNIST sample")
{
    journal.setConfig(config());
    RunInfo info;
    info.device = "cpu";
    info.dataName = dataName;
    journal.onEvent(info);
    StepRecord step;
    step.step = 1;
    step.epoch = 1;
    step.loss = step.dataLoss = 2.3;
    journal.onEvent(step);
    EpochRecord epoch;
    epoch.epoch = 1;
    epoch.step = 160;
    epoch.valAccuracy = epoch.testAccuracy = 0.8;
    journal.onEvent(epoch);
}

RunRecord finishedRecord()
{
    RunRecord r;
    r.config = config();
    r.status = RunStatus::Finished;
    r.totalSeconds = 1.5;
    return r;
}

} // namespace

TEST_CASE("a live journal is never listed or removed; once its writer is gone it is recovered")
{
    const std::string dir = tempDir();
    std::string path;
    {
        JournalObserver journal(dir, nullptr, JournalObserver::End::KeepUntilDiscard);
        startRun(journal);
        path = journal.path();
        REQUIRE(exists(path));
        CHECK(interruptedJournals(dir).empty());
        CHECK(!discardJournal(path));
        CHECK(!JournalClaim(path).claimed());
        CHECK(exists(path));
        // The run ends; its record is not saved yet: the journal stays, with the outcome, and stays locked.
        journal.onEvent(finishedRecord());
        CHECK(exists(path));
        CHECK(interruptedJournals(dir).empty());
    } // the program ends without discard(): a failed save, say
    REQUIRE((interruptedJournals(dir) == std::vector<std::string>{path}));
    const RunRecord r = recoverJournal(path);
    CHECK(r.status == RunStatus::Finished);
    CHECK_EQ(r.message, std::string());
    CHECK_EQ(r.totalSeconds, 1.5);
    CHECK_EQ(r.config.seed, std::numeric_limits<std::uint64_t>::max());
    CHECK_EQ(r.epochs.size(), 1u);
    CHECK_EQ(r.versions.at("recovered_from"), path);
    {
        JournalClaim claim(path);
        REQUIRE(claim.claimed());
        CHECK(!discardJournal(path)); // claimed by another: not removed behind its back
        CHECK(claim.remove());
    }
    CHECK(!exists(path));
}

TEST_CASE("journals end as their mode says")
{
    const std::string dir = tempDir();
    JournalObserver removed(dir, nullptr); // the dashboard's: gone when the run ends
    startRun(removed);
    const std::string first = removed.path();
    removed.onEvent(finishedRecord());
    CHECK(!exists(first));
    JournalObserver kept(dir, nullptr, JournalObserver::End::KeepUntilDiscard);
    startRun(kept);
    kept.onEvent(finishedRecord());
    CHECK(kept.hasJournal());
    CHECK(kept.discard());
    CHECK(!exists(kept.path()));
    CHECK(!kept.hasJournal());
    // Nothing but the journals was ever in the folder: no temporary file is left from their creation.
    CHECK(interruptedJournals(dir).empty());
    CHECK_EQ(std::system(("test -z \"$(ls -A " + dir + ")\"").c_str()), 0);
}

// Another process holds the lock (a container, a second host on a shared home): its run is live whatever its pid
// means here. SIGKILL releases the lock: the run is interrupted, and recovered as far as it went.
TEST_CASE("a journal locked by another process is live until that process dies")
{
    const std::string dir = tempDir();
    int pipeFds[2];
    REQUIRE(::pipe(pipeFds) == 0);
    std::fflush(stdout);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        JournalObserver journal(dir, nullptr, JournalObserver::End::KeepUntilDiscard);
        startRun(journal);
        const std::string path = journal.path() + "\n";
        (void)!::write(pipeFds[1], path.data(), path.size());
        ::pause();
        ::_exit(0);
    }
    ::close(pipeFds[1]);
    std::string path;
    char c = 0;
    while (::read(pipeFds[0], &c, 1) == 1 && c != '\n')
        path += c;
    ::close(pipeFds[0]);
    REQUIRE(!path.empty());
    CHECK(interruptedJournals(dir).empty());
    CHECK(!discardJournal(path));
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    REQUIRE((interruptedJournals(dir) == std::vector<std::string>{path}));
    const RunRecord r = recoverJournal(path);
    CHECK(r.status == RunStatus::Stopped);
    CHECK(r.message.find("recovered after the program ended during training") != std::string::npos);
    CHECK(discardJournal(path));
}

// Process ids say nothing about a journal with a lock: a live pid in its name (reused, or another namespace's)
// does not hide an interrupted run. Journals of RegLab before locks still go by their pid.
TEST_CASE("process ids decide only for journals written before locks")
{
    const std::string dir = tempDir();
    const std::string start = "{\"type\":\"start\",\"format\":\"reglab-journal\",\"config\":{}";
    const auto write = [&](const std::string &name, const std::string &line) {
        std::ofstream(dir + "/" + name) << line << "\n";
        return dir + "/" + name;
    };
    const std::string self = std::to_string(::getpid());
    const std::string reused = write("run-20260101T000000-" + self + "-abcd1234.jsonl", start + ",\"lock\":\"flock\"}");
    const std::string oldLive = write("run-20260101T000000-" + self + "-0.jsonl", start + "}");
    const pid_t gone = ::fork();
    if (gone == 0)
        ::_exit(0);
    ::waitpid(gone, nullptr, 0);
    const std::string oldGone = write("run-20260101T000000-" + std::to_string(gone) + "-0.jsonl", start + "}");
    const auto listed = interruptedJournals(dir);
    CHECK((std::set<std::string>(listed.begin(), listed.end()) == std::set<std::string>{oldGone, reused}));
    CHECK(!discardJournal(oldLive)); // an old journal whose process is there
    CHECK(exists(oldLive));
}

// A FIFO, a link or a damaged file where a journal should be: listed so the user is told, refused at once.
TEST_CASE("odd entries in the journal folder never block")
{
    const std::string dir = tempDir();
    REQUIRE(::mkfifo((dir + "/run-fifo.jsonl").c_str(), 0644) == 0);
    REQUIRE(::symlink("/dev/zero", (dir + "/run-zero.jsonl").c_str()) == 0);
    const auto start = std::chrono::steady_clock::now();
    const auto listed = interruptedJournals(dir);
    CHECK_EQ(listed.size(), 2u);
    CHECK_THROWS_CONTAINING(recoverJournal(dir + "/run-fifo.jsonl"), RecordError, "named pipe (FIFO), not a journal");
    CHECK_THROWS_CONTAINING(recoverJournal(dir + "/run-zero.jsonl"), RecordError, "character device");
    CHECK_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 2.0);
    CHECK(discardJournal(dir + "/run-fifo.jsonl"));
    CHECK(discardJournal(dir + "/run-zero.jsonl")); // the link goes, /dev/zero stays
    CHECK(exists("/dev/zero"));
    CHECK(interruptedJournals(dir).empty());
}

TEST_CASE("a journal keeps names that are not utf-8 and skips a torn last line")
{
    const std::string dir = tempDir();
    const std::string name = std::string("/tmp/data-\xff\xfe");
    std::string path;
    {
        JournalObserver journal(dir, nullptr, JournalObserver::End::KeepUntilDiscard);
        startRun(journal, name);
        path = journal.path();
    }
    // A folder whose name is not UTF-8 as the data source, and a line the crash cut short.
    JournalObserver journal(dir, nullptr, JournalObserver::End::KeepUntilDiscard);
    TrainConfig c = config();
    c.data = name;
    journal.setConfig(c);
    RunInfo info;
    info.dataName = name;
    journal.onEvent(info);
    const std::string second = journal.path();
    std::ofstream(second, std::ios::app) << "{\"type\":\"epoch\",\"epoch\":1,\"te"; // cut mid-write
    const RunRecord r = recoverJournal(second);
    CHECK_EQ(r.config.data, name);
    CHECK_EQ(r.dataName, name);
    CHECK(r.epochs.empty());
    CHECK_EQ(recoverJournal(path).dataName, name);
}
