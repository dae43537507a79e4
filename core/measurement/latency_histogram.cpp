#include "latency_histogram.h"

#include <algorithm>
#include <cmath>

namespace conlab {

int LatencyHistogram::bucketOf(uint64_t v) {
    if (v < uint64_t(kSub)) return int(v);
    const int e = 63 - __builtin_clzll(v); // ≥ kSubBits
    const int shift = e - kSubBits;
    const int sub = int((v >> shift) & uint64_t(kSub - 1));
    return (shift + 1) * kSub + sub;
}

uint64_t LatencyHistogram::bucketLow(int b) {
    if (b < kSub) return uint64_t(b);
    const int shift = b / kSub - 1;
    const uint64_t sub = uint64_t(b % kSub);
    return (uint64_t(kSub) | sub) << shift;
}

uint64_t LatencyHistogram::bucketHigh(int b) {
    if (b < kSub) return uint64_t(b) + 1;
    const int shift = b / kSub - 1;
    return bucketLow(b) + (uint64_t(1) << shift);
}

void LatencyHistogram::record(int64_t ns) {
    const uint64_t v = ns > 0 ? uint64_t(ns) : 0;
    ++m_counts[size_t(bucketOf(v))];
    ++m_count;
    m_sum += double(v);
    m_min = std::min<int64_t>(m_min, int64_t(v));
    m_max = std::max<int64_t>(m_max, int64_t(v));
}

double LatencyHistogram::quantileNs(double q) const {
    if (m_count == 0) return 0;
    q = std::clamp(q, 0.0, 1.0);
    // The order statistic of rank ⌊q·(n−1)⌋ (0-based), as in a sorted array; the midpoint of its
    // bucket, clamped to the exact extremes.
    const int64_t rank = int64_t(std::floor(q * double(m_count - 1)));
    int64_t seen = 0;
    for (int b = 0; b < kBuckets; ++b) {
        seen += m_counts[size_t(b)];
        if (seen > rank) {
            if (b < kSub) return double(b);
            const double mid = 0.5 * (double(bucketLow(b)) + double(bucketHigh(b) - 1));
            return std::clamp(mid, double(m_min), double(m_max));
        }
    }
    return double(m_max);
}

} // namespace conlab
