#include "model/journal.h"

#include "model/jsonio.h"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>

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

Json typed(Json line, const char *type)
{
    line["type"] = type;
    return line;
}

bool makeDirs(const std::string &dir)
{
    std::string path;
    for (std::size_t i = 0; i <= dir.size(); ++i) {
        if ((i == dir.size() || dir[i] == '/') && !path.empty() && ::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST)
            return false;
        if (i < dir.size())
            path += dir[i];
    }
    return true;
}

// run-<time>-<pid>-<n>.jsonl: the pid tells whether the run's process is still there.
long pidOf(const std::string &name)
{
    const auto end = name.rfind('-');
    const auto start = end == std::string::npos ? std::string::npos : name.rfind('-', end - 1);
    if (start == std::string::npos)
        return -1;
    return std::strtol(name.substr(start + 1, end - start - 1).c_str(), nullptr, 10);
}

} // namespace

JournalObserver::JournalObserver(std::string dir, TrainObserver *next) : m_dir(std::move(dir)), m_next(next) {}

JournalObserver::~JournalObserver()
{
    // A run that ended normally removed its journal in onFinished; one abandoned by an exception stays.
    m_file.reset();
}

void JournalObserver::write(const std::string &line, bool sync)
{
    if (!m_file)
        return;
    const bool ok = std::fputs(line.c_str(), m_file.get()) >= 0 && std::fputc('\n', m_file.get()) != EOF &&
                    std::fflush(m_file.get()) == 0 && (!sync || ::fdatasync(::fileno(m_file.get())) == 0);
    if (!ok) { // a full disk must not stop training: drop the journal and say so
        m_error = "cannot write the journal " + m_path + " (" + std::strerror(errno) + "); the run goes on unjournaled";
        m_file.reset();
        std::remove(m_path.c_str());
    }
}

void JournalObserver::start(const RunInfo &info)
{
    static std::atomic<int> counter{0};
    if (makeDirs(m_dir)) {
        char stamp[32];
        const std::time_t now = std::time(nullptr);
        std::tm utc{};
        gmtime_r(&now, &utc);
        std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &utc);
        m_path =
            m_dir + "/run-" + stamp + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".jsonl";
        m_file.reset(std::fopen(m_path.c_str(), "w"));
    }
    if (!m_file)
        m_error =
            "cannot create a journal in " + m_dir + " (" + std::strerror(errno) + "); the run goes on unjournaled";
    write(Json{{"type", "start"},
               {"format", "reglab-journal"},
               {"started_at", nowIso8601()},
               {"config", configJson(m_config)},
               {"device", info.device},
               {"data_name", info.dataName}}
              .dump(),
          true);
}

void JournalObserver::onEvent(const TrainEvent &event)
{
    std::visit(Overloaded{[this](const RunInfo &info) { start(info); },
                          [this](const StepRecord &s) { write(typed(stepJson(s), "step").dump(), false); },
                          [this](const SettingChange &c) { write(typed(changeJson(c), "lambda").dump(), false); },
                          // An epoch is worth a trip to the disk.
                          [this](const EpochRecord &e) { write(typed(epochJson(e), "epoch").dump(), true); },
                          [this](const RunRecord &) {
                              // The run ended (in any way): its record lives on with the caller.
                              m_file.reset();
                              if (!m_path.empty())
                                  std::remove(m_path.c_str());
                          },
                          [](const auto &) {}},
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
        const long pid = pidOf(name.substr(0, name.size() - 6));
        // Alive: a run going on in another process (or this one). Gone: interrupted.
        const bool alive = pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
        if (!alive)
            out.push_back(dir + "/" + name);
    }
    ::closedir(d);
    std::sort(out.begin(), out.end());
    return out;
}

RunRecord recoverJournal(const std::string &path)
{
    std::ifstream in(path);
    if (!in)
        throw RecordError(path + ": cannot open (" + std::strerror(errno) + ")");
    RunRecord r;
    std::string line;
    bool started = false;
    while (std::getline(in, line)) {
        const Json j = Json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object())
            continue; // the line the crash cut short
        const std::string type = getStr(j, "type");
        try {
            if (type == "start") {
                if (getStr(j, "format") != "reglab-journal")
                    throw RecordError("not a RegLab journal");
                r.config = configFromJson(j.contains("config") ? j["config"] : Json::object());
                r.startedAt = getStr(j, "started_at");
                r.device = getStr(j, "device");
                r.dataName = getStr(j, "data_name");
                started = true;
            } else if (type == "step") {
                r.steps.push_back(stepFromJson(j));
            } else if (type == "epoch") {
                r.epochs.push_back(epochFromJson(j));
            } else if (type == "lambda") {
                r.settingChanges.push_back(changeFromJson(j));
            }
        } catch (const RecordError &e) {
            if (!started)
                throw RecordError(path + ": " + e.what());
        }
    }
    if (!started)
        throw RecordError(path + ": not a RegLab journal (no start line)");
    r.status = RunStatus::Stopped;
    const std::int64_t lastStep = r.steps.empty() ? 0 : r.steps.back().step;
    r.message = "recovered after the program ended during training, up to step " + std::to_string(lastStep) + " (" +
                std::to_string(r.epochs.size()) + " epoch(s) complete)";
    r.versions = {{"recovered_from", path}};
    return r;
}

bool discardJournal(const std::string &path)
{
    return std::remove(path.c_str()) == 0;
}

} // namespace reglab
