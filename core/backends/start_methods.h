#pragma once
// How a worker process comes to exist and how its exit status comes back: multiprocessing's
// start methods (fork, spawn = posix_spawn + exec of conlab-worker, forkserver), behind one
// small interface the process coordinator uses (process_workers.cpp).
#include "process_workers.h"

#include <memory>
#include <sys/resource.h>
#include <sys/types.h>

namespace conlab {

class WorkerStarter {
  public:
    virtual ~WorkerStarter() = default;
    // Starts a worker whose ends are childRead/childWrite (closed by the caller afterwards).
    // `toChild` is the coordinator's end, for methods that send the config over the pipe.
    virtual pid_t start(int childRead, int childWrite, int toChild, const WorkerProcessConfig& config) = 0;
    // Blocks until the worker has exited; false when its status cannot be learned. `usage`:
    // the reaped child's resource usage (wait4), left zero where the starter cannot learn it
    // (childUsageMeasured).
    virtual bool reap(pid_t pid, int& status, rusage* usage = nullptr) = 0;
    // fork and spawn reap their own children; the forkserver's are the server's.
    virtual bool childUsageMeasured() const { return true; }
    // Does not block: true once reaped.
    virtual bool tryReap(pid_t pid, int& status) = 0;
    virtual void kill(pid_t pid) = 0;
};

std::unique_ptr<WorkerStarter> makeStarter(const ProcessPoolOptions& opt);

} // namespace conlab
