#include "model/idx.h"
#include "model/safefile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

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

// Largest file readMaybeGzip and unpackIfGzip give back: full MNIST is 47 MB; this stops a gzip bomb.
constexpr std::size_t kMaxBytes = std::size_t(1) << 30;
// Trailing data counted past what the header announces before the count gives up (a bomb's tail is endless).
constexpr std::uint64_t kMaxTrailingCount = std::uint64_t(1) << 20;

// Bytes read in order, from a file, memory or a gzip stream. Every fault is a DataError.
class Source {
public:
    virtual ~Source() = default;
    // Up to `size` bytes into `out`, fewer only at the end.
    virtual std::size_t read(std::uint8_t *out, std::size_t size) = 0;
};

class MemorySource : public Source {
public:
    explicit MemorySource(const std::vector<std::uint8_t> &bytes) : m_bytes(bytes) {}
    std::size_t read(std::uint8_t *out, std::size_t size) override
    {
        const std::size_t n = std::min(size, m_bytes.size() - m_at);
        std::copy_n(m_bytes.begin() + static_cast<std::ptrdiff_t>(m_at), n, out);
        m_at += n;
        return n;
    }

private:
    const std::vector<std::uint8_t> &m_bytes;
    std::size_t m_at = 0;
};

// A regular file, opened so that nothing else (a FIFO, a device) is ever read.
class FileSource : public Source {
public:
    explicit FileSource(const std::string &path) : m_path(path)
    {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0)
            throw DataError(path + ": cannot open (" + std::strerror(errno) + ")");
        if (!S_ISREG(st.st_mode))
            throw DataError(path + ": " + describeNonFile(st.st_mode));
        m_fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (m_fd < 0)
            throw DataError(path + ": cannot open (" + std::strerror(errno) + ")");
        if (::fstat(m_fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            ::close(m_fd);
            throw DataError(path + ": not a regular file");
        }
        m_size = static_cast<std::uint64_t>(st.st_size);
    }
    ~FileSource() override { ::close(m_fd); }
    FileSource(const FileSource &) = delete;
    FileSource &operator=(const FileSource &) = delete;

    std::uint64_t size() const { return m_size; }
    bool startsWithGzipMagic() const
    {
        std::uint8_t magic[2] = {};
        return ::pread(m_fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }
    std::size_t read(std::uint8_t *out, std::size_t size) override
    {
        std::size_t done = 0;
        while (done < size) {
            const ssize_t n = ::read(m_fd, out + done, size - done);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                throw DataError(m_path + ": read error (" + std::strerror(errno) + ")");
            if (n == 0)
                break;
            done += static_cast<std::size_t>(n);
        }
        return done;
    }

private:
    std::string m_path;
    int m_fd = -1;
    std::uint64_t m_size = 0;
};

// gzip over another source: every member in turn (a multi-member file is one stream, as gzip -t and zcat read
// it); trailing zero bytes are ignored, as gzip ignores them; other trailing bytes are damage.
class GzipSource : public Source {
public:
    GzipSource(Source &in, std::string name) : m_in(in), m_name(std::move(name)), m_buffer(1 << 16)
    {
        if (inflateInit2(&m_zs, 15 + 32) != Z_OK)
            throw DataError(m_name + ": cannot start gzip decoder");
    }
    ~GzipSource() override { inflateEnd(&m_zs); }
    GzipSource(const GzipSource &) = delete;
    GzipSource &operator=(const GzipSource &) = delete;

    std::size_t read(std::uint8_t *out, std::size_t size) override
    {
        std::size_t done = 0;
        while (done < size && !m_done) {
            const std::size_t chunk = std::min<std::size_t>(size - done, 1u << 30);
            m_zs.next_out = out + done;
            m_zs.avail_out = static_cast<uInt>(chunk);
            if (m_zs.avail_in == 0)
                fill();
            const int rc = inflate(&m_zs, Z_NO_FLUSH);
            done += chunk - m_zs.avail_out;
            if (rc == Z_STREAM_END) {
                nextMember();
            } else if (rc == Z_BUF_ERROR && m_zs.avail_in == 0 && m_eof) {
                throw DataError(m_name +
                                ": truncated gzip data (the download or copy was cut short); fetch the file again");
            } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
                throw DataError(m_name + ": corrupt gzip data (" + (m_zs.msg ? m_zs.msg : "inflate failed") +
                                "); fetch the file again");
            }
        }
        return done;
    }

private:
    // Moves what is left of the input to the front and reads more behind it.
    void fill()
    {
        if (m_zs.avail_in > 0)
            std::memmove(m_buffer.data(), m_zs.next_in, m_zs.avail_in);
        std::size_t have = m_zs.avail_in;
        if (!m_eof && have < m_buffer.size()) {
            const std::size_t n = m_in.read(m_buffer.data() + have, m_buffer.size() - have);
            m_eof = n < m_buffer.size() - have;
            have += n;
        }
        m_zs.next_in = m_buffer.data();
        m_zs.avail_in = static_cast<uInt>(have);
    }

