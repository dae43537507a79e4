// oneTBB: tbb::parallel_for over the chunks (simple_partitioner, grain 1 chunk) in a
// task_arena of `workers` slots, what a C++ user writes instead of a pool. The arena is
// entered from a driver thread (slot 0, lane 0) so the coordinator thread stays free.
// spawn: start-up = driver creation, arena initialisation and TBB waking or creating its
// workers until a lane's first chunk; teardown = the arena's destruction plus
// tbb::finalize, which waits until TBB's worker threads have exited. ipc: the bytes of each
// task and message round trips; TBB's own hand-off (task spawning and stealing) is not
// separable and shows up as idle.
#include "library_pool.h"

#ifdef CONLAB_HAVE_TBB
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>
#endif

namespace conlab {
namespace {

class TbbBackend final : public Backend {
  public:
    BackendInfo info() const override {
        return {"tbb", "library",
                "oneTBB parallel_for over the chunks in a task_arena: the work-stealing C++ peer"};
    }
    Availability availability() const override {
#ifdef CONLAB_HAVE_TBB
        return {};
#else
        return {false,
                "built without oneTBB (find_package(TBB) failed at configure time: install libtbb-dev)"};
#endif
    }
    void run(RunContext& ctx) override {
#ifdef CONLAB_HAVE_TBB
        const int n = ctx.workers();
        LibraryRun lib(ctx, "tbb", n, "TBB arena slot");
        PhaseRecorder& rec = ctx.coordinator();
        rec.switchTo(Phase::Spawn);
        const int64_t tRequest = nowNs();
        bool finalized = true;
        std::thread driver([&] {
            // Attached before the arena: finalize() then waits for TBB's threads to exit.
            oneapi::tbb::task_scheduler_handle handle{oneapi::tbb::attach {}};
            {
                oneapi::tbb::task_arena arena(n);
                arena.execute([&] {
                    oneapi::tbb::parallel_for(
                        oneapi::tbb::blocked_range<int64_t>(0, lib.chunkCount(), 1),
                        [&](const oneapi::tbb::blocked_range<int64_t>& r) {
                            const int lane = oneapi::tbb::this_task_arena::current_thread_index();
                            for (int64_t c = r.begin(); c != r.end(); ++c)
                                lib.runChunk(lane, c);
                        },
                        oneapi::tbb::simple_partitioner());
                });
            }
            finalized = oneapi::tbb::finalize(handle, std::nothrow);
        });
        std::exception_ptr failure;
        try {
            lib.serve();
        } catch (...) {
            failure = std::current_exception();
        }
        const int64_t tDone = rec.switchTo(Phase::Spawn);
        driver.join();
        const int64_t tReaped = rec.switchTo(Phase::Other);
        lib.finish(tRequest, tDone, tReaped);
        if (failure) std::rethrow_exception(failure);
        if (!finalized)
            throw BackendError(
                "tbb: tbb::finalize could not wait for TBB's worker threads (another TBB user is "
                "active in this process)");
#else
        (void)ctx;
        throw BackendError("tbb: " + availability().reason);
#endif
    }
};

} // namespace

std::unique_ptr<Backend> makeTbbBackend() {
    return std::make_unique<TbbBackend>();
}

} // namespace conlab
