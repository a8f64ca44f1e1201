#include "model/safefile.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <sstream>

namespace reglab {

namespace {

// Closes the descriptor it holds.
struct FileDescriptor {
    explicit FileDescriptor(int fd) : m_fd(fd) {}
    FileDescriptor(const FileDescriptor &) = delete;
    FileDescriptor &operator=(const FileDescriptor &) = delete;
    ~FileDescriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    operator int() const { return m_fd; }
    int m_fd;
};

std::string dirName(const std::string &path)
{
    const auto slash = path.find_last_of('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

std::string baseName(const std::string &path)
{
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string megabytes(double bytes)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, bytes < 1e7 ? "%.1f MB" : "%.0f MB", bytes / 1e6);
    return buffer;
}

// Eight random letters and digits for a temporary name; O_EXCL, not the randomness, is what keeps names apart.
std::string randomSuffix()
{
    static std::atomic<unsigned> counter{0};
    unsigned char bytes[8] = {};
    if (::getrandom(bytes, sizeof bytes, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof bytes)) {
        const auto mix = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
                         (static_cast<std::uint64_t>(::getpid()) << 32) ^ counter++;
        std::memcpy(bytes, &mix, sizeof bytes);
    }
    static const char kChars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    std::string out;
    for (unsigned char b : bytes)
        out += kChars[b % 62];
    return out;
}

// A temporary name beside the target: hidden, and short whatever the target's name (a 255-byte name works).
std::string tempName(const std::string &dir, const std::string &base)
{
    return dir + "/." + base.substr(0, 40) + "." + randomSuffix() + ".tmp";
}

bool writeAll(int fd, const std::string &contents)
{
    const char *p = contents.data();
    std::size_t left = contents.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    return true;
}

// The temporary file: created, written and synced, then given a unique name in `dir` (`tmp`). Unnamed while it is
// written (O_TMPFILE) where the file system allows, so a crash mid-write leaves nothing behind. Returns 0 or an
// errno; `writeFailed` tells a failed write (a full disk) from a file that could not be created.
int writeTemporary(const std::string &dir, const std::string &base, const std::string &contents, const struct stat *old,
                   std::string &tmp, bool &writeFailed)
{
    tmp.clear();
    writeFailed = false;
    for (const bool unnamed : {true, false}) {
        int fd = -1;
        if (unnamed) {
            fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
            if (fd < 0)
                continue; // not supported here: a named one
        } else {
            for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
                tmp = tempName(dir, base);
                fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
                if (fd < 0 && errno != EEXIST)
                    break;
            }
            if (fd < 0) {
                const int e = errno;
                tmp.clear();
                return e;
            }
        }
        auto fail = [&](int e) {
            ::close(fd);
            if (!tmp.empty())
                ::unlink(tmp.c_str()); // ours: created above with O_EXCL
            tmp.clear();
            return e;
        };
        if (old) { // the new file takes the old one's owner (where allowed) and permissions, synced with it
            (void)!::fchown(fd, old->st_uid, old->st_gid);
            (void)::fchmod(fd, old->st_mode & 0777);
        }
        if (!writeAll(fd, contents) || ::fsync(fd) != 0) {
            writeFailed = true;
            return fail(errno ? errno : EIO);
        }
        if (unnamed) {
            const std::string self = "/proc/self/fd/" + std::to_string(fd);
            bool linked = false;
            for (int attempt = 0; attempt < 100 && !linked; ++attempt) {
                tmp = tempName(dir, base);
                linked = ::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, tmp.c_str(), AT_SYMLINK_FOLLOW) == 0;
                if (!linked && errno != EEXIST)
                    break;
            }
            if (!linked) { // no /proc, say: write it again under a name
                tmp.clear();
                ::close(fd);
                continue;
            }
        }
        if (::close(fd) != 0) {
            writeFailed = true;
            const int e = errno;
            ::unlink(tmp.c_str());
            tmp.clear();
            return e;
        }
        return 0;
    }
    return EIO;
}

} // namespace

