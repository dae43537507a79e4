#pragma once
// Sweeps: one parameter varied over values, every selected backend run at each point.
// Break-even points: where a backend's speedup over sequential crosses 1.
#include "engine.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace conlab {

enum class SweepParam { TaskUs, Workers, Payload, Messages, Input, Tasks, Chunksize, ParentMemory };

std::string toString(SweepParam p); // CLI name: "task-us", …
std::optional<SweepParam> sweepParamFromString(const std::string& s);
std::vector<std::string> sweepParamNames();
// Sets the parameter on a spec (values are rounded for integer parameters).
void applySweepValue(WorkloadSpec& spec, SweepParam p, double value);

// A parameter value in its unit: "180 µs", "4 KiB", "12 workers", "100".
std::string describeSweepValue(SweepParam p, double value);
// The short form for tables and estimates: "180 µs", "4.2 ms", "4 KiB", "12"; `significant`
// digits for task-us (the unit changes when rounding reaches 1000: never "1e+03 µs").
std::string sweepValueText(SweepParam p, double value, int significant = 3);
// `v` rounded to `digits` significant digits (0 stays 0).
double roundSignificant(double v, int digits);

// `steps` values from `from` to `to` inclusive; log scale needs from > 0. Values are rounded
// to 3 significant digits (more where 3 would make two of them equal), so 1 → 1000 in 4 log
// steps is exactly 1, 10, 100, 1000, as shown.
std::vector<double> sweepValues(double from, double to, int steps, bool logScale);

struct SweepPoint {
    double value = 0;
    WorkloadSpec spec;
    std::vector<BackendRun> runs; // with speedups relative to sequential at this point
};

struct BreakEven {
    std::string backend;
    std::optional<double> value; // parameter value where speedup crosses 1
    bool paysOffAbove = true;    // speedup > 1 above the crossing (false: below)
    std::string note;            // "always faster", "never faster in range", …
};

struct SweepResult {
    WorkloadSpec base;
    SweepParam param = SweepParam::TaskUs;
    bool logScale = false;
    std::vector<double> values;
    std::vector<std::string> backends;
    std::vector<SweepPoint> points; // finished points, in order
    bool cancelled = false;
    MachineInfo machine;
    Calibration calibration;
    std::string createdUtc;
};

// Runs every point; `onPoint` is called after each finished point (from the calling thread).
SweepResult runSweep(Engine& engine, const WorkloadSpec& base, SweepParam param,
                     const std::vector<double>& values, bool logScale,
                     const std::vector<std::string>& backends, const EngineOptions& options,
                     const std::function<void(const SweepResult&, const SweepPoint&)>& onPoint = {});

std::optional<double> speedupAt(const SweepPoint& p, const std::string& backend);
std::vector<BreakEven> breakEvenPoints(const SweepResult& sweep);
// Crossing of y = 1 between (x1, y1) and (x2, y2), interpolated on log x when both x > 0.
double interpolateCrossing(double x1, double y1, double x2, double y2, bool logX);

} // namespace conlab
