#pragma once
// Value types that leave the engine: per-repetition results, live snapshots and summaries.
#include "calibration.h"
#include "machine_info.h"
#include "measurement/timeline.h"
#include "phase.h"
#include "statistics.h"
#include "workload_spec.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace conlab {

// One worker's life: requested at tRequest, running task code at tReady, done at tDone,
// reaped (joined / waitpid returned) at tReaped. phases partition [tRequest, tReaped].
// A backend fills in what its recorder measured over [tReady, tDone] (phases, timeline) and
// the cpu-wait before the first instruction (startWaitNs); RunContext::addWorker adds the
// spawn parts, so every backend's records are completed the same way.
struct WorkerRecord {
    int lane = 0;
    int64_t id = 0; // pid for processes, sequence number for threads
    // The OS ids of the thread that ran the worker's tasks, where the backend knows them
    // (docs/measurement.md, "Worker ids"): its process (conlab's own for thread backends, the
    // worker process's for process backends) and its thread (gettid). 0: not known.
    int64_t osPid = 0, osTid = 0;
    int64_t tRequestNs = 0, tReadyNs = 0, tDoneNs = 0, tReapedNs = 0;
    PhaseTotals phases;
    int64_t startWaitNs = 0;  // runnable-but-not-running time inside [tRequest, tReady]
    int64_t tReapStartNs = 0; // when the coordinator began to reap it (join/waitpid); 0: at tDone
    // A library's lane (tbb, openmp, qt-threadpool): its start and end are the library's
    // one-time start-up and teardown (arena, team), which create and end its threads
    // inseparably: reported as startup, not as per-worker spawn.
    bool libraryLane = false;
    int cpuFirst = -1, cpuLast = -1; // CPU seen at start and at end
    // The noise watchdog's per-worker evidence (PhaseRecorder, core/measurement/thread_noise.h):
    // CPU changes seen while it recorded (a lower bound of its migrations) and its involuntary
    // context switches; -1: not measured (bare runs, library lanes' switches, Python workers'
    // CPU changes).
    int64_t cpuChanges = -1, involuntarySwitches = -1;
    int64_t tasks = 0;
    Timeline timeline; // while recording: [tReady, tDone]; in results: not kept (see LaneRecord)
};

// Every worker that ran on one lane (a worker position: a pool thread, the slot of
// process-per-task's short-lived processes), folded into one whole-run timeline in bounded
// memory: spawn bars included, reduced detail marked in its segments.
struct LaneRecord {
    int lane = 0;
    int64_t workers = 0;
    int64_t tasks = 0;
    int64_t tFirstRequestNs = 0, tLastReapedNs = 0;
    PhaseTotals phases;
    Timeline timeline;
};

struct Snapshot {
    double tS = 0; // since the repetition started
    int64_t tasksDone = 0;
    double windowThroughput = 0; // tasks/s over the last interval
    PhaseTotals workerPhases;    // cumulative, completed intervals only
    PhaseTotals coordinatorPhases;
};

struct CoordinatorRecord {
    // spawn (create/reap calls), ipc, idle (waiting for events) and other: conlab's own
    // bookkeeping (scheduling, checksum checks, recording latency).
    PhaseTotals phases;
    int64_t otherNs = 0; // == phases[Phase::Other]
    int64_t lifetimeNs = 0;
};

// What else happened on the machine during a repetition (core/measurement/machine_load.h):
// the evidence behind the noise warnings. Shares are of the machine's whole CPU capacity.
struct NoiseRecord {
    bool measured = false;
    double othersShare = 0; // CPU used by processes other than conlab and its children
    double stealShare = 0;  // CPU the hypervisor took
    double loadAverage1 = -1;
    // Of conlab's own threads and the child processes it reaped during the repetition
    // (getrusage ru_nivcsw: coordinator and sampler included): preempted while runnable.
    int64_t involuntarySwitches = -1; // -1: not measured
    // Workers that ended on another CPU than they started on (WorkerRecord cpuFirst/cpuLast):
    // a lower bound of the CPU migrations, per repetition (-1: no worker said where it ran).
    int64_t migrations = -1;
};

// Per spawned worker process, means over those reaped (docs/measurement.md "Fork cost vs
// parent memory"). maxRss counts the pages the child shares with its parent too (getrusage).
struct ChildUsage {
    int64_t processes = 0;
    double minorFaults = 0, majorFaults = 0;
    double maxRssBytes = 0;
};

