// reglab-train and its files: runs kept in their journal until they are saved, full disks, outputs checked
// before training, saves through links, memory limits, and the matrix kernels it chooses at start (once, named by
// --version and the record; a user's OPENBLAS_CORETYPE kept; a failed check falls back).
#include "clitest.h"
#include "model/weightsfile.h"

// Crash safety: a real training process killed with SIGKILL leaves a journal from which the run is recovered up
// to its last logging point; a run that ends normally leaves none.
TEST_CASE("killed run is recovered from its journal")
{
    const std::string dir = defaultJournalDir();
    CHECK(interruptedJournals(dir).empty());
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::freopen("/dev/null", "w", stdout);
        ::freopen("/dev/null", "w", stderr);
        ::execl(REGLAB_TRAIN_EXE, "reglab-train", "--epochs", "1000", "--device", "cpu", "--log-every", "10", "--seed",
                "18446744073709551615", nullptr);
        _exit(99);
    }
    // Wait for two epochs in the journal, then pull the plug.
    std::string journal;
    for (int i = 0; i < 600 && journal.empty(); ++i) {
        ::usleep(50 * 1000);
        if (DIR *d = ::opendir(dir.c_str())) {
            while (const dirent *e = ::readdir(d)) {
                const std::string path = dir + "/" + e->d_name;
                std::string text = slurp(path);
                std::size_t epochs = 0;
                for (std::size_t at = text.find("\"type\":\"epoch\""); at != std::string::npos;
                     at = text.find("\"type\":\"epoch\"", at + 1))
                    ++epochs;
                if (epochs >= 2)
                    journal = path;
            }
            ::closedir(d);
        }
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    REQUIRE(!journal.empty());
    const auto interrupted = interruptedJournals(dir);
    REQUIRE(interrupted.size() == 1u);
    const RunRecord r = recoverJournal(interrupted.front());
    CHECK(r.status == RunStatus::Stopped);
    CHECK_GE(r.epochs.size(), 2u);
    CHECK_GE(r.steps.size(), 2u * 16u); // every 10 steps, 160 steps an epoch
    CHECK_EQ(r.config.epochs, 1000);
    CHECK_EQ(r.config.seed, 18446744073709551615ULL); // every seed round-trips, through a journal too
    CHECK(r.message.find("recovered") != std::string::npos);
    CHECK(discardJournal(interrupted.front()));
    CHECK(interruptedJournals(dir).empty());
    // A run that ends normally removes its journal.
    CHECK_EQ(run("--epochs 1 --device cpu --quiet").status, 0);
    CHECK(interruptedJournals(dir).empty());
}

// A full disk (a file-size limit stands in for it): the run still ends, the message says the file could not be
// written and why, the exit status says so, and the file that was there before is intact.
TEST_CASE("full disk keeps the old file")
{
    const std::string folder = tempDir(), json = folder + "/full.json";
    {
        std::ofstream(json) << "old";
    }
    const std::string err = folder + "/full.err";
    const int raw = std::system(("bash -c 'ulimit -f 4; exec " + std::string(REGLAB_TRAIN_EXE) +
                                 " --epochs 1 --device cpu --quiet --out " + json + "' >/dev/null 2>" + err)
                                    .c_str());
    CHECK(WIFEXITED(raw));
    CHECK_EQ(WEXITSTATUS(raw), 1);
    CHECK(contains(slurp(err), "--out: cannot write " + json));
    CHECK(contains(slurp(err), "disk full"));
    CHECK_EQ(slurp(json), std::string("old"));
    // The run is not lost: its journal is kept, and recovering it once there is room saves it.
    const auto kept = interruptedJournals(defaultJournalDir());
    REQUIRE(kept.size() == 1u);
    CHECK(contains(slurp(err), "the run is kept in its journal " + kept.front()));
    CHECK_EQ(run("--recover " + kept.front() + " --out " + json).status, 0);
    CHECK(runRecordFromJson(readTextFile(json)).status == RunStatus::Finished);
    CHECK(interruptedJournals(defaultJournalDir()).empty());
    CHECK(std::system(("test -e " + json + ".tmp").c_str()) != 0); // no half-written file left behind
    CHECK(std::system(("ls -a " + folder + " | grep -q '\\.tmp$'").c_str()) != 0);
}

