#pragma once
// Shared machinery of the process backends: the worker-process main loop and the
// coordinator that forks, feeds, serves and reaps worker processes over pipes.
// process-per-task and process-pool differ only in how many tasks a worker takes.
#include "../backend.h"
#include "../task_runner.h"

#include <sys/types.h>

namespace conlab {

// What a worker process needs to know; inherited by fork (or sent, for exec'd workers).
struct WorkerProcessConfig {
    TaskParams params;
    uint64_t salt = 0;
    size_t intervalBudget = 0;
};

// The worker process's loop: HELLO, then TASK → RESULT until EXIT → BYE. Returns the exit code.
int workerProcessMain(int readFd, int writeFd, const WorkerProcessConfig& config);

struct ProcessPoolOptions {
    const char* name = "process-pool";
    int tasksPerWorker = 0; // 0: unlimited (a pool); 1: one task (chunk) per process
};

// Runs every task of ctx on forked worker processes. Every child is reaped and every fd
// closed on return, on error (BackendError names the pid and the cause) and on cancel.
void runForkedWorkers(RunContext& ctx, const ProcessPoolOptions& options);

std::string describeWaitStatus(int status);

} // namespace conlab
