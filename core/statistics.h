#pragma once
// Pure statistics over samples. Edge cases: empty input gives zeros (and n = 0); one sample
// has no spread, so its interval collapses to the value.
#include <span>
#include <vector>

namespace conlab {

double mean(std::span<const double> v);
double median(std::span<const double> v);
double sampleStddev(std::span<const double> v); // n-1 denominator; 0 for n < 2
// Linear interpolation between closest ranks (numpy's default), q in [0, 1].
double quantile(std::span<const double> v, double q);
// Two-sided 97.5% Student t quantile for df degrees of freedom (df >= 1).
double tCritical95(int df);

struct Estimate {
    int n = 0;
    double median = 0, mean = 0, stddev = 0, min = 0, max = 0;
    // 95% confidence interval of the mean (Student t); for non-negative samples the lower
    // bound is clamped at 0.
    double ciLow = 0, ciHigh = 0;
};
Estimate estimate(std::span<const double> v);

} // namespace conlab
