// Baseline: one thread does everything, no concurrency. Messages are copied out to a
// coordinator buffer and back (the cost of serialization without any hand-off).
#include "../backend.h"
#include "../task_runner.h"
#include "../task_watch.h"

#include <cstring>
#include <sched.h>

namespace conlab {
namespace {

class LoopbackChannel final : public MessageChannel {
  public:
    std::span<const std::byte> exchange(int64_t, uint64_t, std::span<const std::byte> out) override {
        m_coordinatorCopy.assign(out.begin(), out.end());
        m_reply.assign(m_coordinatorCopy.begin(), m_coordinatorCopy.end());
        return m_reply;
    }

  private:
    std::vector<std::byte> m_coordinatorCopy, m_reply;
};

class SequentialBackend final : public Backend {
  public:
    BackendInfo info() const override {
        return {"sequential", "baseline", "one thread runs every task in order: the baseline for speedup"};
    }
    int effectiveWorkers(const WorkloadSpec&) const override { return 1; }

    void run(RunContext& ctx) override {
        // Coordinator and worker share this thread: what conlab does between tasks (making
        // the input, verifying, counting) is the coordinator's other (or its ipc for the
        // input bytes) while the worker is idle, waiting for its next task.
        PhaseRecorder& coordinator = ctx.coordinator();
        WorkerRecord w;
        w.tRequestNs = w.tReadyNs = nowNs();
        w.cpuFirst = sched_getcpu();
        PhaseRecorder rec(ctx.intervalBudget(), CpuWaitMode::Measure, ctx.probing());
        rec.attachLane(&ctx.lane(0));
        rec.start(Phase::Idle, w.tReadyNs);
        coordinator.switchTo(Phase::Other, w.tReadyNs);
        const TaskParams params = TaskParams::from(ctx.spec(), ctx.work());
        LoopbackChannel channel;
        WorkerScratch scratch;
        std::vector<std::byte> input(size_t(ctx.spec().inputBytes)), result;
        TaskWatch watch(1);
        TaskWatchdog watchdog(ctx, watch); // --task-timeout: the loop runs on this thread
        const bool hasInput = !input.empty();
        while (!ctx.cancelled()) {
            auto [id, n] = ctx.takeChunk(1);
            if (n == 0) break;
            const uint64_t seed = ctx.seedOf(uint64_t(id));
            int64_t t0 = nowNs();
            if (hasInput) {
                coordinator.switchTo(Phase::Ipc, t0);
                fillPattern(input, inputSeed(seed));
                t0 = coordinator.switchTo(Phase::Idle);
            } else {
                coordinator.switchTo(Phase::Idle, t0);
            }
            rec.switchTo(Phase::Compute, t0); // runTask switches to ipc first when there are bytes
            watch.begin(0, id, 1, t0);
            TaskOutcome o;
            try {
                o = runTask(params, id, seed, input, &channel, rec, scratch, result, ctx.cancel().flag(),
                            ctx.cancel().fd());
            } catch (const WorkerFault& e) {
                throw BackendError(std::string("sequential: worker (the coordinator thread) ") + e.what());
            }
            watch.end(0);
            const int64_t t1 = rec.switchTo(Phase::Idle);
            coordinator.switchTo(Phase::Other, t1);
            if (auto late = watchdog.fired())
                throw BackendError("sequential: worker (the coordinator thread) " +
                                   TaskWatch::describe(*late, ctx.spec().taskTimeoutS));
            if (o.cancelled) break;
            if (!o.inputOk || !o.replyOk)
                throw BackendError("sequential: payload bytes corrupted in task " + std::to_string(id));
            ctx.verifyResultBytes(id, result, "sequential");
            ctx.completeTask(id, o.checksum, t1 - t0, "sequential");
            ctx.addRoundTrips(o.roundTrips, o.roundTripNs);
            auto& done = ctx.lane(0).tasksDone; // this thread is its only writer
            done.store(done.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
            rec.publishNow(t1);
        }
        rec.finishRecord(w);
        w.tReapedNs = w.tDoneNs;
        w.tasks = ctx.tasksDone();
        w.timeline = rec.timeline();
        ctx.addWorker(std::move(w));
    }
};

} // namespace

std::unique_ptr<Backend> makeSequentialBackend() {
    return std::make_unique<SequentialBackend>();
}

} // namespace conlab