// --out and --csv are checked before training: a folder, a device, a FIFO or one file named twice would only be
// found after the run (or, as root, /dev/null replaced by a JSON file).
TEST_CASE("outputs that cannot be written are refused before training")
{
    const std::string dir = tempDir();
    REQUIRE(::mkfifo((dir + "/fifo").c_str(), 0644) == 0);
    REQUIRE(::mkdir((dir + "/folder").c_str(), 0755) == 0);
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"--out /dev/null", "--out: cannot write /dev/null (it is a character device, not a file)"},
        {"--out " + dir + "/folder", "(it is a folder, not a file)"},
        {"--out " + dir + "/fifo", "(it is a named pipe (FIFO), not a file)"},
        {"--csv " + dir + "/folder/", "--csv: cannot write"},
        {"--out " + dir + "/a.json --csv " + dir + "/./a.json", "--out and --csv name the same file"},
        {"--out " + dir + "/" + std::string(256, 'x'), "the file name is 256 bytes long"},
    };
    for (const auto &[args, message] : cases) {
        CAPTURE(args);
        const Result r = run(args + " --epochs 1000");
        CHECK_EQ(r.status, 2);
        CHECK(contains(r.err, message));
        CHECK(r.out.empty()); // nothing trained
    }
    struct stat st {};
    REQUIRE(::stat("/dev/null", &st) == 0);
    CHECK(S_ISCHR(st.st_mode));
}

// A link is written through; a user's NAME.tmp is neither used nor removed; a 255-byte name works.
TEST_CASE("saves go through links and leave other files alone")
{
    const std::string dir = tempDir();
    {
        std::ofstream(dir + "/real.json") << "old";
    }
    {
        std::ofstream(dir + "/real.json.tmp") << "mine";
    }
    REQUIRE(::symlink("real.json", (dir + "/link.json").c_str()) == 0);
    const std::string longName = dir + "/" + std::string(251, 'r') + ".csv";
    REQUIRE_EQ(run("--epochs 1 " + kQuick + " --out " + dir + "/link.json --csv " + longName).status, 0);
    struct stat st {};
    REQUIRE(::lstat((dir + "/link.json").c_str(), &st) == 0);
    CHECK(S_ISLNK(st.st_mode));
    CHECK(runRecordFromJson(readTextFile(dir + "/real.json")).status == RunStatus::Finished);
    CHECK_EQ(slurp(dir + "/real.json.tmp"), std::string("mine"));
    CHECK(contains(slurp(longName), "epoch,fold,step"));
}

// Closed standard streams (reglab-train >&- 2>&-): their numbers must not go to the journal or the record.
TEST_CASE("closed standard streams do not leak into the files")
{
    const std::string json = tempDir() + "/closed.json";
    const int raw =
        std::system((std::string(REGLAB_TRAIN_EXE) + " --epochs 2 " + kQuick + " --out " + json + " >&- 2>&-").c_str());
    CHECK((WIFEXITED(raw) && WEXITSTATUS(raw) == 0));
    const RunRecord r = runRecordFromJson(readTextFile(json));
    CHECK(r.status == RunStatus::Finished);
    CHECK_EQ(r.epochs.size(), 2u);
    CHECK(interruptedJournals(defaultJournalDir()).empty());
}

// A seed above 2^53 (the largest there is) goes end to end and comes back exactly.
TEST_CASE("the largest seed round trips through the cli")
{
    const std::string json = tempDir() + "/seed.json";
    REQUIRE_EQ(run("--epochs 1 " + kQuick + " --seed 18446744073709551615 --out " + json).status, 0);
    CHECK_EQ(runRecordFromJson(readTextFile(json)).config.seed, 18446744073709551615ULL);
    CHECK(contains(readTextFile(json), "\"seed\": 18446744073709551615"));
}

