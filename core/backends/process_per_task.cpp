// A new process per task (at most `workers` alive); input, messages and result over pipes,
// like multiprocessing.Process per task. The start method is part of the id:
// process-per-task (fork), process-per-task:spawn, process-per-task:forkserver.
#include "process_workers.h"

namespace conlab {
namespace {

class ProcessPerTaskBackend final : public Backend {
  public:
    explicit ProcessPerTaskBackend(StartMethod m) : m_method(m) {
        m_id = m == StartMethod::Fork ? "process-per-task"
                                      : std::string("process-per-task:") + startMethodName(m);
    }
    BackendInfo info() const override {
        switch (m_method) {
        case StartMethod::Fork:
            break;
        case StartMethod::Spawn:
            return {m_id, "processes",
                    "an exec'd conlab-worker process per task (at most `workers` alive), like Process with "
                    "spawn"};
        case StartMethod::ForkServer:
            return {m_id, "processes",
                    "a process per task forked by a fork server (at most `workers` alive), like Process with "
                    "forkserver"};
        }
        return {m_id, "processes",
                "a forked process per task (at most `workers` alive), like multiprocessing.Process"};
    }
    Availability availability() const override { return startMethodAvailability(m_method); }
    void run(RunContext& ctx) override { runForkedWorkers(ctx, {m_id.c_str(), 1, m_method}); }

  private:
    StartMethod m_method;
    std::string m_id;
};

} // namespace

std::unique_ptr<Backend> makeProcessPerTaskBackend(StartMethod m) {
    return std::make_unique<ProcessPerTaskBackend>(m);
}

} // namespace conlab
