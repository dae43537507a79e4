// `workers` long-lived threads fed from one queue, like concurrent.futures.ThreadPoolExecutor:
// the coordinator (the submitter) queues tasks ahead to a bounded depth and the workers pull
// from the queue under its mutex, with no round trip to the coordinator per task. Results
// come back in batches (thread_hub.h), which the coordinator verifies in bulk when it wakes,
// and tops the queue up. Nobody waits on anybody per task, as in ThreadPoolExecutor.map.
#include "thread_hub.h"

#include <algorithm>

namespace conlab {
namespace {

class ThreadPoolBackend final : public Backend {
  public:
    BackendInfo info() const override {
        return {"thread-pool", "threads",
                "long-lived threads fed from a shared queue, like ThreadPoolExecutor"};
    }

    void run(RunContext& ctx) override {
        const int n = ctx.workers();
        PhaseRecorder& rec = ctx.coordinator();
        EventQueue events;
        TaskQueue queue;
        std::unique_ptr<ReplySlot[]> replies(new ReplySlot[size_t(n)]);
        std::vector<std::thread> threads(static_cast<size_t>(n));
        int alive = 0;
        TaskWatch watch(n);
        const QueueDepth depth = queueDepth(ctx);
        // Joins every started thread on all paths; on error the internal token stops them.
        auto shutdown = [&](bool failed) {
            if (failed) ctx.cancel().cancel();
            queue.close();
            while (alive > 0) {
                rec.switchTo(Phase::Idle);
                auto e = events.pop(20);
                rec.switchTo(Phase::Ipc);
                if (!e) continue;
                if (e->type == ThreadEvent::Type::Message) answerMessage(*e, replies[size_t(e->lane)]);
                // A worker's batch handed over after another worker's failure (or a Stop) holds
                // finished tasks: they are kept. One that does not verify is not counted and
                // does not replace the first error.
                if (e->type == ThreadEvent::Type::Result) {
                    try {
                        rec.switchTo(Phase::Other);
                        completeChunk(ctx, *e, "thread-pool");
                    } catch (...) {
                    }
                }
                if (e->type == ThreadEvent::Type::Exited) {
                    const int64_t tJoin = rec.switchTo(Phase::Spawn);
                    threads[size_t(e->lane)].join();
                    finishThreadWorker(ctx, *e, tJoin, nowNs());
                    --alive;
                }
            }
        };
        try {
            rec.switchTo(Phase::Spawn);
            for (int i = 0; i < n; ++i) {
                ThreadWorkerEnv env{&ctx,
                                    i,
                                    i,
                                    nowNs(),
                                    ctx.intervalBudget(),
                                    &events,
                                    &replies[size_t(i)],
                                    [&queue, &ctx] { return queue.pop(ctx.cancel()); },
                                    &watch,
                                    [&queue] { return queue.tryPop(); },
                                    depth.batchTasks};
                threads[size_t(i)] = std::thread(threadWorkerMain, std::move(env));
                ++alive;
            }
            int64_t inflight = 0; // tasks handed out, not yet come back
            std::vector<TaskChunk> refill;
            while (!ctx.cancelled()) {
                rec.switchTo(Phase::Ipc);
                while (inflight < depth.aheadTasks) {
                    auto [first, count] = ctx.takeChunk(ctx.spec().chunksize);
                    if (count == 0) break;
                    refill.push_back(makeChunk(ctx, first, count));
                    inflight += count;
                }
                queue.pushAll(refill);
                if (inflight == 0) break;
                rec.switchTo(Phase::Idle);
                auto e = events.pop(20);
                rec.switchTo(Phase::Ipc);
                if (auto late = watch.overdue(ctx.spec().taskTimeoutS))
                    throw BackendError("thread-pool: worker thread " + std::to_string(late->lane) + " " +
                                       TaskWatch::describe(*late, ctx.spec().taskTimeoutS));
                if (!e) continue;
                switch (e->type) {
                case ThreadEvent::Type::Message:
                    answerMessage(*e, replies[size_t(e->lane)]);
                    break;
                case ThreadEvent::Type::Result:
                    rec.switchTo(Phase::Other);
                    inflight -= completeChunk(ctx, *e, "thread-pool");
                    break;
                case ThreadEvent::Type::Failed:
                    throw BackendError("thread-pool: worker thread " + std::to_string(e->lane) + " " +
                                       e->error);
                case ThreadEvent::Type::Exited:
                    const int64_t tJoin = rec.switchTo(Phase::Spawn);
                    threads[size_t(e->lane)].join();
                    finishThreadWorker(ctx, *e, tJoin, nowNs());
                    --alive;
                    if (!ctx.cancelled())
                        throw BackendError("thread-pool: worker " + std::to_string(e->lane) +
                                           " exited early");
                    break;
                }
            }
        } catch (...) {
            shutdown(true);
            throw;
        }
        shutdown(false);
    }
};

} // namespace

std::unique_ptr<Backend> makeThreadPoolBackend() {
    return std::make_unique<ThreadPoolBackend>();
}

} // namespace conlab
