#pragma once
// Shared machinery of the thread backends: an event queue from workers to the coordinator
// thread (results, messages, exits), per-worker reply slots for message round trips, and a
// bounded task queue for pools. All hand-offs are mutex + condition variable, like
// queue.Queue between Python threads.
#include "../backend.h"
#include "../task_runner.h"
#include "../task_watch.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace conlab {

struct TaskChunk {
    int64_t first = 0;
    int count = 0;
    int64_t dispatchNs = 0;
    std::vector<std::byte> input; // count × inputBytes
};

// One chunk of a worker's result batch: its tasks and when its result was ready.
struct ChunkDone {
    int64_t first = 0;
    int count = 0;
    int64_t latencyNs = 0; // dispatch → the worker's result ready (same monotonic clock)
};

struct ThreadEvent {
    enum class Type { Message, Result, Exited, Failed } type = Type::Result;
    int lane = 0;
    // Result: either one chunk (taskId, count; latency up to the coordinator's reading) or a
    // batch of chunks (`done`, latency stamped by the worker), checksums and bytes in order.
    int64_t taskId = 0;
    int count = 0;
    int64_t dispatchNs = 0;
    std::vector<ChunkDone> done;
    std::vector<uint64_t> checksums;
    std::vector<std::byte> bytes; // message payload or concatenated results
    TaskOutcome outcome;          // flags and round trips summed over the chunk
    WorkerRecord record;          // Exited: phases without the teardown part
    std::string error;
};

class EventQueue {
  public:
    void push(ThreadEvent&& e);
    // Waits up to timeoutMs; returns nullopt on timeout.
    std::optional<ThreadEvent> pop(int timeoutMs);

  private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<ThreadEvent> m_events;
};

class ReplySlot {
  public:
    void put(std::span<const std::byte> bytes);
    // Blocks until a reply arrives or cancel is set; returns false when cancelled.
    bool take(std::vector<std::byte>& out, const CancelToken& cancel);

  private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_ready = false;
    std::vector<std::byte> m_data;
};

class TaskQueue {
  public:
    // One lock for many chunks; wakes waiting workers only (a worker that finds work never
    // waits, so at steady state nobody is woken).
    void pushAll(std::vector<TaskChunk>& chunks);
    void close();
    // Blocks until a chunk is available; nullopt once closed and drained or cancelled.
    std::optional<TaskChunk> pop(const CancelToken& cancel);
    // Never blocks: a chunk if one is queued now.
    std::optional<TaskChunk> tryPop();

  private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<TaskChunk> m_chunks;
    bool m_closed = false;
    int m_waiting = 0; // workers inside pop()'s wait
};

// One worker thread's body: takes chunks from `next` (blocking = idle), runs them, reports.
struct ThreadWorkerEnv {
    RunContext* ctx = nullptr;
    int lane = 0;
    int64_t id = 0;
    int64_t tRequest = 0;
    size_t intervalBudget = 0;
    EventQueue* events = nullptr;
    ReplySlot* reply = nullptr;
    std::function<std::optional<TaskChunk>()> next;
    TaskWatch* watch = nullptr; // --task-timeout: stamped around every chunk
    // A pool's worker batches its results (one event per `batchTasks` tasks, or sooner when
    // the batch is 1 ms old or the worker is about to wait for work) so that the coordinator
    // is not woken per task: `tryNext` takes work without waiting, and before `next` may wait
    // the batch is handed over. Without tryNext (thread-per-task) every chunk's result goes
    // back at once.
    std::function<std::optional<TaskChunk>()> tryNext;
    int batchTasks = 1;
};
void threadWorkerMain(ThreadWorkerEnv env);

// Builds the input bytes of a chunk (coordinator side, counts as its ipc).
TaskChunk makeChunk(RunContext& ctx, int64_t first, int count);

// Coordinator side of a Result event: verify and complete every task of it; returns how many.
int64_t completeChunk(RunContext& ctx, const ThreadEvent& e, const char* who);

// How far a pool's submitter queues ahead, and how many results a worker batches: deep
// enough that no worker waits for the coordinator (a batch per worker in flight with room to
// spare), at least two chunks per worker, and at most ~64 MiB of input bytes ahead.
struct QueueDepth {
    // A batch is handed over at this age at the latest: live figures and the timeout check
    // stay current.
    static constexpr int64_t kBatchAgeNs = 1'000'000;
    int64_t aheadTasks = 1;
    int batchTasks = 1;
};
QueueDepth queueDepth(const RunContext& ctx);
// Coordinator side of a Message event: echo the payload into the worker's reply slot.
inline void answerMessage(const ThreadEvent& e, ReplySlot& slot) {
    slot.put(e.bytes);
}
// Coordinator side of an Exited event after the join: teardown, record, lane.
// tJoinStart: when join() was called (the wait before it is the worker's idle).
void finishThreadWorker(RunContext& ctx, ThreadEvent& e, int64_t tJoinStart, int64_t tJoined);

} // namespace conlab
