#pragma once
// `conlab compare BASE NEW`: per backend and figure, NEW against BASE over their repetitions —
// the ratio of medians, a distribution-free 95% interval of the ratio, a Mann–Whitney U test
// and a verdict (docs/compare.md). Qt-free apart from the Experiment it reads.
#include "../run_result.h"

#include <optional>
#include <string>
#include <vector>

namespace conlab {

// What a figure's larger value means: throughput higher is faster; times lower are.
enum class Better { Higher, Lower };

struct FigureComparison {
    std::string backend;
    std::string figure; // "throughput", "wall", "latency p50", or a worker phase ("ipc" …)
    std::string unit;   // "tasks/s" or "s"
    Better better = Better::Lower;
    int nBase = 0, nNew = 0;
    double baseMedian = 0, newMedian = 0;
    // NEW/BASE: the ratio of the medians, with the 95% interval of the ratio (exp of the
    // Hodges–Lehmann interval of the logarithms' shift). Absent when a side has a zero value
    // (a phase one of them never spent time in).
    std::optional<double> ratio, ratioLow, ratioHigh;
    bool intervalBounded = false; // false: too few repetitions for a 95% interval
    double p = 1;                 // two-sided Mann–Whitney U
    // The p the verdict uses: p for throughput (the backend's one question); for the other
    // figures Holm–Bonferroni-adjusted over them (a dozen figures at 5% each would otherwise
    // turn noise into about one "finding" per comparison).
    double pVerdict = 1;
    bool exact = false;
    bool significant = false; // pVerdict < alpha
    // "faster"/"slower" (throughput, wall, latency), "less"/"more" (phases), or
    // "no significant difference".
    std::string verdict;
};

struct BackendComparison {
    std::string backend;
    std::vector<FigureComparison> figures; // throughput first
    // The verdict on throughput: what "is this backend faster" means.
    const FigureComparison* throughput() const { return figures.empty() ? nullptr : &figures.front(); }
};

struct CompareOptions {
    double alpha = 0.05;
    bool force = false; // compare even when machine or workload differ
};

struct Comparison {
    std::vector<std::string> differences;    // machine or workload fields that differ (refused unless force)
    std::vector<BackendComparison> backends; // in BASE's order, those present in both
    std::vector<std::string> onlyInBase, onlyInNew;
    std::vector<std::string> notes; // e.g. too few repetitions to reach alpha
    double alpha = 0.05;
};

// What differs between the two files' machines and workloads ("machine cpu_model: A → B").
// Ignored: the backend list and the number of repetitions (compared as samples).
std::vector<std::string> experimentDifferences(const Experiment& base, const Experiment& next);

// Throws std::invalid_argument naming the differences when they differ and !force, or when
// the files have no backend in common.
Comparison compareExperiments(const Experiment& base, const Experiment& next, const CompareOptions& options);

// The backends whose throughput is significantly slower by more than pct percent (a ratio
// below 1 − pct/100), for --fail-if-slower.
std::vector<std::string> slowerThan(const Comparison& c, double pct);

} // namespace conlab
