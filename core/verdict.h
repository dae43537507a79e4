#pragma once
// Three-valued verdicts that survive a noisy machine (docs/measurement.md, "Verdicts"): a claim
// is a set of checks — a measured quantity, one sample per repetition, against a threshold —
// and decideVerdict() says whether it holds, clearly does not hold, or cannot be decided from
// these measurements (and why, and what to do). Pure: no clocks, no machine state.
#include <optional>
#include <string>
#include <vector>

namespace conlab {

enum class Verdict { Holds, DoesNotHold, Inconclusive };

std::string toString(Verdict v); // "holds", "does-not-hold", "inconclusive" (results files)
std::optional<Verdict> verdictFromString(const std::string& s);
// The sentence shown before the verdict's text: "The claim holds on this machine." …
std::string verdictHeadline(Verdict v);

// One condition of a claim. It passes when the quantity is above (or below) the threshold.
struct ClaimCheck {
    std::string quantity;        // what is compared, in words: "process-pool's speedup at 0 messages"
    std::vector<double> samples; // one per measured repetition (or per pair of repetitions)
    double threshold = 0;
    bool passesAbove = true; // true: passes when quantity > threshold; false: when below
};

// What else ran on the machine during the measured repetitions (RepetitionResult::noise).
struct NoiseEvidence {
    // Others' share of the machine's CPUs (0 … 1), one per measured repetition whose noise was
    // measured.
    std::vector<double> othersShare;
};

struct VerdictPolicy {
    double busyOthersShare = 0.10; // a repetition is busy when others used more of the CPUs
    double maxVariation = 0.10;    // coefficient of variation above which data is unstable
};

struct LessonVerdict {
    Verdict verdict = Verdict::Inconclusive;
    std::string text;   // the measured numbers, in words
    std::string reason; // inconclusive: why (busy machine, unstable data, missing data)
    std::string advice; // inconclusive: what to do
    bool holds() const { return verdict == Verdict::Holds; }
};

// How one check reads from its samples: the 95% confidence interval of their mean
// (core/statistics.h) entirely on the passing side, entirely on the failing side, or across
// (also with fewer than two samples: one repetition shows no spread).
enum class CheckReading { Passes, Fails, Unclear };
CheckReading readCheck(const ClaimCheck& check);
double variation(const std::vector<double>& samples); // sample stddev ÷ |mean|; 0 for n < 2

// The rule: *holds* when every check clearly passes; *does not hold* only when a check clearly
// fails, its data is stable (variation ≤ maxVariation) and the machine was quiet (no busy
// repetition); otherwise *inconclusive*, with every reason that applies and its advice. A check
// without samples makes the verdict inconclusive ("not enough data"). `text` is kept as given.
LessonVerdict decideVerdict(const std::vector<ClaimCheck>& checks, const NoiseEvidence& noise,
                            std::string text, const VerdictPolicy& policy = {});

// An inconclusive verdict for a run that did not produce the data (`why`: what failed).
LessonVerdict notEnoughData(const std::string& why);

} // namespace conlab
