#include "model/journal.h"
#include "model/safefile.h"

#include "model/jsonio.h"
#include "model/runrecordbuilder.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio_ext.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <mutex>
#include <random>
#include <set>

namespace reglab {

using namespace jsonio;

std::string defaultJournalDir()
{
    if (const char *xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        return std::string(xdg) + "/RegLab/journal";
    const char *home = std::getenv("HOME");
    return std::string(home && *home ? home : ".") + "/.local/share/RegLab/journal";
}

namespace {

// Marks a journal whose writer holds its flock(); journals without it come from RegLab before locks.
constexpr const char *kLockKey = "lock";
constexpr const char *kLockValue = "flock";
// A journal larger than this is not one (a long dashboard session writes a few MB an hour).
constexpr off_t kMaxJournalBytes = off_t(1) << 30;

Json typed(Json line, const char *type)
{
    line["type"] = type;
    return line;
}


// The journals this process writes. flock() already keeps another open file of the same journal from taking
// its lock; this list also covers file systems that emulate flock() with per-process POSIX locks (NFS), where
// this process could take its own lock, and closing that probe would release the writer's.
std::mutex g_liveMutex;
std::set<std::string> g_live;

void setLive(const std::string &path, bool live)
{
    std::lock_guard<std::mutex> lock(g_liveMutex);
    if (live)
        g_live.insert(path);
    else
        g_live.erase(path);
}

bool liveHere(const std::string &path)
{
    std::lock_guard<std::mutex> lock(g_liveMutex);
    return g_live.count(path) != 0;
}

// run-<time>-<pid>-<n>.jsonl: an old journal's pid, which told whether its process was still there.
long pidOf(const std::string &name)
{
    const auto end = name.rfind('-');
    const auto start = end == std::string::npos ? std::string::npos : name.rfind('-', end - 1);
    if (start == std::string::npos)
        return -1;
    return std::strtol(name.substr(start + 1, end - start - 1).c_str(), nullptr, 10);
}

std::string baseName(const std::string &path)
{
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The first line of an open journal, parsed (discarded when it is not JSON).
Json firstLine(int fd)
{
    std::string line;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::pread(fd, buffer, sizeof buffer, static_cast<off_t>(line.size()));
        if (n <= 0)
            break;
        line.append(buffer, static_cast<std::size_t>(n));
        if (const auto nl = line.find('\n'); nl != std::string::npos) {
            line.resize(nl);
            break;
        }
        if (line.size() > (1u << 20))
            break;
    }
    return parseJson(line);
}

// Whether a run going on writes the journal at `path`, open as `fd` (a shared lock taken and dropped, or, for an
// old journal without a lock, its process still there).
bool writtenByLiveRun(const std::string &path, int fd)
{
    if (liveHere(path))
        return true;
    if (::flock(fd, LOCK_SH | LOCK_NB) != 0)
        return errno == EWOULDBLOCK || errno == EINTR;
    const Json start = firstLine(fd);
    ::flock(fd, LOCK_UN);
    if (start.is_object() && getStr(start, kLockKey, "") == kLockValue)
        return false; // the lock is the whole story: its writer is gone
    const std::string name = baseName(path);
    const long pid = pidOf(name.substr(0, name.size() > 6 ? name.size() - 6 : 0));
    return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
}

std::string randomTag()
{
    static const char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::random_device device;
    std::string tag;
    for (int i = 0; i < 8; ++i)
        tag += kChars[device() % 36];
    return tag;
}

} // namespace

JournalObserver::JournalObserver(std::string dir, TrainObserver *next, End end)
    : m_dir(std::move(dir)), m_next(next), m_end(end)
{
}

JournalObserver::~JournalObserver()
{
    // A journal still here (abandoned by an exception, or kept for a save that did not happen) stays for
    // recovery; closing releases its lock.
    close(false);
}

void JournalObserver::close(bool remove)
{
    if (!m_file)
        return;
    if (remove) // while the lock is held, so no other program is recovering it
        ::unlink(m_path.c_str());
    m_file.reset();
    setLive(m_path, false);
}

void JournalObserver::write(const std::string &line, bool sync)
{
    if (!writing())
        return;
    const bool ok = std::fputs(line.c_str(), m_file.get()) >= 0 && std::fputc('\n', m_file.get()) != EOF &&
                    std::fflush(m_file.get()) == 0 && (!sync || ::fdatasync(::fileno(m_file.get())) == 0);
    if (ok) {
        m_goodSize = std::ftell(m_file.get());
        return;
    }
    const int error = errno;
    if (!m_started) { // no start line: nothing worth keeping
        m_error = "cannot write the journal " + m_path + " (" + std::strerror(error) + "); the run goes on unjournaled";
        close(true);
        return;
    }
    // A full disk must not stop training, nor take what the journal holds: it keeps its complete lines (the cut
    // one is cut off, and what stdio still buffers is dropped), stays locked, and takes no more.
    m_full = true;
    (void)!::ftruncate(::fileno(m_file.get()), m_goodSize);
    __fpurge(m_file.get());
    m_error = "cannot write the journal " + m_path + " (" + std::strerror(error) + "): it keeps the run up to step " +
              std::to_string(m_lastStep) + " (" + std::to_string(m_epochs) +
              " epoch(s)); from here on the run is no longer protected against a crash";
}

void JournalObserver::start(const RunInfo &info)
{
    close(false); // a second run through the same observer: the first one's journal was removed or is kept
    m_error.clear();
    m_started = m_full = false;
    m_goodSize = 0;
    m_lastStep = 0;
    m_epochs = 0;
    if (!makeFolders(m_dir).empty()) {
        m_error =
            "cannot create a journal in " + m_dir + " (" + std::strerror(errno) + "); the run goes on unjournaled";
        return;
    }
    char stamp[32];
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &utc);
    // Written and locked under a name no scan looks at, then renamed: a journal is never seen without its lock
    // and its start line. The random tag keeps processes of other PID namespaces apart.
    const std::string name = std::string("run-") + stamp + "-" + std::to_string(::getpid()) + "-" + randomTag();
    const std::string temp = m_dir + "/." + name + ".new";
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    // A file system without locks (some network ones) still gets a journal: without the lock mark, it goes by its
    // pid, as journals did before locks.
    const bool locked = fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) == 0;
    if (fd < 0 || (!locked && errno != ENOLCK && errno != EOPNOTSUPP && errno != EINVAL)) {
        m_error =
            "cannot create a journal in " + m_dir + " (" + std::strerror(errno) + "); the run goes on unjournaled";
        if (fd >= 0) {
            ::unlink(temp.c_str());
            ::close(fd);
        }
        return;
    }
    m_file.reset(::fdopen(fd, "w"));
    if (!m_file) {
        ::unlink(temp.c_str());
        ::close(fd);
        m_error = "cannot create a journal in " + m_dir + "; the run goes on unjournaled";
        return;
    }
    m_path = temp;
    Json line{{"type", "start"}, {"format", "reglab-journal"}};
    if (locked)
        line[kLockKey] = kLockValue;
    line["started_at"] = nowIso8601();
    line["config"] = configJson(m_config);
    putText(line, "device", info.device);
    putText(line, "data_name", info.dataName);
    line["train_images"] = info.trainCount;
    line["flipped_labels"] = info.flippedLabels;
    write(dumpJson(line), true);
    if (!m_file)
        return;
    const std::string path = m_dir + "/" + name + ".jsonl";
    if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) != 0 &&
        (errno != EINVAL || ::rename(temp.c_str(), path.c_str()) != 0)) {
        m_error = "cannot create the journal " + path + " (" + std::strerror(errno) + "); the run goes on unjournaled";
        close(true);
        return;
    }
    m_path = path;
    m_started = true;
    setLive(m_path, true);
}

