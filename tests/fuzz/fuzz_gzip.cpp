// libFuzzer target: the gzip path alone (a .gz that is cut, corrupt or a bomb). Any input must give bytes or a
// DataError; the 1 GiB cap keeps a bomb from eating the memory.
#include "model/idx.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    try {
        (void)reglab::unpackIfGzip(std::vector<std::uint8_t>(data, data + size), "fuzz.gz");
    } catch (const reglab::DataError &) {
    }
    return 0;
}
