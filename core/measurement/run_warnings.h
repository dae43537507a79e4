#pragma once
// Warnings derived from an experiment's own data (docs/measurement.md, "Noise and warnings"):
// when the machine, the baseline or the spread make a figure untrustworthy, the reader is told
// what happened and what to do. Pure: the same experiment always gives the same warnings, so
// a loaded results file shows what the run showed.
#include "../run_result.h"
#include "../sweep.h"

#include <string>
#include <vector>

namespace conlab {

enum class RunWarningKind { MachineBusy, Steal, Superlinear, Unstable, CalibrationDrift, ColdStart };

struct RunWarning {
    RunWarningKind kind;
    std::string backend; // empty: about the whole invocation (calibration)
    std::string text;    // starts with the kind's name ("machine busy: …"), says what to do
};

// The thresholds, named so the docs, the tests and the texts agree.
struct RunWarningLimits {
    static constexpr double othersShare = 0.10;   // others' CPU share in a measured repetition
    static constexpr double stealShare = 0.05;    // the hypervisor's share
    static constexpr double superlinear = 1.05;   // speedup over usable cores
    static constexpr double variation = 0.10;     // coefficient of variation of throughput
    static constexpr int minRepetitions = 3;      // for the spread and the cold start
    static constexpr double coldStart = 1.5;      // first wall over the median of the rest
    static constexpr double minSingleWallS = 0.2; // a repetition this long is judged alone
};

const char* runWarningName(RunWarningKind kind); // "machine busy", "steal", …

std::vector<RunWarning> runWarnings(const BackendRun& run, const Experiment& ex);
// Every backend's, then the invocation's (calibration).
std::vector<RunWarning> runWarnings(const Experiment& ex);
// A sweep's (or a lesson's): each point's, one per kind and backend (the first point's text,
// with how many points had it), then the calibration's.
std::vector<RunWarning> runWarnings(const SweepResult& sweep);

} // namespace conlab
