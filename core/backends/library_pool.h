#pragma once
// Shared machinery of the library peers (openmp, tbb, qt-threadpool): the library owns the
// threads and the scheduling; conlab gives it one body per chunk of tasks and keeps, per lane
// (a library thread: omp thread number, TBB slot, Qt pool thread), a phase recorder. Results
// go to the coordinator thread in batches (a lane hands its batch over when it holds
// queueDepth().batchTasks results or is 1 ms old; the lane that runs the last chunk hands over
// every lane's), messages one by one, through thread_hub's event queue and reply slots.
//
// Phases: spawn = pool start-up until the lane's first chunk (tReady) plus teardown after the
// last chunk (tDone → tReaped: the library's threads are joined); ipc = making and checking
// the bytes of a task, and message round trips; compute = task kernels; idle = time the lane
// spends inside the library between chunks (scheduling, stealing, waiting).
//
// Faults and --task-timeout (docs/reliability.md): a task's exception (an injected fault,
// out of memory) never leaves runChunk, so none escapes the library's parallel region or
// thread; it travels as a Failed event and serve() fails the run. Every chunk stamps a
// TaskWatch slot of its lane; serve() checks it on every wake-up (at least every 20 ms) and
// fails the run when a chunk overstays --task-timeout × its task count. Failing cancels the
// internal token: every kernel and the injected hang observe it, the rest of the chunks are
// skipped, and the library's threads can be joined.
#include "thread_hub.h"

#include <atomic>
#include <climits>
#include <memory>

namespace conlab {

class LibraryRun {
  public:
    // laneKind names a lane in errors, e.g. "OpenMP thread" → "worker thread 1 (OpenMP thread 1)".
    LibraryRun(RunContext& ctx, const char* name, int lanes, const char* laneKind);
    ~LibraryRun();
    LibraryRun(const LibraryRun&) = delete;
    LibraryRun& operator=(const LibraryRun&) = delete;

    int64_t chunkCount() const { return m_chunks; }
    int lanes() const { return m_laneCount; }
    // Library thread side: runs chunk `chunk` on lane `lane` (0 ≤ lane < lanes()). Never throws.
    // dispatchNs: when the chunk was handed to the library (0: when it starts running).
    void runChunk(int lane, int64_t chunk, int64_t dispatchNs = 0) noexcept;

    // Coordinator side: answers messages and completes results until every chunk has come
    // back, or until the run is cancelled (runChunk then skips the rest). `refill` (may be empty) is called
    // before waiting, to hand more chunks to the library. On a failure the run is cancelled, the remaining
    // chunks drained, and the BackendError rethrown.
    void serve(const std::function<void()>& refill = {});
    // After the library's threads are gone: one WorkerRecord per lane that ran something.
    void finish(int64_t tRequest, int64_t tDone, int64_t tReaped);

  private:
    struct Lane;
    void runChunkUnguarded(int lane, int64_t chunk, int64_t dispatchNs);
    void flush(Lane& lane, int index); // hands the lane's batch of results to the coordinator
    // After a failure or a cancel serve stops at once: the results handed over since, and those
    // still in a lane's batch, are completed by finish, once the library's threads are gone, so
    // that the tasks finished before a failure are kept.
    void keepLateResults();
    std::string who(int lane) const;
    RunContext& m_ctx;
    const char* m_name;
    const char* m_laneKind;
    int m_laneCount;
    int64_t m_chunks;
    TaskParams m_params;
    EventQueue m_events;
    TaskWatch m_watch;
    static constexpr int kNoLane = INT_MIN;
    std::atomic<int> m_unreported{kNoLane}; // lane whose failure could not be sent as an event
    std::unique_ptr<Lane[]> m_lanes;
    QueueDepth m_depth;                  // how many results a lane batches (thread_hub.h)
    std::atomic<int64_t> m_chunksRun{0}; // chunks the library has run or skipped
};

} // namespace conlab
