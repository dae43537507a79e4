#pragma once
// Real CPython backends (family "python"): conlab runs resources/python/conlab_driver.py
// with the user's python3, hands it the spec as JSON on stdin and reads its measurements
// back as JSON lines in the engine's phase model (docs/python.md). The interpreter runs in
// its own process group; on cancel or error the whole group is killed and reaped.
#include "../backend.h"

#include <string>

namespace conlab::python {

// Which interpreter to run: the override (CLI --python) if set, else $CONLAB_PYTHON, else
// "python3" looked up on PATH. A name without '/' is looked up on PATH.
void setInterpreterOverride(const std::string& pathOrName);
std::string configuredInterpreter();

struct Interpreter {
    bool ok = false;
    std::string reason;      // why not, when !ok
    std::string path;        // resolved path that conlab executes
    std::string driver;      // conlab_driver.py
    std::string version;     // e.g. "3.11.7"
    std::string startMethod; // multiprocessing's default start method
};
// Probes the configured interpreter once per (path, driver) and caches the answer.
Interpreter probeInterpreter();

// Python kernel speed: LCG steps and memory word visits per µs of Python CPU.
struct PythonCalibration {
    double cpuStepsPerUs = 0;
    double memoryVisitsPerUs = 0;
    std::string interpreter, version, cpuModel;
    int64_t measuredAtUnix = 0;
    bool fromCache = false;
    bool valid() const { return cpuStepsPerUs > 0 && memoryVisitsPerUs > 0; }
    TaskWork workFor(const WorkloadSpec& spec) const;
};
// Cached per interpreter path + version + CPU model next to the native calibration.
// Throws BackendError when the interpreter is unusable or the driver fails.
PythonCalibration loadOrMeasurePythonCalibration(bool forceMeasure = false);

// Where the driver is looked for: $CONLAB_PYTHON_DRIVER, <exe>/../share/conlab/python,
// then the source tree. Empty (with `error` set) when none exists.
std::string driverPath(std::string& error);

// For tests and diagnostics: the process group and object-name token of the last run.
struct LastRunInfo {
    int pgid = -1;
    std::string token;
};
LastRunInfo lastRunInfo();

class PythonBackend : public Backend {
  public:
    PythonBackend(BackendInfo info, std::string mode) : m_info(std::move(info)), m_mode(std::move(mode)) {}
    BackendInfo info() const override { return m_info; }
    Availability availability() const override;
    void prepare(const WorkloadSpec& spec) override;
    void run(RunContext& ctx) override;
    int effectiveWorkers(const WorkloadSpec& spec) const override;

  private:
    BackendInfo m_info;
    std::string m_mode; // the driver's mode name
};

} // namespace conlab::python
