// Presets: the bundled files parse and validate, a broken one is refused with a reason, and the forum preset
// reproduces the thread's finding on the sample.
#include "model/dataset.h"
#include "model/preset.h"
#include "model/trainer.h"
#include "testing.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>

using namespace reglab;

TEST_CASE("bundled presets parse")
{
    const std::string dir = bundledPresetDir();
    REQUIRE(!dir.empty());
    const auto files = presetFiles(dir);
    CHECK_GE(files.size(), 4u);
    TrainConfig base;
    base.data = "fashion"; // the caller's data source survives the preset
    for (const auto &file : files) {
        const Preset p = parsePreset(readTextFile(file), base);
        CHECK(!p.name.empty());
        CHECK(!p.description.empty());
        CHECK(!p.runs.empty());
        for (const auto &run : p.runs) {
            CHECK(!run.label.empty());
            CHECK_EQ(run.config.data, std::string("fashion"));
            CHECK(validate(run.config).empty());
        }
    }
}

TEST_CASE("forum preset holds the thread")
{
    const Preset p = parsePreset(readTextFile(bundledPresetDir() + "/1-forum-thread.json"));
    CHECK_EQ(p.name, std::string("The forum thread"));
    REQUIRE(p.runs.size() == 6u);
    CHECK_EQ(p.runs[2].config.l1, 0.01);
    CHECK(p.runs[2].config.l1Scope == L1Scope::All);
    CHECK(p.runs[4].config.l1Scope == L1Scope::Weights);
    CHECK_EQ(p.runs[1].config.l2, 0.01);
    CHECK_EQ(p.runs[5].config.batchSize, 500);
    CHECK(p.runs[5].optional);
    CHECK(!p.runs[0].optional);
}

TEST_CASE("broken presets are refused with a reason")
{
    CHECK_THROWS_CONTAINING(parsePreset("{"), RecordError, "not valid JSON");
    CHECK_THROWS_CONTAINING(parsePreset("{\"name\": \"x\", \"runs\": []}"), RecordError, "not a RegLab preset");
    CHECK_THROWS_CONTAINING(parsePreset("{\"format\": \"reglab-preset\", \"name\": \"x\", \"runs\": []}"), RecordError,
                            "\"runs\" is empty");
    CHECK_THROWS_CONTAINING(
        parsePreset("{\"format\": \"reglab-preset\", \"name\": \"x\", \"runs\": [{\"l1\": \"lots\"}]}"), RecordError,
        "x, run 1: \"l1\" is not a number");
    CHECK_THROWS_CONTAINING(
        parsePreset("{\"format\": \"reglab-preset\", \"name\": \"x\", \"runs\": [{}, {\"batch_size\": 0}]}"),
        RecordError, "x, run 2");
}

// A preset file is read only when it is a regular file of a sane size: a FIFO once hung the dashboard at start-up
// for ever, and a preset linked to /dev/zero read without end.
TEST_CASE("preset files that are not regular files or are too large are refused at once")
{
    char pattern[] = "/tmp/reglab-presets-XXXXXX";
    const std::string dir = ::mkdtemp(pattern);
    REQUIRE(::mkfifo((dir + "/fifo.json").c_str(), 0644) == 0);
    REQUIRE(::symlink("/dev/zero", (dir + "/zero.json").c_str()) == 0);
    {
        std::ofstream(dir + "/huge.json") << std::string(kMaxPresetBytes + 1, ' ');
    }
    const auto start = std::chrono::steady_clock::now();
    CHECK_THROWS_CONTAINING(loadPreset(dir + "/fifo.json"), RecordError, dir + "/fifo.json: it is a named pipe");
    CHECK_THROWS_CONTAINING(loadPreset(dir + "/zero.json"), RecordError, "character device");
    CHECK_THROWS_CONTAINING(loadPreset(dir + "/huge.json"), RecordError, "larger than the 1.0 MB");
    CHECK_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 2.0);
    {
        std::ofstream(dir + "/broken.json") << "{";
    }
    CHECK_THROWS_CONTAINING(loadPreset(dir + "/broken.json"), RecordError, dir + "/broken.json: not valid JSON");
    CHECK_EQ(presetFiles(dir).size(), 4u); // listed, so the dashboard can say why each is skipped
    CHECK_EQ(loadPreset(bundledPresetDir() + "/1-forum-thread.json").name, std::string("The forum thread"));
}

// The acceptance check of the forum preset: on the sample, the runs end in the thread's order, L1 0.01 on all
// parameters lowest (at chance), the unregularized, L2 and L1 0.001 runs well above it.
TEST_CASE("forum preset runs end in the expected order")
{
    const auto data = Dataset::load(resolveDataSource("sample"));
    TrainConfig base;
    base.device = "cpu";
    const Preset p = parsePreset(readTextFile(bundledPresetDir() + "/1-forum-thread.json"), base);
    std::vector<double> accuracy;
    TrainControl control;
    for (const auto &run : p.runs) {
        if (run.optional)
            continue;
        const RunRecord r = train(run.config, control, nullptr, data);
        REQUIRE(r.status == RunStatus::Finished);
        accuracy.push_back(r.epochs.back().testAccuracy);
        std::printf("%-28s test accuracy %.4f\n", run.label.c_str(), accuracy.back());
    }
    REQUIRE(accuracy.size() == 5u);
    const double none = accuracy[0], l2 = accuracy[1], strong = accuracy[2], mild = accuracy[3], weights = accuracy[4];
    CHECK_EQ(strong, *std::min_element(accuracy.begin(), accuracy.end()));
    CHECK_LT(strong, 0.2);
    CHECK_GT(none, 0.85);
    CHECK_GT(l2, 0.85);
    CHECK_GT(mild, 0.8);
    CHECK_GT(mild, strong + 0.5);
    CHECK_LE(weights, mild);
}
