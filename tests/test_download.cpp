// Downloads against a real HTTP server on 127.0.0.1 that misbehaves on purpose (tests/http_server.py): each
// failure ends with a clear message and no damaged file where the data should be; a cut download resumes.
#include "model/datasource.h"
#include "model/download.h"
#include "model/md5.h"
#include "testing.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

using namespace reglab;

namespace {

const std::string kSample = std::string(REGLAB_SOURCE_DIR_FOR_TESTS) + "/resources/data/mnist-sample";

bool exists(const std::string &path)
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

std::string slurp(const std::string &path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string tempDir()
{
    char pattern[] = "/tmp/reglab-download-XXXXXX";
    return ::mkdtemp(pattern);
}

// The server for the whole test program: started once, killed at exit.
struct Server {
    pid_t pid = -1;
    int port = 0;
    std::string log;
    Server()
    {
        log = tempDir() + "/server.log";
        std::fflush(stdout); // the child must not print what this process buffered
        pid = ::fork();
        if (pid == 0) {
            if (!::freopen(log.c_str(), "w", stdout))
                _exit(98);
            ::execlp("python3", "python3", REGLAB_SOURCE_DIR_FOR_TESTS "/tests/http_server.py", kSample.c_str(),
                     static_cast<char *>(nullptr));
            _exit(99);
        }
        for (int i = 0; i < 500 && port == 0; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            const std::string text = slurp(log);
            if (text.rfind("PORT ", 0) == 0)
                port = std::atoi(text.c_str() + 5);
        }
    }
    ~Server()
    {
        if (pid > 0) {
            ::kill(pid, SIGTERM);
            ::waitpid(pid, nullptr, 0);
        }
    }
    std::string url(const std::string &mode) const
    {
        return "http://127.0.0.1:" + std::to_string(port) + "/" + mode + "/";
    }
};

Server &server()
{
    static Server s;
    return s;
}

// The bundled sample's files with their real checksums: what a mirror of them must deliver.
std::vector<RemoteFile> sampleFiles()
{
    std::vector<RemoteFile> files;
    for (const char *name : {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                             "t10k-labels-idx1-ubyte.gz"})
        files.push_back({name, md5OfFile(kSample + "/" + name)});
    return files;
}

std::vector<RemoteFile> oneFile()
{
    return {sampleFiles()[2]}; // t10k-images: 1.6 MB
}

const std::string kOneMd5 = "9fb629c4189551a2d022fa330f9573f3"; // its MD5

// The message of the DownloadError `attempt` throws ("" when it throws none).
std::string failureOf(const std::function<void()> &attempt)
{
    try {
        attempt();
    } catch (const DownloadError &e) {
        return e.what();
    }
    return {};
}

bool contains(const std::string &text, const std::string &needle)
{
    if (text.find(needle) != std::string::npos)
        return true;
    std::fprintf(stderr, "expected '%s' in: %s\n", needle.c_str(), text.c_str());
    return false;
}

} // namespace

TEST_CASE("md5 known values")
{
    Md5 empty;
    CHECK_EQ(empty.hexDigest(), std::string("d41d8cd98f00b204e9800998ecf8427e"));
    Md5 abc;
    abc.update("abc", 3);
    CHECK_EQ(abc.hexDigest(), std::string("900150983cd24fb0d6963f7d28e17f72"));
    // The official MNIST test images, as the sample's README and torchvision give them.
    CHECK_EQ(md5OfFile(kSample + "/t10k-images-idx3-ubyte.gz"), mnistFiles()[2].md5);
    CHECK_EQ(md5OfFile(kSample + "/t10k-labels-idx1-ubyte.gz"), mnistFiles()[3].md5);
}

TEST_CASE("downloads verifies and loads")
{
    if (!downloadSupported())
        return;
    REQUIRE(server().port > 0);
    const std::string dir = tempDir() + "/mnist";
    int calls = 0;
    downloadFiles(dir, sampleFiles(), {server().url("ok")}, [&](const DownloadProgress &p) {
        ++calls;
        CHECK_LE(p.fileIndex, 4);
        return true;
    });
    CHECK_GT(calls, 0);
    for (const auto &f : sampleFiles()) {
        CHECK_EQ(md5OfFile(dir + "/" + f.name), f.md5);
        CHECK(!exists(dir + "/" + f.name + ".part"));
    }
    CHECK_EQ(resolveDataSource(dir).folder, dir);
}

TEST_CASE("mirrors are tried in turn")
{
    if (!downloadSupported())
        return;
    const std::string dir = tempDir();
    downloadFiles(dir, oneFile(), {server().url("missing"), server().url("corrupt"), server().url("ok")});
    CHECK_EQ(md5OfFile(dir + "/" + oneFile()[0].name), kOneMd5);
}

TEST_CASE("each failure has a message and leaves no damaged file")
{
    if (!downloadSupported())
        return;
    struct Case {
        std::string mode, needle;
    };
    for (const Case &c : {Case{"missing", "404"}, Case{"corrupt", "checksum mismatch"},
                          Case{"cut", "could not download"}, Case{"slow", "stalled: nothing received for 2 s"}}) {
        const std::string dir = tempDir();
        const std::string target = dir + "/" + oneFile()[0].name;
        const auto start = std::chrono::steady_clock::now();
        const std::string message = failureOf([&] { downloadFiles(dir, oneFile(), {server().url(c.mode)}, {}, 2); });
        CHECK(contains(message, c.needle));
        // The advice fits the failure: the network for a cut or a stall, another mirror for a wrong file.
        const bool network = c.mode == "cut" || c.mode == "slow";
        CHECK(contains(message, network ? "Check the network connection" : "set REGLAB_MNIST_MIRRORS"));
        CHECK(contains(message, "copy the four MNIST .gz files"));
        CHECK(!exists(target)); // never a file that looks valid
        if (c.mode == "corrupt")
            CHECK(!exists(target + ".part")); // a file that failed its check is not kept
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        CHECK_LT(seconds, 20.0); // a stalled server gives up after the stall limit
    }
}

// Mirrors are HTTP(S): a file:// mirror (set by mistake, or a redirect) could read a FIFO or a device for ever.
TEST_CASE("only http mirrors are fetched")
{
    if (!downloadSupported())
        return;
    const std::string dir = tempDir();
    REQUIRE(::mkfifo((dir + "/" + oneFile()[0].name).c_str(), 0644) == 0);
    const auto start = std::chrono::steady_clock::now();
    const std::string message = failureOf([&] { downloadFiles(tempDir(), oneFile(), {"file://" + dir + "/"}, {}, 2); });
    CHECK(contains(message, "could not download"));
    CHECK(contains(message, "not supported"));
    CHECK_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 5.0);
}

