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

void TaskQueue::push(TaskChunk&& c) {
    {
        std::lock_guard lock(m_mutex);
        m_chunks.push_back(std::move(c));
    }
    m_cv.notify_one();
}

void TaskQueue::close() {
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
    }
    m_cv.notify_all();
}

size_t TaskQueue::size() {
    std::lock_guard lock(m_mutex);
    return m_chunks.size();
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
        m_cv.wait_for(lock, std::chrono::milliseconds(20));
    }
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
    try {
        for (;;) {
            rec.switchTo(Phase::Idle);
            auto chunk = env.next();
            if (!chunk) break;
            if (env.watch) env.watch->begin(env.lane, chunk->first, chunk->count);
            rec.switchTo(Phase::Ipc);
            ThreadEvent r;
            r.type = ThreadEvent::Type::Result;
            r.lane = env.lane;
            r.taskId = chunk->first;
            r.count = chunk->count;
            r.dispatchNs = chunk->dispatchNs;
            r.checksums.resize(size_t(chunk->count));
            r.bytes.reserve(size_t(chunk->count) * size_t(params.resultBytes));
            bool cancelled = false;
            for (int k = 0; k < chunk->count; ++k) {
                int64_t id = chunk->first + k;
                std::span<const std::byte> input(chunk->input.data() + size_t(k) * inBytes, inBytes);
                TaskOutcome o = runTask(params, id, ctx.seedOf(uint64_t(id)), input, &channel, rec, scratch,
                                        result, ctx.cancel().flag(), ctx.cancel().fd());
                if (o.cancelled) {
                    cancelled = true;
                    break;
                }
                r.checksums[size_t(k)] = o.checksum;
                r.outcome.inputOk = r.outcome.inputOk && o.inputOk;
                r.outcome.replyOk = r.outcome.replyOk && o.replyOk;
                r.outcome.roundTrips += o.roundTrips;
                r.outcome.roundTripNs += o.roundTripNs;
                r.bytes.insert(r.bytes.end(), result.begin(), result.end());
                ++tasks;
            }
            if (env.watch) env.watch->end(env.lane);
            if (cancelled) break;
            rec.switchTo(Phase::Ipc); // handing the result over
            rec.publish();
            env.events->push(std::move(r));
        }
    } catch (const std::exception& ex) {
        if (env.watch) env.watch->end(env.lane);
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
    w.tDoneNs = rec.stop();
    w.lane = env.lane;
    w.id = env.id;
    w.tRequestNs = env.tRequest;
    w.tReadyNs = tReady;
    w.phases = rec.totals();
    w.startWaitNs = startWait;
    w.cpuFirst = cpuFirst;
    w.cpuLast = sched_getcpu();
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

void completeChunk(RunContext& ctx, const ThreadEvent& e, const char* who) {
    if (!e.outcome.inputOk)
        throw BackendError(std::string(who) + ": a worker received corrupted input bytes");
    if (!e.outcome.replyOk)
        throw BackendError(std::string(who) + ": a worker received corrupted message replies");
    const int64_t now = nowNs();
    const size_t resBytes = size_t(ctx.spec().resultBytes);
    for (int k = 0; k < e.count; ++k) {
        int64_t id = e.taskId + k;
        ctx.verifyResultBytes(id, std::span(e.bytes.data() + size_t(k) * resBytes, resBytes), who);
        ctx.completeTask(id, e.checksums[size_t(k)], now - e.dispatchNs, who);
    }
    ctx.lane(e.lane).tasksDone.fetch_add(e.count, std::memory_order_relaxed);
    ctx.addRoundTrips(e.outcome.roundTrips, e.outcome.roundTripNs);
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
