// The IDX reader and data sources: good files (raw and gzip) and each fault, with its message.
#include "model/datasource.h"
#include "model/idx.h"
#include "testing.h"

#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

using namespace reglab;

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
