#pragma once
// Plain-text renderings of an experiment: the CLI table and CSV (RFC 4180 quoting).
#include "run_result.h"
#include "sweep.h"

#include <string>

namespace conlab {

std::string formatTable(const Experiment& ex);
std::string formatCsv(const Experiment& ex);
std::string csvEscape(const std::string& field);
std::string formatSweepTable(const SweepResult& sweep, const std::vector<BreakEven>& breakEven);
std::string formatSweepCsv(const SweepResult& sweep);
std::string formatDuration(double seconds); // "812 ns", "3.4 µs", "12.1 ms", "2.50 s"

} // namespace conlab
