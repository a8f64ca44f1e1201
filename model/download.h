// Downloading full MNIST: each file checked against its published MD5, written to NAME.part and renamed only
// when complete and verified, so an interrupted or corrupt download never leaves a file that looks valid.
#pragma once

#include "model/error.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace reglab {

// A download that failed or was cancelled: the data is not there (a data fault).
class DownloadError : public DataError {
public:
    using DataError::DataError;
};

struct RemoteFile {
    std::string name; // e.g. train-images-idx3-ubyte.gz
    std::string md5;
    std::int64_t maxBytes = 0; // more is refused (an endless body, a declared 10^12); 0: by kind, see maxBytesFor
};

// The most a download of `file` may be: its maxBytes, else by kind: 64 MB for images (MNIST's largest is
// 9.9 MB), 1 MB for labels (29 KB).
std::int64_t maxBytesFor(const RemoteFile &file);

// When a mirror is given up on. Each reason has its own message, so the user learns which it was.
struct DownloadLimits {
    int stallSeconds = 30;           // nothing at all for this long (connecting included): stalled
    double minBytesPerSecond = 4096; // less than this on average over a window: too slow (a byte every 0.9 s)
    double rateWindowSeconds = 30;   // the window that average is taken over (tests make it short)
    double maxSecondsPerFile = 3600; // the overall deadline of one file from one mirror
};

struct DownloadProgress {
    std::string file;
    int fileIndex = 0, fileCount = 0;     // 1-based
    std::int64_t received = 0, total = 0; // bytes of this file; total 0 when unknown
    std::string mirror;
};

// Called often during a download; return false to cancel (DownloadError "cancelled", .part files kept for a
// later resume).
using ProgressCallback = std::function<bool(const DownloadProgress &)>;

// The four MNIST files and their MD5s as torchvision checks them.
const std::vector<RemoteFile> &mnistFiles();
// The standard mirrors, tried in turn; $REGLAB_MNIST_MIRRORS (comma-separated base URLs) replaces them.
std::vector<std::string> mnistMirrors();
// Where downloaded MNIST lives: $XDG_DATA_HOME/RegLab/mnist, else ~/.local/share/RegLab/mnist.
std::string defaultMnistDir();
// Whether this build can download at all (it needs libcurl).
bool downloadSupported();

// Fetches each file that `dir` does not already hold verified, trying the mirrors in turn; a .part left by an
// interrupted download is resumed with an HTTP range request (redone when the server ignores it or the
// result fails its check; a .part the server says is already whole, HTTP 416, is verified, or discarded and
// fetched again). A mirror that stalls, is too slow, runs past the deadline or sends more than the file's size
// cap counts as failed, with the reason. A file that cannot be written (a full disk) ends the download at once.
// Throws DownloadError saying what failed and what to do; files already verified stay.
void downloadFiles(const std::string &dir, const std::vector<RemoteFile> &files,
                   const std::vector<std::string> &mirrors, const ProgressCallback &progress,
                   const DownloadLimits &limits);
// The same with the default limits and a stall time of `stallSeconds`.
void downloadFiles(const std::string &dir, const std::vector<RemoteFile> &files,
                   const std::vector<std::string> &mirrors, const ProgressCallback &progress = {},
                   int stallSeconds = 30);

} // namespace reglab
