#pragma once
// Maps "µs of CPU on this machine" to kernel iterations. Measured once, cached per CPU model
// and build, re-measured on request (`conlab calibrate`), when the cache holds an implausible
// value, or when a short re-check at the start of an invocation disagrees with it.
#include "task_kernel.h"
#include "workload_spec.h"

#include <string>

namespace conlab {

struct Calibration {
    double cpuStepsPerUs = 0;     // LCG steps per µs
    double memoryVisitsPerUs = 0; // 64-bit word visits per µs (64 KiB buffer, in cache)
    std::string cpuModel;
    std::string build; // compiler + build type: a debug build runs the kernel slower
    int64_t measuredAtUnix = 0;
    bool fromCache = false;
    // Why this invocation measured again instead of using the cache (an implausible cached
    // value, or the re-check off by more than kCalibrationDriftLimit); empty when it did not.
    std::string recalibratedReason;

    bool valid() const { return cpuStepsPerUs > 0 && memoryVisitsPerUs > 0; }
    TaskWork workFor(const WorkloadSpec& spec) const;
};

// Plausible rates (docs/measurement.md, "Noise and warnings"): outside them a cached value is
// corrupt or from another machine, and is measured again.
inline constexpr double kMinCpuStepsPerUs = 1, kMaxCpuStepsPerUs = 1e5;
inline constexpr double kMinMemoryVisitsPerUs = 1, kMaxMemoryVisitsPerUs = 1e6;
inline constexpr double kCalibrationDriftLimit = 0.10; // re-check vs cache, relative
// Empty when both rates are plausible; otherwise what is wrong.
std::string implausibleCalibration(double cpuStepsPerUs, double memoryVisitsPerUs);

Calibration measureCalibration();
// A short (a few ms) measurement of the CPU rate, for the start-of-invocation re-check.
double recheckCpuStepsPerUs();
// Loads the cache when it matches this CPU and build, holds plausible rates and its CPU rate
// agrees with a short re-check within kCalibrationDriftLimit; otherwise measures and stores
// (recalibratedReason says why when a cache was there).
Calibration loadOrMeasureCalibration(bool forceMeasure = false);
std::string calibrationCachePath();

} // namespace conlab
