// OpenMP (libgomp): `#pragma omp parallel for schedule(dynamic)` over the chunks, what a C++
// user writes instead of a pool. The region runs on a driver thread (OpenMP thread 0, lane 0)
// so the coordinator thread stays free to answer messages and check results.
// spawn: team start-up (driver thread creation and libgomp creating its threads) until a
// lane's first chunk, plus teardown (the driver exits and libgomp releases its team; the
// driver's join is observed, libgomp's own thread exits are asynchronous). ipc: the bytes of
// each task and message round trips; the hand-off inside libgomp (an atomic counter per
// dynamic chunk) is not separable and shows up as idle.
#include "library_pool.h"

#ifdef CONLAB_HAVE_OPENMP
#include <omp.h>
#endif

namespace conlab {
namespace {

class OpenMpBackend final : public Backend {
  public:
    BackendInfo info() const override {
        return {"openmp", "library",
                "OpenMP (libgomp) parallel for with schedule(dynamic) over the chunks: the C++ loop-parallel "
                "peer"};
    }
    Availability availability() const override {
#ifdef CONLAB_HAVE_OPENMP
        return {};
#else
        return {false,
                "built without OpenMP (no OpenMP support found for the C++ compiler at configure time; "
                "libgomp comes with GCC)"};
#endif
    }
    void run(RunContext& ctx) override {
#ifdef CONLAB_HAVE_OPENMP
        const int n = ctx.workers();
        LibraryRun lib(ctx, "openmp", n, "OpenMP thread");
        PhaseRecorder& rec = ctx.coordinator();
        rec.switchTo(Phase::Spawn);
        const int64_t tRequest = nowNs();
        std::thread driver([&lib, n] {
            const int64_t chunks = lib.chunkCount();
#pragma omp parallel num_threads(n)
            {
                const int lane = omp_get_thread_num();
#pragma omp for schedule(dynamic, 1) nowait
                for (int64_t c = 0; c < chunks; ++c)
                    lib.runChunk(lane, c);
            }
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
#else
        (void)ctx;
        throw BackendError("openmp: " + availability().reason);
#endif
    }
};

} // namespace

std::unique_ptr<Backend> makeOpenMpBackend() {
    return std::make_unique<OpenMpBackend>();
}

} // namespace conlab
