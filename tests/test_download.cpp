// Downloads against a real HTTP server on 127.0.0.1 that misbehaves on purpose (tests/http_server.py): each
// failure ends with a clear message and no damaged file where the data should be; a cut download resumes.
#include "model/datasource.h"
#include "model/download.h"
#include "model/md5.h"
#include "testing.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
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
                          Case{"cut", "could not download"}, Case{"slow", "could not download"}}) {
        const std::string dir = tempDir();
        const std::string target = dir + "/" + oneFile()[0].name;
        const auto start = std::chrono::steady_clock::now();
        CHECK_THROWS_CONTAINING(downloadFiles(dir, oneFile(), {server().url(c.mode)}, {}, 2), DownloadError, c.needle);
        CHECK_THROWS_CONTAINING(downloadFiles(dir, oneFile(), {server().url(c.mode)}, {}, 2), DownloadError,
                                "Check the network connection");
        CHECK(!exists(target)); // never a file that looks valid
        if (c.mode == "corrupt")
            CHECK(!exists(target + ".part")); // a file that failed its check is not kept
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        CHECK_LT(seconds, 20.0); // a stalled server gives up after the stall limit
    }
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