void JournalObserver::finish(const RunRecord &record)
{
    if (m_end == End::Remove) {
        close(true); // the run ended (in any way): its record lives on with the caller
        return;
    }
    // Kept until the caller has saved the record: the outcome goes in, so a recovery gives the run as it ended.
    Json line{{"type", "end"},
              {"status", toString(record.status)},
              {"error_kind", toString(record.errorKind)},
              {"total_seconds", record.totalSeconds}};
    putText(line, "message", record.message);
    write(dumpJson(line), true);
}

bool JournalObserver::discard()
{
    close(true);
    return !m_file;
}

void JournalObserver::onEvent(const TrainEvent &event)
{
    std::visit(Overloaded{[this](const RunInfo &info) { start(info); },
                          [this](const StepRecord &s) {
                              write(dumpJson(typed(stepJson(s), "step")), false);
                              if (writing())
                                  m_lastStep = s.step;
                          },
                          [this](const SettingChange &c) { write(dumpJson(typed(changeJson(c), "setting")), false); },
                          // An epoch is worth a trip to the disk.
                          [this](const EpochRecord &e) {
                              write(dumpJson(typed(epochJson(e), "epoch")), true);
                              if (writing()) {
                                  ++m_epochs;
                                  m_lastStep = e.step;
                              }
                          },
                          [this](const EarlyStop &s) { write(dumpJson(typed(earlyStopJson(s), "early_stop")), true); },
                          [this](const RunRecord &r) { finish(r); }, [](const auto &) {}},
               event);
    if (m_next)
        m_next->onEvent(event);
}

std::vector<std::string> interruptedJournals(const std::string &dir)
{
    std::vector<std::string> out;
    DIR *d = ::opendir(dir.c_str());
    if (!d)
        return out;
    while (const dirent *entry = ::readdir(d)) {
        const std::string name = entry->d_name;
        if (name.rfind("run-", 0) != 0 || name.size() < 7 || name.compare(name.size() - 6, 6, ".jsonl") != 0)
            continue;
        const std::string path = dir + "/" + name;
        struct stat st {};
        if (::lstat(path.c_str(), &st) != 0)
            continue;
        if (!S_ISREG(st.st_mode)) { // no writer's: listed, so the user is told what it is
            out.push_back(path);
            continue;
        }
        // Opened without blocking and without following links: a scan never waits or wanders.
        const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            continue;
        if (!writtenByLiveRun(path, fd))
            out.push_back(path);
        ::close(fd);
    }
    ::closedir(d);
    std::sort(out.begin(), out.end());
    return out;
}

