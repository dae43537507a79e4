#include "rank_tests.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace conlab {
namespace {

// P(U = u) for samples of sizes n and m without ties, u = 0 … n·m. Built from the recursion
// on the largest of the n + m values (an x beats all m y's, or it is a y):
//   P(n, m; u) = n/(n+m) · P(n−1, m; u − m) + m/(n+m) · P(n, m−1; u),
// with probabilities (not counts) so nothing overflows; every term is positive.
std::vector<double> exactDistribution(int n, int m) {
    // row[j]: the distribution for (i, j), j = 0 … m, for the current i.
    std::vector<std::vector<double>> row(size_t(m) + 1, std::vector<double>{1.0});
    for (int i = 1; i <= n; ++i) {
        std::vector<std::vector<double>> next(size_t(m) + 1);
        next[0] = {1.0};
        for (int j = 1; j <= m; ++j) {
            std::vector<double> d(size_t(i) * size_t(j) + 1, 0.0);
            const double wx = double(i) / double(i + j), wy = double(j) / double(i + j);
            const std::vector<double>& fromX = row[size_t(j)];      // (i−1, j), shifted by j
            const std::vector<double>& fromY = next[size_t(j) - 1]; // (i, j−1)
            for (size_t u = 0; u < fromX.size(); ++u)
                d[u + size_t(j)] += wx * fromX[u];
            for (size_t u = 0; u < fromY.size(); ++u)
                d[u] += wy * fromY[u];
            next[size_t(j)] = std::move(d);
        }
        row = std::move(next);
    }
    return row[size_t(m)];
}

bool hasTies(std::span<const double> x, std::span<const double> y) {
    std::vector<double> all(x.begin(), x.end());
    all.insert(all.end(), y.begin(), y.end());
    std::sort(all.begin(), all.end());
    return std::adjacent_find(all.begin(), all.end()) != all.end();
}

} // namespace

MannWhitney mannWhitneyU(std::span<const double> x, std::span<const double> y) {
    MannWhitney r;
    const size_t n = x.size(), m = y.size();
    if (n == 0 || m == 0) return r;
    // Midranks over the pooled sample; U of x = its rank sum less n(n+1)/2.
    std::vector<std::pair<double, bool>> pooled; // value, from x
    pooled.reserve(n + m);
    for (double v : x)
        pooled.push_back({v, true});
    for (double v : y)
        pooled.push_back({v, false});
    std::sort(pooled.begin(), pooled.end(), [](auto& a, auto& b) { return a.first < b.first; });
    const double N = double(n + m);
    double rankSumX = 0, tieTerm = 0;
    for (size_t i = 0; i < pooled.size();) {
        size_t j = i;
        while (j < pooled.size() && pooled[j].first == pooled[i].first)
            ++j;
        const double midrank = (double(i + 1) + double(j)) / 2.0, t = double(j - i);
        for (size_t k = i; k < j; ++k)
            if (pooled[k].second) rankSumX += midrank;
        tieTerm += t * t * t - t;
        i = j;
    }
    r.u = rankSumX - double(n) * double(n + 1) / 2.0;
    const double nm = double(n) * double(m);
    if (n <= size_t(kExactLimit) && m <= size_t(kExactLimit) && !hasTies(x, y)) {
        const std::vector<double> d = exactDistribution(int(n), int(m));
        const size_t u = size_t(std::llround(r.u));
        double below = 0, above = 0; // P(U ≤ u), P(U ≥ u)
        for (size_t k = 0; k < d.size(); ++k) {
            if (k <= u) below += d[k];
            if (k >= u) above += d[k];
        }
        r.p = std::min(1.0, 2.0 * std::min(below, above));
        r.exact = true;
        return r;
    }
    const double variance = nm / 12.0 * ((N + 1.0) - tieTerm / (N * (N - 1.0)));
    if (variance <= 0) return r; // every value equal: no evidence either way
    const double z = (std::abs(r.u - nm / 2.0) - 0.5) / std::sqrt(variance);
    r.p = std::min(1.0, std::erfc(z / std::sqrt(2.0)));
    return r;
}

double smallestPossibleP(int n, int m) {
    if (n <= 0 || m <= 0) return 1.0;
    double c = 1; // C(n+m, n), as a double: only its size matters here
    for (int k = 1; k <= n; ++k)
        c = c * double(m + k) / double(k);
    return std::min(1.0, 2.0 / c);
}

ShiftEstimate hodgesLehmannShift(std::span<const double> x, std::span<const double> y) {
    ShiftEstimate s;
    const size_t n = x.size(), m = y.size();
    if (n == 0 || m == 0) return s;
    std::vector<double> d;
    d.reserve(n * m);
    for (double a : x)
        for (double b : y)
            d.push_back(b - a);
    std::sort(d.begin(), d.end());
    const size_t count = d.size();
    s.estimate = count % 2 ? d[count / 2] : (d[count / 2 - 1] + d[count / 2]) / 2.0;
    s.valid = true;
    // c: the largest u with P(U ≤ u) ≤ 2.5%; the interval is [d_(c+1), d_(nm−c)] (1-based).
    long c = -1;
    if (n <= size_t(kExactLimit) && m <= size_t(kExactLimit)) {
        const std::vector<double> dist = exactDistribution(int(n), int(m));
        double cdf = 0;
        for (size_t u = 0; u < dist.size(); ++u) {
            cdf += dist[u];
            if (cdf > 0.025 + 1e-12) break;
            c = long(u);
        }
    } else {
        const double nm = double(n) * double(m), N = double(n + m);
        c = long(std::floor(nm / 2.0 - 1.959963984540054 * std::sqrt(nm * (N + 1.0) / 12.0))) - 1;
    }
    if (c < 0 || size_t(c) >= count / 2) {
        s.low = d.front();
        s.high = d.back();
        return s;
    }
    s.low = d[size_t(c)];
    s.high = d[count - 1 - size_t(c)];
    s.bounded = true;
    return s;
}

} // namespace conlab
