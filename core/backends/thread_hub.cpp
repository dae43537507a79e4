#include "thread_hub.h"

#include <algorithm>
#include <sched.h>

namespace conlab {

void EventQueue::push(ThreadEvent&& e) {
    {
        std::lock_guard lock(m_mutex);
        m_events.push_back(std::move(e));
    }
    m_cv.notify_one();
}

std::optional<ThreadEvent> EventQueue::pop(int timeoutMs) {
    std::unique_lock lock(m_mutex);
    if (!m_cv.wait_for(lock, std::chrono::milliseconds(timeoutMs), [&] { return !m_events.empty(); }))
        return std::nullopt;
    ThreadEvent e = std::move(m_events.front());
    m_events.pop_front();
    return e;
}

void ReplySlot::put(std::span<const std::byte> bytes) {
    {
        std::lock_guard lock(m_mutex);
        m_data.assign(bytes.begin(), bytes.end());
        m_ready = true;
    }
    m_cv.notify_one();
}

bool ReplySlot::take(std::vector<std::byte>& out, const CancelToken& cancel) {
    std::unique_lock lock(m_mutex);
    while (!m_ready) {
        if (cancel.isCancelled()) return false;
        m_cv.wait_for(lock, std::chrono::milliseconds(20));
    }
    out.swap(m_data);
    m_ready = false;
    return true;
}

void TaskQueue::pushAll(std::vector<TaskChunk>& chunks) {
    if (chunks.empty()) return;
    int waiting = 0;
    {
        std::lock_guard lock(m_mutex);
        for (TaskChunk& c : chunks)
            m_chunks.push_back(std::move(c));
        waiting = m_waiting;
    }
    chunks.clear();
    if (waiting > 1)
        m_cv.notify_all();
    else if (waiting == 1)
        m_cv.notify_one();
}

void TaskQueue::close() {
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
    }
    m_cv.notify_all();
}

std::optional<TaskChunk> TaskQueue::pop(const CancelToken& cancel) {
    std::unique_lock lock(m_mutex);
    for (;;) {
        if (cancel.isCancelled()) return std::nullopt;
        if (!m_chunks.empty()) {
            TaskChunk c = std::move(m_chunks.front());
            m_chunks.pop_front();
            return c;
        }
        if (m_closed) return std::nullopt;
        ++m_waiting;
        m_cv.wait_for(lock, std::chrono::milliseconds(20));
        --m_waiting;
    }
}

std::optional<TaskChunk> TaskQueue::tryPop() {
    std::lock_guard lock(m_mutex);
    if (m_chunks.empty()) return std::nullopt;
    TaskChunk c = std::move(m_chunks.front());
    m_chunks.pop_front();
    return c;
}

namespace {
class ThreadChannel final : public MessageChannel {
  public:
    ThreadChannel(const ThreadWorkerEnv& env) : m_env(env) {}
    std::span<const std::byte> exchange(int64_t taskId, uint64_t index,
                                        std::span<const std::byte> out) override {
        ThreadEvent e;
        e.type = ThreadEvent::Type::Message;
        e.lane = m_env.lane;
        e.taskId = taskId;
        e.count = int(index);
        e.bytes.assign(out.begin(), out.end());
        m_env.events->push(std::move(e));
        if (!m_env.reply->take(m_reply, m_env.ctx->cancel())) m_reply.clear();
        return m_reply;
    }

  private:
    const ThreadWorkerEnv& m_env;
    std::vector<std::byte> m_reply;
};
} // namespace

