// Hostile files (issue 23): JSON nested 100,000 levels deep is refused by every reader before anything is built,
// with a message, and a folder read at start-up skips such a file and names it; a run's weights file that claims
// more than it holds is refused before anything is allocated for it; nothing crashes.
#include "app/cliargs.h"
#include "app/sweepcommand.h"
#include "model/journal.h"
#include "model/jsonio.h"
#include "model/preset.h"
#include "model/runfiles.h"
#include "model/runrecord.h"
#include "model/sweep.h"
#include "model/weightsfile.h"
#include "clitest.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

using namespace reglab;

namespace {

const std::string kTooDeep = "nests deeper than 256 levels";

// A finished run's record with nothing in it.
std::string goodRecord()
{
    RunRecord r;
    r.status = RunStatus::Finished;
    return toJson(r);
}

const std::string kGoodPreset = R"({"format": "reglab-preset", "name": "fine", "runs": [{"l1": 0.001}]})";
const std::string kJournalStart = R"({"type":"start","format":"reglab-journal","config":{"l1":0.01}})";
const std::string kJournalEpoch =
    R"({"type":"epoch","epoch":1,"fold":0,"step":160,"val_accuracy":0.8,"test_accuracy":0.8,"layers":[]})";

} // namespace

TEST_CASE("the shared reader refuses deep nesting before it parses, and only deep nesting")
{
    std::string error;
    CHECK(jsonio::parseJson(deepJson(), &error).is_discarded());
    CHECK(contains(error, kTooDeep));
    CHECK(jsonio::parseJson("{\"a\": " + deepJson(jsonio::kMaxJsonDepth - 1) + "}").is_object());
    CHECK(jsonio::parseJson(deepJson(jsonio::kMaxJsonDepth + 1), &error).is_discarded());
    // Brackets in strings, escaped quotes included, are text.
    const std::string brackets = std::string(100000, '[') + "\\\"" + std::string(100000, '{');
    const jsonio::Json text = jsonio::parseJson("{\"s\": \"" + brackets + "\", \"n\": 1}");
    REQUIRE(text.is_object());
    CHECK_EQ(text["n"], 1);
    CHECK_THROWS_CONTAINING(jsonio::parseJsonOrThrow("{\"a\": "), RecordError, "not valid JSON");
    CHECK_THROWS_CONTAINING(jsonio::parseJsonOrThrow(deepJson()), RecordError, kTooDeep);
}

TEST_CASE("every reader refuses json nested 100000 levels deep before other members")
{
    const std::string deep = deepJson();
    // A run record: a deep unknown key first, and deep inside its config.
    CHECK_THROWS_CONTAINING(runRecordFromJson("{\"x\": " + deep + ", \"config\": {}, \"status\": \"finished\"}"),
                            RecordError, kTooDeep);
    CHECK_THROWS_CONTAINING(
        runRecordFromJson("{\"config\": {\"hidden\": " + deep + ", \"l1\": 0}, \"status\": \"finished\"}"),
        RecordError, kTooDeep);
    // A preset, a sweep.
    CHECK_THROWS_CONTAINING(parsePreset("{\"description\": " + deep + R"(, "format": "reglab-preset", "name": "x",
        "runs": [{}]})"),
                            RecordError, kTooDeep);
    CHECK_THROWS_CONTAINING(
        parseSweep("{\"vary\": " + deep + R"(, "format": "reglab-sweep", "name": "x", "base": {}})"), RecordError,
        kTooDeep);
    const std::string dir = tempDir();
    CHECK_THROWS_CONTAINING(loadSweep(write(dir, "deep-sweep.json", "{\"base\": " + deep + "}")), RecordError,
                            dir + "/deep-sweep.json: not a RegLab file: its JSON " + kTooDeep);
    // A journal whose start line is deep is refused in words; a deep line after the start is skipped like a torn
    // one, and the epochs around it are recovered.
    CHECK_THROWS_CONTAINING(recoverJournal(write(dir, "run-deep-start.jsonl", "{\"config\": " + deep + "}\n")),
                            RecordError, kTooDeep);
    const std::string journal = write(dir, "run-deep-line.jsonl",
                                      kJournalStart + "\n{\"type\":\"step\",\"x\":" + deep + "}\n" + kJournalEpoch + "\n");
    const RunRecord recovered = recoverJournal(journal);
    CHECK_EQ(recovered.epochs.size(), 1u);
    CHECK_EQ(recovered.config.l1, 0.01);
    // The scan of the journal folder reads first lines: a deep one is listed (no writer holds it), not a crash.
    const std::string journals = tempDir();
    write(journals, "run-20260101T000000-2147483000-abc.jsonl", deep + "\n");
    CHECK_EQ(interruptedJournals(journals).size(), 1u);
}

