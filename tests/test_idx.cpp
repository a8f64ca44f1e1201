// The IDX reader and data sources: good files (raw and gzip) and each fault, with its message.
#include "model/datasource.h"
#include "model/idx.h"
#include "testing.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

using namespace reglab;

// Built with AddressSanitizer (scripts/test's build-asan): its shadow memory does not fit under ulimit -v, and its
// quarantine keeps what was freed, so memory limits and peak-memory bounds are not checked there.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

namespace {

std::string tempDir()
{
    char pattern[] = "/tmp/reglab-test-XXXXXX";
    const char *dir = ::mkdtemp(pattern);
    REQUIRE(dir != nullptr);
    return dir;
}

void writeFile(const std::string &path, const std::vector<std::uint8_t> &bytes)
{
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char *>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

void writeGzip(const std::string &path, const std::vector<std::uint8_t> &bytes)
{
    gzFile f = gzopen(path.c_str(), "wb");
    REQUIRE(f != nullptr);
    gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(f);
}

void put32(std::vector<std::uint8_t> &v, std::uint32_t x)
{
    for (int shift : {24, 16, 8, 0})
        v.push_back(static_cast<std::uint8_t>(x >> shift));
}

std::vector<std::uint8_t> images(std::uint32_t headerCount, std::uint32_t held, std::uint32_t rows = 28,
                                 std::uint32_t cols = 28)
{
    std::vector<std::uint8_t> v;
    put32(v, 2051);
    put32(v, headerCount);
    put32(v, rows);
    put32(v, cols);
    for (std::uint32_t i = 0; i < held * rows * cols; ++i)
        v.push_back(static_cast<std::uint8_t>(i * 7));
    return v;
}

std::vector<std::uint8_t> labels(std::uint32_t headerCount, std::vector<std::uint8_t> values)
{
    std::vector<std::uint8_t> v;
    put32(v, 2049);
    put32(v, headerCount);
    v.insert(v.end(), values.begin(), values.end());
    return v;
}

const std::string kSample = std::string(REGLAB_SOURCE_DIR_FOR_TESTS) + "/resources/data/mnist-sample";

} // namespace

TEST_CASE("reads bundled sample gzip")
{
    const IdxImages train = readIdxImages(kSample + "/train-images-idx3-ubyte.gz");
    CHECK_EQ(train.count, 10000);
    CHECK_EQ(train.rows, 28);
    CHECK_EQ(train.pixels.size(), std::size_t(10000 * 784));
    const IdxLabels l = readIdxLabels(kSample + "/train-labels-idx1-ubyte.gz");
    REQUIRE(l.labels.size() == 10000u);
    // The first official MNIST training labels: 5 0 4 1 9 2 1 3 1 4.
    const std::vector<std::uint8_t> first(l.labels.begin(), l.labels.begin() + 10);
    CHECK((first == std::vector<std::uint8_t>{5, 0, 4, 1, 9, 2, 1, 3, 1, 4}));
    const IdxImages test = readIdxImages(kSample + "/t10k-images-idx3-ubyte.gz");
    CHECK_EQ(test.count, 10000);
}

TEST_CASE("raw and gzip give the same bytes")
{
    const std::string dir = tempDir();
    const auto good = images(3, 3);
    writeFile(dir + "/raw", good);
    writeGzip(dir + "/packed.gz", good);
    const IdxImages a = readIdxImages(dir + "/raw");
    const IdxImages b = readIdxImages(dir + "/packed.gz");
    CHECK_EQ(a.count, 3);
    CHECK((a.pixels == b.pixels));
    CHECK_EQ(a.pixels[1], 7);
}

TEST_CASE("each fault has a message naming file and fault")
{
    const std::string dir = tempDir();
    auto imagesFault = [&](const std::string &name, const std::vector<std::uint8_t> &bytes, const std::string &needle) {
        writeFile(dir + "/" + name, bytes);
        CHECK_THROWS_CONTAINING(readIdxImages(dir + "/" + name), DataError, needle);
        CHECK_THROWS_CONTAINING(readIdxImages(dir + "/" + name), DataError, name);
    };
    imagesFault("truncated", images(5, 3), "truncated: header says 5 images, file holds 3");
    imagesFault("badmagic", labels(1, {1}), "magic 2049, expected 2051");
    imagesFault("dims", images(2, 2, 32, 32), "images are 32x32, expected 28x28");
    imagesFault("short", {0, 0, 8}, "too short");
    imagesFault("empty", {}, "too short");
    auto extra = images(2, 2);
    extra.push_back(1);
    imagesFault("extra", extra, "1 bytes after the 2 images");
    imagesFault("zero", images(0, 0), "holds no images");

    writeFile(dir + "/labels-bad", labels(3, {1, 10, 2}));
    CHECK_THROWS_CONTAINING(readIdxLabels(dir + "/labels-bad"), DataError, "label 10 at index 1 is outside 0..9");
    writeFile(dir + "/labels-short", labels(4, {1, 2}));
    CHECK_THROWS_CONTAINING(readIdxLabels(dir + "/labels-short"), DataError,
                            "truncated: header says 4 labels, file holds 2");
    writeFile(dir + "/labels-magic", images(1, 1));
    CHECK_THROWS_CONTAINING(readIdxLabels(dir + "/labels-magic"), DataError, "expected 2049");

    CHECK_THROWS_CONTAINING(readIdxImages(dir + "/does-not-exist"), DataError, "cannot open");
}

TEST_CASE("corrupt and cut gzip are reported")
{
    const std::string dir = tempDir();
    writeGzip(dir + "/whole.gz", images(50, 50));
    std::ifstream in(dir + "/whole.gz", std::ios::binary);
    std::vector<std::uint8_t> gz((std::istreambuf_iterator<char>(in)), {});
    REQUIRE(gz.size() > 100);
    writeFile(dir + "/cut.gz", std::vector<std::uint8_t>(gz.begin(), gz.begin() + static_cast<long>(gz.size() / 2)));
    CHECK_THROWS_CONTAINING(readIdxImages(dir + "/cut.gz"), DataError, "cut.gz: truncated gzip");
    auto corrupt = gz;
    for (std::size_t i = 20; i < 60; ++i)
        corrupt[i] ^= 0x5a;
    writeFile(dir + "/corrupt.gz", corrupt);
    CHECK_THROWS_CONTAINING(readIdxImages(dir + "/corrupt.gz"), DataError, "corrupt.gz");
}

TEST_CASE("data sources resolve and explain what is missing")
{
    const DataFiles sample = resolveDataSource("sample");
    CHECK(sample.trainImages.find("train-images-idx3-ubyte.gz") != std::string::npos);
    CHECK_EQ(sample.classNames.size(), 10u);

    // torchvision's layout DIR/MNIST/raw with uncompressed files.
    const std::string dir = tempDir();
    REQUIRE(std::system(("mkdir -p " + dir + "/MNIST/raw").c_str()) == 0);
    for (const char *stem : {"train-images-idx3-ubyte", "t10k-images-idx3-ubyte"})
        writeFile(dir + "/MNIST/raw/" + stem, images(2, 2));
    writeFile(dir + "/MNIST/raw/train-labels-idx1-ubyte", labels(2, {1, 2}));
    CHECK_THROWS_CONTAINING(resolveDataSource(dir), DataError, "missing t10k-labels-idx1-ubyte[.gz]");
    writeFile(dir + "/MNIST/raw/t10k-labels-idx1-ubyte", labels(2, {3, 4}));
    const DataFiles found = resolveDataSource(dir);
    CHECK_EQ(found.folder, dir + "/MNIST/raw");

    CHECK_THROWS_CONTAINING(resolveDataSource(dir + "/nope"), DataError, "no such folder");
    const std::string empty = tempDir();
    CHECK_THROWS_CONTAINING(resolveDataSource(empty), DataError, "no MNIST files found");
}

namespace {

std::vector<std::uint8_t> gzipped(const std::vector<std::uint8_t> &bytes)
{
    const std::string dir = tempDir();
    writeGzip(dir + "/x.gz", bytes);
    std::ifstream in(dir + "/x.gz", std::ios::binary);
    return std::vector<std::uint8_t>((std::istreambuf_iterator<char>(in)), {});
}

std::vector<std::uint8_t> operator+(std::vector<std::uint8_t> a, const std::vector<std::uint8_t> &b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// The most this process has held in memory so far, in MB.
double peakMegabytes()
{
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024;
}

} // namespace

// gzip as gzip -t and zcat read it: every member; trailing zeros ignored; data after what the header announces
// refused the same way whether it is raw bytes or another member.
TEST_CASE("multi member gzip reads every member and trailing data is refused alike")
{
    const std::string dir = tempDir();
    const auto whole = labels(6, {1, 2, 3, 4, 5, 6});
    const std::vector<std::uint8_t> head(whole.begin(), whole.begin() + 10), tail(whole.begin() + 10, whole.end());
    writeFile(dir + "/split.gz", gzipped(head) + gzipped(tail));
    REQUIRE(std::system(("gzip -t " + dir + "/split.gz").c_str()) == 0);
    CHECK((readIdxLabels(dir + "/split.gz").labels == std::vector<std::uint8_t>{1, 2, 3, 4, 5, 6}));
    writeFile(dir + "/padded.gz", gzipped(whole) + std::vector<std::uint8_t>(100, 0));
    CHECK_EQ(readIdxLabels(dir + "/padded.gz").labels.size(), 6u);
    // One more label as another member, and as raw bytes: the same fault, the same words.
    writeFile(dir + "/member.gz", gzipped(whole) + gzipped({7}));
    CHECK_THROWS_CONTAINING(readIdxLabels(dir + "/member.gz"), DataError, "1 bytes after the 6 labels");
    writeFile(dir + "/raw", whole + std::vector<std::uint8_t>{7});
    CHECK_THROWS_CONTAINING(readIdxLabels(dir + "/raw"), DataError, "1 bytes after the 6 labels");
    writeFile(dir + "/garbage.gz", gzipped(whole) + std::vector<std::uint8_t>{'j', 'u', 'n', 'k'});
    CHECK_THROWS_CONTAINING(readIdxLabels(dir + "/garbage.gz"), DataError, "garbage.gz: damaged");
    // The in-memory path the fuzzers take agrees.
    CHECK_EQ(unpackIfGzip(gzipped(head) + gzipped(tail), "m").size(), whole.size());
}

// A huge file is refused from its header and length, before anything is read or allocated; a gzip bomb after
// what its header announces and a little more.
TEST_CASE("huge files and gzip bombs are refused without the memory they claim")
{
    const std::string dir = tempDir();
    const double before = peakMegabytes();
    // 1.2 GB on the disk (sparse), with a header that announces more images than any MNIST-style set...
    auto header = images(1530000, 0);
    writeFile(dir + "/huge-count", header);
    REQUIRE(::truncate((dir + "/huge-count").c_str(), 1200000016) == 0);
    CHECK_THROWS_CONTAINING(readIdxImages(dir + "/huge-count"), DataError, "announces 1530000 images");
    // ... or one that announces 60,000 and is followed by a gigabyte more.
    writeFile(dir + "/huge-tail", images(60000, 0));
    REQUIRE(::truncate((dir + "/huge-tail").c_str(), 1200000016) == 0);
    CHECK_THROWS_CONTAINING(readIdxImages(dir + "/huge-tail"), DataError, "bytes after the 60000 images");
    // A bomb: 60,000 images announced, 200 MB of zeros unpacked from about 200 KB.
    {
        gzFile f = gzopen((dir + "/bomb.gz").c_str(), "wb9");
        REQUIRE(f != nullptr);
        const auto head = images(60000, 0);
        gzwrite(f, head.data(), static_cast<unsigned>(head.size()));
        const std::vector<std::uint8_t> zeros(1 << 20, 0);
        for (int i = 0; i < 200; ++i)
            gzwrite(f, zeros.data(), static_cast<unsigned>(zeros.size()));
        gzclose(f);
    }
    CHECK_THROWS_CONTAINING(readIdxImages(dir + "/bomb.gz"), DataError, "more than 1048576 bytes after the 60000");
    if (!kSanitized)                               // a sanitizer's quarantine keeps what was freed
        CHECK_LT(peakMegabytes() - before, 150.0); // the 47 MB the header announced, not gigabytes
}

// A name that is there but is not a file is said to be what it is, not "missing"; reading one never blocks.
TEST_CASE("fifos folders devices and broken links are named for what they are")
{
    const std::string dir = tempDir();
    writeFile(dir + "/train-images-idx3-ubyte", images(2, 2));
    writeFile(dir + "/t10k-images-idx3-ubyte", images(2, 2));
    writeFile(dir + "/t10k-labels-idx1-ubyte", labels(2, {3, 4}));
    const std::string stem = dir + "/train-labels-idx1-ubyte";
    struct Case {
        std::function<void()> make;
        std::string needle;
    };
    const std::vector<Case> cases = {
        {[&] { REQUIRE(::mkfifo(stem.c_str(), 0644) == 0); }, "train-labels-idx1-ubyte: it is a named pipe (FIFO)"},
        {[&] { REQUIRE(::mkdir(stem.c_str(), 0755) == 0); }, "it is a folder"},
        {[&] { REQUIRE(::symlink("/dev/zero", stem.c_str()) == 0); }, "it is a character device"},
        {[&] { REQUIRE(::symlink("nowhere", stem.c_str()) == 0); }, "a broken symbolic link (to nowhere"},
        {[&] { REQUIRE(::symlink("train-labels-idx1-ubyte", stem.c_str()) == 0); }, "a loop of symbolic links"},
    };
    for (const Case &c : cases) {
        std::system(("rm -rf " + stem).c_str());
        c.make();
        CHECK_THROWS_CONTAINING(resolveDataSource(dir), DataError, c.needle);
    }
    std::system(("rm -rf " + stem).c_str());
    REQUIRE(::mkfifo(stem.c_str(), 0644) == 0);
    const auto start = std::chrono::steady_clock::now();
    CHECK_THROWS_CONTAINING(readIdxLabels(stem), DataError, "named pipe (FIFO)");
    CHECK_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 1.0);
    // A regular .gz beside an odd raw name is used.
    writeGzip(stem + ".gz", labels(2, {1, 2}));
    CHECK_EQ(resolveDataSource(dir).trainLabels, stem + ".gz");
    CHECK_THROWS_CONTAINING(resolveDataSource(dir + "/train-images-idx3-ubyte"), DataError,
                            "it is a file, not a folder");
}
