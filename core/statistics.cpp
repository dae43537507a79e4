#include "statistics.h"

#include <algorithm>
#include <cmath>

namespace conlab {

double mean(std::span<const double> v) {
    if (v.empty()) return 0;
    double s = 0;
    for (double x : v)
        s += x;
    return s / double(v.size());
}

double quantile(std::span<const double> v, double q) {
    if (v.empty()) return 0;
    std::vector<double> s(v.begin(), v.end());
    std::sort(s.begin(), s.end());
    q = std::clamp(q, 0.0, 1.0);
    double pos = q * double(s.size() - 1);
    size_t lo = size_t(std::floor(pos));
    size_t hi = std::min(lo + 1, s.size() - 1);
    double frac = pos - double(lo);
    return s[lo] + (s[hi] - s[lo]) * frac;
}

double median(std::span<const double> v) {
    return quantile(v, 0.5);
}

double sampleStddev(std::span<const double> v) {
    if (v.size() < 2) return 0;
    double m = mean(v), acc = 0;
    for (double x : v)
        acc += (x - m) * (x - m);
    return std::sqrt(acc / double(v.size() - 1));
}

double tCritical95(int df) {
    static const double table[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                   2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                   2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
    if (df < 1) return 0;
    if (df <= 30) return table[df - 1];
    if (df <= 40) return 2.021;
    if (df <= 60) return 2.000;
    if (df <= 120) return 1.980;
    return 1.960;
}

Estimate estimate(std::span<const double> v) {
    Estimate e;
    e.n = int(v.size());
    if (v.empty()) return e;
    e.mean = mean(v);
    e.median = median(v);
    e.stddev = sampleStddev(v);
    auto [mn, mx] = std::minmax_element(v.begin(), v.end());
    e.min = *mn;
    e.max = *mx;
    double half = e.n >= 2 ? tCritical95(e.n - 1) * e.stddev / std::sqrt(double(e.n)) : 0;
    e.ciLow = e.mean - half;
    e.ciHigh = e.mean + half;
    // Times and rates cannot be negative: with few samples the t interval can reach below 0.
    if (e.min >= 0 && e.ciLow < 0) e.ciLow = 0;
    return e;
}

} // namespace conlab
