#pragma once
// Recommendations derived from measured numbers (never canned): the best backend, each slower
// backend's dominant overhead with its share, and the one change most likely to help.
#include "run_result.h"
#include "sweep.h"

#include <string>
#include <vector>

namespace conlab {

struct BackendAdvice {
    std::string backend;
    Phase dominant = Phase::Compute; // the largest non-compute phase
    double dominantShare = 0;
    std::string change; // one concrete change, with the numbers behind it
};

struct Advice {
    std::string best;
    double bestThroughput = 0;
    std::optional<double> bestSpeedup;
    std::vector<BackendAdvice> others;
    std::vector<std::string> lines; // human-readable rendering
};

Advice advise(const Experiment& ex, int onlineCores);
std::vector<std::string> adviseSweep(const SweepResult& sweep);

} // namespace conlab
