#include "model/sweepfolder.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <system_error>

namespace reglab {

namespace fs = std::filesystem;

std::optional<SweepFolderScan> scanSweepFolder(const std::string &folder, const std::vector<std::string> &runNames,
                                               const std::string &sweepFile, const std::string &json)
{
    std::error_code ec;
    if (folder.empty() || !fs::is_directory(folder, ec))
        return std::nullopt;
    SweepFolderScan scan;
    std::set<std::string> ours;
    for (const std::string &name : runNames) {
        const std::string file = name + ".json";
        ours.insert(file);
        scan.existing += fs::exists(fs::path(folder) / file, ec) ? 1 : 0;
    }
    // Regular files (a link to one counts), not hidden, named *.json: what the sweep view lists.
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        const bool record = name.size() > 5 && name.front() != '.' && name.compare(name.size() - 5, 5, ".json") == 0;
        std::error_code fileError;
        if (record && fs::is_regular_file(it->path(), fileError) && !ours.count(name))
            ++scan.others;
    }
    if (scan.existing > 0) {
        std::error_code sizeError;
        const auto size = fs::file_size(sweepFile, sizeError);
        std::ifstream in(sweepFile, std::ios::binary);
        if (!sizeError && size < (1u << 20) && in) {
            const std::string kept{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
            scan.earlierVersion = kept != json;
        }
    }
    return scan;
}

} // namespace reglab
