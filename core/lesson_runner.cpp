#include "lesson_runner.h"

#include "clock.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace conlab {

namespace {

int measuredCount(const BackendRun& run) {
    return int(std::count_if(run.repetitions.begin(), run.repetitions.end(),
                             [](const RepetitionResult& r) { return !r.warmup; }));
}

bool anyError(const SweepResult& sw) {
    for (const auto& p : sw.points)
        for (const auto& r : p.runs)
            if (!r.error.empty()) return true;
    return false;
}

} // namespace

std::string lessonRunOptionsProblem(const LessonRunOptions& o) {
    if (o.initialRepetitions < 2 || o.initialRepetitions > SpecLimits::maxRepeat)
        return "initial repetitions must be 2 … " + std::to_string(SpecLimits::maxRepeat);
    if (o.retryRepetitions < 1 || o.retryRepetitions > SpecLimits::maxRepeat)
        return "repetitions per retry must be 1 … " + std::to_string(SpecLimits::maxRepeat);
    if (o.maxRepetitions < o.initialRepetitions || o.maxRepetitions > SpecLimits::maxRepeat)
        return "maximum repetitions must be from the initial repetitions to " +
               std::to_string(SpecLimits::maxRepeat);
    if (!(o.timeBudgetS > 0) || !std::isfinite(o.timeBudgetS) || o.timeBudgetS > 86400)
        return "the time budget must be > 0 and ≤ 86400 s";
    return {};
}

void mergeRepetitions(SweepResult& into, const SweepResult& more) {
    for (size_t j = 0; j < into.points.size() && j < more.points.size(); ++j) {
        Experiment point; // computeSpeedups works on an experiment's runs
        point.runs = std::move(into.points[j].runs);
        for (const BackendRun& extra : more.points[j].runs) {
            auto it = std::find_if(point.runs.begin(), point.runs.end(),
                                   [&](const BackendRun& r) { return r.backend == extra.backend; });
            if (it == point.runs.end()) continue;
            BackendRun& run = *it;
            int index = int(run.repetitions.size()), measured = measuredCount(run);
            for (RepetitionResult rep : extra.repetitions) {
                rep.index = index++;
                keepDetailOfFirstRepetitions(rep, measured);
                run.repetitions.push_back(std::move(rep));
            }
            if (run.error.empty()) run.error = extra.error;
            run.cancelled = run.cancelled || extra.cancelled;
            summarize(run);
        }
        computeSpeedups(point);
        into.points[j].runs = std::move(point.runs);
        into.points[j].spec.repeat += more.points[j].spec.repeat;
    }
    into.base.repeat = into.points.empty() ? into.base.repeat : into.points.front().spec.repeat;
}

LessonRunResult runLesson(Engine& engine, const Lesson& lesson, const LessonRunOptions& options,
                          const EngineOptions& engineOptions,
                          const std::function<void(const SweepResult&, const SweepPoint&)>& onPoint,
                          const std::function<void(int, int)>& onRound) {
    LessonRunResult out;
    const int64_t t0 = nowNs();
    WorkloadSpec base = lesson.base;
    base.interleave = true; // drifts in the machine's load hit every backend alike
    base.repeat =
        std::clamp(std::max(options.initialRepetitions, lesson.base.repeat), 1, SpecLimits::maxRepeat);
    out.sweep = runSweep(engine, base, lesson.param, lesson.values, lesson.logScale, lesson.backends,
                         engineOptions, onPoint);
    out.repetitions = base.repeat;
    out.rounds = 1;
    out.verdict = lesson.verdict(out.sweep);
    const auto cancelled = [&] { return engineOptions.cancel && engineOptions.cancel->isCancelled(); };
    while (out.verdict.verdict == Verdict::Inconclusive && !out.sweep.cancelled && !cancelled() &&
           !anyError(out.sweep) && out.sweep.points.size() == lesson.values.size()) {
        const int add = std::min(options.retryRepetitions, options.maxRepetitions - out.repetitions);
        if (add <= 0) break;
        const double elapsed = nsToSeconds(nowNs() - t0);
        if (elapsed + elapsed / out.repetitions * add > options.timeBudgetS) {
            out.budgetReached = true;
            break;
        }
        if (onRound) onRound(out.rounds, add);
        WorkloadSpec retry = base;
        retry.repeat = add;
        retry.warmup = 0; // the machine is warm by now
        const SweepResult more = runSweep(engine, retry, lesson.param, lesson.values, lesson.logScale,
                                          lesson.backends, engineOptions);
        mergeRepetitions(out.sweep, more);
        out.sweep.cancelled = out.sweep.cancelled || more.cancelled;
        out.repetitions += add;
        ++out.rounds;
        out.verdict = lesson.verdict(out.sweep);
    }
    out.elapsedS = nsToSeconds(nowNs() - t0);
    if (out.verdict.verdict == Verdict::Inconclusive && out.rounds > 1) {
        char b[96];
        std::snprintf(b, sizeof b, " (after %d repetitions per backend in %.0f s)", out.repetitions,
                      out.elapsedS);
        out.verdict.reason += b;
    }
    return out;
}

} // namespace conlab