TEST_CASE("a deeply nested file in a folder read at start-up is skipped and named")
{
    const std::string deep = deepJson();
    // The runs library (and a sweep's folder, read the same way): the good record opens, the deep one is named.
    const std::string library = tempDir();
    write(library, "a-good.json", goodRecord());
    write(library, "b-deep.json", "{\"steps\": " + deep + ", \"config\": {}, \"status\": \"finished\"}");
    const LoadedRuns kept = keptRuns(library);
    CHECK_EQ(kept.runs.size(), 1u);
    REQUIRE(kept.problems.size() == 1u);
    CHECK(contains(kept.problems.front(), library + "/b-deep.json: "));
    CHECK(contains(kept.problems.front(), kTooDeep));
    // A sweep's run whose record is deep is not done: it runs again.
    CHECK(!sweepRunDone(library + "/b-deep.json"));
    CHECK(sweepRunDone(library + "/a-good.json"));
    // The presets folder.
    const std::string presets = tempDir();
    write(presets, "fine.json", kGoodPreset);
    write(presets, "deep.json", "{\"runs\": " + deep + ", \"format\": \"reglab-preset\", \"name\": \"x\"}");
    const PresetList list = listPresets({presets});
    REQUIRE(list.presets.size() == 1u);
    CHECK_EQ(list.presets.front().preset.name, "fine");
    REQUIRE(list.problems.size() == 1u);
    CHECK(contains(list.problems.front(), presets + "/deep.json"));
    CHECK(contains(list.problems.front(), kTooDeep));
}

// A run's weights file (RUN.weights beside RUN.json) is binary and sized by its own header: one that is a FIFO, a
// device, far too large, or whose header claims layers of billions of weights is refused at once, with the file
// named, before anything is allocated for what it claims; its record still opens.
TEST_CASE("a hostile weights file beside a record is refused at once and the record still opens")
{
    const std::string library = tempDir();
    const std::string record = write(library, "run.json", goodRecord());
    const RunRecord r = keptRuns(library).runs.at(0).record;
    const std::string weights = weightsPathFor(record);
    const auto start = std::chrono::steady_clock::now();
    REQUIRE(::mkfifo(weights.c_str(), 0644) == 0);
    CHECK_THROWS_CONTAINING(readWeightsFile(weights, weightsRunKey(r)), RecordError, "named pipe");
    ::unlink(weights.c_str());
    REQUIRE(::symlink("/dev/zero", weights.c_str()) == 0);
    CHECK_THROWS_CONTAINING(readWeightsFile(weights, weightsRunKey(r)), RecordError, "character device");
    ::unlink(weights.c_str());
    // A header that claims 2^20 x 2^20 weights in a file of a few bytes.
    WeightSnapshot small;
    small.layers.push_back({"fc1", 1, 1, {0.5f}});
    std::string claims = weightsFileBytes(small, weightsRunKey(r));
    const std::size_t rows = claims.size() - 4 - 4 - 4; // the last layer's rows, cols, then one weight
    for (std::size_t at : {rows, rows + 4})
        claims.replace(at, 4, std::string("\x00\x00\x10\x00", 4));
    std::ofstream(weights, std::ios::binary) << claims;
    CHECK_THROWS_CONTAINING(readWeightsFile(weights, weightsRunKey(r)), RecordError, weights + ": ");
    CHECK_THROWS_CONTAINING(readWeightsFile(weights, weightsRunKey(r)), RecordError, "more than the");
    // A file larger than any weights file can be: refused by its size, not read.
    {
        std::ofstream big(weights, std::ios::binary | std::ios::trunc);
        big.seekp(std::streamoff(kMaxWeightsFileBytes) + 1);
        big.put('\0');
    }
    CHECK_THROWS_CONTAINING(readWeightsFile(weights, weightsRunKey(r)), RecordError, "larger than");
    CHECK_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 2.0);
    ::unlink(weights.c_str());
    CHECK_EQ(keptRuns(library).runs.size(), 1u); // *.json only: the weights beside are never taken for a record
}