void threadWorkerMain(ThreadWorkerEnv env) {
    RunContext& ctx = *env.ctx;
    const int64_t tReady = nowNs();
    PhaseRecorder rec(env.intervalBudget, CpuWaitMode::Measure, env.ctx->probing());
    rec.attachLane(&ctx.lane(env.lane));
    rec.start(Phase::Idle, tReady);
    // Until its first instruction the thread was being created or waiting for a CPU.
    const int64_t startWait = std::clamp<int64_t>(rec.runDelayAtStartNs(), 0, tReady - env.tRequest);
    PhaseTotals startup;
    startup[Phase::Spawn] = tReady - env.tRequest - startWait;
    startup[Phase::CpuWait] = startWait;
    ctx.lane(env.lane).add(startup);
    const int cpuFirst = sched_getcpu();
    const TaskParams params = TaskParams::from(ctx.spec(), ctx.work());
    const size_t inBytes = size_t(ctx.spec().inputBytes);
    ThreadChannel channel(env);
    WorkerScratch scratch;
    std::vector<std::byte> result;
    int64_t tasks = 0;
    const bool batching = bool(env.tryNext);
    const int batchTasks = std::max(1, env.batchTasks);
    ThreadEvent batch;
    int batched = 0;
    int64_t batchStartNs = 0;
    auto newBatch = [&] {
        batch.type = ThreadEvent::Type::Result;
        batch.lane = env.lane;
        batch.done.clear();
        batch.checksums.clear();
        batch.bytes.clear();
        batch.outcome = TaskOutcome{};
        batch.checksums.reserve(size_t(batchTasks)); // moved-from: allocate once per batch
        batch.done.reserve(size_t(batchTasks));
        batched = 0;
    };
    // Hands the batch over (ipc: the worker gives its results to the coordinator).
    auto flush = [&] {
        if (batched == 0) return;
        rec.enter(Phase::Ipc);
        rec.publish();
        env.events->push(std::move(batch));
        newBatch();
    };
    newBatch();
    // Where the current chunk's entries start in the batch: a chunk cut short (cancel, a
    // failure) leaves none behind.
    size_t chunkChecksums = 0, chunkBytes = 0;
    auto dropPartialChunk = [&] {
        batch.checksums.resize(chunkChecksums);
        batch.bytes.resize(chunkBytes);
    };
    try {
        // Two clock readings per task on the hot path (compute starts, result ready): taking
        // the next chunk off the queue right after a result is part of the hand-off (ipc);
        // only waiting for one is idle.
        int64_t lastNs = tReady;
        for (;;) {
            std::optional<TaskChunk> chunk;
            if (batching) chunk = env.tryNext();
            if (!chunk) {
                flush();
                lastNs = rec.switchTo(Phase::Idle);
                chunk = env.next();
                if (!chunk) break;
                lastNs = rec.switchTo(Phase::Ipc);
            }
            if (env.watch) env.watch->begin(env.lane, chunk->first, chunk->count, lastNs);
            rec.enter(Phase::Ipc);
            chunkChecksums = batch.checksums.size();
            chunkBytes = batch.bytes.size();
            batch.checksums.reserve(chunkChecksums + size_t(chunk->count));
            bool cancelled = false;
            int ran = 0;
            for (int k = 0; k < chunk->count; ++k) {
                int64_t id = chunk->first + k;
                std::span<const std::byte> input(chunk->input.data() + size_t(k) * inBytes, inBytes);
                TaskOutcome o = runTask(params, id, ctx.seedOf(uint64_t(id)), input, &channel, rec, scratch,
                                        result, ctx.cancel().flag(), ctx.cancel().fd());
                if (o.cancelled) {
                    cancelled = true;
                    break;
                }
                batch.checksums.push_back(o.checksum);
                batch.outcome.inputOk = batch.outcome.inputOk && o.inputOk;
                batch.outcome.replyOk = batch.outcome.replyOk && o.replyOk;
                batch.outcome.roundTrips += o.roundTrips;
                batch.outcome.roundTripNs += o.roundTripNs;
                batch.bytes.insert(batch.bytes.end(), result.begin(), result.end());
                ++ran;
                ++tasks;
            }
            if (env.watch) env.watch->end(env.lane);
            if (cancelled) {
                dropPartialChunk();
                break;
            }
            const int64_t tResult = rec.switchTo(Phase::Ipc); // the chunk's result is ready
            lastNs = tResult;
            if (batched == 0) batchStartNs = tResult;
            batch.done.push_back(ChunkDone{chunk->first, ran, tResult - chunk->dispatchNs});
            batched += ran;
            if (!batching || batched >= batchTasks || tResult - batchStartNs >= QueueDepth::kBatchAgeNs)
                flush();
        }
        flush();
    } catch (const std::exception& ex) {
        if (env.watch) env.watch->end(env.lane);
        try {
            dropPartialChunk();
            flush(); // the chunks finished before the failure are kept
        } catch (...) {
        }
        ThreadEvent f;
        f.type = ThreadEvent::Type::Failed;
        f.lane = env.lane;
        f.error = dynamic_cast<const std::bad_alloc*>(&ex)
                      ? "out of memory: a task's buffers could not be allocated (lower --input, --result or "
                        "--payload)"
                      : ex.what();
        env.events->push(std::move(f));
    }
    ThreadEvent x;
    x.type = ThreadEvent::Type::Exited;
    x.lane = env.lane;
    WorkerRecord& w = x.record;
    rec.finishRecord(w);
    w.lane = env.lane;
    w.id = env.id;
    w.tRequestNs = env.tRequest;
    w.tReadyNs = tReady;
    w.startWaitNs = startWait;
    w.cpuFirst = cpuFirst;
    w.tasks = tasks;
    w.timeline = rec.timeline();
    env.events->push(std::move(x));
}

