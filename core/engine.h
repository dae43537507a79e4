#pragma once
// Runs a workload on a list of backends: warmups, repetitions, live snapshots, summaries.
// Qt-free; the GUI wraps it in a QObject bridge, the CLI calls it directly.
#include "backend_registry.h"
#include "cancel_token.h"
#include "run_result.h"

#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace conlab {

// Called from the engine's threads: implementations must not block (queue and return).
class EngineObserver {
  public:
    virtual ~EngineObserver() = default;
    virtual void backendStarted(const std::string& /*backend*/, int /*index*/, int /*count*/) {}
    virtual void repetitionStarted(const std::string& /*backend*/, int /*repetition*/, bool /*warmup*/) {}
    // From the sampler thread, every snapshotInterval.
    virtual void snapshot(const std::string& /*backend*/, int /*repetition*/, const Snapshot&) {}
    virtual void repetitionFinished(const std::string& /*backend*/, const RepetitionResult&) {}
    virtual void backendFinished(const BackendRun&) {}
};

struct EngineOptions {
    int snapshotIntervalMs = 50;
    EngineObserver* observer = nullptr;
    CancelToken* cancel = nullptr; // optional: cancels the whole experiment
    // A thread whose CPU time is not the run's (the GUI thread: its drawing would otherwise
    // count as the backend's work); see RepetitionResult::cpuS.
    std::optional<clockid_t> excludedThreadCpuClock;
};

class Engine {
  public:
    explicit Engine(Calibration calibration);

    // Runs every backend (ids must be registered; the spec must be valid) one after the
    // other, or with spec.interleave repetition by repetition: repetition r of every backend
    // before repetition r+1 of any. Either way each BackendRun holds its own repetitions, in
    // the order of `backends`. A failing backend is recorded (BackendRun::error) and the
    // others still run. Observer: backendStarted before a backend's first repetition,
    // backendFinished after its last (interleaved: the repetitionStarted calls alternate).
    Experiment run(const WorkloadSpec& spec, const std::vector<std::string>& backends,
                   const EngineOptions& options);

    // A/B (`conlab run --ab`): the same backends on each workload variant, interleaved as one
    // run — repetition r of every backend under every variant before repetition r+1, the
    // variants' order alternating (A B, then B A) — one Experiment per variant, in order.
    // Throws std::invalid_argument when the variants differ in repeat or warmup.
    std::vector<Experiment> runVariants(const std::vector<WorkloadSpec>& variants,
                                        const std::vector<std::string>& backends,
                                        const EngineOptions& options);

    BackendRun runBackend(Backend& backend, const WorkloadSpec& spec, const EngineOptions& options);

    const Calibration& calibration() const { return m_calibration; }

  private:
    // Every experiment (one per workload variant; the same warmup and repeat) gets a run per
    // backend; repetition r of every one before repetition r+1 of any.
    void runInterleaved(const std::vector<Experiment*>& experiments, const std::vector<std::string>& backends,
                        const EngineOptions& options);
    bool runBareTwin(Backend& backend, const WorkloadSpec& spec, int index, bool warmup,
                     const EngineOptions& options, CancelToken& cancel, BackendRun& run);
    RepetitionResult runRepetition(Backend& backend, const WorkloadSpec& spec, int index, bool warmup,
                                   const EngineOptions& options, CancelToken& userCancel);
    Calibration m_calibration;
};

// Fills summaries (medians, CIs, shares) and speedups relative to "sequential", if present.
void summarize(BackendRun& run);
// --probes compare: the median over (instrumented, bare) pairs of the same repetition index.
std::optional<InstrumentationCost> instrumentationCost(const std::vector<RepetitionResult>& repetitions);
// Counts a repetition that is kept; past the first measured ones (kDetailedRepetitions) it
// keeps its figures but drops its detail (workers, lanes, snapshots).
void keepDetailOfFirstRepetitions(RepetitionResult& rep, int& measured);
// What remains of a bare repetition: wall clock, completed count, CPU time, noise.
void keepOnlyBareFigures(RepetitionResult& rep);
void computeSpeedups(Experiment& experiment);

// Resolves "all", comma lists; returns unknown ids in `unknown`.
std::vector<std::string> resolveBackendList(const std::string& text, std::vector<std::string>& unknown);

} // namespace conlab
