#pragma once
// Runs a lesson until its verdict is clear: its backends interleaved (WorkloadSpec::interleave),
// a few repetitions first, then more while the verdict is inconclusive and the time budget
// allows (docs/measurement.md, "Verdicts").
#include "lessons.h"

#include <functional>

namespace conlab {

struct LessonRunOptions {
    int initialRepetitions = 3; // measured repetitions per backend and point at first (≥ the lesson's own)
    int retryRepetitions = 2;   // added to every backend and point per retry
    int maxRepetitions = 15;    // no retry beyond this many per backend and point
    // Seconds for the whole lesson: a retry starts only when, at the pace of the rounds so far,
    // it ends within the budget. The first round always runs.
    double timeBudgetS = 180;
};

struct LessonRunResult {
    SweepResult sweep; // every round's repetitions merged, per point and backend
    LessonVerdict verdict;
    int repetitions = 0; // measured repetitions per backend and point
    int rounds = 0;      // the first and every retry
    double elapsedS = 0;
    bool budgetReached = false; // stopped inconclusive because a retry would not fit the budget
};

// Checks the options; empty when valid, else the problem ("--budget must be > 0 s", …).
std::string lessonRunOptionsProblem(const LessonRunOptions& options);

// `onPoint`: after each finished point of the first round; `onRound`: before each retry
// (its 1-based number and the repetitions it adds).
LessonRunResult runLesson(Engine& engine, const Lesson& lesson, const LessonRunOptions& options,
                          const EngineOptions& engineOptions,
                          const std::function<void(const SweepResult&, const SweepPoint&)>& onPoint = {},
                          const std::function<void(int round, int repetitions)>& onRound = {});

// Appends `more`'s repetitions to `into`'s runs of the same point and backend (renumbered after
// them), then summarizes again; points `more` lacks keep what they had.
void mergeRepetitions(SweepResult& into, const SweepResult& more);

} // namespace conlab
