#pragma once
// Maps "µs of CPU on this machine" to kernel iterations. Measured once, cached per CPU model
// and build, re-measured on request (`conlab calibrate`).
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

    bool valid() const { return cpuStepsPerUs > 0 && memoryVisitsPerUs > 0; }
    TaskWork workFor(const WorkloadSpec& spec) const;
};

Calibration measureCalibration();
// Loads the cache when it matches this CPU and build; otherwise measures and stores.
Calibration loadOrMeasureCalibration(bool forceMeasure = false);
std::string calibrationCachePath();

} // namespace conlab
