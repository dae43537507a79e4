#pragma once
// Renderings of a Comparison (compare.h): the CLI table, CSV (one row per backend and
// figure) and JSON ("conlab.compare/1", docs/compare.md).
#include "compare.h"

#include <string>

namespace conlab {

struct CompareLabels { // how the table names the two sides (the paths given on the command line)
    std::string base = "BASE", next = "NEW";
    // How the table introduces the workload fields that differ: two files compared with
    // --force, or the two variants of `conlab run --ab` ("varied (--ab)").
    std::string differencesHeading = "differs (compared anyway, --force)";
};

std::string formatCompareTable(const Comparison& c, const CompareLabels& labels);
std::string formatCompareCsv(const Comparison& c);
std::string formatCompareJson(const Comparison& c, const CompareLabels& labels);

} // namespace conlab
