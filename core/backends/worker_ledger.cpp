#include "worker_ledger.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

namespace conlab {

using wire::ByeTrailer;
using wire::ResultTrailer;

void WorkerLedger::hello(WorkerEntry& e, int64_t tReady, int cpu, int64_t startWait) {
    e.tReady = tReady;
    e.cpuFirst = cpu;
    e.startWait = std::clamp<int64_t>(startWait, 0, std::max<int64_t>(0, tReady - e.tRequest));
    PhaseTotals startup;
    startup[Phase::Spawn] = e.tReady - e.tRequest - e.startWait;
    startup[Phase::CpuWait] = e.startWait;
    m_ctx.lane(e.lane).add(startup);
}

void WorkerLedger::dispatched(WorkerEntry& e, int64_t first, int count, int64_t dispatchNs) {
    e.inFlight.push_back(InFlightChunk{first, count, dispatchNs, e.inFlight.empty() ? dispatchNs : 0});
    e.tasksTaken += count;
}

std::string WorkerLedger::result(WorkerEntry& e, int64_t first, size_t count,
                                 std::span<const std::byte> payload, int64_t tSeen) {
    const size_t resBytes = size_t(m_ctx.spec().resultBytes);
    if (e.inFlight.empty() || first != e.inFlight.front().first || int(count) != e.inFlight.front().count ||
        payload.size() != sizeof(ResultTrailer) + count * (8 + resBytes))
        return "sent a malformed result";
    const InFlightChunk chunk = e.inFlight.front();
    ResultTrailer t;
    std::memcpy(&t, payload.data(), sizeof t);
    if (!t.inputOk) return "received corrupted input bytes";
    if (!t.replyOk) return "received corrupted message replies";
    const std::byte* sums = payload.data() + sizeof t;
    const std::byte* results = sums + count * 8;
    PhaseRecorder& rec = m_ctx.coordinator();
    if (rec.current() != Phase::Other) rec.switchTo(Phase::Other, tSeen); // verification and bookkeeping
    const std::string& name = label(e);
    for (size_t k = 0; k < count; ++k) {
        uint64_t sum;
        std::memcpy(&sum, sums + k * 8, 8);
        const int64_t id = first + int64_t(k);
        m_ctx.verifyResultBytes(id, std::span(results + k * resBytes, resBytes), name.c_str());
        m_ctx.completeTask(id, sum, tSeen - chunk.dispatchNs, name.c_str());
    }
    m_ctx.lane(e.lane).add(t.phases - e.reported);
    m_ctx.lane(e.lane).tasksDone.fetch_add(int64_t(count), std::memory_order_relaxed);
    e.reported = t.phases;
    e.last = t;
    e.inFlight.pop_front();
    if (!e.inFlight.empty()) e.inFlight.front().startedNs = std::max(e.inFlight.front().dispatchNs, tSeen);
    return {};
}

std::string WorkerLedger::checkBye(const WorkerEntry&, std::span<const std::byte> payload) const {
    ByeTrailer b;
    if (payload.size() < sizeof b) return "sent a malformed goodbye";
    std::memcpy(&b, payload.data(), sizeof b);
    if (b.segmentCount > RunContext::kTimelineBudget ||
        payload.size() != sizeof b + size_t(b.segmentCount) * sizeof(TimelineSegment))
        return "sent a malformed goodbye";
    return {};
}

void WorkerLedger::ended(WorkerEntry& e, std::span<const std::byte> byePayload, int64_t tReapStart,
                         int64_t tReaped) {
    ByeTrailer b;
    std::memcpy(&b, byePayload.data(), sizeof b);
    WorkerRecord w;
    w.lane = e.lane;
    w.id = e.pid;
    w.osPid = w.osTid = e.pid; // a worker process runs its tasks on its only thread: tid == pid
    w.tRequestNs = e.tRequest;
    w.tReadyNs = b.tReadyNs;
    w.tDoneNs = b.tDoneNs;
    w.tReapedNs = tReaped;
    w.tReapStartNs = std::clamp(tReapStart, b.tDoneNs, std::max(b.tDoneNs, tReaped));
    w.phases = b.phases;
    w.startWaitNs = e.startWait;
    w.cpuFirst = e.cpuFirst;
    w.cpuLast = b.cpuLast;
    w.tasks = b.tasks;
    w.cpuChanges = b.cpuChanges;
    w.involuntarySwitches = b.involuntarySwitches;
    std::vector<TimelineSegment> segments(b.segmentCount);
    if (!segments.empty())
        std::memcpy(segments.data(), byePayload.data() + sizeof b, segments.size() * sizeof(TimelineSegment));
    w.timeline = Timeline(RunContext::kTimelineBudget);
    w.timeline.assign(std::move(segments));
    // Live lane: what the last result did not cover (the final idle/ipc), and the teardown.
    PhaseTotals rest = b.phases - e.reported;
    rest[Phase::Idle] += w.tReapStartNs - b.tDoneNs;
    rest[Phase::Spawn] += tReaped - w.tReapStartNs;
    m_ctx.lane(e.lane).add(rest);
    m_ctx.addRoundTrips(e.last.roundTrips, e.last.roundTripNs);
    e.last = {};
    m_ctx.addWorker(std::move(w));
}

void WorkerLedger::killed(WorkerEntry& e, int64_t tKill, int64_t tReaped) {
    WorkerRecord w;
    w.lane = e.lane;
    w.id = e.pid;
    w.osPid = w.osTid = e.pid;
    w.tRequestNs = e.tRequest;
    w.tReadyNs = e.tReady ? e.tReady : tKill;
    w.tDoneNs = tKill;
    w.tReapedNs = tReaped;
    w.phases = e.reported;
    w.startWaitNs = e.startWait;
    w.phases[Phase::Idle] += std::max<int64_t>(0, (tKill - w.tReadyNs) - e.reported.total());
    w.cpuFirst = e.cpuFirst;
    m_ctx.addWorker(std::move(w));
}

std::string WorkerLedger::overdue(const WorkerEntry& e, int64_t now) const {
    const double limitS = m_ctx.spec().taskTimeoutS;
    if (e.pid <= 0 || e.inFlight.empty()) return {};
    const InFlightChunk& c = e.inFlight.front();
    const double elapsedS = double(now - c.startedNs) * 1e-9;
    if (elapsedS <= limitS * c.count) return {};
    // "timed out: task 8 still running after 0.31 s (--task-timeout 0.3 s)"; for a chunk the
    // whole chunk is named with the limit that applied to it (the coordinator does not know which
    // of its tasks hangs), as the thread backends do.
    char buf[200];
    if (c.count <= 1)
        std::snprintf(buf, sizeof buf,
                      "timed out: task %lld still running after %.3g s (--task-timeout %g s)",
                      (long long)c.first, elapsedS, limitS);
    else
        std::snprintf(
            buf, sizeof buf,
            "timed out: the chunk of tasks %lld-%lld still running after %.3g s (--task-timeout %g s x "
            "%d tasks)",
            (long long)c.first, (long long)(c.first + c.count - 1), elapsedS, limitS, c.count);
    return buf;
}

} // namespace conlab
