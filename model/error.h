// One convention for errors in the core: every fault is a reglab::Error with a kind, thrown inside the core and
// turned into a run record's status, message and error kind (or a CLI exit status) at its edge. The kind, not
// the words, chooses the advice a user gets.
#pragma once

#include <stdexcept>
#include <string>

namespace reglab {

enum class ErrorKind {
    None,      // no error: the run finished, or was stopped by the user
    Arguments, // a setting or flag is out of range
    Data,      // a data file or record is missing, damaged or not what it claims
    Diverged,  // the loss became NaN or infinite
    Device,    // the requested device is not there, or failed
    Memory,    // an allocation failed
    Io,        // a file could not be written
    Internal,  // anything else (a bug)
};

std::string toString(ErrorKind kind);
bool parseErrorKind(const std::string &text, ErrorKind &out);

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string &what) : std::runtime_error(what), m_kind(kind) {}
    ErrorKind kind() const { return m_kind; }

private:
    ErrorKind m_kind;
};

// A data fault, with a message that names the file and what is wrong with it.
class DataError : public Error {
public:
    explicit DataError(const std::string &what) : Error(ErrorKind::Data, what) {}
};

} // namespace reglab
