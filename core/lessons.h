#pragma once
// Built-in experiments that demonstrate each claim of the multiprocessing lesson, with a
// verdict computed from the measured data.
#include "sweep.h"

#include <functional>
#include <string>
#include <vector>

namespace conlab {

struct LessonVerdict {
    bool holds = false;
    std::string text; // derived from the numbers
};

struct Lesson {
    std::string name;
    std::string title;
    std::string explanation; // plain words, shown beside the plot
    WorkloadSpec base;
    std::vector<std::string> backends;
    SweepParam param = SweepParam::TaskUs;
    std::vector<double> values; // one value = a plain comparison
    bool logScale = false;
    std::function<LessonVerdict(const SweepResult&)> verdict;
};

const std::vector<Lesson>& lessons();
const Lesson* findLesson(const std::string& name);
// Backends a lesson needs that are unknown or unavailable here (empty = it can run).
std::vector<std::string> missingBackends(const Lesson& lesson);

} // namespace conlab
