// libFuzzer target: the weights file beside a run record (RUN.weights, a colleague's or a damaged one). Any input
// must give a snapshot or a RecordError, never a crash or an allocation beyond the file's caps; a snapshot that
// parses must survive a write and a second read.
#include "model/weightsfile.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string bytes(reinterpret_cast<const char *>(data), size);
    try {
        std::string key;
        const reglab::WeightSnapshot snapshot = reglab::weightsFromBytes(bytes, key);
        std::string again;
        (void)reglab::weightsFromBytes(reglab::weightsFileBytes(snapshot, key), again);
    } catch (const reglab::RecordError &) {
    }
    return 0;
}
