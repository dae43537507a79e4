#pragma once
// Distribution-free two-sample statistics for comparing repetitions (conlab compare): the
// Mann–Whitney U test and the Hodges–Lehmann shift with its confidence interval, both from
// the ranks alone, so one stalled repetition cannot decide a verdict the way it moves a mean.
//
// Exact distribution when both samples have ≤ kExactLimit values and no ties (as SciPy's
// mannwhitneyu does by default); otherwise the normal approximation with tie and continuity
// corrections.
#include <span>

namespace conlab {

struct MannWhitney {
    double u = 0;       // U of the first sample: pairs (x, y) with x > y, ties counted 1/2
    double p = 1;       // two-sided p-value
    bool exact = false; // from the exact distribution (no ties, small samples)
};
inline constexpr int kExactLimit = 50;

MannWhitney mannWhitneyU(std::span<const double> x, std::span<const double> y);

// The smallest two-sided p-value samples of these sizes can reach (all of one above the
// other): with n = m = 3 it is 0.1, so no difference can be significant at 0.05.
double smallestPossibleP(int n, int m);

// Shift of y against x: the median of every pairwise difference y_j − x_i, and the
// distribution-free 95% interval around it (Moses/Bauer: the k-th smallest and k-th largest
// difference, k from the U distribution). Samples too small for 95% (smallestPossibleP ≥ 0.05)
// get the whole range of differences and bounded = false.
struct ShiftEstimate {
    double estimate = 0, low = 0, high = 0;
    bool valid = false;   // false: a sample is empty
    bool bounded = false; // the interval holds at 95%
};
ShiftEstimate hodgesLehmannShift(std::span<const double> x, std::span<const double> y);

} // namespace conlab
