#pragma once
// The coordinator's book of its worker processes (process-per-task, process-pool, shm-pool):
// what each was handed, what it reported, and its record when it ends — hello, dispatch,
// results (checked against what was handed out, every task verified), goodbye, kill, and the
// --task-timeout check. The backends keep only how workers start, are fed and are reaped.
// Coordinator thread only.
#include "../run_context.h"
#include "../wire_protocol.h"

#include <deque>
#include <span>
#include <string>
#include <sys/types.h>

namespace conlab {

// A chunk handed to a worker and not yet reported, oldest first: a pool that queues ahead
// (shm-pool) has several; the others one at a time.
struct InFlightChunk {
    int64_t first = 0;
    int count = 0;
    int64_t dispatchNs = 0; // handed over (latency counts from here, queue wait included)
    int64_t startedNs = 0;  // the earliest it can have started: at the front of the queue
};

struct WorkerEntry {
    int lane = -1;
    pid_t pid = -1;
    int64_t tRequest = 0, tReady = 0, startWait = 0;
    int cpuFirst = -1;
    bool exiting = false;
    std::deque<InFlightChunk> inFlight;
    int tasksTaken = 0;
    PhaseTotals reported;     // cumulative worker totals already published to the lane
    wire::ResultTrailer last; // the last result's trailer (its round trips count at the end)
    std::string label;        // who() of this pid, made once (errors name it; results need it at hand)
    pid_t labelPid = -1;
};

class WorkerLedger {
  public:
    WorkerLedger(RunContext& ctx, std::string name) : m_ctx(ctx), m_name(std::move(name)) {}

    std::string who(const WorkerEntry& e) const { return m_name + ": worker pid " + std::to_string(e.pid); }
    const std::string& label(WorkerEntry& e) const {
        if (e.labelPid != e.pid) {
            e.label = who(e);
            e.labelPid = e.pid;
        }
        return e.label;
    }

    // A worker's first words: running since tReady (its clock), after waiting startWait for a
    // CPU; its start-up is published to the lane.
    void hello(WorkerEntry& e, int64_t tReady, int cpu, int64_t startWait);
    // A chunk handed over at dispatchNs (the caller's clock reading: one per refill when the
    // chunks carry no input bytes to make).
    void dispatched(WorkerEntry& e, int64_t first, int count, int64_t dispatchNs);
    // A result: [ResultTrailer][count × checksum][count × result bytes], for the oldest chunk
    // handed out and not reported (workers run their chunks in order), seen by the coordinator
    // at tSeen. Verifies and completes every task and publishes the worker's totals: the
    // coordinator's other, which it enters at tSeen unless it is in it already and leaves in it
    // (the caller switches back once per batch of results: no clock reading per result).
    // Returns what is wrong (the caller fails the worker), or empty.
    std::string result(WorkerEntry& e, int64_t first, size_t count, std::span<const std::byte> payload,
                       int64_t tSeen);
    // A goodbye: [ByeTrailer][timeline segments]. Returns what is wrong, or empty.
    std::string checkBye(const WorkerEntry& e, std::span<const std::byte> payload) const;
    // After the goodbye was checked and the worker reaped (reaping began at tReapStart).
    void ended(WorkerEntry& e, std::span<const std::byte> byePayload, int64_t tReapStart, int64_t tReaped);
    // A worker killed (cancel): its record from what it last reported; the unreported rest
    // until the kill is idle, the kill and reap spawn.
    void killed(WorkerEntry& e, int64_t tKill, int64_t tReaped);
    // --task-timeout: what is overdue about a busy worker (its oldest chunk, timed from when it
    // reached the front of the worker's queue), or empty.
    std::string overdue(const WorkerEntry& e, int64_t now) const;

  private:
    RunContext& m_ctx;
    std::string m_name;
};

} // namespace conlab
