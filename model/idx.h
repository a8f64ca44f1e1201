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

// Whole file contents, gunzipped when the file starts with the gzip magic. Throws DataError.
std::vector<std::uint8_t> readMaybeGzip(const std::string &path);
// The same for bytes already in memory; `name` is used in messages.
std::vector<std::uint8_t> unpackIfGzip(std::vector<std::uint8_t> bytes, const std::string &name);

// Parse from bytes already in memory; `name` is used in messages. Throw DataError.
IdxImages parseIdxImages(const std::vector<std::uint8_t> &bytes, const std::string &name);
IdxLabels parseIdxLabels(const std::vector<std::uint8_t> &bytes, const std::string &name, int classes = 10);

IdxImages readIdxImages(const std::string &path);
IdxLabels readIdxLabels(const std::string &path, int classes = 10);

} // namespace reglab