    // After a member's end: another member, the end, zero padding, or damage.
    void nextMember()
    {
        if (m_zs.avail_in < 2)
            fill();
        if (m_zs.avail_in == 0) {
            m_done = true;
            return;
        }
        if (m_zs.avail_in >= 2 && m_zs.next_in[0] == 0x1f && m_zs.next_in[1] == 0x8b) {
            inflateReset(&m_zs);
            return;
        }
        for (;;) {
            for (uInt i = 0; i < m_zs.avail_in; ++i)
                if (m_zs.next_in[i] != 0)
                    throw DataError(m_name +
                                    ": damaged: bytes that are not gzip data follow the compressed data; fetch the "
                                    "file again");
            m_zs.avail_in = 0;
            if (m_eof)
                break;
            fill();
        }
        m_done = true;
    }

    Source &m_in;
    std::string m_name;
    std::vector<std::uint8_t> m_buffer;
    z_stream m_zs{};
    bool m_eof = false, m_done = false;
};

// Everything a source holds, up to kMaxBytes.
std::vector<std::uint8_t> readAll(Source &source, const std::string &name, std::size_t sizeHint)
{
    std::vector<std::uint8_t> out;
    out.reserve(std::min(sizeHint, kMaxBytes));
    std::uint8_t buffer[1 << 16];
    for (;;) {
        const std::size_t n = source.read(buffer, sizeof buffer);
        if (out.size() + n > kMaxBytes)
            throw DataError(name + ": larger than 1 GiB (unpacked); this is not an MNIST-style file");
        out.insert(out.end(), buffer, buffer + n);
        if (n < sizeof buffer)
            return out;
    }
}

// Bytes left in `source`, counting to just past `limit`.
std::uint64_t countRest(Source &source, std::uint64_t limit)
{
    std::uint64_t count = 0;
    std::uint8_t buffer[1 << 16];
    while (count <= limit) {
        const std::size_t n = source.read(buffer, sizeof buffer);
        count += n;
        if (n < sizeof buffer)
            break;
    }
    return count;
}

std::string trailingText(std::uint64_t bytes)
{
    return bytes > kMaxTrailingCount ? "more than " + std::to_string(kMaxTrailingCount) + " bytes"
                                     : std::to_string(bytes) + " bytes";
}

// One IDX file's layout: header size, magic, bytes per item, and the words for its items.
struct Layout {
    std::size_t header;
    std::uint32_t magic, otherMagic;
    std::uint64_t itemBytes;
    const char *kind, *items, *otherKind;
};
constexpr Layout kImages{16, 2051, 2049, 784, "image", "images", "label"};
constexpr Layout kLabels{8, 2049, 2051, 1, "label", "labels", "image"};

// Reads one IDX file from `source`. The header is checked before anything is allocated: a count beyond
// kMaxIdxItems, or (when the size is known) a length that does not match it, is refused at once, so a huge file
// or a gzip bomb needs no memory to be refused; what the header announces is then read, and any data after it
// (raw bytes, or another gzip member) is refused the same way. `knownSize` < 0: unknown (gzip).
std::vector<std::uint8_t> readIdx(Source &source, const std::string &name, const Layout &layout, std::int64_t knownSize,
                                  std::uint8_t *header)
{
    const std::size_t got = source.read(header, layout.header);
    const std::uint32_t magic = got >= 4 ? bigEndian32(header) : layout.magic;
    if (magic != layout.magic)
        throw DataError(name + ": not an IDX " + layout.kind + " file (magic " + std::to_string(magic) + ", expected " +
                        std::to_string(layout.magic) + ")" +
                        (magic == layout.otherMagic ? std::string("; this is an ") + layout.otherKind + " file" : ""));
    if (got < layout.header)
        throw DataError(name + ": too short for an IDX " + layout.kind + " header (" + std::to_string(got) + " bytes)");
    const std::uint64_t count = bigEndian32(header + 4);
    if (layout.itemBytes == 784 && (bigEndian32(header + 8) != 28 || bigEndian32(header + 12) != 28))
        throw DataError(name + ": images are " + std::to_string(bigEndian32(header + 8)) + "x" +
                        std::to_string(bigEndian32(header + 12)) + ", expected 28x28");
    if (count > kMaxIdxItems)
        throw DataError(name + ": the header announces " + std::to_string(count) + " " + layout.items +
                        "; RegLab reads at most " + std::to_string(kMaxIdxItems) +
                        " per file, so this is not an MNIST-style file");
    const std::uint64_t payload = count * layout.itemBytes;
    auto truncated = [&](std::uint64_t held) {
        return DataError(name + ": truncated: header says " + std::to_string(count) + " " + layout.items +
                         ", file holds " + std::to_string(held / layout.itemBytes));
    };
    auto trailing = [&](std::uint64_t extra) {
        return DataError(name + ": " + trailingText(extra) + " after the " + std::to_string(count) + " " +
                         layout.items + " the header announces");
    };
    if (knownSize >= 0) {
        const std::uint64_t held = static_cast<std::uint64_t>(knownSize) - layout.header;
        if (held < payload)
            throw truncated(held);
        if (held > payload)
            throw trailing(held - payload);
    }
    std::vector<std::uint8_t> items(payload);
    const std::size_t read = source.read(items.data(), items.size());
    if (read < payload)
        throw truncated(read);
    if (const std::uint64_t extra = countRest(source, kMaxTrailingCount); extra > 0)
        throw trailing(extra);
    if (count == 0)
        throw DataError(name + ": holds no " + layout.items);
    return items;
}

