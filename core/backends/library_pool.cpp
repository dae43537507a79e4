#include "library_pool.h"

#include "resource_limits.h"

#include <sched.h>

namespace conlab {

// Named, not anonymous: LibraryRun::Lane (declared in the header) holds one.
namespace library_lanes {
// The message channel of one lane: events to the coordinator, the reply through a slot.
class LaneChannel final : public MessageChannel {
  public:
    LaneChannel(RunContext& ctx, EventQueue& events, ReplySlot& reply, int lane)
        : m_ctx(ctx), m_events(events), m_reply(reply), m_lane(lane) {}
    std::span<const std::byte> exchange(int64_t taskId, uint64_t index,
                                        std::span<const std::byte> out) override {
        ThreadEvent e;
        e.type = ThreadEvent::Type::Message;
        e.lane = m_lane;
        e.taskId = taskId;
        e.count = int(index);
        e.bytes.assign(out.begin(), out.end());
        m_events.push(std::move(e));
        if (!m_reply.take(m_buf, m_ctx.cancel())) m_buf.clear();
        return m_buf;
    }

  private:
    RunContext& m_ctx;
    EventQueue& m_events;
    ReplySlot& m_reply;
    int m_lane;
    std::vector<std::byte> m_buf;
};
} // namespace library_lanes
using library_lanes::LaneChannel;

struct LibraryRun::Lane {
    bool started = false;
    int64_t tReady = 0;
    int cpuFirst = -1;
    int64_t tasks = 0;
    PhaseRecorder rec;
    ReplySlot reply;
    std::unique_ptr<LaneChannel> channel;
    WorkerScratch scratch;
    std::vector<std::byte> input, result;
    // Results not yet handed to the coordinator (thread_hub.h): one event per batch.
    ThreadEvent batch;
    int batched = 0;
    int64_t batchStartNs = 0;
};

LibraryRun::LibraryRun(RunContext& ctx, const char* name, int lanes, const char* laneKind)
    : m_ctx(ctx), m_name(name), m_laneKind(laneKind), m_laneCount(lanes),
      m_chunks((ctx.tasksTotal() + ctx.spec().chunksize - 1) / ctx.spec().chunksize),
      m_params(TaskParams::from(ctx.spec(), ctx.work())), m_watch(lanes), m_lanes(new Lane[size_t(lanes)]),
      m_depth(queueDepth(ctx)) {
    // Before the library starts its threads: where it cannot, oneTBB terminates, libgomp exits
    // and QThreadPool hangs; here that is this backend's error, with the limit named.
    requireThreads(name, lanes);
}

LibraryRun::~LibraryRun() = default;

std::string LibraryRun::who(int lane) const {
    return std::string(m_name) + ": worker thread " + std::to_string(lane) + " (" + m_laneKind + " " +
           std::to_string(lane) + ")";
}

void LibraryRun::runChunk(int lane, int64_t chunk, int64_t dispatchNs) noexcept {
    // Nothing may leave a library's parallel region or thread (OpenMP and Qt would terminate
    // the app, TBB would carry it out of parallel_for): a task's failure is caught inside and
    // reported as an event; should even that fail (out of memory for the event itself), the
    // run is cancelled and the failure noted without allocating.
    try {
        runChunkUnguarded(lane, chunk, dispatchNs);
    } catch (...) {
        if (lane >= 0 && lane < m_laneCount) m_watch.end(lane);
        int none = kNoLane;
        m_unreported.compare_exchange_strong(none, lane);
        m_ctx.cancel().cancel();
    }
}

void LibraryRun::flush(Lane& L, int lane) {
    if (L.batched == 0) return;
    L.batch.type = ThreadEvent::Type::Result;
    L.batch.lane = lane;
    m_events.push(std::move(L.batch));
    // Moved from: made empty again, allocated once per batch.
    L.batch.done.clear();
    L.batch.checksums.clear();
    L.batch.bytes.clear();
    L.batch.outcome = TaskOutcome{};
    L.batch.checksums.reserve(size_t(m_depth.batchTasks));
    L.batched = 0;
}

void LibraryRun::runChunkUnguarded(int lane, int64_t chunk, int64_t dispatchNs) {
    ThreadEvent r;
    r.lane = lane;
    if (lane < 0 || lane >= m_laneCount) {
        r.type = ThreadEvent::Type::Failed;
        r.error = "is outside the pool's " + std::to_string(m_laneCount) + " lanes";
        m_events.push(std::move(r));
        return;
    }
    Lane& L = m_lanes[size_t(lane)];
    const int64_t t0 = nowNs();
    // A chunk starts with making its inputs (ipc), or with computing when it has none: two
    // clock readings per chunk on the hot path (this one, and the result's).
    const Phase first0 = m_ctx.spec().inputBytes > 0 ? Phase::Ipc : Phase::Compute;
    if (!L.started) {
        L.started = true;
        L.tReady = t0;
        L.cpuFirst = sched_getcpu();
        L.rec = PhaseRecorder(m_ctx.intervalBudget(), CpuWaitMode::Measure, m_ctx.probing());
        L.rec.attachLane(&m_ctx.lane(lane));
        L.rec.start(first0, t0);
        L.channel = std::make_unique<LaneChannel>(m_ctx, m_events, L.reply, lane);
    } else {
        L.rec.switchTo(first0, t0);
    }
    const int64_t first = chunk * m_ctx.spec().chunksize;
    const int count = int(std::min<int64_t>(m_ctx.spec().chunksize, m_ctx.tasksTotal() - first));
    if (m_ctx.cancelled()) {
        // Skipped: the coordinator stopped serving at the cancel, so a library still walking
        // its remaining chunks only pays this check per chunk.
        L.rec.switchTo(Phase::Idle);
        return;
    }
    m_watch.begin(lane, first, count, t0);
    // Where this chunk's entries start in the batch: a chunk cut short leaves none behind.
    const size_t checksums0 = L.batch.checksums.size(), bytes0 = L.batch.bytes.size();
    TaskOutcome sum;
    bool cancelled = false;
    r.type = ThreadEvent::Type::Result;
    try {
        // The library shares memory: the input is made where it is used (ipc of the lane).
        const size_t inBytes = size_t(m_ctx.spec().inputBytes);
        L.input.resize(inBytes);
        for (int k = 0; k < count; ++k) {
            const int64_t id = first + k;
            const uint64_t seed = m_ctx.seedOf(uint64_t(id));
            if (inBytes > 0) {
                L.rec.switchTo(Phase::Ipc);
                fillPattern(L.input, inputSeed(seed));
            }
            TaskOutcome o = runTask(m_params, id, seed, L.input, L.channel.get(), L.rec, L.scratch, L.result,
                                    m_ctx.cancel().flag(), m_ctx.cancel().fd());
            if (o.cancelled) {
                cancelled = true;
                break;
            }
            L.batch.checksums.push_back(o.checksum);
            sum.inputOk = sum.inputOk && o.inputOk;
            sum.replyOk = sum.replyOk && o.replyOk;
            sum.roundTrips += o.roundTrips;
            sum.roundTripNs += o.roundTripNs;
            L.batch.bytes.insert(L.batch.bytes.end(), L.result.begin(), L.result.end());
            ++L.tasks;
        }
    } catch (const std::bad_alloc&) {
        r.type = ThreadEvent::Type::Failed;
        r.error =
            "out of memory: a task's buffers could not be allocated (lower --input, --result or --payload)";
    } catch (const std::exception& ex) {
        r.type = ThreadEvent::Type::Failed;
        r.error = ex.what();
    }
    m_watch.end(lane);
    const int64_t tResult = L.rec.switchTo(Phase::Idle);
    L.rec.publishNow(tResult);
    if (cancelled || r.type == ThreadEvent::Type::Failed) {
        // The chunks finished before are handed over first, then this one's end.
        L.batch.checksums.resize(checksums0);
        L.batch.bytes.resize(bytes0);
        flush(L, lane);
        if (cancelled) r.type = ThreadEvent::Type::Exited;
        m_events.push(std::move(r));
        m_chunksRun.fetch_add(1, std::memory_order_acq_rel);
        return;
    }
    if (L.batched == 0) L.batchStartNs = tResult;
    L.batch.done.push_back(ChunkDone{first, count, tResult - (dispatchNs ? dispatchNs : t0)});
    L.batch.outcome.inputOk = L.batch.outcome.inputOk && sum.inputOk;
    L.batch.outcome.replyOk = L.batch.outcome.replyOk && sum.replyOk;
    L.batch.outcome.roundTrips += sum.roundTrips;
    L.batch.outcome.roundTripNs += sum.roundTripNs;
    L.batched += count;
    if (L.batched >= m_depth.batchTasks || tResult - L.batchStartNs >= QueueDepth::kBatchAgeNs) {
        L.rec.publish();
        flush(L, lane);
    }
    // Counted last: after its count a lane does not touch its batch for this chunk again, so
    // the lane that finishes the last chunk can hand over every lane's batch (the others'
    // counts came before its own, acq_rel).
    if (m_chunksRun.fetch_add(1, std::memory_order_acq_rel) + 1 == m_chunks) {
        for (int i = 0; i < m_laneCount; ++i)
            flush(m_lanes[size_t(i)], i);
        L.rec.publish();
    }
}

void LibraryRun::serve(const std::function<void()>& refill) {
    PhaseRecorder& rec = m_ctx.coordinator();
    int64_t accounted = 0;
    std::exception_ptr failure;
    // On cancel or failure, stop at once: chunks still in the library are skipped by runChunk,
    // and the caller waits for the library's threads before this object goes away.
    while (accounted < m_chunks && !m_ctx.cancelled()) {
        if (refill && !failure) {
            rec.switchTo(Phase::Ipc);
            refill();
        }
        rec.switchTo(Phase::Idle);
        auto e = m_events.pop(20);
        rec.switchTo(Phase::Ipc);
        try {
            if (auto late = m_watch.overdue(m_ctx.spec().taskTimeoutS))
                throw BackendError(who(late->lane) + " " +
                                   TaskWatch::describe(*late, m_ctx.spec().taskTimeoutS));
            if (!e) continue;
            switch (e->type) {
            case ThreadEvent::Type::Message:
                answerMessage(*e, m_lanes[size_t(e->lane)].reply);
                break;
            case ThreadEvent::Type::Result:
                accounted += e->done.empty() ? 1 : int64_t(e->done.size());
                if (failure) break;
                rec.switchTo(Phase::Other);
                completeChunk(m_ctx, *e, m_name);
                break;
            case ThreadEvent::Type::Exited:
                ++accounted;
                break; // skipped after cancel
            case ThreadEvent::Type::Failed:
                ++accounted;
                throw BackendError(who(e->lane) + " " + e->error);
            }
        } catch (...) {
            // Stop the library's threads (every later chunk is skipped), then drain.
            if (!failure) failure = std::current_exception();
            m_ctx.cancel().cancel();
        }
    }
    if (failure) std::rethrow_exception(failure);
    if (const int lane = m_unreported.load(); lane != kNoLane)
        throw BackendError(who(lane) + " failed and could not report why (out of memory?)");
}

void LibraryRun::keepLateResults() {
    for (int i = 0; i < m_laneCount; ++i)
        flush(m_lanes[size_t(i)], i);
    while (auto e = m_events.pop(0)) {
        if (e->type != ThreadEvent::Type::Result) continue;
        try {
            completeChunk(m_ctx, *e, m_name);
        } catch (...) {
            // The run already failed or was stopped, and says so: a late result that does not
            // verify is not counted, and does not replace the first error.
        }
    }
}

void LibraryRun::finish(int64_t tRequest, int64_t tDone, int64_t tReaped) {
    keepLateResults();
    for (int i = 0; i < m_laneCount; ++i) {
        Lane& L = m_lanes[size_t(i)];
        if (!L.started) continue;
        L.rec.stop(tDone);
        WorkerRecord w;
        w.lane = i;
        w.id = i;
        w.tRequestNs = tRequest;
        w.tReadyNs = L.tReady;
        w.tDoneNs = tDone;
        w.tReapedNs = tReaped;
        w.phases = L.rec.totals();
        w.libraryLane = true; // start and end are the library's start-up and teardown
        PhaseTotals startup;
        startup[Phase::Startup] = (L.tReady - tRequest) + (tReaped - tDone);
        m_ctx.lane(i).add(startup);
        w.cpuFirst = L.cpuFirst;
        w.cpuLast = sched_getcpu();
        w.tasks = L.tasks;
        w.cpuChanges = L.rec.cpuChanges(); // stopped here, not on its thread: no switch count
        w.timeline = L.rec.timeline();
        m_ctx.addWorker(std::move(w));
    }
}

} // namespace conlab