// A run saved with --out keeps its last weights beside the record: reopened in the window, its network shows.
TEST_CASE("a run saved with --out keeps its last weights beside it")
{
    const std::string dir = tempDir(), json = dir + "/w.json";
    REQUIRE_EQ(run("--epochs 2 " + kQuick + " --out " + json).status, 0);
    const RunRecord r = runRecordFromJson(readTextFile(json));
    const WeightSnapshot w = readWeightsFile(dir + "/w.weights", weightsRunKey(r));
    CHECK_EQ(w.epoch, 2);
    REQUIRE_FALSE(w.layers.empty());
    CHECK_EQ(w.layers[0].rows, 16); // kQuick's 16 hidden units, each a 28x28 picture
    CHECK_EQ(w.layers[0].cols, 784);
}

// A memory limit (ulimit -v) gives a message and status 1 wherever it bites (the libraries, OpenBLAS's buffers,
// the data, training), never an abort with a backtrace (134) or a hang.
TEST_CASE("memory limits give a message never an abort or a hang")
{
    if (kSanitized) {
        std::printf("skipped: a sanitizer's shadow memory does not fit under ulimit -v\n");
        return;
    }
    const std::string dir = tempDir();
    // ulimit -v limits the address space, ulimit -d the data (what OpenBLAS's buffers and the tensors take).
    for (const auto &[limit, megabytes] : {std::pair<const char *, int>{"-v", 600},
                                           {"-v", 700},
                                           {"-v", 800},
                                           {"-v", 900},
                                           {"-v", 1000},
                                           {"-d", 300},
                                           {"-d", 400}}) {
        CAPTURE(limit);
        CAPTURE(megabytes);
        const std::string json = dir + "/m" + std::to_string(megabytes) + limit + ".json", err = json + ".err";
        const auto start = std::chrono::steady_clock::now();
        const int raw = std::system(("timeout -k 5 90 bash -c 'ulimit " + std::string(limit) + " " +
                                     std::to_string(megabytes * 1000) + "; exec " + REGLAB_TRAIN_EXE +
                                     " --epochs 1 --device cpu --quiet --out " + json + "' >/dev/null 2>" + err)
                                        .c_str());
        const int status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
        const std::string message = slurp(err);
        CHECK_MESSAGE((status == 0 || status == 1), "status " << status << ": " << message);
        if (status == 1)
            CHECK(contains(message, "memory"));
        CHECK(message.find("terminate called") == std::string::npos);
        CHECK(message.find("frame #") == std::string::npos);
        CHECK_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 60.0);
        // A run that could not be saved is kept in its journal, and the message says where.
        for (const std::string &journal : interruptedJournals(defaultJournalDir())) {
            CHECK(contains(message, "kept in its journal " + journal));
            CHECK(discardJournal(journal));
        }
    }
}

