// `conlab compare BASE.json NEW.json`: NEW against BASE per backend and figure, with a
// Mann–Whitney U test over their repetitions (core/compare/, docs/compare.md).
#include "cli.h"
#include "cli_args.h"
#include "cli_files.h"

#include "compare/compare.h"
#include "compare/compare_format.h"
#include "file_io.h"
#include "report.h"
#include "text_format.h"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <stdexcept>

namespace conlab::cli {

int cmdCompare(const std::vector<std::string>& args) {
    if (args.size() < 3 || args[1].rfind("--", 0) == 0 || args[2].rfind("--", 0) == 0)
        throw UsageError{"compare needs two results files: conlab compare BASE.json NEW.json"};
    Args a(args, 3, {"format", "output", "alpha", "fail-if-slower"}, {"force"});
    const std::string format = a.get("format").value_or("table");
    if (format != "table" && format != "json" && format != "csv")
        throw UsageError{"--format: '" + format + "' is not a format (allowed: table, json, csv)"};
    CompareOptions options;
    options.force = a.has("force");
    if (auto v = a.get("alpha")) options.alpha = parseOpenRange("alpha", *v, 0, 1);
    std::optional<double> failPct;
    if (auto v = a.get("fail-if-slower")) failPct = parseOpenRange("fail-if-slower", *v, 0, 100);
    checkOutputPath(a.get("output"));

    const auto base = loadChecked(args[1]);
    if (!base) return Usage;
    const auto next = loadChecked(args[2]);
    if (!next) return Usage;
    for (const auto* f : {&*base, &*next})
        if (f->sweep)
            throw UsageError{"compare reads run files; a sweep file is not one (compare its points' runs)"};
    Comparison c;
    try {
        c = compareExperiments(*base->results.experiment, *next->results.experiment, options);
    } catch (const std::invalid_argument& e) {
        // One line per difference: each escaped on its own (they quote the files).
        std::cerr << "conlab: cannot compare " << printable(args[1]) << " with " << printable(args[2])
                  << ": ";
        const std::string what = e.what();
        for (size_t from = 0; from <= what.size();) {
            const size_t nl = std::min(what.find('\n', from), what.size());
            std::cerr << (from ? "\n" : "") << printable(what.substr(from, nl - from));
            from = nl + 1;
        }
        std::cerr << "\n";
        return Usage;
    }
    const CompareLabels labels{args[1], args[2]};
    const std::string text = format == "json"  ? formatCompareJson(c, labels)
                             : format == "csv" ? formatCompareCsv(c)
                                               : formatCompareTable(c, labels);
    if (!writeOutput(a.get("output"), text)) return RunFailed;
    if (failPct) {
        const auto slower = slowerThan(c, *failPct);
        for (const auto& b : slower)
            std::cerr << "conlab: " << printable(b) << " is significantly slower than in "
                      << printable(args[1]) << " by more than " << text::fmt("%g", *failPct)
                      << "% (--fail-if-slower)\n";
        if (!slower.empty()) return Slower;
    }
    return Ok;
}

} // namespace conlab::cli
