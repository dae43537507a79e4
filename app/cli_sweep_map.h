#pragma once
// `conlab sweep --param A … --param2 B …`: two-parameter maps (core/sweep_map/), their table,
// CSV and JSON, their figures, and `conlab plot|show` of a map file.
#include "cli.h"
#include "cli_args.h"

#include <optional>
#include <string>
#include <vector>

namespace conlab::cli {

inline const std::vector<std::string> kSweepMapFigures = {"map", "best", "speedup"};

// `--values` given after `--param2` is the second axis's (`--values2`), so that
// `--param A --values … --param2 B --values …` reads as written.
std::vector<std::string> secondAxisFlags(const std::vector<std::string>& args);

struct SweepMapCommand {
    WorkloadSpec base;
    SweepParam param;
    std::vector<double> values;
    bool logScale;
    SweepParam param2;
    std::vector<double> values2;
    bool logScale2;
    std::vector<std::string> backends;
    std::string format; // table, json, csv
    std::optional<std::string> output;
    std::optional<PlotRequest> plot;
    std::string mapBackend; // --map-backend: the speedup panel's backend
};
int runSweepMapCommand(SweepMapCommand c);

// `conlab plot FILE --out OUT` / `conlab show FILE` when FILE is a sweep map; nullopt otherwise
// (the file is then read as results or a sweep, with their errors).
std::optional<int> plotIfSweepMap(const std::string& path, const std::string& out, const Args& a);
std::optional<int> showIfSweepMap(const std::string& path, const std::string& format);

} // namespace conlab::cli
