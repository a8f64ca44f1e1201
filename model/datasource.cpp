#include "model/datasource.h"

#include "model/download.h"
#include "model/idx.h"

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#ifndef REGLAB_SOURCE_DIR
#define REGLAB_SOURCE_DIR ""
#endif

namespace reglab {
namespace {

bool isFile(const std::string &path)
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool isDir(const std::string &path)
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string parentDir(const std::string &path)
{
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? "." : path.substr(0, slash);
}

const std::array<const char *, 4> kStems = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

// The path of `stem` in `dir`, raw or .gz, or "" when neither is there. A name that is there but is not a regular
// file (a FIFO, a folder, a device, a broken or looping link) is a fault to name, not a missing file; it counts
// only when no regular file of the stem is there.
std::string findStem(const std::string &dir, const std::string &stem)
{
    std::string odd;
    for (const char *suffix : {"", ".gz"}) {
        const std::string path = dir + "/" + stem + suffix;
        struct stat st {};
        if (::stat(path.c_str(), &st) == 0) {
            if (S_ISREG(st.st_mode))
                return path;
            if (odd.empty())
                odd = path + ": " + describeNonFile(st.st_mode);
            continue;
        }
        const int error = errno;
        struct stat link {};
        if (odd.empty() && ::lstat(path.c_str(), &link) == 0) {
            if (S_ISLNK(link.st_mode)) {
                char target[4096];
                const ssize_t n = ::readlink(path.c_str(), target, sizeof target - 1);
                target[n > 0 ? n : 0] = '\0';
                odd = path + (error == ELOOP ? ": a loop of symbolic links"
                                             : ": a broken symbolic link (to " + std::string(target) + ", " +
                                                   std::strerror(error) + ")");
            } else {
                odd = path + ": cannot be read (" + std::strerror(error) + ")";
            }
        } else if (odd.empty() && error != ENOENT) {
            odd = path + ": cannot be read (" + std::strerror(error) + ")";
        }
    }
    if (!odd.empty())
        throw DataError(odd + "; a data folder needs the four MNIST files as regular files");
    return {};
}

const std::vector<std::string> kDigitNames = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
const std::vector<std::string> kFashionNames = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

DataFiles filesIn(const std::string &folder, const std::string &name, const std::string &hint)
{
    std::vector<std::string> missing;
    for (const std::string &dir : {folder, folder + "/raw", folder + "/MNIST/raw"}) {
        std::array<std::string, 4> found;
        missing.clear();
        for (std::size_t i = 0; i < kStems.size(); ++i) {
            found[i] = findStem(dir, kStems[i]);
            if (found[i].empty())
                missing.push_back(kStems[i]);
        }
        if (missing.empty())
            return DataFiles{name, dir, found[0], found[1], found[2], found[3], kDigitNames};
        if (missing.size() < kStems.size()) {
            std::string list;
            for (const auto &m : missing)
                list += (list.empty() ? "" : ", ") + m + "[.gz]";
            throw DataError(dir + ": missing " + list + "; a data folder needs all four MNIST files. " + hint);
        }
    }
    throw DataError(folder +
                    ": no MNIST files found (looked for train-images-idx3-ubyte[.gz] and the other three "
                    "in it, in raw/ and in MNIST/raw/). " +
                    hint);
}

std::string joined(const std::vector<std::string> &items)
{
    std::string out;
    for (const auto &item : items)
        out += (out.empty() ? "" : ", ") + item;
    return out;
}

} // namespace

std::vector<std::string> mnistSearchDirs()
{
    std::vector<std::string> dirs;
    if (const char *env = std::getenv("REGLAB_MNIST_DIR"); env && *env)
        dirs.push_back(env);
    dirs.push_back(defaultMnistDir());
    dirs.push_back("data"); // beside the working directory, also data/MNIST/raw (torchvision's layout)
    if (const char *home = std::getenv("HOME"); home && *home) {
        dirs.push_back(std::string(home) + "/.cache/mnist");
        dirs.push_back(std::string(home) + "/.cache/torchvision");
    }
    return dirs;
}

std::string executablePath()
{
    char buffer[4096];
    const ssize_t n = ::readlink("/proc/self/exe", buffer, sizeof buffer - 1);
    if (n <= 0)
        return {};
    buffer[n] = '\0';
    return buffer;
}

std::string findBundledDir(const char *envVariable, const std::string &installed, const std::string &inSource,
                           const std::string &probe)
{
    std::vector<std::string> candidates;
    if (const char *env = std::getenv(envVariable); env && *env)
        candidates.push_back(env);
    if (const std::string exe = executablePath(); !exe.empty()) {
        candidates.push_back(parentDir(exe) + "/../share/reglab/" + installed);
        candidates.push_back(parentDir(exe) + "/../../share/reglab/" + installed); // libexec/reglab/reglab-train
    }
    candidates.push_back(std::string(REGLAB_SOURCE_DIR) + "/" + inSource);
    for (const auto &dir : candidates)
        if (probe.empty() ? isDir(dir) : isFile(dir + "/" + probe))
            return dir;
    return {};
}

std::string bundledSampleDir()
{
    return findBundledDir("REGLAB_SAMPLE_DIR", "mnist-sample", "resources/data/mnist-sample",
                          "train-images-idx3-ubyte.gz");
}

DataFiles resolveDataSource(const std::string &spec)
{
    if (spec == "sample") {
        const std::string dir = bundledSampleDir();
        if (dir.empty())
            throw DataError("the bundled MNIST sample was not found (looked beside the executable, in "
                            "../share/reglab/mnist-sample and in the source tree); set REGLAB_SAMPLE_DIR to the "
                            "folder holding it, or pass --data DIR");
        return filesIn(dir, "MNIST sample", "Reinstall RegLab or set REGLAB_SAMPLE_DIR.");
    }
    if (spec == "mnist") {
        for (const std::string &dir : mnistSearchDirs()) {
            if (!isDir(dir))
                continue;
            try {
                return filesIn(dir, "MNIST", "");
            } catch (const DataError &) {
                // not (all) there; try the next place
            }
        }
        throw DataError("full MNIST is not on this machine (looked in " + joined(mnistSearchDirs()) +
                        "); download it (11 MB, into " + defaultMnistDir() +
                        ") by choosing Full MNIST as the dataset in the window, or with reglab-train --data mnist "
                        "--download; or use a folder holding the four MNIST files, or the bundled sample");
    }
    if (spec == "fashion") {
        if (!isDir(kFashionDir))
            throw DataError(std::string("Fashion-MNIST is not installed (") + kFashionDir +
                            " is missing); install it with: sudo apt-get install dataset-fashion-mnist");
        DataFiles files = filesIn(kFashionDir, "Fashion-MNIST", "Reinstall the package dataset-fashion-mnist.");
        files.classNames = kFashionNames;
        return files;
    }
    if (spec.empty())
        throw DataError("no data source given; use sample, fashion or a folder holding the four MNIST files");
    if (struct stat st{}; ::stat(spec.c_str(), &st) == 0 && !S_ISDIR(st.st_mode))
        throw DataError(
            spec + ": " +
            (S_ISREG(st.st_mode) ? std::string("it is a file, not a folder") : describeNonFile(st.st_mode)) +
            "; use sample, fashion or a folder holding the four MNIST files");
    if (!isDir(spec))
        throw DataError(spec + ": no such folder; use sample, fashion or a folder holding the four MNIST files");
    return filesIn(spec, spec,
                   "Point --data at a folder holding train-images-idx3-ubyte[.gz], "
                   "train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz].");
}

} // namespace reglab
