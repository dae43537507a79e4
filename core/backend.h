#pragma once
// One small interface per backend (one backend per file under backends/).
#include "run_context.h"

#include <memory>
#include <string>

namespace conlab {

struct BackendInfo {
    std::string id;          // stable, used on the CLI and in result files
    std::string family;      // baseline, threads, processes, async, python, library, distributed
    std::string description; // one line: what it models
};

struct Availability {
    bool available = true;
    std::string reason; // why not, when unavailable
};

class Backend {
  public:
    virtual ~Backend() = default;
    virtual BackendInfo info() const = 0;
    virtual Availability availability() const { return {}; }
    // Once per backend run, before the first repetition and outside its timing (e.g. a
    // calibration the backend needs). Throws BackendError to fail the backend.
    virtual void prepare(const WorkloadSpec& /*spec*/) {}
    // Runs every task of ctx once (or until ctx.cancelled()), reaping everything it started,
    // also on error. Throws BackendError for a failed run. The coordinator recorder is started
    // by the caller and stopped after run() returns.
    virtual void run(RunContext& ctx) = 0;
    // Workers this backend actually uses for a spec (e.g. 1 for sequential).
    virtual int effectiveWorkers(const WorkloadSpec& spec) const { return spec.resolvedWorkers(); }
};

} // namespace conlab
