#include "model/download.h"
#include "model/safefile.h"

#include "model/md5.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
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

std::int64_t maxBytesFor(const RemoteFile &file)
{
    if (file.maxBytes > 0)
        return file.maxBytes;
    return file.name.find("labels") != std::string::npos ? std::int64_t(1) << 20 : std::int64_t(64) << 20;
}

void downloadFiles(const std::string &dir, const std::vector<RemoteFile> &files,
                   const std::vector<std::string> &mirrors, const ProgressCallback &progress, int stallSeconds)
{
    DownloadLimits limits;
    limits.stallSeconds = stallSeconds;
    downloadFiles(dir, files, mirrors, progress, limits);
}

namespace {

std::string megabytes(double bytes)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, bytes < 1e7 ? "%.1f MB" : "%.0f MB", bytes / 1e6);
    return buffer;
}

std::string rate(double bytesPerSecond)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f KB/s", bytesPerSecond / 1e3);
    return buffer;
}

std::string seconds(double s)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, s < 120 ? "%.0f s" : "%.0f min", s < 120 ? s : s / 60);
    return buffer;
}

} // namespace

#ifdef REGLAB_HAVE_CURL

bool downloadSupported()
{
    return true;
}

namespace {

using Clock = std::chrono::steady_clock;

// Why one attempt failed, when it was not the server's or the network's word.
enum class Stop { None, Cancelled, WriteFailed, TooLarge, Stalled, TooSlow, Deadline };

struct Transfer {
    FILE *out = nullptr;
    CURL *curl = nullptr;
    const ProgressCallback *progress = nullptr;
    DownloadProgress state;
    DownloadLimits limits;
    std::int64_t maxBytes = 0;
    std::int64_t offset = 0;  // bytes already in the .part file when this request started
    std::int64_t written = 0; // bytes written by this request
    Stop stop = Stop::None;
    int writeErrno = 0;
    Clock::time_point start, lastData, windowStart;
    std::int64_t windowBytes = 0; // written when the current window started
    std::int64_t declared = -1;   // the response's Content-Length, when it gave one
};

// Each header line of each response (redirects included): the last response's Content-Length, for the message
// when it is beyond the cap.
std::size_t onHeader(char *data, std::size_t size, std::size_t count, void *user)
{
    auto *t = static_cast<Transfer *>(user);
    const std::string line(data, size * count);
    if (line.rfind("HTTP/", 0) == 0)
        t->declared = -1;
    std::string name = line.substr(0, line.find(':'));
    for (char &c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "content-length" && line.size() > name.size() + 1)
        t->declared = std::strtoll(line.c_str() + name.size() + 1, nullptr, 10);
    return size * count;
}

std::size_t onData(char *data, std::size_t size, std::size_t count, void *user)
{
    auto *t = static_cast<Transfer *>(user);
    const std::size_t bytes = size * count;
    if (t->offset + t->written + static_cast<std::int64_t>(bytes) > t->maxBytes) {
        t->stop = Stop::TooLarge; // an endless body: no more than the file can be
        return 0;
    }
    if (std::fwrite(data, 1, bytes, t->out) != bytes) {
        t->writeErrno = errno;
        t->stop = Stop::WriteFailed;
        return 0;
    }
    t->written += static_cast<std::int64_t>(bytes);
    t->lastData = Clock::now();
    return bytes;
}

double since(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Called at least once a second, data or not: the stall, rate and deadline checks live here.
int onProgress(void *user, curl_off_t total, curl_off_t now, curl_off_t, curl_off_t)
{
    auto *t = static_cast<Transfer *>(user);
    t->state.received = t->offset + now;
    t->state.total = total > 0 ? t->offset + total : 0;
    if (t->progress && *t->progress && !(*t->progress)(t->state)) {
        t->stop = Stop::Cancelled;
        return 1;
    }
    if (since(t->lastData) >= t->limits.stallSeconds)
        t->stop = Stop::Stalled;
    else if (since(t->start) >= t->limits.maxSecondsPerFile)
        t->stop = Stop::Deadline;
    else if (since(t->windowStart) >= t->limits.rateWindowSeconds) {
        // The average over the window, not a byte now and then: a drip of a byte a second keeps a plain stall
        // check happy forever.
        if (double(t->written - t->windowBytes) < t->limits.minBytesPerSecond * t->limits.rateWindowSeconds) {
            t->stop = Stop::TooSlow;
        } else {
            t->windowStart = Clock::now();
            t->windowBytes = t->written;
        }
    }
    return t->stop == Stop::None ? 0 : 1;
}

// One attempt at one file from one mirror; "" on success, else why not. "restart": the server ignored the range;
// "verify": it says the .part is already whole (HTTP 416).
std::string fetch(const std::string &url, const std::string &part, Transfer &t, bool resume)
{
    t.offset = resume ? std::max<std::int64_t>(0, fileSize(part)) : 0;
    if (t.offset >= t.maxBytes) { // longer than the file can be: not worth resuming
        std::remove(part.c_str());
        t.offset = 0;
    }
    std::unique_ptr<FILE, int (*)(FILE *)> out(std::fopen(part.c_str(), t.offset > 0 ? "ab" : "wb"), std::fclose);
    if (!out) {
        t.writeErrno = errno;
        t.stop = Stop::WriteFailed;
        return "cannot write " + part + " (" + std::strerror(errno) + ")";
    }
    t.out = out.get();
    t.written = t.windowBytes = 0;
    t.start = t.lastData = t.windowStart = Clock::now();
    std::unique_ptr<CURL, void (*)(CURL *)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl)
        return "cannot start the HTTP client";
    t.curl = curl.get();
    char error[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_MAXREDIRS, 10L);
    // HTTP(S) only, redirects included: a file:// mirror or redirect could read a FIFO or a device with no end.
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl.get(), CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS, long(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    curl_easy_setopt(curl.get(), CURLOPT_REDIR_PROTOCOLS, long(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(curl.get(), CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, onData);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(curl.get(), CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl.get(), CURLOPT_XFERINFOFUNCTION, onProgress);
    curl_easy_setopt(curl.get(), CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, long(std::max(1, t.limits.stallSeconds)));
    // A declared length beyond the cap is refused before a byte is written.
    curl_easy_setopt(curl.get(), CURLOPT_MAXFILESIZE_LARGE, curl_off_t(t.maxBytes - t.offset));
    curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "RegLab");
    if (t.offset > 0)
        curl_easy_setopt(curl.get(), CURLOPT_RESUME_FROM_LARGE, curl_off_t(t.offset));
    const CURLcode rc = curl_easy_perform(curl.get());
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    if (std::fflush(out.get()) != 0 && t.stop == Stop::None) {
        t.writeErrno = errno;
        t.stop = Stop::WriteFailed;
    }
    const double limitRate = t.limits.minBytesPerSecond;
    switch (t.stop) {
    case Stop::None:
        break;
    case Stop::Cancelled:
        return "cancelled";
    case Stop::WriteFailed:
        return "cannot write " + part + " (" + std::strerror(t.writeErrno) + ")";
    case Stop::TooLarge:
        return "too large: the server sent more than " + megabytes(double(t.maxBytes)) +
               ", the most this file can be; this mirror does not serve the MNIST file";
    case Stop::Stalled:
        return "stalled: nothing received for " + seconds(t.limits.stallSeconds);
    case Stop::TooSlow:
        return "too slow: " + std::to_string(t.written - t.windowBytes) + " bytes in the last " +
               seconds(t.limits.rateWindowSeconds) + ", below the " + rate(limitRate) + " a download needs on average";
    case Stop::Deadline:
        return "too slow overall: not done after " + seconds(t.limits.maxSecondsPerFile) +
               ", the deadline for one file";
    }
    if (rc == CURLE_FILESIZE_EXCEEDED) {
        t.stop = Stop::TooLarge;
        return "too large: the server announced " +
               (t.declared >= 0 ? std::to_string(t.offset + t.declared) + " bytes" : std::string("more")) +
               ", more than the " + megabytes(double(t.maxBytes)) +
               " this file can be; this mirror does not serve the MNIST file";
    }
    if (t.offset > 0 && status == 416)
        return "verify";
    if (rc == CURLE_RANGE_ERROR || (t.offset > 0 && rc == CURLE_OK && status == 200)) {
        // The server ignored the range and sent the whole file after the part we had: start over.
        out.reset();
        return "restart";
    }
    if (rc != CURLE_OK)
        return error[0] ? std::string(error) : std::string(curl_easy_strerror(rc));
    return {};
}

// What a failure says about what to do: the network (try again) or the mirror (another one).
bool mirrorsFault(const std::string &why)
{
    for (const char *needle : {"checksum mismatch", "too large", "returned error: 4", "not supported"})
        if (why.find(needle) != std::string::npos)
            return true;
    return false;
}

} // namespace

void downloadFiles(const std::string &dir, const std::vector<RemoteFile> &files,
                   const std::vector<std::string> &mirrors, const ProgressCallback &progress,
                   const DownloadLimits &limits)
{
    static const bool ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    if (!ready)
        throw DownloadError("cannot start the HTTP client (libcurl)");
    if (mirrors.empty())
        throw DownloadError("no download mirror is configured");
    if (!makeFolders(dir).empty())
        throw DownloadError("cannot create " + dir + " (" + std::strerror(errno) + "); choose another folder");
    for (std::size_t i = 0; i < files.size(); ++i) {
        const RemoteFile &file = files[i];
        const std::string target = dir + "/" + file.name, part = target + ".part";
        if (fileSize(target) > 0 && md5OfFile(target) == file.md5)
            continue; // already here and verified
        std::vector<std::string> failures;
        bool done = false, network = false, mirror = false;
        for (const std::string &base : mirrors) {
            Transfer t;
            t.progress = &progress;
            t.limits = limits;
            t.maxBytes = maxBytesFor(file);
            t.state.file = file.name;
            t.state.fileIndex = int(i + 1);
            t.state.fileCount = int(files.size());
            t.state.mirror = base;
            const std::string url = joinUrl(base, file.name);
            std::string why = fetch(url, part, t, true);
            if (why == "verify") {
                // HTTP 416: the server has nothing past what the .part holds. Whole and right, or start again.
                why = md5OfFile(part) == file.md5 ? std::string() : fetch(url, part, t, false);
            } else if (why == "restart") {
                why = fetch(url, part, t, false);
            }
            if (why == "cancelled")
                throw DownloadError("download cancelled; what was fetched of " + file.name +
                                    " is kept and resumed next time");
            if (t.stop == Stop::WriteFailed) { // no mirror helps with a full disk
                std::remove(part.c_str());
                throw DownloadError("could not download " + file.name + ": " + why +
                                    "; free some disk space or choose another folder (--download-dir)");
            }
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
            // Keep a .part only when it may be resumed (a connection cut, a slow link); anything that failed its
            // check or came from a server sending too much goes.
            if (mirrorsFault(why) || fileSize(part) <= 0)
                std::remove(part.c_str());
            (mirrorsFault(why) ? mirror : network) = true;
            failures.push_back(url + ": " + why);
        }
        if (!done) {
            std::string list;
            for (const auto &f : failures)
                list += "\n  " + f;
            std::string advice;
            if (network)
                advice += "\nCheck the network connection and try again (a partial file is resumed).";
            if (mirror)
                advice += "\nThe mirror does not serve the MNIST files: try again later, or set REGLAB_MNIST_MIRRORS "
                          "to another mirror.";
            throw DownloadError("could not download " + file.name + " from any mirror:" + list + advice +
                                "\nOr copy the four MNIST .gz files into " + dir + " yourself.");
        }
    }
}

#else

bool downloadSupported()
{
    return false;
}

void downloadFiles(const std::string &, const std::vector<RemoteFile> &, const std::vector<std::string> &,
                   const ProgressCallback &, const DownloadLimits &)
{
    throw DownloadError("this build of RegLab cannot download (it was built without libcurl); install "
                        "libcurl4-openssl-dev and rebuild, or copy the four MNIST .gz files into a folder yourself");
}

#endif

} // namespace reglab