TEST_CASE("offline says what to do")
{
    if (!downloadSupported())
        return;
    const std::string dir = tempDir();
    CHECK_THROWS_CONTAINING(downloadFiles(dir, oneFile(), {"http://127.0.0.1:1/"}, {}, 2), DownloadError,
                            "Check the network connection and try again");
}

TEST_CASE("a cut download resumes")
{
    if (!downloadSupported())
        return;
    const std::string dir = tempDir();
    const std::string target = dir + "/" + oneFile()[0].name;
    CHECK_THROWS_CONTAINING(downloadFiles(dir, oneFile(), {server().url("cut")}, {}, 2), DownloadError, "could not");
    REQUIRE(exists(target + ".part"));
    downloadFiles(dir, oneFile(), {server().url("ok")});
    CHECK_EQ(md5OfFile(target), kOneMd5);
    CHECK(slurp(server().log).find("/ok/" + oneFile()[0].name + " range=bytes=") != std::string::npos);
    // A server that ignores the range sends the whole file again: the download starts over and still verifies.
    const std::string again = tempDir();
    CHECK_THROWS_CONTAINING(downloadFiles(again, oneFile(), {server().url("cut")}, {}, 2), DownloadError, "could not");
    downloadFiles(again, oneFile(), {server().url("norange")});
    CHECK_EQ(md5OfFile(again + "/" + oneFile()[0].name), kOneMd5);
}

TEST_CASE("cancel keeps the part for later")
{
    if (!downloadSupported())
        return;
    const std::string dir = tempDir();
    CHECK_THROWS_CONTAINING(
        downloadFiles(dir, oneFile(), {server().url("ok")}, [](const DownloadProgress &p) { return p.received == 0; }),
        DownloadError, "cancelled");
    CHECK(!exists(dir + "/" + oneFile()[0].name));
}

TEST_CASE("the trainer cli downloads only when asked")
{
    if (!downloadSupported())
        return;
    const std::string dir = tempDir() + "/mnist";
    const std::string env = "REGLAB_MNIST_MIRRORS=" + server().url("ok") + " XDG_DATA_HOME=" + tempDir() + " ";
    const std::string exe = REGLAB_TRAIN_EXE_FOR_TESTS;
    const std::size_t logBefore = slurp(server().log).size();
    // Without --download nothing is fetched.
    int raw = std::system((env + exe + " --data mnist --epochs 1 --quiet >/dev/null 2>" + dir + ".err").c_str());
    CHECK_EQ(WEXITSTATUS(raw), 3);
    CHECK(slurp(dir + ".err").find("--download") != std::string::npos);
    CHECK(slurp(server().log).find("/ok/train-images", logBefore) == std::string::npos);
    // With it, from a mirror whose training files are not the official ones: the checksum catches it, the
    // command exits 3 with the reason, and the folder holds no file that looks valid.
    raw = std::system((env + exe + " --data mnist --download --download-dir " + dir +
                       " --epochs 1 --quiet >/dev/null 2>" + dir + ".err")
                          .c_str());
    CHECK_EQ(WEXITSTATUS(raw), 3);
    CHECK(slurp(dir + ".err").find("checksum mismatch") != std::string::npos);
    CHECK(!exists(dir + "/train-images-idx3-ubyte.gz"));
}

