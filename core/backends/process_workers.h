#pragma once
// Shared machinery of the process backends: the worker-process main loop and the
// coordinator that starts, feeds, serves and reaps worker processes over pipes.
// process-per-task and process-pool differ only in how many tasks a worker takes; the start
// method (fork, spawn, forkserver) only in how a worker process comes to exist and is reaped.
#include "../backend.h"
#include "../system/posix.h"
#include "../task_runner.h"

#include <string>
#include <sys/types.h>
#include <type_traits>

namespace conlab {

// What a worker process needs to know; inherited by fork, sent in a Config frame to exec'd
// workers and in the start request to forkserver children.
struct WorkerProcessConfig {
    TaskParams params;
    uint64_t salt = 0;
    size_t intervalBudget = 0;
};
static_assert(std::is_trivially_copyable_v<WorkerProcessConfig>);
inline constexpr uint64_t kWorkerConfigVersion = 3;

// The worker process's loop: HELLO, then TASK → RESULT until EXIT → BYE. Returns the exit code.
int workerProcessMain(int readFd, int writeFd, const WorkerProcessConfig& config);

// How worker processes are started, as multiprocessing's start methods.
enum class StartMethod {
    Fork,       // fork() of the coordinator; the child inherits the config
    Spawn,      // posix_spawn + exec of conlab-worker, which gets the config over its pipe
    ForkServer, // a server forked before the pool starts forks each worker on request
};
const char* startMethodName(StartMethod m);

// The conlab-worker executable: $CONLAB_WORKER if set, else beside /proc/self/exe.
// Returns an empty path and sets `why` when there is none.
std::string workerExecutablePath(std::string* why = nullptr);
// Whether a start method can be used here (spawn needs conlab-worker).
Availability startMethodAvailability(StartMethod m);

// In an exec'd worker: fds 3 (from the coordinator) and 4 (to it).
inline constexpr int kSpawnedReadFd = 3, kSpawnedWriteFd = 4;

struct ProcessPoolOptions {
    const char* name = "process-pool";
    int tasksPerWorker = 0; // 0: unlimited (a pool); 1: one task (chunk) per process
    StartMethod start = StartMethod::Fork;
};

// Runs every task of ctx on worker processes. Every child is reaped and every fd closed on
// return, on error (BackendError names the pid and the cause) and on cancel.
void runForkedWorkers(RunContext& ctx, const ProcessPoolOptions& options);

} // namespace conlab
