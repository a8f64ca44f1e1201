#include "model/download.h"

#include "model/md5.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#ifdef REGLAB_HAVE_CURL
#include <curl/curl.h>
#endif

namespace reglab {

const std::vector<RemoteFile> &mnistFiles()
{
    static const std::vector<RemoteFile> files = {
        {"train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"},
        {"train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"},
        {"t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"},
        {"t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"},
    };
    return files;
}

std::vector<std::string> mnistMirrors()
{
    if (const char *env = std::getenv("REGLAB_MNIST_MIRRORS"); env && *env) {
        std::vector<std::string> out;
        std::string s = env, item;
        for (std::size_t start = 0; start <= s.size();) {
            const std::size_t comma = s.find(',', start);
            item = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            if (!item.empty())
                out.push_back(item);
            if (comma == std::string::npos)
                break;
            start = comma + 1;
        }
        return out;
    }
    return {"https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"};
}

std::string defaultMnistDir()
{
    if (const char *xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        return std::string(xdg) + "/RegLab/mnist";
    const char *home = std::getenv("HOME");
    return std::string(home && *home ? home : ".") + "/.local/share/RegLab/mnist";
}

namespace {

bool makeDirs(const std::string &dir)
{
    std::string path;
    for (std::size_t i = 0; i <= dir.size(); ++i) {
        if (i == dir.size() || dir[i] == '/') {
            if (!path.empty() && ::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST)
                return false;
        }
        if (i < dir.size())
            path += dir[i];
    }
    struct stat st {};
    return ::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::int64_t fileSize(const std::string &path)
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? static_cast<std::int64_t>(st.st_size) : -1;
}

std::string joinUrl(const std::string &base, const std::string &name)
{
    return base.empty() || base.back() == '/' ? base + name : base + "/" + name;
}

} // namespace

#ifdef REGLAB_HAVE_CURL

bool downloadSupported()
{
    return true;
}

namespace {

struct Transfer {
    FILE *out = nullptr;
    const ProgressCallback *progress = nullptr;
    DownloadProgress state;
    std::int64_t offset = 0; // bytes already in the .part file when this request started
    bool cancelled = false;
    bool writeFailed = false;
};

std::size_t onData(char *data, std::size_t size, std::size_t count, void *user)
{
    auto *t = static_cast<Transfer *>(user);
    const std::size_t bytes = size * count;
    if (std::fwrite(data, 1, bytes, t->out) != bytes) {
        t->writeFailed = true;
        return 0;
    }
    return bytes;
}

int onProgress(void *user, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t)
{
    auto *t = static_cast<Transfer *>(user);
    t->state.received = t->offset + now;
    t->state.total = total > 0 ? t->offset + total : 0;
    if (t->progress && *t->progress && !(*t->progress)(t->state)) {
        t->cancelled = true;
        return 1;
    }
    return 0;
}

// One attempt at one file from one mirror; "" on success, else why not.
std::string fetch(const std::string &url, const std::string &part, Transfer &t, int stallSeconds, bool resume)
{
    t.offset = resume ? std::max<std::int64_t>(0, fileSize(part)) : 0;
    std::unique_ptr<FILE, int (*)(FILE *)> out(std::fopen(part.c_str(), t.offset > 0 ? "ab" : "wb"), std::fclose);
    if (!out)
        return "cannot write " + part + " (" + std::strerror(errno) + ")";
    t.out = out.get();
    std::unique_ptr<CURL, void (*)(CURL *)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl)
        return "cannot start the HTTP client";
    char error[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, onData);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(curl.get(), CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl.get(), CURLOPT_XFERINFOFUNCTION, onProgress);
    curl_easy_setopt(curl.get(), CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, long(stallSeconds));
    // A stalled server: below 1 byte/s for stallSeconds ends the attempt.
    curl_easy_setopt(curl.get(), CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_LOW_SPEED_TIME, long(stallSeconds));
    curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "RegLab");
    if (t.offset > 0)
        curl_easy_setopt(curl.get(), CURLOPT_RESUME_FROM_LARGE, curl_off_t(t.offset));
    const CURLcode rc = curl_easy_perform(curl.get());
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    if (std::fflush(out.get()) != 0)
        t.writeFailed = true;
    if (t.cancelled)
        return "cancelled";
    if (t.writeFailed)
        return "cannot write " + part + " (is the disk full?)";
    if (rc == CURLE_RANGE_ERROR || (t.offset > 0 && rc == CURLE_OK && status == 200)) {
        // The server ignored the range and sent the whole file after the part we had: start over.
        out.reset();
        return "restart";
    }
    if (rc != CURLE_OK)
        return error[0] ? std::string(error) : std::string(curl_easy_strerror(rc));
    return {};
}

} // namespace

void downloadFiles(const std::string &dir, const std::vector<RemoteFile> &files,
                   const std::vector<std::string> &mirrors, const ProgressCallback &progress, int stallSeconds)
{
    static const bool ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    if (!ready)
        throw DownloadError("cannot start the HTTP client (libcurl)");
    if (mirrors.empty())
        throw DownloadError("no download mirror is configured");
    if (!makeDirs(dir))
        throw DownloadError("cannot create " + dir + " (" + std::strerror(errno) + "); choose another folder");
    for (std::size_t i = 0; i < files.size(); ++i) {
        const RemoteFile &file = files[i];
        const std::string target = dir + "/" + file.name, part = target + ".part";
        if (fileSize(target) > 0 && md5OfFile(target) == file.md5)
            continue; // already here and verified
        std::vector<std::string> failures;
        bool done = false;
        for (const std::string &mirror : mirrors) {
            Transfer t;
            t.progress = &progress;
            t.state.file = file.name;
            t.state.fileIndex = int(i + 1);
            t.state.fileCount = int(files.size());
            t.state.mirror = mirror;
            const std::string url = joinUrl(mirror, file.name);
            std::string why = fetch(url, part, t, stallSeconds, true);
            if (why == "restart")
                why = fetch(url, part, t, stallSeconds, false);
            if (why == "cancelled")
                throw DownloadError("download cancelled; what was fetched of " + file.name +
                                    " is kept and resumed next time");
            if (why.empty()) {
                const std::string got = md5OfFile(part);
                if (got == file.md5) {
                    if (std::rename(part.c_str(), target.c_str()) != 0)
                        throw DownloadError("cannot rename " + part + " to " + target + " (" + std::strerror(errno) +
                                            ")");
                    done = true;
                    break;
                }
                why = "checksum mismatch (MD5 " + got + ", expected " + file.md5 + ")";
            }
            // Keep a .part only when it may be resumed (a connection cut); anything that failed its check goes.
            if (why.rfind("checksum", 0) == 0 || why.rfind("cannot write", 0) == 0 || fileSize(part) <= 0)
                std::remove(part.c_str());
            failures.push_back(url + ": " + why);
        }
        if (!done) {
            std::string list;
            for (const auto &f : failures)
                list += "\n  " + f;
            throw DownloadError("could not download " + file.name + " from any mirror:" + list +
                                "\nCheck the network connection and try again (a partial file is resumed), or copy "
                                "the four MNIST .gz files into " +
                                dir + " yourself.");
        }
    }
}

#else

bool downloadSupported()
{
    return false;
}

void downloadFiles(const std::string &, const std::vector<RemoteFile> &, const std::vector<std::string> &,
                   const ProgressCallback &, int)
{
    throw DownloadError("this build of RegLab cannot download (it was built without libcurl); install "
                        "libcurl4-openssl-dev and rebuild, or copy the four MNIST .gz files into a folder yourself");
}

#endif

} // namespace reglab
