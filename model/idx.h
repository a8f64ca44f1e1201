// Reader for MNIST's IDX files (images: magic 2051, labels: 2049), raw or gzip.
#pragma once

#include "model/error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace reglab {

struct IdxImages {
    std::int64_t count = 0;
    int rows = 0, cols = 0;
    std::vector<std::uint8_t> pixels; // count * rows * cols, row-major
};

struct IdxLabels {
    std::vector<std::uint8_t> labels;
};

// Most images (or labels) one IDX file may announce: EMNIST's largest ten-class set has 240,000; a header beyond
// this is refused before anything is read or allocated.
inline constexpr std::uint64_t kMaxIdxItems = 1000000;

// What a path that is not a regular file is, as a message: "it is a named pipe (FIFO), not a file". `mode` as
// stat() gives it.
std::string describeNonFile(unsigned mode);

// Whole file contents (at most 1 GiB), gunzipped when the file starts with the gzip magic (every member of a
// multi-member file). Throws DataError.
std::vector<std::uint8_t> readMaybeGzip(const std::string &path);
// The same for bytes already in memory; `name` is used in messages.
std::vector<std::uint8_t> unpackIfGzip(std::vector<std::uint8_t> bytes, const std::string &name);

// Parse from bytes already in memory; `name` is used in messages. Throw DataError.
IdxImages parseIdxImages(const std::vector<std::uint8_t> &bytes, const std::string &name);
IdxLabels parseIdxLabels(const std::vector<std::uint8_t> &bytes, const std::string &name, int classes = 10);

// Read a regular file, raw or gzip, streaming: memory holds only what the header announces, and a header that
// does not match the file's length (raw) or a stream that goes on past it (gzip: trailing bytes or another
// member) is refused the same way. A FIFO, a folder or a device is refused without reading it. Throw DataError.
IdxImages readIdxImages(const std::string &path);
IdxLabels readIdxLabels(const std::string &path, int classes = 10);

} // namespace reglab
