#pragma once
// `conlab fidelity` (docs/fidelity.md): every figure conlab reports beside the raw primitive
// it stands for. In this process, with the same placement (pinned to one CPU where it
// applies), each row measures the raw mechanism and the matching backend on the matching
// minimal workload, interleaved, and reports the median of the rounds' ratios. Verdicts are
// information: a row over its goal says how much conlab's worker adds, and why. Qt-free.
#include "../calibration.h"
#include "../cancel_token.h"

#include <functional>
#include <string>
#include <vector>

namespace conlab {

enum class FidelityVerdict {
    WithinGoal, // ratio ≤ goal
    OverGoal,   // ratio > goal: see the explanation
    Reference,  // no goal (informational row, or no backend to compare with)
    Skipped,    // could not be measured here: the explanation says why
};
const char* toString(FidelityVerdict v); // "within goal", "over goal", "reference only", "skipped"

struct FidelityRow {
    std::string id;                  // stable key: "fork", "spawn-exec", "pthread", "pipe", "futex", …
    std::string figure;              // what conlab reports, e.g. "process-per-task spawn cost per worker"
    std::string backend;             // the backend measured; empty for a reference-only row
    std::string primitive;           // the raw mechanism, e.g. "fork + _exit + waitpid"
    std::string placement;           // "CPU 0", "CPUs 0,1", "unpinned"
    double conlabS = 0;              // conlab's figure (median over rounds); 0 when not measured
    double rawS = 0;                 // the primitive's (median over rounds); 0 when not measured
    std::vector<double> roundRatios; // conlab / raw of each interleaved round, in order
    double ratio = 0;                // the median of roundRatios; 0 when none was measured
    double goal = 0;                 // the ratio it should stay within on an idle machine; 0: none
    FidelityVerdict verdict = FidelityVerdict::Reference;
    std::string explanation; // what conlab's worker does beyond the primitive, or why skipped
};

struct FidelityOptions {
    bool quick = false;            // fewer rounds and smaller runs: a smoke check, not a measurement
    CancelToken* cancel = nullptr; // checked between measurements
    // Before each row: its index, the row count and the row's figure (from the calling thread).
    std::function<void(int, int, const std::string&)> progress;
};

struct FidelityReport {
    std::vector<FidelityRow> rows;
    int rounds = 0;         // interleaved raw/conlab rounds per row
    int messageRounds = 0;  // … per message round-trip row (short runs, so more of them)
    std::string python;     // the interpreter of the python rows, or why they were skipped
    bool cancelled = false; // rows measured so far are kept
};

// Measures every row. Throws std::runtime_error only when nothing can be measured (no CPU to
// pin to); a row that fails is kept as Skipped with the reason.
FidelityReport runFidelity(const Calibration& calibration, const FidelityOptions& options);

// Sets a measured row's ratio (the median of its roundRatios) and its verdict against its
// goal (reference only without a goal or a positive ratio).
void judge(FidelityRow& row);

} // namespace conlab
