// libFuzzer target: the IDX reader, raw and through the gzip path. Any input must give a parse or a DataError.
#include "model/idx.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::vector<std::uint8_t> bytes(data, data + size);
    for (int kind = 0; kind < 2; ++kind) {
        try {
            const std::vector<std::uint8_t> unpacked = reglab::unpackIfGzip(bytes, "fuzz");
            if (kind == 0)
                (void)reglab::parseIdxImages(unpacked, "fuzz");
            else
                (void)reglab::parseIdxLabels(unpacked, "fuzz");
        } catch (const reglab::DataError &) {
        }
    }
    return 0;
}
