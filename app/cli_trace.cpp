// `conlab trace RESULTS.json --out TRACE.json`: a results file's worker timelines as a Chrome
// trace for Perfetto (ui.perfetto.dev) or chrome://tracing, on the real pids and tids
// (core/files/trace_json.h).
#include "cli.h"
#include "cli_args.h"
#include "cli_files.h"

#include "file_io.h"
#include "files/trace_json.h"

#include <iostream>

namespace conlab::cli {

int cmdTrace(const std::vector<std::string>& args) {
    if (args.size() < 2 || args[1].rfind("--", 0) == 0)
        throw UsageError{"trace: which results file? (conlab trace RESULTS.json --out TRACE.json)"};
    Args a(args, 2, {"out"}, {});
    const auto out = a.get("out");
    if (!out) throw UsageError{"trace: --out TRACE.json is required"};
    checkOutputPath(out);
    auto loaded = loadChecked(args[1]); // refused with exit 2, as by `conlab show`
    if (!loaded) return Usage;
    // A sweep file's top-level runs are empty: its points hold the runs, one trace per file.
    Experiment ex = *loaded->results.experiment;
    if (loaded->sweep)
        for (const SweepPoint& p : loaded->sweep->sweep->points)
            ex.runs.insert(ex.runs.end(), p.runs.begin(), p.runs.end());
    if (ex.runs.empty()) {
        std::cerr << "conlab: trace: " << args[1] << " holds no runs\n";
        return RunFailed;
    }
    QString error;
    if (!writeFileAtomically(QString::fromStdString(*out), buildChromeTrace(ex), &error)) {
        std::cerr << "conlab: " << error.toStdString() << "\n";
        return RunFailed;
    }
    std::cerr << "conlab: wrote " << *out << " (open it in ui.perfetto.dev or chrome://tracing)\n";
    return Ok;
}

} // namespace conlab::cli
