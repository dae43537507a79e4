#pragma once
// Built-in experiments that demonstrate each claim of the multiprocessing lesson, with a
// verdict computed from the measured data (core/verdict.h: holds, does not hold, inconclusive).
// core/lesson_runner.h runs one until its verdict is clear.
#include "sweep.h"
#include "verdict.h"

#include <functional>
#include <string>
#include <vector>

namespace conlab {

struct Lesson {
    std::string name;
    std::string title;
    std::string explanation; // plain words, shown beside the plot
    WorkloadSpec base;
    std::vector<std::string> backends;
    SweepParam param = SweepParam::TaskUs;
    std::vector<double> values; // one value = a plain comparison
    bool logScale = false;
    // Builds the claim's checks from the measured repetitions and decides (decideVerdict).
    std::function<LessonVerdict(const SweepResult&)> verdict;
};

// What else ran on the machine during the sweep's measured repetitions (every point and backend).
NoiseEvidence noiseEvidence(const SweepResult& sweep);

const std::vector<Lesson>& lessons();
const Lesson* findLesson(const std::string& name);
// Backends a lesson needs that are unknown or unavailable here (empty = it can run).
std::vector<std::string> missingBackends(const Lesson& lesson);

} // namespace conlab