TEST_CASE("reglab-train refuses a deep sweep file with a message")
{
    const std::string dir = tempDir();
    const Result sweep = run("--sweep " + write(dir, "deep.json", "{\"vary\": " + deepJson() + ", \"name\": \"x\"}") +
                               " --out-dir " + dir + "/out");
    CHECK_EQ(sweep.status, 3);
    CHECK(contains(sweep.err, kTooDeep));
}

TEST_CASE("reglab-train refuses a deep journal with a message and keeps it")
{
    const std::string dir = tempDir();
    const Result recover = run("--recover " + write(dir, "run-deep.jsonl", "{\"config\": " + deepJson() + "}\n") +
                                 " --out " + dir + "/recovered.json");
    CHECK_EQ(recover.status, 3);
    CHECK(contains(recover.err, kTooDeep));
    CHECK(contains(slurp(dir + "/run-deep.jsonl"), "{\"config\": [[["));
}

// The same file however it is named: through a link, a hard link, "." and "..", or a name that does not exist yet
// spelled two ways.
TEST_CASE("an output that is an input is found however it is named")
{
    const std::string dir = tempDir(), input = write(dir, "in.json", "{}");
    REQUIRE(::symlink("in.json", (dir + "/link.json").c_str()) == 0);
    REQUIRE(::link(input.c_str(), (dir + "/hard.json").c_str()) == 0);
    const std::string up = dir + "/../" + dir.substr(dir.rfind('/') + 1);
    for (const std::string &same : {input, dir + "/./in.json", up + "/in.json", dir + "/link.json", dir + "/hard.json"}) {
        CAPTURE(same);
        CHECK_EQ(outputOverInput({{"--csv", same}}, {{"the run record", input}}),
                 "--csv " + same + " is an input of this command (the run record " + input +
                     "): writing it would replace it; give another file name");
    }
    CHECK_EQ(outputOverInput({{"--out", dir + "/other.json"}, {"--csv", ""}}, {{"the run record", input}}), "");
    CHECK(!outputOverInput({{"--out", dir + "/new.json"}}, {{"an input", up + "/new.json"}}).empty());
    CHECK_EQ(outputOverInput({{"--out", dir + "/new.json"}}, {{"an input", dir + "/new2.json"}}), "");
}

// reglab-train --recover J --out J once wrote the record over the journal and then removed it as recovered:
// nothing left, exit 0.
TEST_CASE("reglab-train --recover refuses to save over its journal")
{
    const std::string dir = tempDir();
    const std::string journalText = kJournalStart + "\n" + kJournalEpoch + "\n";
    const std::string journal = write(dir, "run-victim.jsonl", journalText);
    REQUIRE(::symlink(journal.c_str(), (dir + "/link.json").c_str()) == 0);
    for (const std::string &flags : {"--out " + journal, "--out " + dir + "/ok.json --csv " + dir + "/link.json"}) {
        CAPTURE(flags);
        const Result r = run("--recover " + journal + " " + flags);
        CHECK_EQ(r.status, 2);
        CHECK(contains(r.err, "is an input of this command (the journal " + journal + ")"));
        CHECK(contains(r.err, "the journal is kept"));
        CHECK_EQ(slurp(journal), journalText);
    }
    CHECK(::access((dir + "/ok.json").c_str(), F_OK) != 0); // nothing written
}

// A sweep file kept in --out-dir under a run's record name would be replaced by that run's record.
TEST_CASE("reglab-train --sweep refuses a run's record over the sweep file")
{
    const std::string dir = tempDir();
    const std::string text = R"({"format": "reglab-sweep", "name": "x", "base": {"epochs": 1}, "vary": {"l1": [0.001]}})";
    const std::string file = write(dir, "0000-l1_0.001.json", text);
    const Result r = run("--sweep " + file + " --out-dir " + dir + " --task 0");
    CHECK_EQ(r.status, 2);
    CHECK(contains(r.err, "the record of run 0 " + dir + "/0000-l1_0.001.json is an input of this command (--sweep " +
                              file + ")"));
    CHECK_EQ(slurp(file), text);
}

// --out over a data file would lose the data set.
TEST_CASE("reglab-train refuses to save over its data")
{
    const std::string data = tempDir();
    REQUIRE(std::system(("cp " + std::string(REGLAB_SOURCE_DIR_FOR_TESTS) + "/resources/data/mnist-sample/*.gz " + data)
                            .c_str()) == 0);
    const std::string labels = data + "/train-labels-idx1-ubyte.gz", before = slurp(labels);
    const Result r = run("--data " + data + " --device cpu --epochs 1 --quiet --out " + labels);
    CHECK_EQ(r.status, 2);
    CHECK(contains(r.err, "--out " + labels + " is an input of this command (the training labels"));
    CHECK_EQ(slurp(labels), before);
}

