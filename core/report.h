#pragma once
// Plain-text renderings of an experiment: the CLI table and CSV (RFC 4180 quoting).
#include "run_result.h"
#include "sweep.h"

#include <string>

namespace conlab {

// Strings from a results file are printed through printable(): control characters (C0, DEL,
// C1) become \n, \r, \t, \xNN, \u00NN, so a file cannot drive the terminal (escape
// sequences, fake lines). CSV text cells also get a ' before a leading = + - @ (formulas).
std::string printable(const std::string& s);
// `noteErrors`: a failed backend's error under the table (a file); false when the caller
// reports errors itself (the CLI on stderr beside a table on stdout: said once).
std::string formatTable(const Experiment& ex, bool noteErrors = true);
std::string formatCsv(const Experiment& ex);
std::string csvEscape(const std::string& field);
std::string formatSweepTable(const SweepResult& sweep, const std::vector<BreakEven>& breakEven,
                             bool noteErrors = true);
std::string formatSweepCsv(const SweepResult& sweep);
std::string formatDuration(double seconds); // "812 ns", "3.4 µs", "12.1 ms", "2.50 s"

} // namespace conlab
