// The thread-safe control of a running trainer: keyed live changes handed over once (the newest value of a key
// wins), pause, resume and stop.
#include "model/control.h"
#include "testing.h"

#include <chrono>
#include <thread>

using namespace reglab;

TEST_CASE("control hands over changes once")
{
    TrainControl control;
    TrainControl::Changes changes;
    CHECK(!control.takeChanges(changes));
    control.set("l1", "0.5");
    control.set("learning_rate", "0.1");
    control.set("l1", "0.25"); // the newest value of a key wins, in the order keys were first set
    REQUIRE(control.takeChanges(changes));
    CHECK(changes == TrainControl::Changes{{"l1", "0.25"}, {"learning_rate", "0.1"}});
    CHECK(!control.takeChanges(changes));
    control.set("dropout", "0.5,0.25");
    REQUIRE(control.takeChanges(changes));
    CHECK(changes == TrainControl::Changes{{"dropout", "0.5,0.25"}});
}

TEST_CASE("control pause blocks until resume or stop")
{
    TrainControl control;
    control.pause();
    bool result = true;
    std::thread waiter([&] { result = control.waitWhilePaused(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    control.resume();
    waiter.join();
    CHECK(result);
    control.pause();
    std::thread stopped([&] { result = control.waitWhilePaused(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    control.requestStop();
    stopped.join();
    CHECK(!result);
    control.reset();
    CHECK(!control.stopRequested());
    CHECK(!control.isPaused());
}
