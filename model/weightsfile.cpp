// A run's last weight snapshot beside its record: the format, its writer, and a reader that checks every size.
// Layout (little-endian): "RLWEIGHT" | u32 version | u32 key length | key | i32 epoch | i64 step | u32 layers |
// per layer: u32 name length | name | u32 rows | u32 cols | then every layer's rows*cols float32, in order.
#include "model/weightsfile.h"

#include "model/safefile.h"

#include <cstring>

namespace reglab {
namespace {

constexpr char kMagic[8] = {'R', 'L', 'W', 'E', 'I', 'G', 'H', 'T'};
constexpr std::uint32_t kVersion = 1;
constexpr std::uint32_t kMaxKeyBytes = 256;
constexpr std::uint32_t kMaxNameBytes = 64;

void putU32(std::string &out, std::uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        out += char((v >> (8 * i)) & 0xFF);
}

void putU64(std::string &out, std::uint64_t v)
{
    for (int i = 0; i < 8; ++i)
        out += char((v >> (8 * i)) & 0xFF);
}

// Reads the bytes in order; every read says what it wanted when the file ends first.
class Reader {
public:
    explicit Reader(const std::string &bytes) : m_bytes(bytes) {}
    std::uint64_t left() const { return m_bytes.size() - m_at; }
    const char *take(std::uint64_t n, const char *what)
    {
        if (n > left())
            throw RecordError("truncated: it ends in " + std::string(what) + " (" + std::to_string(left()) +
                              " bytes left, " + std::to_string(n) + " needed)");
        const char *p = m_bytes.data() + m_at;
        m_at += std::size_t(n);
        return p;
    }
    std::uint64_t unsignedOf(int size, const char *what)
    {
        const auto *p = reinterpret_cast<const unsigned char *>(take(std::uint64_t(size), what));
        std::uint64_t v = 0;
        for (int i = size - 1; i >= 0; --i)
            v = (v << 8) | p[i];
        return v;
    }
    std::uint32_t u32(const char *what) { return std::uint32_t(unsignedOf(4, what)); }
    std::uint64_t u64(const char *what) { return unsignedOf(8, what); }
    std::string text(std::uint32_t maxBytes, const char *what)
    {
        const std::uint32_t n = u32(what);
        if (n > maxBytes)
            throw RecordError(std::string(what) + " is " + std::to_string(n) + " bytes long, more than the " +
                              std::to_string(maxBytes) + " it can be");
        const char *p = take(n, what);
        return std::string(p, n);
    }

private:
    const std::string &m_bytes;
    std::size_t m_at = 0;
};

} // namespace

std::string weightsPathFor(const std::string &recordPath)
{
    const std::string suffix = ".json";
    if (recordPath.size() > suffix.size() &&
        recordPath.compare(recordPath.size() - suffix.size(), suffix.size(), suffix) == 0)
        return recordPath.substr(0, recordPath.size() - suffix.size()) + ".weights";
    return recordPath + ".weights";
}

std::string weightsRunKey(const RunRecord &record)
{
    return record.startedAt + " seed " + std::to_string(record.config.seed);
}

std::string weightsFileBytes(const WeightSnapshot &snapshot, const std::string &runKey)
{
    // The layers kept: in order, within the caps (a layer past them is left out, the first one kept where it fits).
    std::vector<const WeightSnapshot::Layer *> kept;
    std::int64_t total = 0;
    for (const auto &layer : snapshot.layers) {
        const std::int64_t count = std::int64_t(layer.rows) * std::int64_t(layer.cols);
        if (int(kept.size()) == kMaxSavedLayers || layer.rows < 1 || layer.cols < 1 ||
            layer.rows > kMaxSavedDimension || layer.cols > kMaxSavedDimension ||
            std::int64_t(layer.weights.size()) != count || total + count > kMaxSavedWeights)
            continue;
        kept.push_back(&layer);
        total += count;
    }
    std::string out(kMagic, sizeof kMagic);
    putU32(out, kVersion);
    const std::string key = runKey.substr(0, kMaxKeyBytes);
    putU32(out, std::uint32_t(key.size()));
    out += key;
    putU32(out, std::uint32_t(snapshot.epoch));
    putU64(out, std::uint64_t(snapshot.step));
    putU32(out, std::uint32_t(kept.size()));
    for (const auto *layer : kept) {
        const std::string name = layer->name.substr(0, kMaxNameBytes);
        putU32(out, std::uint32_t(name.size()));
        out += name;
        putU32(out, std::uint32_t(layer->rows));
        putU32(out, std::uint32_t(layer->cols));
    }
    out.reserve(out.size() + std::size_t(total) * 4);
    for (const auto *layer : kept)
        for (float w : layer->weights) {
            std::uint32_t bits;
            std::memcpy(&bits, &w, sizeof bits);
            putU32(out, bits);
        }
    return out;
}

WeightSnapshot weightsFromBytes(const std::string &bytes, std::string &runKey)
{
    Reader in(bytes);
    if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
        throw RecordError("not a RegLab weights file (it does not start with RLWEIGHT)");
    in.take(sizeof kMagic, "the file's mark");
    if (const std::uint32_t version = in.u32("the format version"); version != kVersion)
        throw RecordError("weights format " + std::to_string(version) + ", which this version of RegLab cannot read "
                          "(it reads format " + std::to_string(kVersion) + ")");
    runKey = in.text(kMaxKeyBytes, "the run's key");
    WeightSnapshot snapshot;
    snapshot.epoch = int(std::int32_t(in.u32("the epoch")));
    snapshot.step = std::int64_t(in.u64("the step"));
    if (snapshot.epoch < 0 || snapshot.step < 0)
        throw RecordError("the epoch (" + std::to_string(snapshot.epoch) + ") or step (" +
                          std::to_string(snapshot.step) + ") is negative");
    const std::uint32_t layers = in.u32("the number of layers");
    if (layers > std::uint32_t(kMaxSavedLayers))
        throw RecordError("it says it holds " + std::to_string(layers) + " layers, more than the " +
                          std::to_string(kMaxSavedLayers) + " a weights file can hold");
    std::int64_t total = 0;
    for (std::uint32_t i = 0; i < layers; ++i) {
        WeightSnapshot::Layer layer;
        layer.name = in.text(kMaxNameBytes, "a layer's name");
        const std::uint32_t rows = in.u32("a layer's rows"), cols = in.u32("a layer's columns");
        const std::string which = "layer " + std::to_string(i + 1) + " (" + layer.name + ")";
        if (rows < 1 || cols < 1 || rows > std::uint32_t(kMaxSavedDimension) || cols > std::uint32_t(kMaxSavedDimension))
            throw RecordError(which + " is " + std::to_string(rows) + " x " + std::to_string(cols) +
                              " weights; each side must be from 1 to " + std::to_string(kMaxSavedDimension));
        total += std::int64_t(rows) * std::int64_t(cols);
        if (total > kMaxSavedWeights)
            throw RecordError("its layers hold more than the " + std::to_string(kMaxSavedWeights) +
                              " weights a weights file can hold (" + which + " is " + std::to_string(rows) + " x " +
                              std::to_string(cols) + ")");
        layer.rows = int(rows);
        layer.cols = int(cols);
        snapshot.layers.push_back(std::move(layer));
    }
    // The sizes agree with the file before anything is allocated for them.
    if (const std::uint64_t need = std::uint64_t(total) * 4; in.left() != need)
        throw RecordError((in.left() < need ? "truncated: its layers need " : "wrong size: its layers need ") +
                          std::to_string(need) + " bytes of weights, the file has " + std::to_string(in.left()));
    for (auto &layer : snapshot.layers) {
        const std::size_t n = std::size_t(layer.rows) * std::size_t(layer.cols);
        const auto *p = reinterpret_cast<const unsigned char *>(in.take(std::uint64_t(n) * 4, "the weights"));
        layer.weights.resize(n);
        for (std::size_t k = 0; k < n; ++k, p += 4) {
            const std::uint32_t bits =
                std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24;
            std::memcpy(&layer.weights[k], &bits, sizeof bits);
        }
    }
    return snapshot;
}

std::string writeWeightsFile(const std::string &path, const WeightSnapshot &snapshot, const std::string &runKey)
{
    return writeFileAtomically(path, weightsFileBytes(snapshot, runKey));
}

WeightSnapshot readWeightsFile(const std::string &path, const std::string &runKey)
{
    const std::string bytes = readTextFile(path, kMaxWeightsFileBytes); // refuses a FIFO, a device, a huge file
    std::string key;
    WeightSnapshot snapshot;
    try {
        snapshot = weightsFromBytes(bytes, key);
    } catch (const RecordError &e) {
        throw RecordError(path + ": " + e.what());
    }
    if (key != runKey)
        throw RecordError(path + ": these are the weights of another run (" + key + "), not of this record's (" +
                          runKey + ")");
    return snapshot;
}

} // namespace reglab
