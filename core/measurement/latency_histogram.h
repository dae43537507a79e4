#pragma once
// Task latencies in bounded memory (64 KiB, whatever the task count): an HDR-style
// log-linear histogram. Values below 128 ns are kept exactly; above, each power of two is
// split into 128 buckets, so a bucket spans at most 1/128 of its lower bound and a quantile
// read as the bucket's midpoint is within 0.4% of the true order statistic (≤ 1% is the
// documented bound, docs/measurement.md). The mean is exact.
#include <array>
#include <cstdint>

namespace conlab {

class LatencyHistogram {
  public:
    static constexpr int kSubBits = 7;
    static constexpr int kSub = 1 << kSubBits;
    static constexpr int kBuckets = (64 - kSubBits + 1) * kSub;

    void record(int64_t ns);
    int64_t count() const { return m_count; }
    double meanNs() const { return m_count ? m_sum / double(m_count) : 0; }
    // The q-quantile (0 ≤ q ≤ 1) of what was recorded, in ns; 0 when empty.
    double quantileNs(double q) const;
    int64_t minNs() const { return m_count ? m_min : 0; }
    int64_t maxNs() const { return m_count ? m_max : 0; }

    static int bucketOf(uint64_t v);
    static uint64_t bucketLow(int b);
    static uint64_t bucketHigh(int b); // exclusive

  private:
    std::array<int64_t, kBuckets> m_counts{};
    int64_t m_count = 0;
    double m_sum = 0; // ns (exact to 2^53 ns per task)
    int64_t m_min = INT64_MAX, m_max = 0;
};

} // namespace conlab