std::string fileTypeName(unsigned mode)
{
    if (S_ISREG(mode))
        return {};
    if (S_ISDIR(mode))
        return "a folder";
    if (S_ISFIFO(mode))
        return "a named pipe (FIFO)";
    if (S_ISCHR(mode))
        return "a character device";
    if (S_ISBLK(mode))
        return "a block device";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISLNK(mode))
        return "a symbolic link";
    return "not a regular file";
}

std::string resolveSaveTarget(const std::string &path, std::string &target)
{
    target = path;
    for (int hops = 0; hops < 40; ++hops) {
        struct stat st {};
        if (::lstat(target.c_str(), &st) != 0 || !S_ISLNK(st.st_mode))
            return {};
        std::string link(4096, '\0');
        const ssize_t n = ::readlink(target.c_str(), link.data(), link.size());
        if (n < 0 || static_cast<std::size_t>(n) >= link.size())
            return "cannot read the symbolic link " + target;
        link.resize(static_cast<std::size_t>(n));
        target = !link.empty() && link.front() == '/' ? link : dirName(target) + "/" + link;
    }
    return "too many levels of symbolic links";
}

std::string checkWritableTarget(const std::string &path)
{
    const auto refuse = [&](const std::string &why) { return "cannot write " + path + " (" + why + ")"; };
    if (path.empty())
        return "no file name given";
    std::string target;
    if (const std::string e = resolveSaveTarget(path, target); !e.empty())
        return refuse(e);
    const std::string via = target == path ? "" : " " + target + ", where the link points,";
    const std::string dir = dirName(target), base = baseName(target);
    const long nameMax = ::pathconf(dir.c_str(), _PC_NAME_MAX);
    if (base.size() > std::size_t(nameMax > 0 ? nameMax : 255))
        return refuse("the file name is " + std::to_string(base.size()) + " bytes long; this file system allows " +
                      std::to_string(nameMax > 0 ? nameMax : 255));
    struct stat st {};
    if (::stat(target.c_str(), &st) == 0) {
        if (!S_ISREG(st.st_mode))
            return refuse("it is " + fileTypeName(st.st_mode) + ", not a file");
        if (::faccessat(AT_FDCWD, target.c_str(), W_OK, AT_EACCESS) != 0)
            return refuse("the file" + via + " is not writable: " + std::strerror(errno));
    } else if (errno != ENOENT) {
        return refuse(std::strerror(errno));
    }
    if (base.empty() || base == "." || base == "..")
        return refuse("it names a folder, not a file");
    struct stat ds {};
    if (::stat(dir.c_str(), &ds) != 0)
        return refuse(errno == ENOENT ? "the folder " + dir + " does not exist" : dir + ": " + std::strerror(errno));
    if (!S_ISDIR(ds.st_mode))
        return refuse(dir + " is not a folder");
    if (::faccessat(AT_FDCWD, dir.c_str(), W_OK | X_OK, AT_EACCESS) != 0)
        return refuse("the folder " + dir + " is not writable: " + std::strerror(errno));
    // access() trusts the mode bits (and root passes them); creating a file is the real test. An unnamed one
    // (O_TMPFILE) leaves nothing behind; where the file system has none, a uniquely named one, removed at once.
    int probe = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    if (probe < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
        const std::string name = tempName(dir, base);
        probe = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (probe >= 0)
            ::unlink(name.c_str()); // created above, with O_EXCL: ours
    }
    if (probe < 0)
        return refuse("cannot create a file in " + dir + ": " + std::strerror(errno));
    ::close(probe);
    return {};
}

bool sameSaveTarget(const std::string &a, const std::string &b)
{
    std::string ta, tb;
    resolveSaveTarget(a, ta);
    resolveSaveTarget(b, tb);
    struct stat sa {
    }, sb{};
    const bool hasA = ::stat(ta.c_str(), &sa) == 0, hasB = ::stat(tb.c_str(), &sb) == 0;
    if (hasA && hasB)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    if (hasA != hasB || baseName(ta) != baseName(tb))
        return false;
    // Neither is there yet: the same name in the same folder, however the folder is spelled.
    struct stat da {
    }, db{};
    if (::stat(dirName(ta).c_str(), &da) == 0 && ::stat(dirName(tb).c_str(), &db) == 0)
        return da.st_dev == db.st_dev && da.st_ino == db.st_ino;
    return ta == tb;
}