// A server that sends more than the file can be (an endless body, a declared 10^12 bytes) is stopped at the cap
// with that reason, and what it sent is not kept: no disk fills up.
TEST_CASE("endless and huge bodies stop at the size cap")
{
    if (!downloadSupported())
        return;
    CHECK_EQ(maxBytesFor(oneFile()[0]), std::int64_t(64) << 20);
    CHECK_EQ(maxBytesFor(sampleFiles()[1]), std::int64_t(1) << 20); // labels
    for (const char *mode : {"endless", "huge"}) {
        const std::string dir = tempDir();
        const auto start = std::chrono::steady_clock::now();
        CHECK_THROWS_CONTAINING(downloadFiles(dir, oneFile(), {server().url(mode)}, {}, 5), DownloadError, "too large");
        CHECK_THROWS_CONTAINING(downloadFiles(dir, oneFile(), {server().url(mode)}, {}, 5), DownloadError,
                                std::string(mode) == "huge" ? "announced 1000000000000 bytes" : "sent more than 67 MB");
        CHECK(!exists(dir + "/" + oneFile()[0].name));
        CHECK(!exists(dir + "/" + oneFile()[0].name + ".part"));
        CHECK_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 20.0);
    }
    // A cap of the caller's own.
    std::vector<RemoteFile> small = oneFile();
    small[0].maxBytes = 100000;
    CHECK_THROWS_CONTAINING(downloadFiles(tempDir(), small, {server().url("ok")}), DownloadError,
                            "the server announced 1648877 bytes, more than the 0.1 MB");
}

// A byte every 0.3 s never looks stalled; the average over a window does not hide it.
TEST_CASE("a slow drip is given up with its rate")
{
    if (!downloadSupported())
        return;
    const std::string dir = tempDir();
    DownloadLimits limits;
    limits.stallSeconds = 5;
    limits.minBytesPerSecond = 1000;
    limits.rateWindowSeconds = 1.5;
    const auto start = std::chrono::steady_clock::now();
    const std::string message = failureOf([&] { downloadFiles(dir, oneFile(), {server().url("drip")}, {}, limits); });
    CHECK(contains(message, "too slow: "));
    CHECK(contains(message, "in the last 2 s, below the 1.0 KB/s a download needs on average"));
    CHECK(contains(message, "Check the network connection"));
    CHECK_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 12.0);
    limits.maxSecondsPerFile = 1;
    limits.rateWindowSeconds = 30;
    CHECK_THROWS_CONTAINING(downloadFiles(dir, oneFile(), {server().url("drip")}, {}, limits), DownloadError,
                            "not done after 1 s");
    CHECK(!exists(dir + "/" + oneFile()[0].name));
}

// HTTP 416 on resume: the .part is already as long as the file (or longer). It is verified and used, or
// discarded and fetched again; never kept to fail the same way for ever.
TEST_CASE("a part the server says is whole is verified or fetched again")
{
    if (!downloadSupported())
        return;
    const std::string source = kSample + "/" + oneFile()[0].name;
    const std::string whole = slurp(source);
    REQUIRE(whole.size() > 1000);
    struct Case {
        std::string part;
        const char *what;
    };
    std::string corrupt = whole;
    corrupt[500] = static_cast<char>(corrupt[500] ^ 0x55);
    for (const Case &c : {Case{whole, "complete"}, Case{corrupt, "corrupt"}, Case{whole + "extra", "too long"}}) {
        CAPTURE(c.what);
        const std::string dir = tempDir();
        const std::string target = dir + "/" + oneFile()[0].name;
        {
            std::ofstream out(target + ".part", std::ios::binary);
            out << c.part;
        }
        const std::size_t logBefore = slurp(server().log).size();
        downloadFiles(dir, oneFile(), {server().url("ok")});
        CHECK_EQ(md5OfFile(target), kOneMd5);
        CHECK(!exists(target + ".part"));
        const std::string log = slurp(server().log).substr(logBefore);
        CHECK(log.find("range=bytes=" + std::to_string(c.part.size()) + "-") != std::string::npos);
        // A complete part is used as it is; a bad one is fetched again in full.
        CHECK_EQ(log.find("range=-") != std::string::npos, std::string(c.what) != "complete");
    }
}

// A full disk is no network problem: the download ends at once with what to do, and no other mirror is tried.
TEST_CASE("a full disk ends the download with its reason")
{
    if (!downloadSupported())
        return;
    const std::string dir = tempDir();
    const std::string err = dir + "/child.err";
    std::fflush(stdout);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::signal(SIGXFSZ, SIG_IGN);
        rlimit limit{100000, 100000}; // a file-size limit stands in for the full disk
        ::setrlimit(RLIMIT_FSIZE, &limit);
        try {
            downloadFiles(dir, oneFile(), {server().url("ok"), server().url("norange")});
        } catch (const DownloadError &e) {
            std::ofstream(err) << e.what();
            ::_exit(0);
        }
        ::_exit(1);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    REQUIRE((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    const std::string message = slurp(err);
    CHECK(message.find("File too large") != std::string::npos);
    CHECK(message.find("free some disk space") != std::string::npos);
    CHECK(message.find("Check the network") == std::string::npos);
    CHECK(message.find("norange") == std::string::npos);
    CHECK(!exists(dir + "/" + oneFile()[0].name + ".part"));
}
