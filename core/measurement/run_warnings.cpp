#include "run_warnings.h"
#include "../text_format.h"

#include "../statistics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace conlab {

namespace {

std::string number(const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

std::vector<const RepetitionResult*> measuredRepetitions(const BackendRun& run) {
    // The repetitions behind the summary: with --probes compare, the instrumented ones (the
    // bare twins are another workload's figures); with --probes off, the bare ones.
    bool instrumented = false;
    for (const auto& r : run.repetitions)
        instrumented = instrumented || !r.bare;
    std::vector<const RepetitionResult*> out;
    for (const auto& r : run.repetitions)
        if (!r.warmup && r.error.empty() && !r.cancelled && r.wallS > 0 && !(r.bare && instrumented))
            out.push_back(&r);
    return out;
}

// A share from /proc/stat counts whole clock ticks (10 ms): one repetition of a few ticks is
// too coarse to judge alone, so short repetitions are pooled (weighted by their wall time)
// and long ones (≥ minSingleWallS) are also judged one by one.
struct ShareOverRepetitions {
    bool measured = false;
    double pooled = 0, worst = 0;
    bool exceeds(double limit) const { return measured && (pooled > limit || worst > limit); }
};

template <typename Field>
ShareOverRepetitions shareOver(const std::vector<const RepetitionResult*>& reps, Field field) {
    ShareOverRepetitions s;
    double weighted = 0, wall = 0;
    for (const auto* r : reps) {
        if (!r->noise.measured) continue;
        s.measured = true;
        const double share = field(r->noise);
        weighted += share * r->wallS;
        wall += r->wallS;
        if (r->wallS >= RunWarningLimits::minSingleWallS) s.worst = std::max(s.worst, share);
    }
    s.pooled = wall > 0 ? weighted / wall : 0;
    return s;
}

// CPUs the backend could use at once: the affinity it ran with (else the machine's), no more
// than its workers.
int usableCores(const BackendRun& run, const Experiment& ex) {
    size_t cpus = 0;
    for (const auto& r : run.repetitions)
        cpus = std::max(cpus, r.affinity.size());
    if (cpus == 0) cpus = ex.machine.affinity.size();
    if (cpus == 0) cpus = size_t(std::max(1, ex.machine.onlineCores));
    return std::max(1, std::min(int(cpus), std::max(1, run.workers)));
}

} // namespace

const char* runWarningName(RunWarningKind kind) {
    switch (kind) {
    case RunWarningKind::MachineBusy:
        return "machine busy";
    case RunWarningKind::Steal:
        return "steal";
    case RunWarningKind::Superlinear:
        return "superlinear speedup";
    case RunWarningKind::Unstable:
        return "unstable";
    case RunWarningKind::CalibrationDrift:
        return "calibration drift";
    case RunWarningKind::ColdStart:
        return "cold start";
    }
    return "warning";
}

std::vector<RunWarning> runWarnings(const BackendRun& run, const Experiment& ex) {
    std::vector<RunWarning> out;
    auto add = [&](RunWarningKind kind, const std::string& text) {
        out.push_back({kind, run.backend, std::string(runWarningName(kind)) + ": " + text});
    };
    const auto reps = measuredRepetitions(run);
    const std::string name = run.backend;

    const auto others = shareOver(reps, [](const NoiseRecord& n) { return n.othersShare; });
    if (others.exceeds(RunWarningLimits::othersShare))
        add(RunWarningKind::MachineBusy,
            "other processes used " + text::pct(std::max(others.pooled, others.worst)) +
                " of the CPUs during " + name + "'s repetitions (more than " +
                text::pct(RunWarningLimits::othersShare) +
                "): its figures include their interference; close them or rerun on a quiet machine");

    const auto steal = shareOver(reps, [](const NoiseRecord& n) { return n.stealShare; });
    if (steal.exceeds(RunWarningLimits::stealShare))
        add(RunWarningKind::Steal, "the hypervisor took " + text::pct(std::max(steal.pooled, steal.worst)) +
                                       " of the CPUs during " + name + "'s repetitions (more than " +
                                       text::pct(RunWarningLimits::stealShare) +
                                       "): other virtual machines on the host ran instead; rerun later or "
                                       "on a dedicated host");

    if (run.summary.speedup) {
        const int cores = usableCores(run, ex);
        if (*run.summary.speedup > cores * RunWarningLimits::superlinear)
            add(RunWarningKind::Superlinear,
                name + "'s speedup " + number("%.2f×", *run.summary.speedup) + " exceeds its " +
                    std::to_string(cores) + (cores == 1 ? " usable core" : " usable cores") +
                    ": the sequential baseline is suspect (it was slowed: a stall, a busy machine, a cold "
                    "start); rerun with more --repeat and --warmup 1");
    }

    if (int(reps.size()) >= RunWarningLimits::minRepetitions) {
        std::vector<double> thr;
        for (const auto* r : reps)
            thr.push_back(r->throughput);
        const double m = mean(thr);
        const double cv = m > 0 ? sampleStddev(thr) / m : 0;
        if (cv > RunWarningLimits::variation)
            add(RunWarningKind::Unstable,
                name + "'s throughput varies by " + text::pct(cv) + " (coefficient of variation over " +
                    std::to_string(reps.size()) + " repetitions, more than " +
                    text::pct(RunWarningLimits::variation) +
                    "): its median is uncertain; rerun with more --repeat on a quieter machine");

        std::vector<double> rest;
        for (size_t i = 1; i < reps.size(); ++i)
            rest.push_back(reps[i]->wallS);
        const double restMedian = median(rest);
        if (restMedian > 0 && reps.front()->wallS > RunWarningLimits::coldStart * restMedian)
            add(RunWarningKind::ColdStart,
                name + "'s first measured repetition took " +
                    number("%.2f×", reps.front()->wallS / restMedian) +
                    " the median of the rest (more than " + number("%.1f×", RunWarningLimits::coldStart) +
                    "): caches, page faults or lazy start-up inflated it; add --warmup 1");
    }
    return out;
}

std::vector<RunWarning> runWarnings(const Experiment& ex) {
    std::vector<RunWarning> out;
    for (const auto& r : ex.runs) {
        auto w = runWarnings(r, ex);
        out.insert(out.end(), w.begin(), w.end());
    }
    if (!ex.calibration.recalibratedReason.empty())
        out.push_back({RunWarningKind::CalibrationDrift,
                       {},
                       std::string(runWarningName(RunWarningKind::CalibrationDrift)) + ": " +
                           ex.calibration.recalibratedReason + ". Task durations use the new rate"});
    return out;
}

std::vector<RunWarning> runWarnings(const SweepResult& sweep) {
    std::vector<RunWarning> out;
    std::vector<int> points; // per entry of out: at how many points
    for (const auto& point : sweep.points) {
        Experiment ex;
        ex.spec = point.spec;
        ex.machine = sweep.machine;
        ex.runs = point.runs;
        for (auto& w : runWarnings(ex)) {
            auto same = std::find_if(out.begin(), out.end(), [&](const RunWarning& o) {
                return o.kind == w.kind && o.backend == w.backend;
            });
            if (same == out.end()) {
                out.push_back(std::move(w));
                points.push_back(1);
            } else {
                ++points[size_t(same - out.begin())];
            }
        }
    }
    for (size_t i = 0; i < out.size(); ++i)
        if (sweep.points.size() > 1)
            out[i].text += " (at " + std::to_string(points[i]) + " of " +
                           std::to_string(sweep.points.size()) + " points; the first shown)";
    Experiment invocation; // the calibration, once
    invocation.calibration = sweep.calibration;
    for (auto& w : runWarnings(invocation))
        out.push_back(std::move(w));
    return out;
}

} // namespace conlab
