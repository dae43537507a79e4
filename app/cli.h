#pragma once
// The headless front door: every `conlab` command (run, sweep, …, fidelity). Never opens a window.
#include <string>
#include <vector>

namespace conlab {
struct Experiment;
struct SweepResult;
struct SweepMap;
} // namespace conlab

namespace conlab::cli {

// Slower: `compare --fail-if-slower` found a backend significantly slower than the threshold.
enum ExitCode { Ok = 0, RunFailed = 1, Usage = 2, Slower = 3 };

// args excludes the program name. Output goes to stdout/stderr.
int runCli(const std::vector<std::string>& args);
// The default comparison run by `conlab` without a display.
int runDefaultHeadless();
std::string usageText();

// Figures come from the GUI library (ui/export.h); app/main.cpp installs the renderer when
// built with the GUI. Without one, --plot and `conlab plot` fail with a clear message.
struct PlotRequest {
    std::string path;               // .png, .pdf or .svg
    std::string figure = "summary"; // summary, throughput, breakdown, timeline
    int width = 0, height = 0;      // 0: the figure's default size
    double scale = 1.0;             // PNG pixel density
    std::string mapBackend; // a sweep map's speedup panel: this backend (empty: the first not sequential)
};
using PlotRenderer = bool (*)(const Experiment& ex, const PlotRequest& request, std::string* error);
void setPlotRenderer(PlotRenderer renderer);
// Sweeps (`conlab sweep|lesson run --plot`, `conlab plot SWEEP.json`): figure is "speedup" (the
// default), "summary" (speedup over throughput), "throughput" or "phases".
using SweepPlotRenderer = bool (*)(const SweepResult& sweep, const PlotRequest& request, std::string* error);
void setSweepPlotRenderer(SweepPlotRenderer renderer);
// Sweep maps (`conlab sweep --param2 … --plot`, `conlab plot MAP.json`): figure is "map" (both
// heat-maps, the default), "best" (the best backend per cell) or "speedup" (mapBackend's speedup
// with its break-even contour).
using SweepMapPlotRenderer = bool (*)(const SweepMap& map, const PlotRequest& request, std::string* error);
void setSweepMapPlotRenderer(SweepMapPlotRenderer renderer);

} // namespace conlab::cli
