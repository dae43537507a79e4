#pragma once
// One clock for every number conlab shows: CLOCK_MONOTONIC, which is valid across the
// processes of one boot, so a child's timestamps can be subtracted from the parent's.
#include <cstdint>
#include <ctime>

namespace conlab {

inline int64_t nowNs() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

inline double nsToSeconds(int64_t ns) {
    return double(ns) * 1e-9;
}

} // namespace conlab
