#include "model/error.h"

#include <array>
#include <utility>

namespace reglab {
namespace {
constexpr std::array<std::pair<ErrorKind, const char *>, 8> kNames = {{{ErrorKind::None, "none"},
                                                                       {ErrorKind::Arguments, "arguments"},
                                                                       {ErrorKind::Data, "data"},
                                                                       {ErrorKind::Diverged, "diverged"},
                                                                       {ErrorKind::Device, "device"},
                                                                       {ErrorKind::Memory, "memory"},
                                                                       {ErrorKind::Io, "io"},
                                                                       {ErrorKind::Internal, "internal"}}};
} // namespace

std::string toString(ErrorKind kind)
{
    for (const auto &[k, name] : kNames)
        if (k == kind)
            return name;
    return "internal";
}

bool parseErrorKind(const std::string &text, ErrorKind &out)
{
    for (const auto &[k, name] : kNames)
        if (text == name) {
            out = k;
            return true;
        }
    return false;
}

} // namespace reglab
