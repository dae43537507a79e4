// `workers` long-lived forked processes fed over pipes with a framed protocol, like
// multiprocessing.Pool / ProcessPoolExecutor (start method fork).
#include "process_workers.h"

namespace conlab {
namespace {

class ProcessPoolBackend final : public Backend {
  public:
    BackendInfo info() const override {
        return {"process-pool", "processes",
                "long-lived forked worker processes fed over pipes, like multiprocessing.Pool"};
    }
    void run(RunContext& ctx) override { runForkedWorkers(ctx, {"process-pool", 0}); }
};

} // namespace

std::unique_ptr<Backend> makeProcessPoolBackend() {
    return std::make_unique<ProcessPoolBackend>();
}

} // namespace conlab
