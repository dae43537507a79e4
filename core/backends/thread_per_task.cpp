// A new std::thread for every task, at most `workers` alive: like threading.Thread per task.
#include "thread_hub.h"

#include <utility>

namespace conlab {
namespace {

class ThreadPerTaskBackend final : public Backend {
  public:
    BackendInfo info() const override {
        return {"thread-per-task", "threads",
                "a new thread per task (at most `workers` alive), like threading.Thread"};
    }

    void run(RunContext& ctx) override {
        const int n = ctx.workers();
        PhaseRecorder& rec = ctx.coordinator();
        EventQueue events;
        std::unique_ptr<ReplySlot[]> replies(new ReplySlot[size_t(n)]);
        std::vector<std::thread> threads(static_cast<size_t>(n));
        std::vector<int> freeLanes;
        for (int i = n - 1; i >= 0; --i)
            freeLanes.push_back(i);
        int alive = 0;
        TaskWatch watch(n);
        int64_t nextId = 0;
        auto onExited = [&](ThreadEvent& e) {
            const int64_t tJoin = rec.switchTo(Phase::Spawn);
            threads[size_t(e.lane)].join();
            finishThreadWorker(ctx, e, tJoin, nowNs());
            freeLanes.push_back(e.lane);
            --alive;
        };
        auto drain = [&] {
            ctx.cancel().cancel();
            while (alive > 0) {
                rec.switchTo(Phase::Idle);
                auto e = events.pop(20);
                rec.switchTo(Phase::Ipc);
                if (e && e->type == ThreadEvent::Type::Exited) onExited(*e);
            }
        };
        try {
            for (;;) {
                while (alive < n && !ctx.cancelled()) {
                    auto [first, count] = ctx.takeChunk(ctx.spec().chunksize);
                    if (count == 0) break;
                    rec.switchTo(Phase::Ipc);
                    auto chunk = std::make_shared<std::optional<TaskChunk>>(makeChunk(ctx, first, count));
                    int lane = freeLanes.back();
                    freeLanes.pop_back();
                    rec.switchTo(Phase::Spawn);
                    ThreadWorkerEnv env{&ctx,
                                        lane,
                                        nextId++,
                                        nowNs(),
                                        ctx.intervalBudget(),
                                        &events,
                                        &replies[size_t(lane)],
                                        [chunk]() { return std::exchange(*chunk, std::nullopt); },
                                        &watch,
                                        {}, // one chunk per thread: its result goes back at once
                                        1};
                    threads[size_t(lane)] = std::thread(threadWorkerMain, std::move(env));
                    ++alive;
                }
                if (alive == 0 || ctx.cancelled()) break;
                rec.switchTo(Phase::Idle);
                auto e = events.pop(20);
                rec.switchTo(Phase::Ipc);
                if (auto late = watch.overdue(ctx.spec().taskTimeoutS))
                    throw BackendError("thread-per-task: worker thread (lane " + std::to_string(late->lane) +
                                       ") " + TaskWatch::describe(*late, ctx.spec().taskTimeoutS));
                if (!e) continue;
                switch (e->type) {
                case ThreadEvent::Type::Message:
                    answerMessage(*e, replies[size_t(e->lane)]);
                    break;
                case ThreadEvent::Type::Result:
                    rec.switchTo(Phase::Other);
                    completeChunk(ctx, *e, "thread-per-task");
                    break;
                case ThreadEvent::Type::Failed:
                    throw BackendError("thread-per-task: worker thread (lane " + std::to_string(e->lane) +
                                       ") " + e->error);
                case ThreadEvent::Type::Exited:
                    onExited(*e);
                    break;
                }
            }
        } catch (...) {
            drain();
            throw;
        }
        drain();
    }
};

} // namespace

std::unique_ptr<Backend> makeThreadPerTaskBackend() {
    return std::make_unique<ThreadPerTaskBackend>();
}

} // namespace conlab