// The run just computed survives a failed save: its journal stays, the message says where and how to save it,
// a start mentions it, and --recover saves it and removes the journal.
TEST_CASE("a failed save keeps the run in its journal and recover saves it")
{
    const std::string journals = defaultJournalDir();
    REQUIRE(interruptedJournals(journals).empty());
    const std::string dir = tempDir(), folder = dir + "/gone", err = dir + "/err";
    REQUIRE(::mkdir(folder.c_str(), 0755) == 0);
    const pid_t pid =
        spawn({"--epochs", "2", "--device", "cpu", "--out", folder + "/run.json", "--csv", folder + "/run.csv"},
              "/dev/null", err);
    // While it trains, the folder of --out disappears: the save at the end fails.
    REQUIRE(waitFor([&] { return !journalWith(journals, "epoch", 1).empty(); }, 60));
    ::kill(pid, SIGSTOP);
    REQUIRE(std::system(("rm -rf " + folder).c_str()) == 0);
    ::kill(pid, SIGCONT);
    CHECK_EQ(waitStatus(pid), 1);
    const auto kept = interruptedJournals(journals);
    REQUIRE(kept.size() == 1u);
    CHECK(contains(slurp(err), "the run is kept in its journal " + kept.front()));
    CHECK(contains(slurp(err), "reglab-train --recover " + kept.front() + " --out FILE.json"));
    CHECK(contains(run("--epochs 1 " + kQuick).err, "1 interrupted run(s) can be recovered"));
    const Result list = run("--recover --list");
    CHECK_EQ(list.status, 0);
    CHECK(contains(list.out, kept.front()));
    CHECK(contains(list.out, "finished after 2 epoch(s)"));
    CHECK_EQ(run("--recover --out " + dir + "/r.json --csv " + dir + "/r.json").status, 2);
    CHECK_EQ(run("--recover " + kept.front()).status, 2); // no --out: nothing would keep it
    const Result saved = run("--recover --out " + dir + "/recovered.json --csv " + dir + "/recovered.csv");
    CHECK_EQ(saved.status, 0);
    const RunRecord r = runRecordFromJson(readTextFile(dir + "/recovered.json"));
    CHECK(r.status == RunStatus::Finished);
    CHECK_EQ(r.epochs.size(), 2u);
    CHECK(contains(readTextFile(dir + "/recovered.csv"), "epoch,fold,step"));
    CHECK(interruptedJournals(journals).empty());
    CHECK_EQ(run("--recover --out " + dir + "/again.json").status, 1); // nothing left to recover
}

// A data folder whose name is not UTF-8: the run trains, and its record keeps the name byte for byte.
TEST_CASE("a data folder name that is not utf-8 round trips")
{
    const std::string dir = tempDir() + "/data-\xff\xfe";
    REQUIRE(::mkdir(dir.c_str(), 0755) == 0);
    const std::string sample = std::string(REGLAB_SOURCE_DIR_FOR_TESTS) + "/resources/data/mnist-sample/";
    for (const char *f : {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                          "t10k-labels-idx1-ubyte.gz"})
        REQUIRE(::symlink((sample + f).c_str(), (dir + "/" + f).c_str()) == 0);
    const std::string json = tempDir() + "/odd.json";
    REQUIRE_EQ(run("--epochs 1 " + kQuick + " --data '" + dir + "' --out " + json).status, 0);
    const RunRecord r = runRecordFromJson(readTextFile(json));
    CHECK_EQ(r.config.data, dir);
    CHECK_EQ(r.dataName, dir);
}

// One or two training images cannot make five folds: a data error (3) with what to change.
TEST_CASE("too few training images exit 3 with advice")
{
    const std::string dir = tempDir();
    const auto write = [&](const std::string &name, std::uint32_t magic, std::uint32_t count) {
        std::ofstream out(dir + "/" + name, std::ios::binary);
        for (std::uint32_t x : {magic, count})
            for (int shift : {24, 16, 8, 0})
                out.put(static_cast<char>(x >> shift));
        if (magic == 2051)
            for (int shift : {24, 16, 8, 0, 24, 16, 8, 0})
                out.put(static_cast<char>(28u >> shift));
        out << std::string(count * (magic == 2051 ? 784 : 1), '\1');
    };
    write("train-images-idx3-ubyte", 2051, 2);
    write("train-labels-idx1-ubyte", 2049, 2);
    write("t10k-images-idx3-ubyte", 2051, 2);
    write("t10k-labels-idx1-ubyte", 2049, 2);
    const Result r = run("--epochs 1 " + kQuick + " --data " + dir);
    CHECK_EQ(r.status, 3);
    CHECK(contains(r.err, "2 training image(s) cannot make 5 folds"));
    CHECK(contains(r.err, "use at most 2 folds (--folds 2)"));
}

TEST_CASE("bad numbers say the allowed range")
{
    CHECK(contains(run("--hidden 0").err, "--hidden: '0' is not allowed; give 1 to 8 comma-separated whole numbers "
                                          "from 1 to 8192"));
    CHECK(contains(run("--seed 18446744073709551616").err, "give a whole number from 0 to 18446744073709551615"));
    CHECK(contains(run("--lr inf").err, "--lr: 'inf' is not allowed; give a number above 0 up to 1000000"));
}

