// Qt's QThreadPool: one runnable per chunk, started on a private pool of `workers` threads
// (what a Qt application reaches for; QtConcurrent::run/map sit on the same pool).
// spawn: start-up = pool construction until a lane's first chunk (Qt starts a thread on
// demand when a runnable is queued); teardown = waitForDone and the pool's destruction, which
// joins its threads. ipc: handing a runnable to the pool (the coordinator's ipc), the bytes of
// each task and message round trips; latency counts from the hand-off, so queueing in the
// pool is visible there.
#include "library_pool.h"
#include "resource_limits.h"

#include <QThreadPool>

namespace conlab {
namespace {

class QtThreadPoolBackend final : public Backend {
  public:
    BackendInfo info() const override {
        return {"qt-threadpool", "library",
                "Qt QThreadPool running one runnable per chunk: the Qt application peer"};
    }
    void run(RunContext& ctx) override {
        const int n = ctx.workers();
        // GLib aborts the process (SIGTRAP) when a pool thread cannot open its wake-up fds.
        requireFreeFds("qt-threadpool", 2 * n + 8, std::to_string(n) + " QThreadPool threads");
        LibraryRun lib(ctx, "qt-threadpool", n, "QThreadPool lane");
        PhaseRecorder& rec = ctx.coordinator();
        rec.switchTo(Phase::Spawn);
        const int64_t tRequest = nowNs();
        std::exception_ptr failure;
        int64_t tDone = 0;
        {
            QThreadPool pool;
            pool.setMaxThreadCount(n);
            pool.setExpiryTimeout(-1); // threads live as long as the pool: one lane each
            rec.switchTo(Phase::Ipc);
            // Lanes: each pool thread takes the next free lane on its first chunk.
            std::atomic<int> nextLane{0};
            const void* owner = &lib;
            int64_t submitted = 0;
            // Queued ahead as deep as thread-pool's queue (its lanes batch their results).
            const int64_t ahead = std::max<int64_t>(2 * int64_t(n), queueDepth(ctx).aheadTasks /
                                                                        std::max(1, ctx.spec().chunksize)),
                          chunks = lib.chunkCount();
            std::atomic<int64_t> finished{0};
            auto refill = [&] {
                while (submitted < chunks && submitted - finished.load(std::memory_order_relaxed) < ahead) {
                    const int64_t c = submitted++;
                    const int64_t t = nowNs();
                    pool.start([&lib, &nextLane, &finished, owner, c, t] {
                        thread_local const void* laneOwner = nullptr;
                        thread_local int lane = -1;
                        if (laneOwner != owner) {
                            laneOwner = owner;
                            lane = nextLane.fetch_add(1);
                        }
                        lib.runChunk(lane, c, t);
                        finished.fetch_add(1, std::memory_order_relaxed);
                    });
                }
            };
            try {
                lib.serve(refill);
            } catch (...) {
                failure = std::current_exception();
            }
            tDone = rec.switchTo(Phase::Spawn);
            pool.waitForDone();
        }
        const int64_t tReaped = rec.switchTo(Phase::Other);
        lib.finish(tRequest, tDone, tReaped);
        if (failure) std::rethrow_exception(failure);
    }
};

} // namespace

std::unique_ptr<Backend> makeQtThreadPoolBackend() {
    return std::make_unique<QtThreadPoolBackend>();
}

} // namespace conlab