RunRecord recoverJournal(const std::string &path)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw RecordError(path + ": cannot open (" + std::strerror(errno) + ")");
    if (!S_ISREG(st.st_mode))
        throw RecordError(path + ": it is " + fileTypeName(st.st_mode) + ", not a journal");
    if (st.st_size > kMaxJournalBytes)
        throw RecordError(path + ": larger than 1 GiB; not a RegLab journal");
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        throw RecordError(path + ": cannot open (" + std::strerror(errno) + ")");
    std::unique_ptr<FILE, int (*)(FILE *)> in(::fdopen(fd, "r"), std::fclose);
    if (!in) {
        ::close(fd);
        throw RecordError(path + ": cannot open (" + std::strerror(errno) + ")");
    }
    RunRecord r;
    RunRecordBuilder builder(r);
    TrainConfig inForce; // the live settings after the changes read so far
    bool started = false, ended = false;
    struct Line {
        char *text = nullptr;
        std::size_t capacity = 0;
        ~Line() { std::free(text); }
    } line;
    for (ssize_t n; (n = ::getline(&line.text, &line.capacity, in.get())) >= 0;) {
        std::string lineError;
        const Json j = parseJson(std::string_view(line.text, std::size_t(n)), &lineError);
        if (j.is_discarded() && !started && lineError.find("nests deeper") != std::string::npos)
            throw RecordError(path + ": " + lineError); // not the crash's cut line: said, not a vague "no start line"
        if (j.is_discarded() || !j.is_object())
            continue; // the line the crash cut short
        try {
            const std::string type = getStr(j, "type");
            if (type == "start") {
                if (getStr(j, "format") != "reglab-journal")
                    throw RecordError("not a RegLab journal");
                std::vector<std::string> unknown; // a newer version's settings: the run is still worth recovering
                r.config = configFromJson(j.contains("config") ? j["config"] : Json::object(), TrainConfig{}, &unknown);
                r.startedAt = getText(j, "started_at");
                RunInfo info;
                info.device = getText(j, "device");
                info.dataName = getText(j, "data_name");
                info.trainCount = getInt(j, "train_images", 0);
                info.flippedLabels = getInt(j, "flipped_labels", 0);
                builder.apply(info);
                inForce = r.config;
                started = true;
            } else if (type == "step") {
                builder.apply(stepFromJson(j));
            } else if (type == "epoch") {
                builder.apply(epochFromJson(j));
            } else if (type == "early_stop") {
                builder.apply(earlyStopFromJson(j));
            } else if (type == "setting") {
                const SettingChange change = changeFromJson(j);
                inForce = configAfter(inForce, {change});
                builder.apply(change);
            } else if (type == "lambda") { // journals written before format 2: every live value in force
                for (const SettingChange &change : keyedChanges(legacyChangeFromJson(j), inForce))
                    builder.apply(change);
            } else if (type == "end") {
                if (!parseRunStatus(getStr(j, "status"), r.status) ||
                    !parseErrorKind(getStr(j, "error_kind", "none"), r.errorKind))
                    throw RecordError("the end line is damaged");
                r.message = getText(j, "message");
                r.totalSeconds = getNum(j, "total_seconds");
                ended = true;
            }
        } catch (const RecordError &e) {
            if (!started)
                throw RecordError(path + ": " + e.what());
        }
    }
    if (!started)
        throw RecordError(path + ": not a RegLab journal (no start line)");
    const std::int64_t lastStep = r.steps.empty() ? 0 : r.steps.back().step;
    if (!ended || r.status == RunStatus::Running) {
        r.status = RunStatus::Stopped;
        r.errorKind = ErrorKind::None;
        r.message = "recovered after the program ended during training, up to step " + std::to_string(lastStep) + " (" +
                    std::to_string(r.epochs.size()) + " epoch(s) complete)";
    }
    r.versions = {{"recovered_from", path}};
    try {
        checkRecordValues(r);
    } catch (const RecordError &e) {
        throw RecordError(path + ": " + e.what());
    }
    return r;
}

bool discardJournal(const std::string &path)
{
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0)
        return false;
    if (!S_ISREG(st.st_mode)) // not a journal any run writes
        return ::unlink(path.c_str()) == 0;
    JournalClaim claim(path);
    return claim.claimed() && claim.remove();
}

JournalClaim::JournalClaim(const std::string &path) : m_path(path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return;
    if (writtenByLiveRun(path, fd) || ::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return;
    }
    m_fd = fd;
}

JournalClaim::~JournalClaim()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

bool JournalClaim::remove()
{
    if (m_fd < 0)
        return false;
    return ::unlink(m_path.c_str()) == 0;
}

} // namespace reglab