struct RepetitionResult {
    int index = 0;
    int64_t startNs = 0; // CLOCK_MONOTONIC at the start; worker times are relative to it in files
    bool warmup = false;
    // Ran without probes (--probes off, or compare's second run of this index): only wallS,
    // tasksDone, throughput, cpuS and noise are figures; phases and detail are empty.
    bool bare = false;
    bool cancelled = false;
    std::string error; // non-empty: this repetition failed
    int64_t tasksDone = 0;
    double wallS = 0;
    double throughput = 0; // tasks/s
    int64_t workerCount = 0;
    PhaseTotals workerPhases; // summed over every worker
    CoordinatorRecord coordinator;
    double spawnCostS = 0;    // mean (startup + teardown) per worker, 0 when none spawned
    double spawnStartupS = 0; // mean request→ready (less cpu-wait)
    // One-time start-up of the run (a library's arena/team creation and teardown, the python
    // driver's interpreter start and imports): the longest startup of any worker, wall time.
    double startupS = 0;
    double roundTripS = 0; // mean worker-side message round trip; 0 when no messages
    int64_t roundTrips = 0;
    double latencyP50S = 0, latencyP95S = 0, latencyP99S = 0, latencyMeanS = 0;
    std::vector<int> affinity;         // CPUs the run was allowed on
    std::vector<WorkerRecord> workers; // records of the first workers (bounded, no timelines)
    std::vector<LaneRecord> lanes;     // every worker, per lane, with whole-run timelines
    std::vector<Snapshot> snapshots;   // bounded: decimated past kMaxSnapshots
    // Detail (workers, lanes, snapshots) is kept for the first repetitions only, so memory
    // and files do not grow with --repeat; later ones keep every figure but not the detail.
    bool detailDropped = false;
    bool cpuWaitMeasured = true;  // false: the backend cannot measure cpu-wait (python)
    double partitionErrorMax = 0; // max over workers |Σphases − lifetime| / lifetime
    // CPU time (user + system) this process and the children reaped during the repetition
    // consumed, minus EngineOptions::excludedThreadCpuClock; cpuS / wallS = cores kept busy.
    double cpuS = 0;
    NoiseRecord noise;
    // Worker processes reaped with their resource usage (wait4; fork and spawn start methods,
    // not forkserver or the python backends): what one spawn costs in memory.
    ChildUsage children;
};

// The observer effect (--probes compare): what conlab's own recording adds to a repetition,
// from interleaved instrumented and bare repetitions. Negative when noise outweighs it.
struct InstrumentationCost {
    int pairs = 0;
    double perTaskS = 0;    // (instrumented wall − bare wall) / tasks, median over pairs
    double shareOfWall = 0; // (instrumented wall − bare wall) / instrumented wall, median
    double bareThroughput = 0;
};

struct RunSummary {
    int repetitions = 0; // measured (non-warmup, completed)
    Estimate throughput;
    Estimate wallS;
    std::array<Estimate, kPhaseCount> phaseS;     // per-repetition worker phase totals
    std::array<double, kPhaseCount> phaseShare{}; // of total worker time, from medians
    std::optional<double> speedup;                // vs sequential's median throughput in the same invocation
    std::optional<double> efficiency;             // speedup / workers
    double spawnCostS = 0, roundTripS = 0;
    double startupS = 0; // median over repetitions of RepetitionResult::startupS
    bool cpuWaitMeasured = true;
    double latencyP50S = 0, latencyP95S = 0, latencyP99S = 0;
    double coresBusy = 0; // median over repetitions of cpuS / wallS
    ChildUsage children;  // medians over repetitions that reaped worker processes
    std::optional<InstrumentationCost> instrumentation; // --probes compare only
};

struct BackendRun {
    std::string backend;
    std::string family;
    int workers = 0;
    bool cancelled = false;
    std::string error;
    std::vector<RepetitionResult> repetitions; // warmups included, flagged
    RunSummary summary;
};

struct Experiment {
    WorkloadSpec spec;
    MachineInfo machine;
    Calibration calibration;
    std::string createdUtc;
    std::string conlabVersion;
    std::vector<BackendRun> runs;
};

} // namespace conlab