TaskChunk makeChunk(RunContext& ctx, int64_t first, int count) {
    TaskChunk c;
    c.first = first;
    c.count = count;
    const size_t inBytes = size_t(ctx.spec().inputBytes);
    c.input.resize(inBytes * size_t(count));
    for (int k = 0; k < count; ++k)
        fillPattern(std::span(c.input.data() + size_t(k) * inBytes, inBytes),
                    inputSeed(ctx.seedOf(uint64_t(first + k))));
    c.dispatchNs = nowNs();
    return c;
}

QueueDepth queueDepth(const RunContext& ctx) {
    constexpr int64_t kAheadTasks = 1024;
    constexpr int64_t kAheadBytes = int64_t(64) << 20;
    const int64_t workers = std::max(1, ctx.workers());
    const int64_t chunk = std::max(1, ctx.spec().chunksize);
    const int64_t perTaskBytes = std::max<int64_t>(1, ctx.spec().inputBytes);
    const int64_t minimum = 2 * workers * chunk; // two chunks per worker
    QueueDepth d;
    d.aheadTasks = std::max(minimum, std::min(kAheadTasks, kAheadBytes / perTaskBytes));
    // A quarter of a worker's share of the queue: the queue never runs dry between the
    // coordinator's wake-ups.
    d.batchTasks = int(std::clamp<int64_t>(d.aheadTasks / (4 * workers), 1, 1024));
    return d;
}

int64_t completeChunk(RunContext& ctx, const ThreadEvent& e, const char* who) {
    if (!e.outcome.inputOk)
        throw BackendError(std::string(who) + ": a worker received corrupted input bytes");
    if (!e.outcome.replyOk)
        throw BackendError(std::string(who) + ": a worker received corrupted message replies");
    const size_t resBytes = size_t(ctx.spec().resultBytes);
    size_t k = 0; // index into checksums and result bytes
    int64_t completed = 0;
    auto complete = [&](int64_t first, int count, int64_t latencyNs) {
        if (k + size_t(count) > e.checksums.size() || e.bytes.size() < (k + size_t(count)) * resBytes)
            throw BackendError(std::string(who) + ": a worker's result batch is shorter than its tasks");
        for (int j = 0; j < count; ++j, ++k) {
            const int64_t id = first + j;
            ctx.verifyResultBytes(id, std::span(e.bytes.data() + k * resBytes, resBytes), who);
            ctx.completeTask(id, e.checksums[k], latencyNs, who);
        }
        completed += count;
    };
    if (e.done.empty())
        complete(e.taskId, e.count, nowNs() - e.dispatchNs);
    else
        for (const ChunkDone& c : e.done)
            complete(c.first, c.count, c.latencyNs);
    ctx.lane(e.lane).tasksDone.fetch_add(completed, std::memory_order_relaxed);
    ctx.addRoundTrips(e.outcome.roundTrips, e.outcome.roundTripNs);
    return completed;
}

void finishThreadWorker(RunContext& ctx, ThreadEvent& e, int64_t tJoinStart, int64_t tJoined) {
    WorkerRecord& w = e.record;
    w.tReapedNs = tJoined;
    w.tReapStartNs = std::max(tJoinStart, w.tDoneNs);
    PhaseTotals teardown;
    teardown[Phase::Idle] = w.tReapStartNs - w.tDoneNs;
    teardown[Phase::Spawn] = tJoined - w.tReapStartNs;
    ctx.lane(w.lane).add(teardown);
    ctx.addWorker(std::move(w)); // adds the spawn parts to the record
}

} // namespace conlab
