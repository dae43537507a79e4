#pragma once
// Raw references for dispatching empty tasks, written independently of conlab's backends (the
// measurement principle): what a C++ user gets from the simplest pool and from oneTBB. Each
// returns seconds per task over `tasks` empty tasks on `workers` threads, threads started
// before the clock starts and joined after it stops (a backend's wall includes them; over
// 100 000 tasks that is < 1 ns per task).
#include <cstdint>

namespace bench {

// A ~60-line mutex + condition-variable pool (the ThreadPoolExecutor model): the submitter
// pushes every task index into one shared deque, workers pop one at a time and run an empty
// function, the last one to finish wakes the submitter.
double condvarPoolPerTaskS(int workers, int64_t tasks);

// oneTBB: parallel_for over [0, tasks) with a simple_partitioner, grain 1 (one TBB task per
// empty body), in a task_arena of `workers` slots. Returns 0 when built without oneTBB.
double tbbParallelForPerTaskS(int workers, int64_t tasks);

} // namespace bench
