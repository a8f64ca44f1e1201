// libFuzzer target: the run-record JSON reader (files from colleagues, damaged saves). Any input must give a
// record or a RecordError; a record that parses must survive a write and a second read.
#include "model/runrecord.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char *>(data), size);
    try {
        const reglab::RunRecord record = reglab::runRecordFromJson(text);
        (void)reglab::runRecordFromJson(reglab::toJson(record));
        (void)reglab::epochsCsv(record);
    } catch (const reglab::RecordError &) {
    }
    return 0;
}
