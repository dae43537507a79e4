#pragma once
// Small text helpers for the reports, verdicts and tables the core prints: one definition,
// shared, instead of a private copy in each file.
#include <cstddef>
#include <cstdio>
#include <string>

namespace conlab::text {

// printf of one number (the format takes exactly one double).
inline std::string fmt(const char* format, double v) {
    char buf[128];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

// A count with its noun, singular for exactly one: "1 message", "4 messages".
inline std::string counted(long long n, const std::string& noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

// A share in 0…1 as a whole percentage: "42%".
inline std::string pct(double share) {
    return fmt("%.0f%%", share * 100);
}

// Pads to `width` display columns, counting UTF-8 code points (µ and × are one column but two
// bytes), on the left when `right`.
inline std::string pad(const std::string& s, size_t width, bool right = false) {
    size_t columns = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++columns;
    const std::string fill(width > columns ? width - columns : 0, ' ');
    return right ? fill + s : s + fill;
}

} // namespace conlab::text
