#pragma once
// The commands that read a saved results file (show, trace, compare) and what `show` shares with the
// commands that write one (run, sweep, lesson run): the advice and verdict texts.
#include "lessons.h"
#include "results_json.h"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace conlab::cli {

// A regular file of at most 1 GiB that loads, and for a sweep file a "sweep" object that loads
// too. Otherwise prints "cannot load results: PATH: reason" (escaped: the reason may quote the
// file) and returns nothing.
struct CheckedFile {
    LoadResult results;
    std::optional<SweepLoad> sweep;
};
std::optional<CheckedFile> loadChecked(const std::string& path);

// "\nadvice:\n  line\n…" (lines escaped: they may come from a file); empty for no lines.
std::string adviceText(const std::vector<std::string>& lines);
// "\nverdict: …" with why and what to do when inconclusive (escaped).
std::string verdictText(const LessonVerdict& verdict);

int cmdShow(const std::vector<std::string>& args);
int cmdTrace(const std::vector<std::string>& args);   // cli_trace.cpp
int cmdCompare(const std::vector<std::string>& args); // cli_compare.cpp

} // namespace conlab::cli