TEST_CASE("exit status follows the record")
{
    RunRecord r;
    r.status = RunStatus::Finished;
    CHECK_EQ(exitStatusFor(r), 0);
    r.status = RunStatus::Diverged;
    CHECK_EQ(exitStatusFor(r), 4);
    r.status = RunStatus::Stopped;
    CHECK_EQ(exitStatusFor(r, SIGTERM), 143);
    CHECK_EQ(exitStatusFor(r, SIGHUP), 129);
    CHECK_EQ(exitStatusFor(r), 130);
    r.status = RunStatus::Failed;
    for (const auto &[kind, status] : {std::pair<ErrorKind, int>{ErrorKind::Data, 3},
                                       {ErrorKind::Arguments, 2},
                                       {ErrorKind::Memory, 1},
                                       {ErrorKind::Io, 1},
                                       {ErrorKind::Internal, 1}}) {
        r.errorKind = kind;
        CHECK_EQ(exitStatusFor(r), status);
    }
}

TEST_CASE("recover takes only its own flags")
{
    CliOptions o;
    CHECK_EQ(parseTrainArgs({"--recover", "/x/run.jsonl", "--out", "a.json"}, o), std::string());
    CHECK(o.recover);
    CHECK_EQ(o.recoverJournal, std::string("/x/run.jsonl"));
    CliOptions bare;
    CHECK_EQ(parseTrainArgs({"--recover", "--out", "a.json"}, bare), std::string());
    CHECK_EQ(bare.recoverJournal, std::string());
    CliOptions bad;
    CHECK(contains(parseTrainArgs({"--recover", "--epochs", "3"}, bad), "--recover takes only"));
    CliOptions listOnly;
    CHECK(contains(parseTrainArgs({"--list"}, listOnly), "--list: use it with --recover"));
}

namespace {

// reglab-train with `env` (VAR=value ...) on top of this environment less the variables of the kernels' choice.
Result runWithEnv(const std::string &env, const std::string &args)
{
    static const std::string dir = tempDir();
    const std::string out = dir + "/out", err = dir + "/err";
    const std::string cmd = "env -u OPENBLAS_CORETYPE -u REGLAB_BLAS_CHOSEN -u REGLAB_BLAS_CHECK_FAIL "
                            "-u REGLAB_BLAS_SIGMASK REGLAB_BLAS_TRACE=1 " +
                            env + " " + REGLAB_TRAIN_EXE + " " + args + " >" + out + " 2>" + err;
    const int raw = std::system(cmd.c_str());
    return Result{WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, slurp(out), slurp(err)};
}

std::size_t countOf(const std::string &text, const std::string &needle)
{
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
        ++n;
    return n;
}

// What reglab-train should choose here: OpenBLAS's own core is this test's (it does not choose), the preferred
// one the CPU's. Empty `own` when the BLAS is not OpenBLAS or the user set OPENBLAS_CORETYPE for the tests.
struct ExpectedKernels {
    std::string own, preferred;
    bool restarts = false;
};

ExpectedKernels expectedKernels()
{
    ExpectedKernels e;
    if (std::getenv("OPENBLAS_CORETYPE") || blasKernels().core.empty())
        return e;
    e.own = blasKernels().core;
    e.preferred = preferredBlasCore(CpuFeatures::detect());
    e.restarts = blasCoreOlderThan(e.own, e.preferred);
    return e;
}

} // namespace

