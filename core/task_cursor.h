#pragma once
// The resumable state of one task's work, shared by every native way of running a task: the
// kernel in (messages + 1) even segments with a message exchange between segments. The
// blocking runner (runTask) drives it straight through; the event loop drives it one segment
// at a time, yielding on io waits and messages. One place for the segment arithmetic and the
// checksum, so both compute exactly the same work.
#include "task_kernel.h"

#include <atomic>
#include <cstdint>
#include <vector>

namespace conlab {

class TaskCursor {
  public:
    // Starts the task; for memory kernels initialises `memory` (buffer word i = seed + i),
    // which is part of compute: call it in the compute phase.
    TaskCursor(const TaskWork& work, int64_t messages, uint64_t seed, std::vector<uint64_t>& memory);

    uint64_t segments() const { return m_segments; }
    uint64_t segment() const { return m_segment; }
    // A message follows the current segment (every segment but the last).
    bool messageAfterSegment() const { return m_segment + 1 < m_segments; }
    uint64_t messageSeed() const { return conlab::messageSeed(m_seed, m_segment); }
    // cpu and memory: runs the current segment's share of the work inline and returns 0 (cut
    // short when `cancel` is set). io: returns how long the segment waits; the caller waits.
    int64_t runSegment(const std::atomic<bool>* cancel);
    void nextSegment() { ++m_segment; }
    uint64_t checksum() const;

  private:
    uint64_t share(uint64_t n) const; // segment m_segment's share of n, spread evenly
    const TaskWork& m_work;
    uint64_t m_seed;
    uint64_t m_segments;
    uint64_t m_segment = 0;
    uint64_t m_cpuState = 0, m_memSum = 0, m_visited = 0;
    std::vector<uint64_t>& m_memory;
};

} // namespace conlab
