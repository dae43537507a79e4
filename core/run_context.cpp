#include "run_context.h"

#include "statistics.h"

#include <algorithm>
#include <cmath>

namespace conlab {

RunContext::RunContext(const WorkloadSpec& spec, const TaskWork& work, uint64_t salt, CancelToken& cancel)
    : m_spec(spec), m_work(work), m_salt(salt), m_cancel(cancel), m_workers(spec.resolvedWorkers()),
      m_done(size_t(spec.tasks), 0), m_coordinator(0) {
    m_latencyUs.reserve(size_t(std::min<int64_t>(spec.tasks, 1'000'000)));
    m_lanesStorage = std::make_unique<LaneSlot[]>(size_t(m_workers));
    m_lanes = std::span<LaneSlot>(m_lanesStorage.get(), size_t(m_workers));
    m_coordinator.attachLane(&m_coordinatorLane);
}

std::pair<int64_t, int> RunContext::takeChunk(int maxCount) {
    if (m_nextTask >= m_spec.tasks) return {m_nextTask, 0};
    int n = int(std::min<int64_t>(maxCount, m_spec.tasks - m_nextTask));
    int64_t first = m_nextTask;
    m_nextTask += n;
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
    m_latencyUs.push_back(float(double(latencyNs) / 1000.0));
    m_tasksDone.fetch_add(1, std::memory_order_relaxed);
}

void RunContext::verifyResultBytes(int64_t taskId, std::span<const std::byte> bytes, const char* who) {
    if (int64_t(bytes.size()) != m_spec.resultBytes)
        throw BackendError(std::string(who) + ": task " + std::to_string(taskId) + " returned " +
                           std::to_string(bytes.size()) + " result bytes, expected " +
                           std::to_string(m_spec.resultBytes));
    uint64_t expected = expectedChecksum(m_work, seedOf(uint64_t(taskId)));
    if (!verifyPattern(bytes, resultSeed(expected)))
        throw BackendError(std::string(who) + ": task " + std::to_string(taskId) + " result bytes corrupted");
}

void RunContext::addWorker(WorkerRecord&& w) {
    ++m_workerCount;
    m_workerPhases += w.phases;
    m_spawnStartupNs += w.tReadyNs - w.tRequestNs;
    m_spawnTotalNs += w.phases[Phase::Spawn];
    int64_t life = w.tReapedNs - w.tRequestNs;
    if (life > 0)
        m_partitionErrorMax =
            std::max(m_partitionErrorMax, std::abs(double(w.phases.total() - life)) / double(life));
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
    out.partitionErrorMax = m_partitionErrorMax;
    if (m_workerCount > 0) {
        out.spawnCostS = nsToSeconds(m_spawnTotalNs) / double(m_workerCount);
        out.spawnStartupS = nsToSeconds(m_spawnStartupNs) / double(m_workerCount);
    }
    out.roundTrips = m_roundTrips;
    out.roundTripS = m_roundTrips ? nsToSeconds(m_roundTripNs) / double(m_roundTrips) : 0;
    std::vector<double> lat(m_latencyUs.begin(), m_latencyUs.end());
    std::sort(lat.begin(), lat.end());
    out.latencyP50S = quantile(lat, 0.50) * 1e-6;
    out.latencyP95S = quantile(lat, 0.95) * 1e-6;
    out.latencyP99S = quantile(lat, 0.99) * 1e-6;
    out.latencyMeanS = mean(lat) * 1e-6;
    const auto& c = m_coordinator;
    out.coordinator.phases = c.totals();
    out.coordinator.lifetimeNs = c.stopNs() - c.startNs();
    // The coordinator records bookkeeping (scheduling, checksum checks) in the Compute slot.
    out.coordinator.otherNs = c.totals()[Phase::Compute];
}

} // namespace conlab