TEST_CASE("reglab-train chooses the kernels once and --version names them")
{
    const ExpectedKernels e = expectedKernels();
    const Result r = runWithEnv("", "--version");
    CHECK_EQ(r.status, 0);
    CHECK(contains(r.out, "blas "));
    if (e.own.empty()) {
        MESSAGE("not OpenBLAS, or OPENBLAS_CORETYPE set for the tests: " << r.out);
        return;
    }
    if (e.restarts) { // the project's own machine kind: OpenBLAS picks Prescott, RegLab SkylakeX
        CHECK(contains(r.out, e.preferred + " kernels (chosen by reglab; OpenBLAS picked " + e.own));
        CHECK_EQ(countOf(r.err, "restarting with"), 1u); // once: the restarted process does not restart again
    } else {
        CHECK(contains(r.out, e.own + " kernels (chosen by openblas"));
        CHECK_EQ(countOf(r.err, "restarting with"), 0u);
    }
    // Exit statuses come through the restart unchanged.
    CHECK_EQ(runWithEnv("", "--epochs 0").status, 2);
}

TEST_CASE("a user's OPENBLAS_CORETYPE is kept and reported")
{
    const ExpectedKernels e = expectedKernels();
    if (e.own.empty())
        return;
    // Prescott's kernels run on every x86-64 CPU.
    const Result r = runWithEnv("OPENBLAS_CORETYPE=Prescott", "--version");
    CHECK_EQ(r.status, 0);
    CHECK(contains(r.out, "Prescott kernels (chosen by user"));
    CHECK_EQ(countOf(r.err, "restarting with"), 0u);
}

TEST_CASE("kernels that fail the check give way to older ones, and it says so")
{
    const ExpectedKernels e = expectedKernels();
    if (!e.restarts) {
        MESSAGE("OpenBLAS chose this CPU's kernels itself: no choice of RegLab's to fail");
        return;
    }
    const Result r = runWithEnv("REGLAB_BLAS_CHECK_FAIL=" + e.preferred, "--version");
    CHECK_EQ(r.status, 0);
    CHECK(contains(r.err, "OpenBLAS's " + e.preferred + " kernels failed RegLab's check of its products"));
    const std::string next = nextOlderBlasCore(e.preferred, CpuFeatures::detect());
    if (!next.empty()) {
        CHECK(contains(r.err, "falling back to " + next + " kernels"));
        CHECK(contains(r.out, next + " kernels (chosen by fallback; the " + e.preferred + " kernels failed"));
        CHECK_EQ(countOf(r.err, "restarting with"), 2u);
    }
    // Every core failing ends with OpenBLAS's own, once each, no loop.
    const Result all = runWithEnv("REGLAB_BLAS_CHECK_FAIL=SkylakeX,Haswell", "--version");
    CHECK_EQ(all.status, 0);
    CHECK(contains(all.out, e.own + " kernels (chosen by fallback"));
    CHECK_LE(countOf(all.err, "restarting with"), 3u);
}

TEST_CASE("without a way to restart the run goes on with openblas's kernels and says how to get better ones")
{
    const ExpectedKernels e = expectedKernels();
    if (!e.restarts)
        return;
    const Result r = runWithEnv("REGLAB_BLAS_TEST_EXE=/nonexistent/reglab-train", "--version");
    CHECK_EQ(r.status, 0);
    CHECK(contains(r.err, "could not restart with them"));
    CHECK(contains(r.err, "set OPENBLAS_CORETYPE=" + e.preferred));
    CHECK(contains(r.out, e.own + " kernels (chosen by openblas"));
}

TEST_CASE("a run record names the kernels its products ran on")
{
    const ExpectedKernels e = expectedKernels();
    const std::string json = tempDir() + "/blas.json";
    const Result r = runWithEnv("", kQuick + " --epochs 1 --out " + json);
    REQUIRE_EQ(r.status, 0);
    const RunRecord record = runRecordFromJson(readTextFile(json));
    REQUIRE(record.blas.has_value());
    CHECK_FALSE(record.blas->library.empty());
    if (!e.own.empty()) {
        CHECK_EQ(record.blas->library, "OpenBLAS");
        CHECK_EQ(record.blas->core, e.restarts ? e.preferred : e.own);
        CHECK_EQ(record.blas->chosenBy, e.restarts ? "reglab" : "openblas");
    }
}
