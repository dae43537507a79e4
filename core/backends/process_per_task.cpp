// fork() a child per task (at most `workers` alive); input, messages and result over pipes,
// like multiprocessing.Process per task.
#include "process_workers.h"

namespace conlab {
namespace {

class ProcessPerTaskBackend final : public Backend {
  public:
    BackendInfo info() const override {
        return {"process-per-task", "processes",
                "a forked process per task (at most `workers` alive), like multiprocessing.Process"};
    }
    void run(RunContext& ctx) override { runForkedWorkers(ctx, {"process-per-task", 1}); }
};

} // namespace

std::unique_ptr<Backend> makeProcessPerTaskBackend() {
    return std::make_unique<ProcessPerTaskBackend>();
}

} // namespace conlab
