#include "cli_fidelity.h"
#include "cli.h"
#include "cli_args.h"

#include "backends/python_backend.h"
#include "calibration.h"
#include "fidelity/fidelity.h"
#include "fidelity/fidelity_format.h"
#include "file_io.h"

#include <csignal>
#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace conlab::cli {

namespace {

CancelToken* g_fidelityInterrupt = nullptr;
extern "C" void onFidelityInterrupt(int) {
    if (g_fidelityInterrupt) g_fidelityInterrupt->cancel(); // async-signal-safe
}

} // namespace

int cmdFidelity(const std::vector<std::string>& args) {
    Args a(args, 1, {"format", "output", "python"}, {"quick"});
    if (auto p = a.get("python")) python::setInterpreterOverride(*p);
    const std::string format = a.get("format").value_or("table");
    if (format != "table" && format != "json" && format != "csv")
        throw UsageError{"--format: '" + format + "' is not a format (allowed: table, json, csv)"};
    checkOutputPath(a.get("output"));

    CancelToken interrupt;
    g_fidelityInterrupt = &interrupt;
    std::signal(SIGINT, onFidelityInterrupt);
    std::signal(SIGTERM, onFidelityInterrupt);
    FidelityOptions options;
    options.quick = a.has("quick");
    options.cancel = &interrupt;
    const bool tty = isatty(STDERR_FILENO);
    options.progress = [tty](int index, int total, const std::string& figure) {
        if (tty) std::fprintf(stderr, "\r\033[K[%d/%d] %s", index + 1, total, figure.c_str());
    };
    FidelityReport report;
    try {
        report = runFidelity(loadOrMeasureCalibration(), options);
    } catch (...) {
        std::signal(SIGINT, SIG_DFL);
        std::signal(SIGTERM, SIG_DFL);
        g_fidelityInterrupt = nullptr;
        throw;
    }
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    g_fidelityInterrupt = nullptr;
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