std::string outputOverInput(const std::vector<NamedFile> &outputs, const std::vector<NamedFile> &inputs)
{
    for (const NamedFile &output : outputs) {
        if (output.path.empty())
            continue;
        for (const NamedFile &input : inputs)
            if (!input.path.empty() && sameSaveTarget(output.path, input.path))
                return output.role + " " + output.path + " is an input of this command (" + input.role + " " +
                       input.path + "): writing it would replace it; give another file name";
    }
    return {};
}

std::string writeFileAtomically(const std::string &path, const std::string &contents)
{
    if (const std::string problem = checkWritableTarget(path); !problem.empty())
        return problem + "; the file was not changed";
    std::string target;
    resolveSaveTarget(path, target);
    const std::string dir = dirName(target), base = baseName(target);
    struct stat old {};
    const bool existed = ::stat(target.c_str(), &old) == 0;
    std::string tmp;
    bool writeFailed = false;
    if (const int e = writeTemporary(dir, base, contents, existed ? &old : nullptr, tmp, writeFailed); e != 0)
        return "cannot write " + path + " (" + std::strerror(e) + ")" +
               (writeFailed ? "; is the disk full? The file was not changed" : "; choose another path");
    // The target may have changed while this was written: never rename over anything but a regular file.
    struct stat now {};
    if (::lstat(target.c_str(), &now) == 0 && !S_ISREG(now.st_mode)) {
        ::unlink(tmp.c_str());
        return "cannot write " + path + " (it is now " + fileTypeName(now.st_mode) + "); the file was not changed";
    }
    if (::rename(tmp.c_str(), target.c_str()) != 0) {
        const int e = errno;
        ::unlink(tmp.c_str());
        return "cannot write " + path + " (" + std::strerror(e) + "); the file was not changed";
    }
    // The rename on the disk too, so a power cut after this returns keeps the new file.
    if (const int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); d >= 0) {
        (void)::fsync(d);
        ::close(d);
    }
    return {};
}

std::string readTextFile(const std::string &path, std::size_t maxBytes)
{
    // Looked at before it is opened: opening a FIFO waits for a writer, and a device may never end.
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw RecordError(path + ": cannot open (" + std::strerror(errno) + ")");
    if (!S_ISREG(st.st_mode))
        throw RecordError(path + ": it is " + fileTypeName(st.st_mode) + ", not a file");
    const auto tooLarge = [&](double size) {
        return RecordError(path + ": " + megabytes(size) + ", larger than the " + megabytes(double(maxBytes)) +
                           " such a file can be; this is not a RegLab file");
    };
    if (static_cast<std::uint64_t>(st.st_size) > maxBytes)
        throw tooLarge(double(st.st_size));
    const FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    if (fd < 0)
        throw RecordError(path + ": cannot open (" + std::strerror(errno) + ")");
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) // swapped since the stat above
        throw RecordError(path + ": not a regular file");
    std::string text;
    text.reserve(static_cast<std::size_t>(st.st_size));
    char buffer[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw RecordError(path + ": read error (" + std::strerror(errno) + ")");
        if (n == 0)
            break;
        text.append(buffer, static_cast<std::size_t>(n));
        if (text.size() > maxBytes) // a file that grows while it is read
            throw tooLarge(double(text.size()));
    }
    return text;
}

std::string makeFolders(const std::string &dir)
{
    for (std::size_t i = 1; i <= dir.size(); ++i)
        if (i == dir.size() || dir[i] == '/') {
            const std::string path = dir.substr(0, i);
            if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST)
                return "cannot make the folder " + path + " (" + std::strerror(errno) + ")";
        }
    struct stat st {};
    if (!dir.empty() && (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)))
        return dir + " is not a folder";
    return {};
}

} // namespace reglab
