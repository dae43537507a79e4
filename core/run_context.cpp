#include "run_context.h"

#include "statistics.h"

#include <algorithm>
#include <cmath>

namespace conlab {

RunContext::RunContext(const WorkloadSpec& spec, const TaskWork& work, uint64_t salt, CancelToken& cancel)
    : m_spec(spec), m_probing(spec.probes == Probes::Off ? Probing::Bare : Probing::On), m_work(work),
      m_salt(salt), m_cancel(cancel), m_workers(spec.resolvedWorkers()), m_done(size_t(spec.tasks), 0),
      m_coordinator(0, CpuWaitMode::Off, m_probing) {
    m_lanesStorage = std::make_unique<LaneSlot[]>(size_t(m_workers));
    m_lanes = std::span<LaneSlot>(m_lanesStorage.get(), size_t(m_workers));
    m_coordinator.attachLane(&m_coordinatorLane);
}

std::pair<int64_t, int> RunContext::takeChunk(int maxCount) {
    if (m_nextTask >= m_spec.tasks) return {m_nextTask, 0};
    int n = int(std::min<int64_t>(maxCount, m_spec.tasks - m_nextTask));
    int64_t first = m_nextTask;
    m_nextTask += n;
    m_maxInFlight = std::max(m_maxInFlight, m_nextTask - tasksDone());
    return {first, n};
}

void RunContext::completeTask(int64_t taskId, uint64_t checksum, int64_t latencyNs, const char* who) {
    if (taskId < 0 || taskId >= m_spec.tasks)
        throw BackendError(std::string(who) + ": reported unknown task " + std::to_string(taskId));
    if (m_done[size_t(taskId)])
        throw BackendError(std::string(who) + ": task " + std::to_string(taskId) + " completed twice");
    uint64_t expected = expectedChecksum(m_work, seedOf(uint64_t(taskId)));
    if (checksum != expected)
        throw BackendError(std::string(who) + ": task " + std::to_string(taskId) + " returned checksum " +
                           std::to_string(checksum) + ", expected " + std::to_string(expected));
    m_done[size_t(taskId)] = 1;
    if (m_probing == Probing::On) m_latency.record(latencyNs);
    // The coordinator thread is the only writer (the sampler only reads): no locked add.
    m_tasksDone.store(m_tasksDone.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

void RunContext::verifyResultBytes(int64_t taskId, std::span<const std::byte> bytes, const char* who) {
    if (bytes.empty() && m_spec.resultBytes == 0) return; // nothing to check, no checksum to derive
    if (int64_t(bytes.size()) != m_spec.resultBytes)
        throw BackendError(std::string(who) + ": task " + std::to_string(taskId) + " returned " +
                           std::to_string(bytes.size()) + " result bytes, expected " +
                           std::to_string(m_spec.resultBytes));
    uint64_t expected = expectedChecksum(m_work, seedOf(uint64_t(taskId)));
    if (!verifyPattern(bytes, resultSeed(expected)))
        throw BackendError(std::string(who) + ": task " + std::to_string(taskId) + " result bytes corrupted");
}

void RunContext::addWorker(WorkerRecord&& w) {
    // Spawn: request → first instruction, less the time the new thread or process waited for
    // a CPU (cpu-wait), plus done → reaped.
    const int64_t startup = std::max<int64_t>(0, w.tReadyNs - w.tRequestNs);
    const int64_t startWait = std::clamp<int64_t>(w.startWaitNs, 0, startup);
    w.startWaitNs = startWait;
    // Done but not yet being reaped (the coordinator was busy elsewhere) is waiting: idle.
    const int64_t reapStart =
        std::clamp(w.tReapStartNs ? w.tReapStartNs : w.tDoneNs, w.tDoneNs, std::max(w.tDoneNs, w.tReapedNs));
    const int64_t teardown = std::max<int64_t>(0, w.tReapedNs - reapStart);
    w.tReapStartNs = reapStart;
    const Phase creation = w.libraryLane ? Phase::Startup : Phase::Spawn;
    w.phases[creation] += (startup - startWait) + teardown;
    w.phases[Phase::Idle] += reapStart - w.tDoneNs;
    w.phases[Phase::CpuWait] += startWait;
    ++m_workerCount;
    m_workerPhases += w.phases;
    // Migrations: the CPU changes the worker's recorder saw, and at least 1 when it ended on
    // another CPU than it started on (both lower bounds; a worker without either is unknown).
    const int64_t moved = w.cpuFirst >= 0 && w.cpuLast >= 0 ? (w.cpuFirst != w.cpuLast ? 1 : 0) : -1;
    if (moved >= 0 || w.cpuChanges >= 0) {
        ++m_workersPlaced;
        m_workersMoved += std::max(moved, w.cpuChanges);
    }
    if (!w.libraryLane) {
        ++m_spawnedWorkers;
        m_spawnStartupNs += startup - startWait;
        m_spawnTotalNs += (startup - startWait) + teardown;
    }
    m_startupMaxNs = std::max(m_startupMaxNs, w.phases[Phase::Startup]);
    int64_t life = w.tReapedNs - w.tRequestNs;
    if (life > 0)
        m_partitionErrorMax =
            std::max(m_partitionErrorMax, std::abs(double(w.phases.total() - life)) / double(life));

    // The lane: its whole-run timeline, spawn bars included.
    if (w.lane >= 0 && w.lane < laneCount()) {
        if (m_laneRecords.empty()) {
            m_laneRecords.resize(size_t(laneCount()));
            const size_t budget = std::clamp<size_t>(kLaneSegmentsTotal / size_t(std::max(1, laneCount())),
                                                     32, kTimelineBudget);
            for (int i = 0; i < laneCount(); ++i) {
                m_laneRecords[size_t(i)].lane = i;
                m_laneRecords[size_t(i)].timeline = Timeline(budget);
            }
        }
        LaneRecord& L = m_laneRecords[size_t(w.lane)];
        if (L.workers == 0) L.tFirstRequestNs = w.tRequestNs;
        ++L.workers;
        L.tasks += w.tasks;
        L.phases += w.phases;
        L.tLastReapedNs = std::max(L.tLastReapedNs, w.tReapedNs);
        Timeline& t = L.timeline;
        t.add(w.tRequestNs, w.tReadyNs - startWait, creation);
        t.add(w.tReadyNs - startWait, w.tReadyNs, Phase::CpuWait);
        t.append(w.timeline);
        t.add(w.tDoneNs, reapStart, Phase::Idle);
        t.add(reapStart, w.tReapedNs, creation);
    }
    w.timeline = Timeline(); // the lane holds it now
    if (m_detailed.size() < kDetailedWorkers) m_detailed.push_back(std::move(w));
}

PhaseTotals RunContext::liveWorkerPhases() const {
    PhaseTotals t;
    for (const auto& l : m_lanes)
        t += l.read();
    return t;
}

void RunContext::finish(RepetitionResult& out) const {
    out.tasksDone = tasksDone();
    out.workerCount = m_workerCount;
    out.workerPhases = m_workerPhases;
    out.workers = m_detailed;
    for (const auto& l : m_laneRecords)
        if (l.workers > 0) out.lanes.push_back(l);
    out.partitionErrorMax = m_partitionErrorMax;
    out.noise.migrations = m_workersPlaced > 0 ? m_workersMoved : -1;
    if (m_spawnedWorkers > 0) {
        out.spawnCostS = nsToSeconds(m_spawnTotalNs) / double(m_spawnedWorkers);
        out.spawnStartupS = nsToSeconds(m_spawnStartupNs) / double(m_spawnedWorkers);
    }
    // A worker's startup (a library's), or the coordinator's (the python driver's start).
    out.startupS = nsToSeconds(std::max(m_startupMaxNs, m_coordinator.totals()[Phase::Startup]));
    out.cpuWaitMeasured = m_cpuWaitMeasured && RunDelayReader::forThisThread().open();
    out.roundTrips = m_roundTrips;
    out.roundTripS = m_roundTrips ? nsToSeconds(m_roundTripNs) / double(m_roundTrips) : 0;
    out.latencyP50S = m_latency.quantileNs(0.50) * 1e-9;
    out.latencyP95S = m_latency.quantileNs(0.95) * 1e-9;
    out.latencyP99S = m_latency.quantileNs(0.99) * 1e-9;
    out.latencyMeanS = m_latency.meanNs() * 1e-9;
    const auto& c = m_coordinator;
    out.coordinator.phases = c.totals();
    out.coordinator.lifetimeNs = c.stopNs() - c.startNs();
    out.coordinator.otherNs = c.totals()[Phase::Other];
    if (m_childProcesses > 0) {
        const double n = double(m_childProcesses);
        out.children = {m_childProcesses, double(m_childMinorFaults) / n, double(m_childMajorFaults) / n,
                        double(m_childMaxRssKiB) * 1024.0 / n};
    }
}

} // namespace conlab
