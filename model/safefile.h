// Files a user names: saved so that a failure leaves the old file, read so that nothing blocks or reads without
// end. Used for run records, CSV, presets, journals and figures.
#pragma once

#include "model/error.h"

#include <cstddef>
#include <string>
#include <vector>

namespace reglab {

// A run record, journal or preset that cannot be read: a data fault.
class RecordError : public DataError {
public:
    using DataError::DataError;
};

// Saving a file a user named (run records, CSV, figures' numbers). Symbolic links are followed to the file they
// name; only a regular file (or a name that does not exist yet) is ever replaced.

// Where a save to `path` goes: its symbolic links followed (relative ones against their folder) to a path that
// is not a link; that path need not exist. Returns "" or why not (a loop of links).
std::string resolveSaveTarget(const std::string &path, std::string &target);
// Whether `path` can be saved to, checked before a long computation: "" when it can, else the reason in words
// (it is a folder, a device, a FIFO; its folder is missing or not writable; its name is too long). Leaves nothing
// behind and touches no existing file: the folder is tested with an unnamed file (O_TMPFILE), or where the file
// system has none, a uniquely named one it removes at once.
std::string checkWritableTarget(const std::string &path);
// Whether two paths would save to the same file (through links, "..", and hard links of an existing file).
bool sameSaveTarget(const std::string &a, const std::string &b);
// A file a command reads or writes, with what names it: a flag ("--csv") or its part ("the run record").
struct NamedFile {
    std::string role;
    std::string path;
};
// Checked before a command starts: "" when none of `outputs` is one of `inputs`, else a message naming both,
// such as "--csv victim.json is an input of this command (the run record victim.json): writing it would replace
// it; give another file name". "The same file" as sameSaveTarget says: through links, "." and "..", hard links.
std::string outputOverInput(const std::vector<NamedFile> &outputs, const std::vector<NamedFile> &inputs);
// Writes `contents` to a new uniquely named temporary file in the target's folder (unnamed while it is written,
// where the file system allows), syncs it and renames it over the target, so a failure or a crash leaves the
// old file or the new one, never a torn one; two writers never share a temporary file. Refuses targets that are
// not regular files; keeps an existing file's permissions; removes only the temporary file it created.
// Returns an empty string, or what went wrong ("cannot write PATH (...)").
std::string writeFileAtomically(const std::string &path, const std::string &contents);

// Largest file readTextFile reads unless told otherwise: a run record of 20,000 steps and 100,000 epochs fits.
inline constexpr std::size_t kMaxTextFileBytes = std::size_t(256) << 20;
// Reads a whole regular file of at most `maxBytes`; throws RecordError naming the file. A folder, a FIFO, a
// device (a link to /dev/zero) or a larger file is refused without reading it, so nothing blocks or reads
// without end.
std::string readTextFile(const std::string &path, std::size_t maxBytes = kMaxTextFileBytes);
// Makes `dir` and its missing parents (mkdir -p); "" when it is a folder now, else why not ("cannot make the
// folder /a/b (Permission denied)", "/a/b is not a folder").
std::string makeFolders(const std::string &dir);
// What a path that is there is, in words: "a folder", "a named pipe (FIFO)", "a character device", ...; "" for a
// regular file. `mode` as stat() gives it.
std::string fileTypeName(unsigned mode);

} // namespace reglab