IdxImages imagesFrom(Source &source, const std::string &name, std::int64_t knownSize)
{
    std::uint8_t header[16];
    IdxImages images;
    images.pixels = readIdx(source, name, kImages, knownSize, header);
    images.count = static_cast<std::int64_t>(bigEndian32(header + 4));
    images.rows = 28;
    images.cols = 28;
    return images;
}

IdxLabels labelsFrom(Source &source, const std::string &name, std::int64_t knownSize, int classes)
{
    std::uint8_t header[8];
    IdxLabels labels;
    labels.labels = readIdx(source, name, kLabels, knownSize, header);
    for (std::size_t i = 0; i < labels.labels.size(); ++i) {
        if (labels.labels[i] >= classes)
            throw DataError(name + ": label " + std::to_string(labels.labels[i]) + " at index " + std::to_string(i) +
                            " is outside 0.." + std::to_string(classes - 1));
    }
    return labels;
}

bool isGzip(const std::vector<std::uint8_t> &bytes)
{
    return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

} // namespace

std::string describeNonFile(unsigned mode)
{
    const std::string type = fileTypeName(mode); // one list of file types, with the saves' messages
    return S_ISLNK(mode) || type.empty() ? std::string("it is not a regular file") : "it is " + type + ", not a file";
}

std::vector<std::uint8_t> readMaybeGzip(const std::string &path)
{
    FileSource file(path);
    if (file.size() > kMaxBytes)
        throw DataError(baseName(path) + ": larger than 1 GiB; this is not an MNIST-style file");
    if (!file.startsWithGzipMagic())
        return readAll(file, baseName(path), file.size());
    GzipSource gzip(file, baseName(path));
    return readAll(gzip, baseName(path), file.size() * 4);
}

std::vector<std::uint8_t> unpackIfGzip(std::vector<std::uint8_t> bytes, const std::string &name)
{
    if (!isGzip(bytes))
        return bytes;
    MemorySource memory(bytes);
    GzipSource gzip(memory, name);
    return readAll(gzip, name, bytes.size() * 4);
}

IdxImages parseIdxImages(const std::vector<std::uint8_t> &bytes, const std::string &name)
{
    MemorySource memory(bytes);
    return imagesFrom(memory, name, static_cast<std::int64_t>(bytes.size()));
}

IdxLabels parseIdxLabels(const std::vector<std::uint8_t> &bytes, const std::string &name, int classes)
{
    MemorySource memory(bytes);
    return labelsFrom(memory, name, static_cast<std::int64_t>(bytes.size()), classes);
}

IdxImages readIdxImages(const std::string &path)
{
    FileSource file(path);
    if (!file.startsWithGzipMagic())
        return imagesFrom(file, baseName(path), static_cast<std::int64_t>(file.size()));
    GzipSource gzip(file, baseName(path));
    return imagesFrom(gzip, baseName(path), -1);
}

IdxLabels readIdxLabels(const std::string &path, int classes)
{
    FileSource file(path);
    if (!file.startsWithGzipMagic())
        return labelsFrom(file, baseName(path), static_cast<std::int64_t>(file.size()), classes);
    GzipSource gzip(file, baseName(path));
    return labelsFrom(gzip, baseName(path), -1, classes);
}

} // namespace reglab