// Eight axes of 256 values each multiplied to 2^64 runs, which wrapped to 0 ("0 run(s)", exit 0), or to a few
// above it, which divided by zero. Every product is checked against the limit before it is taken.
TEST_CASE("a sweep whose axes multiply past 2^64 is refused with the limit named")
{
    auto list = [](int n, const std::string &suffix) {
        std::string out;
        for (int i = 1; i <= n; ++i)
            out += (out.empty() ? "" : ", ") + std::to_string(i) + suffix;
        return "[" + out + "]";
    };
    const std::string head = R"({"format": "reglab-sweep", "name": "huge", "vary": {)";
    std::string axes;
    for (const auto &[key, suffix] : std::vector<std::pair<std::string, std::string>>{
             {"seed", ""}, {"epochs", ""}, {"batch", ""}, {"log_every", ""}, {"lr", "e-4"}, {"l1", "e-6"},
             {"l2", "e-6"}, {"momentum", "e-3"}})
        axes += (axes.empty() ? "\"" : ", \"") + key + "\": " + list(256, suffix);
    CHECK_THROWS_CONTAINING(parseSweep(head + axes + "}}"), RecordError,
                            "the sweep has more than 100000 runs (the limit)");
    CHECK_THROWS_CONTAINING(parseSweep(head + axes + ", \"l1_method\": [\"subgradient\", \"proximal\"]}}"),
                            RecordError, "the sweep has more than 100000 runs (the limit)");
    // Each grid within the limit, the list of grids past it.
    CHECK_THROWS_CONTAINING(
        parseSweep(R"({"format": "reglab-sweep", "name": "x", "vary": [{"seed": )" + list(60000, "") +
                   R"(}, {"epochs": )" + list(50000, "") + "}]}"),
        RecordError, "more than 100000 runs (the limit)");
    CHECK_EQ(parseSweep(R"({"format": "reglab-sweep", "name": "x", "vary": {"seed": )" + list(1000, "") +
                        R"(, "epochs": )" + list(100, "") + "}}")
                 .runs.size(),
             100000u);
}

// --task 99999999999999999999 was clamped and echoed as "9223372036854775807 is not a run".
TEST_CASE("a number too large for its flag is refused as it was given")
{
    CliOptions o;
    CHECK(contains(parseTrainArgs({"--sweep", "s.json", "--task", "99999999999999999999"}, o),
                   "'99999999999999999999' is far more than any sweep's runs"));
    CHECK(contains(parseTrainArgs({"--sweep", "s.json", "--out-dir", "d", "--jobs", "99999999999999999999"}, o),
                   "'99999999999999999999' is not allowed; give a whole number from 1 to 1024"));
    CHECK(contains(parseTrainArgs({"--epochs", "99999999999999999999"}, o), "'99999999999999999999' is not allowed"));
    CHECK(contains(parseTrainArgs({"--seed", "99999999999999999999"}, o), "'99999999999999999999' is not allowed"));
}

// Duplicate keys were last-wins without a word, and a misspelt key of a range made it linear: each is refused with
// the key named, in sweeps and presets (unknown settings and top-level keys were already).
TEST_CASE("duplicate and unknown keys in a sweep or a preset are refused with the key named")
{
    const std::string head = R"({"format": "reglab-sweep", "name": "x", )";
    CHECK_THROWS_CONTAINING(parseSweep(head + R"("base": {"l1": 0.1, "epochs": 2, "l1": 0.2}})"), RecordError,
                            "the key \"l1\" appears twice in \"base\" (JSON keeps only one of them without a word)");
    CHECK_THROWS_CONTAINING(parseSweep(head + R"("name": "y"})"), RecordError, "the key \"name\" appears twice");
    CHECK_THROWS_CONTAINING(parseSweep(head + R"("vary": [{"seed": [1]}, {"seed": [2], "seed": [3]}]})"), RecordError,
                            "the key \"seed\" appears twice");
    CHECK_THROWS_CONTAINING(parseSweep(head + R"("vary": {"l1": {"from": 1e-4, "to": 1, "points": 5, "lgo": true}}})"),
                            RecordError, "vary \"l1\": unknown key \"lgo\" in a range (its keys are from, to, points, log)");
    CHECK_THROWS_CONTAINING(
        parseSweep(head + R"("vary": {"l1": {"from": 1e-4, "to": 1, "points": 5, "log": "true"}}})"), RecordError,
        "vary \"l1\": \"log\" is true or false");
    CHECK_THROWS_CONTAINING(parseSweep(head + R"("base": {"learnig_rate": 0.1}})"), RecordError,
                            "did you mean \"learning_rate\"");
    CHECK_THROWS_CONTAINING(parseSweep(head + R"("vray": {}})"), RecordError, "unknown key \"vray\" in the sweep");
    CHECK_THROWS_CONTAINING(
        parsePreset(R"({"format": "reglab-preset", "name": "p", "runs": [{"l1": 0.1, "label": "a", "l1": 0.2}]})"),
        RecordError, "the key \"l1\" appears twice");
    // The same key in two objects is no duplicate.
    CHECK_EQ(parseSweep(head + R"("base": {"l1": 0.1}, "vary": {"l1": [0.2, 0.3]}})").runs.size(), 2u);
}

