#include "model/idx.h"

#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace reglab {
namespace {

std::string baseName(const std::string &path)
{
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::uint32_t bigEndian32(const std::uint8_t *p)
{
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | std::uint32_t(p[3]);
}

// Largest file we accept once unpacked: full MNIST is 47 MB; this stops a gzip bomb.
constexpr std::size_t kMaxBytes = std::size_t(1) << 30;

std::vector<std::uint8_t> gunzip(const std::vector<std::uint8_t> &in, const std::string &name)
{
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 32) != Z_OK)
        throw DataError(name + ": cannot start gzip decoder");
    std::unique_ptr<z_stream, int (*)(z_stream *)> guard(&zs, inflateEnd);
    zs.next_in = const_cast<Bytef *>(in.data());
    zs.avail_in = static_cast<uInt>(in.size());
    std::vector<std::uint8_t> out(std::max<std::size_t>(in.size() * 4, 1 << 16));
    std::size_t used = 0;
    for (;;) {
        if (used == out.size()) {
            if (out.size() >= kMaxBytes)
                throw DataError(name + ": unpacks to more than 1 GiB; this is not an MNIST-style file");
            out.resize(std::min(out.size() * 2, kMaxBytes));
        }
        zs.next_out = out.data() + used;
        zs.avail_out = static_cast<uInt>(out.size() - used);
        const int rc = inflate(&zs, Z_NO_FLUSH);
        used = out.size() - zs.avail_out;
        if (rc == Z_STREAM_END)
            break;
        if (rc == Z_BUF_ERROR && zs.avail_in == 0)
            throw DataError(name + ": truncated gzip data (the download or copy was cut short); fetch the file again");
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            throw DataError(name + ": corrupt gzip data (" + (zs.msg ? zs.msg : "inflate failed") +
                            "); fetch the file again");
    }
    out.resize(used);
    return out;
}

} // namespace

std::vector<std::uint8_t> readMaybeGzip(const std::string &path)
{
    const std::string name = baseName(path);
    std::unique_ptr<FILE, int (*)(FILE *)> file(std::fopen(path.c_str(), "rb"), std::fclose);
    if (!file)
        throw DataError(path + ": cannot open (" + std::strerror(errno) + ")");
    std::vector<std::uint8_t> bytes;
    std::uint8_t buffer[1 << 16];
    for (;;) {
        const std::size_t n = std::fread(buffer, 1, sizeof buffer, file.get());
        bytes.insert(bytes.end(), buffer, buffer + n);
        if (n < sizeof buffer)
            break;
        if (bytes.size() > kMaxBytes)
            throw DataError(name + ": larger than 1 GiB; this is not an MNIST-style file");
    }
    if (std::ferror(file.get()))
        throw DataError(path + ": read error (" + std::strerror(errno) + ")");
    return unpackIfGzip(std::move(bytes), name);
}

std::vector<std::uint8_t> unpackIfGzip(std::vector<std::uint8_t> bytes, const std::string &name)
{
    if (bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        return gunzip(bytes, name);
    return bytes;
}

IdxImages parseIdxImages(const std::vector<std::uint8_t> &bytes, const std::string &name)
{
    const std::uint32_t magic = bytes.size() >= 4 ? bigEndian32(bytes.data()) : 2051;
    if (magic != 2051)
        throw DataError(name + ": not an IDX image file (magic " + std::to_string(magic) + ", expected 2051)" +
                        (magic == 2049 ? "; this is a label file" : ""));
    if (bytes.size() < 16)
        throw DataError(name + ": too short for an IDX image header (" + std::to_string(bytes.size()) + " bytes)");
    IdxImages images;
    const std::uint32_t count = bigEndian32(bytes.data() + 4);
    images.rows = static_cast<int>(bigEndian32(bytes.data() + 8));
    images.cols = static_cast<int>(bigEndian32(bytes.data() + 12));
    if (images.rows != 28 || images.cols != 28)
        throw DataError(name + ": images are " + std::to_string(bigEndian32(bytes.data() + 8)) + "x" +
                        std::to_string(bigEndian32(bytes.data() + 12)) + ", expected 28x28");
    const std::uint64_t held = (bytes.size() - 16) / 784;
    if (held < count || bytes.size() - 16 != std::uint64_t(count) * 784) {
        if (held < count)
            throw DataError(name + ": truncated: header says " + std::to_string(count) + " images, file holds " +
                            std::to_string(held));
        throw DataError(name + ": " + std::to_string(bytes.size() - 16 - std::uint64_t(count) * 784) +
                        " bytes after the " + std::to_string(count) + " images the header announces");
    }
    if (count == 0)
        throw DataError(name + ": holds no images");
    images.count = count;
    images.pixels.assign(bytes.begin() + 16, bytes.end());
    return images;
}

IdxLabels parseIdxLabels(const std::vector<std::uint8_t> &bytes, const std::string &name, int classes)
{
    const std::uint32_t magic = bytes.size() >= 4 ? bigEndian32(bytes.data()) : 2049;
    if (magic != 2049)
        throw DataError(name + ": not an IDX label file (magic " + std::to_string(magic) + ", expected 2049)" +
                        (magic == 2051 ? "; this is an image file" : ""));
    if (bytes.size() < 8)
        throw DataError(name + ": too short for an IDX label header (" + std::to_string(bytes.size()) + " bytes)");
    const std::uint32_t count = bigEndian32(bytes.data() + 4);
    const std::uint64_t held = bytes.size() - 8;
    if (held < count)
        throw DataError(name + ": truncated: header says " + std::to_string(count) + " labels, file holds " +
                        std::to_string(held));
    if (held > count)
        throw DataError(name + ": " + std::to_string(held - count) + " bytes after the " + std::to_string(count) +
                        " labels the header announces");
    if (count == 0)
        throw DataError(name + ": holds no labels");
    IdxLabels labels;
    labels.labels.assign(bytes.begin() + 8, bytes.end());
    for (std::size_t i = 0; i < labels.labels.size(); ++i) {
        if (labels.labels[i] >= classes)
            throw DataError(name + ": label " + std::to_string(labels.labels[i]) + " at index " + std::to_string(i) +
                            " is outside 0.." + std::to_string(classes - 1));
    }
    return labels;
}

IdxImages readIdxImages(const std::string &path)
{
    return parseIdxImages(readMaybeGzip(path), baseName(path));
}

IdxLabels readIdxLabels(const std::string &path, int classes)
{
    return parseIdxLabels(readMaybeGzip(path), baseName(path), classes);
}

} // namespace reglab
