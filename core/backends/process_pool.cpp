// `workers` long-lived worker processes fed over pipes with a framed protocol, like
// multiprocessing.Pool / ProcessPoolExecutor. The start method is part of the id:
// process-pool (fork), process-pool:spawn, process-pool:forkserver.
#include "process_workers.h"

namespace conlab {
namespace {

class ProcessPoolBackend final : public Backend {
  public:
    explicit ProcessPoolBackend(StartMethod m) : m_method(m) {
        m_id = m == StartMethod::Fork ? "process-pool" : std::string("process-pool:") + startMethodName(m);
    }
    BackendInfo info() const override {
        switch (m_method) {
        case StartMethod::Fork:
            break;
        case StartMethod::Spawn:
            return {m_id, "processes",
                    "long-lived exec'd conlab-worker processes fed over pipes, like Pool with start method "
                    "spawn"};
        case StartMethod::ForkServer:
            return {m_id, "processes",
                    "long-lived workers forked by a fork server, fed over pipes, like Pool with start method "
                    "forkserver"};
        }
        return {m_id, "processes",
                "long-lived forked worker processes fed over pipes, like multiprocessing.Pool"};
    }
    Availability availability() const override { return startMethodAvailability(m_method); }
    void run(RunContext& ctx) override { runForkedWorkers(ctx, {m_id.c_str(), 0, m_method}); }

  private:
    StartMethod m_method;
    std::string m_id;
};

} // namespace

std::unique_ptr<Backend> makeProcessPoolBackend(StartMethod m) {
    return std::make_unique<ProcessPoolBackend>(m);
}

} // namespace conlab
