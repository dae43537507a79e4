#include "verdict.h"
#include "text_format.h"

#include "statistics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace conlab {

namespace {

std::string number(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.3g", v);
    return b;
}

std::string joined(const std::vector<std::string>& parts, const char* separator) {
    std::string out;
    for (const auto& p : parts)
        out += (out.empty() ? "" : separator) + p;
    return out;
}

} // namespace

std::string toString(Verdict v) {
    switch (v) {
    case Verdict::Holds:
        return "holds";
    case Verdict::DoesNotHold:
        return "does-not-hold";
    case Verdict::Inconclusive:
        return "inconclusive";
    }
    return "inconclusive";
}

std::optional<Verdict> verdictFromString(const std::string& s) {
    for (Verdict v : {Verdict::Holds, Verdict::DoesNotHold, Verdict::Inconclusive})
        if (toString(v) == s) return v;
    return std::nullopt;
}

std::string verdictHeadline(Verdict v) {
    switch (v) {
    case Verdict::Holds:
        return "The claim holds on this machine.";
    case Verdict::DoesNotHold:
        return "The claim does not hold on this machine.";
    case Verdict::Inconclusive:
        return "Inconclusive: these measurements cannot decide the claim.";
    }
    return {};
}

double variation(const std::vector<double>& samples) {
    if (samples.size() < 2) return 0;
    const double m = mean(samples);
    if (m == 0) return samples.front() == samples.back() ? 0 : INFINITY;
    return sampleStddev(samples) / std::abs(m);
}

CheckReading readCheck(const ClaimCheck& check) {
    if (check.samples.size() < 2) return CheckReading::Unclear; // one repetition shows no spread
    // The interval of the mean, not clamped at 0 (estimate() clamps non-negative samples, which
    // is right for a quantity that cannot be negative and changes nothing at a threshold > 0).
    const Estimate e = estimate(check.samples);
    const bool above = e.ciLow > check.threshold, below = e.ciHigh < check.threshold;
    if (!above && !below) return CheckReading::Unclear;
    return above == check.passesAbove ? CheckReading::Passes : CheckReading::Fails;
}

LessonVerdict decideVerdict(const std::vector<ClaimCheck>& checks, const NoiseEvidence& noise,
                            std::string text, const VerdictPolicy& policy) {
    LessonVerdict v;
    v.text = std::move(text);
    int busy = 0;
    double worst = 0;
    for (double share : noise.othersShare) {
        busy += share > policy.busyOthersShare;
        worst = std::max(worst, share);
    }
    bool allPass = !checks.empty(), clearFailOnStableData = false, missing = checks.empty();
    std::vector<std::string> unsettled; // one line per check that keeps the verdict open
    for (const ClaimCheck& c : checks) {
        if (c.samples.empty()) {
            missing = true;
            continue;
        }
        const CheckReading r = readCheck(c);
        const double cv = variation(c.samples);
        const bool unstable = cv > policy.maxVariation;
        allPass = allPass && r == CheckReading::Passes;
        if (r == CheckReading::Fails && !unstable) clearFailOnStableData = true;
        std::vector<std::string> why;
        if (r == CheckReading::Unclear && c.samples.size() < 2) {
            why.push_back("measured only once");
        } else if (r == CheckReading::Unclear) {
            const Estimate e = estimate(c.samples);
            why.push_back("95% interval " + number(e.ciLow) + " … " + number(e.ciHigh) +
                          " spans the threshold " + number(c.threshold));
        }
        if (unstable) why.push_back("varied by " + text::pct(cv) + " between repetitions");
        if (!why.empty() && r != CheckReading::Passes)
            unsettled.push_back(c.quantity + " (" + joined(why, ", ") + ")");
    }
    if (missing) {
        LessonVerdict m = notEnoughData("a compared quantity was not measured");
        m.text = v.text;
        return m;
    }
    if (allPass) {
        v.verdict = Verdict::Holds;
        return v;
    }
    if (clearFailOnStableData && busy == 0) {
        v.verdict = Verdict::DoesNotHold;
        return v;
    }
    v.verdict = Verdict::Inconclusive;
    std::vector<std::string> reasons;
    if (busy > 0)
        reasons.push_back("the machine was busy: other programs used up to " + text::pct(worst) +
                          " of the CPUs during " + std::to_string(busy) + " of " +
                          std::to_string(noise.othersShare.size()) + " repetitions");
    if (!unsettled.empty() || busy == 0) // busy == 0: a clear failure whose data varied is unsettled too
        reasons.push_back("unstable data: " +
                          (unsettled.empty() ? std::string("the data varied") : joined(unsettled, "; ")));
    const bool unstableData = !unsettled.empty() || busy == 0;
    v.reason = joined(reasons, "; and ");
    v.advice = busy > 0 && unstableData ? "Close other programs and rerun with more repetitions."
               : busy > 0               ? "Close other programs and rerun."
                                        : "Rerun with more repetitions.";
    return v;
}

LessonVerdict notEnoughData(const std::string& why) {
    LessonVerdict v;
    v.verdict = Verdict::Inconclusive;
    v.reason = "not enough data: " + why;
    v.advice = "Fix the cause above and rerun.";
    return v;
}

} // namespace conlab
