#include "model/md5.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>

namespace reglab {
namespace {

constexpr std::uint32_t kShift[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                      5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                                      4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                      6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};

const std::uint32_t *sineTable()
{
    static std::uint32_t table[64];
    static bool ready = false;
    if (!ready) {
        for (int i = 0; i < 64; ++i)
            table[i] = static_cast<std::uint32_t>(std::floor(std::fabs(std::sin(i + 1.0)) * 4294967296.0));
        ready = true;
    }
    return table;
}

std::uint32_t rotl(std::uint32_t x, std::uint32_t c)
{
    return (x << c) | (x >> (32 - c));
}

} // namespace

Md5::Md5() : m_state{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476}
{
    sineTable();
}

void Md5::block(const std::uint8_t *p)
{
    const std::uint32_t *k = sineTable();
    std::uint32_t m[16];
    for (int i = 0; i < 16; ++i)
        m[i] = std::uint32_t(p[i * 4]) | std::uint32_t(p[i * 4 + 1]) << 8 | std::uint32_t(p[i * 4 + 2]) << 16 |
               std::uint32_t(p[i * 4 + 3]) << 24;
    std::uint32_t a = m_state[0], b = m_state[1], c = m_state[2], d = m_state[3];
    for (int i = 0; i < 64; ++i) {
        std::uint32_t f, g;
        if (i < 16) {
            f = (b & c) | (~b & d);
            g = std::uint32_t(i);
        } else if (i < 32) {
            f = (d & b) | (~d & c);
            g = std::uint32_t(5 * i + 1) % 16;
        } else if (i < 48) {
            f = b ^ c ^ d;
            g = std::uint32_t(3 * i + 5) % 16;
        } else {
            f = c ^ (b | ~d);
            g = std::uint32_t(7 * i) % 16;
        }
        f = f + a + k[i] + m[g];
        a = d;
        d = c;
        c = b;
        b = b + rotl(f, kShift[i]);
    }
    m_state[0] += a;
    m_state[1] += b;
    m_state[2] += c;
    m_state[3] += d;
}

void Md5::update(const void *data, std::size_t size)
{
    const auto *p = static_cast<const std::uint8_t *>(data);
    m_bytes += size;
    while (size > 0) {
        const std::size_t take = std::min(size, sizeof m_buffer - m_used);
        std::memcpy(m_buffer + m_used, p, take);
        m_used += take;
        p += take;
        size -= take;
        if (m_used == sizeof m_buffer) {
            block(m_buffer);
            m_used = 0;
        }
    }
}

std::string Md5::hexDigest()
{
    const std::uint64_t bits = m_bytes * 8;
    const std::uint8_t one = 0x80, zero = 0;
    update(&one, 1);
    while (m_used != 56)
        update(&zero, 1);
    std::uint8_t length[8];
    for (int i = 0; i < 8; ++i)
        length[i] = std::uint8_t(bits >> (8 * i));
    update(length, 8);
    std::string hex;
    char digits[3];
    for (std::uint32_t word : m_state)
        for (int i = 0; i < 4; ++i) {
            std::snprintf(digits, sizeof digits, "%02x", unsigned((word >> (8 * i)) & 0xff));
            hex += digits;
        }
    return hex;
}

std::string md5OfFile(const std::string &path)
{
    std::unique_ptr<FILE, int (*)(FILE *)> file(std::fopen(path.c_str(), "rb"), std::fclose);
    if (!file)
        return {};
    Md5 md5;
    char buffer[1 << 16];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0)
        md5.update(buffer, n);
    return std::ferror(file.get()) ? std::string() : md5.hexDigest();
}

} // namespace reglab