// A run whose name would pass 255 bytes (a long data folder among its settings) got no record and a log that
// could not exist. Names are shortened with a stable hash of the whole.
TEST_CASE("a run's long name is shortened with a stable hash, and its record is written")
{
    const std::string root = tempDir(), a(120, 'a'), b(120, 'b');
    const std::string data = root + "/" + a + "/" + b;
    REQUIRE(std::system(("mkdir -p " + data + " && cp " + std::string(REGLAB_SOURCE_DIR_FOR_TESTS) +
                         "/resources/data/mnist-sample/*.gz " + data)
                            .c_str()) == 0);
    const std::string text = R"({"format": "reglab-sweep", "name": "long names",
      "base": {"hidden": [16], "dropout": [0], "epochs": 1, "device": "cpu"}, "vary": {"data": [")" + data +
                             R"(", ")" + data + R"(x"]}})";
    const Sweep sweep = parseSweep(text);
    REQUIRE(sweep.runs.size() == 2u);
    for (const SweepRun &run : sweep.runs) {
        CHECK_EQ(run.name.size(), kMaxRunNameBytes);
        CHECK_EQ(run.name.rfind("0", 0), 0u);
        CHECK_EQ(run.name[run.name.size() - 17], '-');
    }
    CHECK(sweep.runs[0].name != sweep.runs[1].name);
    CHECK_EQ(parseSweep(text).runs[0].name, sweep.runs[0].name); // the same on every parse, every machine
    const std::string file = write(root, "s.json", text), out = root + "/out";
    const Result task = run("--sweep " + file + " --out-dir " + out + " --task 0");
    CHECK_EQ(task.status, 0);
    const RunRecord r = runRecordFromJson(slurp(sweepRecordPath(out, sweep.runs[0])));
    CHECK(r.status == RunStatus::Finished);
    CHECK_EQ(r.config.data, data);
}

// On a nearly full disk (a file-size limit stands in for it) the journal filled mid-run and was deleted, --out
// then failed, and every epoch was lost. Now the journal keeps its complete lines, the run says at once that it
// is no longer protected, and what the journal kept is recovered.
TEST_CASE("a journal that cannot grow keeps what it has and the run says it is no longer protected")
{
    const std::string dir = tempDir(), err = dir + "/err";
    const int raw = std::system(("bash -c 'ulimit -f 3; exec " + std::string(REGLAB_TRAIN_EXE) +
                                 " --epochs 3 --device cpu --hidden 16 --dropout 0 --quiet --log-every 10 --out " +
                                 dir + "/r.json' >/dev/null 2>" + err)
                                    .c_str());
    CHECK((WIFEXITED(raw) && WEXITSTATUS(raw) == 1));
    const std::string text = slurp(err);
    CHECK(contains(text, "it keeps the run up to step"));
    CHECK(contains(text, "from here on the run is no longer protected against a crash"));
    CHECK(contains(text, "(as far as the journal could keep it)"));
    const auto kept = interruptedJournals(defaultJournalDir());
    REQUIRE(kept.size() == 1u);
    const std::string journal = slurp(kept.front());
    CHECK(journal.size() <= 3072u);
    CHECK_EQ(journal.back(), '\n'); // complete lines only
    const RunRecord r = recoverJournal(kept.front());
    CHECK_GE(r.steps.size(), 1u);
    CHECK(discardJournal(kept.front()));
}
