// MD5 (RFC 1321), only to check downloads against the checksums MNIST's distributors publish.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace reglab {

class Md5 {
public:
    Md5();
    void update(const void *data, std::size_t size);
    std::string hexDigest(); // finishes; 32 lowercase hex digits

private:
    void block(const std::uint8_t *p);
    std::uint32_t m_state[4];
    std::uint64_t m_bytes = 0;
    std::uint8_t m_buffer[64];
    std::size_t m_used = 0;
};

// "" when the file cannot be read.
std::string md5OfFile(const std::string &path);

} // namespace reglab
