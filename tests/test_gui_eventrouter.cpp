// The EventRouter with views of its own: every registered RunView gets each event in registration order, a run's
// start is handed out alone, superseded progress and predictions are dropped, a Reset discards the rest of the
// run but not its record, and flush() and clear() reach every view.
#include "ui/runs/eventrouter.h"
#include "ui/runs/runview.h"

#include <QTest>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

using reglab::ui::EventRouter;
using reglab::ui::RunView;

namespace {

// Writes what it is handed to a shared log as "name:what".
class LogView : public RunView {
public:
    LogView(std::string name, std::vector<std::string> &log) : m_name(std::move(name)), m_log(log) {}
    void onStarted(const reglab::RunInfo &info) override { write("started " + info.dataName); }
    void onEvent(const reglab::TrainEvent &event) override
    {
        std::visit(reglab::Overloaded{
                       [this](const reglab::StepRecord &s) { write("step " + std::to_string(s.step)); },
                       [this](const reglab::Progress &p) { write("progress " + std::to_string(p.step)); },
                       [this](const reglab::Predictions &p) { write("predictions " + std::to_string(p.step)); },
                       [this](const reglab::RunRecord &) { write("record"); }, // never: it goes to finished()
                       [this](const auto &) { write("other"); }},
                   event);
    }
    void flush() override { write("flush"); }
    void clear() override { write("clear"); }

private:
    void write(const std::string &what) { m_log.push_back(m_name + ":" + what); }
    std::string m_name;
    std::vector<std::string> &m_log;
};

reglab::StepRecord step(std::int64_t n)
{
    reglab::StepRecord s;
    s.step = n;
    return s;
}

reglab::Progress progress(std::int64_t n)
{
    reglab::Progress p;
    p.step = n;
    return p;
}

reglab::Predictions predictions(std::int64_t n)
{
    reglab::Predictions p;
    p.step = n;
    return p;
}

} // namespace

class TestEventRouter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyViewInTheOrderAdded()
    {
        std::vector<std::string> log;
        LogView a("a", log), b("b", log);
        EventRouter router;
        router.add(&a);
        router.add(&b);
        router.post(step(1), true); // no redraw tick: handed out at once
        QCOMPARE(log, (std::vector<std::string>{"a:step 1", "b:step 1"}));
        log.clear();
        router.flush();
        router.clear();
        QCOMPARE(log, (std::vector<std::string>{"a:flush", "b:flush", "a:clear", "b:clear"}));
    }

    void queuedUntilTheTickWithTheStartAlone()
    {
        std::vector<std::string> log;
        LogView view("v", log);
        EventRouter router;
        router.add(&view);
        reglab::RunInfo info;
        info.dataName = "sample";
        router.post(step(1), false);
        router.post(info, false);
        router.post(step(2), false);
        QVERIFY(log.empty()); // queued for the redraw tick
        QVERIFY(router.drain()); // the start, with what came before it: the rest waits for the next tick
        QCOMPARE(log, (std::vector<std::string>{"v:step 1", "v:started sample"}));
        QVERIFY(!router.drain());
        QCOMPARE(log.back(), std::string("v:step 2"));
    }

    void onlyTheNewestProgressAndPredictions()
    {
        std::vector<std::string> log;
        LogView view("v", log);
        EventRouter router;
        router.add(&view);
        for (const reglab::TrainEvent &e : std::vector<reglab::TrainEvent>{
                 progress(1), predictions(1), step(5), progress(2), predictions(2), progress(3)})
            router.post(e, false);
        QVERIFY(!router.drain());
        QCOMPARE(log, (std::vector<std::string>{"v:step 5", "v:predictions 2", "v:progress 3"}));
    }

    void aResetDiscardsAllButTheRecord()
    {
        std::vector<std::string> log;
        LogView view("v", log);
        EventRouter router;
        router.add(&view);
        std::vector<std::string> finished;
        connect(&router, &EventRouter::finished, this,
                [&finished](const reglab::RunRecord &record) { finished.push_back(record.name); });
        router.setDiscarding(true);
        router.post(step(1), false);
        reglab::RunRecord record;
        record.name = "the run";
        router.post(record, false); // its end is handed out at once, tick or not
        QVERIFY(log.empty());
        QCOMPARE(finished, std::vector<std::string>{"the run"});
        QVERIFY(router.discarding()); // the window turns it off when it files the record
    }
};

QTEST_MAIN(TestEventRouter)
#include "test_gui_eventrouter.moc"
