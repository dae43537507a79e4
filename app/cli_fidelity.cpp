#include "cli_fidelity.h"
#include "cli.h"
#include "cli_args.h"
#include "cli_progress.h"

#include "backends/python_backend.h"
#include "calibration.h"
#include "fidelity/fidelity.h"
#include "fidelity/fidelity_format.h"
#include "file_io.h"

#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace conlab::cli {

int cmdFidelity(const std::vector<std::string>& args) {
    Args a(args, 1, {"format", "output", "python"}, {"quick"});
    if (auto p = a.get("python")) python::setInterpreterOverride(*p);
    const std::string format = a.get("format").value_or("table");
    if (format != "table" && format != "json" && format != "csv")
        throw UsageError{"--format: '" + format + "' is not a format (allowed: table, json, csv)"};
    checkOutputPath(a.get("output"));

    CancelToken interrupt;
    FidelityOptions options;
    options.quick = a.has("quick");
    options.cancel = &interrupt;
    const bool tty = isatty(STDERR_FILENO);
    options.progress = [tty](int index, int total, const std::string& figure) {
        if (tty) std::fprintf(stderr, "\r\033[K[%d/%d] %s", index + 1, total, figure.c_str());
    };
    FidelityReport report;
    {
        InterruptScope scope(interrupt);
        report = runFidelity(loadOrMeasureCalibration(), options);
    }
    if (tty) std::fprintf(stderr, "\r\033[K");

    const std::string text = format == "json"  ? formatFidelityJson(report)
                             : format == "csv" ? formatFidelityCsv(report)
                                               : formatFidelityTable(report);
    if (!writeOutput(a.get("output"), text)) return RunFailed;
    if (report.cancelled) {
        std::cerr << "conlab: interrupted; the rows measured so far are above\n";
        return RunFailed;
    }
    return Ok;
}

} // namespace conlab::cli
