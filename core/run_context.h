#pragma once
// What a backend gets for one repetition: the work, the cancel token, the coordinator's
// recorder, live lanes, and the ledger that verifies and counts completed tasks.
// Threading: completeTask/addWorker are called from the coordinator thread only.
#include "cancel_token.h"
#include "measurement/latency_histogram.h"
#include "phase_recorder.h"
#include "run_result.h"
#include "task_kernel.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <sys/resource.h>
#include <vector>

namespace conlab {

// Thrown by backends for a failed run; the message names the worker and the cause.
class BackendError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class RunContext {
  public:
    static constexpr size_t kDetailedWorkers = 64;      // WorkerRecords kept (every worker is in a lane)
    static constexpr size_t kTimelineBudget = 512;      // segments of one worker's timeline
    static constexpr size_t kLaneSegmentsTotal = 32768; // segments over all lanes of a repetition

    RunContext(const WorkloadSpec& spec, const TaskWork& work, uint64_t salt, CancelToken& cancel);

    const WorkloadSpec& spec() const { return m_spec; }
    const TaskWork& work() const { return m_work; }
    // For backends whose kernel has its own calibration (python): must be called before any
    // task is handed out; completeTask then expects checksums for this work.
    void setWork(const TaskWork& work) { m_work = work; }
    uint64_t salt() const { return m_salt; }
    int workers() const { return m_workers; }
    CancelToken& cancel() { return m_cancel; }
    bool cancelled() const { return m_cancel.isCancelled(); }
    uint64_t seedOf(uint64_t taskId) const { return taskSeed(m_salt, taskId); }

    // Task hand-out in id order; returns the first id and how many (0 when none are left).
    // Each handed-out chunk must come back through completeTask for every id in it.
    std::pair<int64_t, int> takeChunk(int maxCount);
    int64_t tasksTotal() const { return m_spec.tasks; }
    // The most tasks handed out and not yet completed at any hand-out: how far the backend
    // queues ahead (a pool's depth bound, tests).
    int64_t maxInFlight() const { return m_maxInFlight; }
    int64_t tasksDone() const { return m_tasksDone.load(std::memory_order_relaxed); }
    bool allDone() const { return tasksDone() >= m_spec.tasks; }

    // Verifies the checksum and that the task had not completed before; throws BackendError.
    void completeTask(int64_t taskId, uint64_t checksum, int64_t latencyNs, const char* who);
    // Verifies a result payload produced by the worker for this checksum.
    void verifyResultBytes(int64_t taskId, std::span<const std::byte> bytes, const char* who);

    LaneSlot& lane(int i) { return m_lanes[size_t(i)]; }
    int laneCount() const { return int(m_lanes.size()); }
    // Every worker records its whole life at a bounded grain (Timeline).
    size_t intervalBudget() const { return kTimelineBudget; }
    // Bare repetitions (--probes off, and compare's second half) record no phases, timelines
    // or latencies: every recorder of the run is made with this.
    Probing probing() const { return m_probing; }
    // Completes a worker's record (spawn parts, cpu-wait before its first instruction, checks)
    // and folds it into its lane. Coordinator thread only.
    void addWorker(WorkerRecord&& w);
    // A worker process reaped with its resource usage (wait4): its page faults and peak RSS,
    // reported per spawn (RepetitionResult::children). Coordinator thread only.
    void addChildUsage(const rusage& usage) {
        ++m_childProcesses;
        m_childMinorFaults += usage.ru_minflt;
        m_childMajorFaults += usage.ru_majflt;
        m_childMaxRssKiB += usage.ru_maxrss;
    }
    void addRoundTrips(int64_t count, int64_t totalNs) {
        m_roundTrips += count;
        m_roundTripNs += totalNs;
    }

    // A backend whose workers cannot measure cpu-wait (python) says so: it is reported as
    // not measured rather than as zero.
    void setCpuWaitMeasured(bool measured) { m_cpuWaitMeasured = measured; }

    PhaseRecorder& coordinator() { return m_coordinator; }
    // Live view for the sampler thread (lock-free reads).
    PhaseTotals liveWorkerPhases() const;
    PhaseTotals liveCoordinatorPhases() const { return m_coordinatorLane.read(); }
    LaneSlot& coordinatorLane() { return m_coordinatorLane; }

    // Fills the finished repetition (worker aggregates, latencies, round trips).
    void finish(RepetitionResult& out) const;

  private:
    WorkloadSpec m_spec;
    Probing m_probing;
    TaskWork m_work;
    uint64_t m_salt;
    CancelToken& m_cancel;
    int m_workers;
    int64_t m_nextTask = 0;
    int64_t m_maxInFlight = 0;
    std::atomic<int64_t> m_tasksDone{0};
    std::vector<uint8_t> m_done; // one flag per task: detects double completion
    LatencyHistogram m_latency;
    std::unique_ptr<LaneSlot[]> m_lanesStorage;
    std::span<LaneSlot> m_lanes;
    LaneSlot m_coordinatorLane;
    PhaseRecorder m_coordinator;
    std::vector<WorkerRecord> m_detailed;
    std::vector<LaneRecord> m_laneRecords;
    int64_t m_workerCount = 0;
    PhaseTotals m_workerPhases;
    int64_t m_spawnedWorkers = 0, m_spawnStartupNs = 0, m_spawnTotalNs = 0, m_startupMaxNs = 0;
    int64_t m_roundTrips = 0, m_roundTripNs = 0;
    int64_t m_childProcesses = 0, m_childMinorFaults = 0, m_childMajorFaults = 0, m_childMaxRssKiB = 0;
    double m_partitionErrorMax = 0;
    int64_t m_workersPlaced = 0, m_workersMoved = 0; // with known CPUs; their migrations seen
    bool m_cpuWaitMeasured = true;
};

} // namespace conlab
