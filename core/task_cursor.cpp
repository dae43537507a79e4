#include "task_cursor.h"

#include <algorithm>

namespace conlab {

TaskCursor::TaskCursor(const TaskWork& work, int64_t messages, uint64_t seed, std::vector<uint64_t>& memory)
    : m_work(work), m_seed(seed), m_segments(uint64_t(std::max<int64_t>(0, messages)) + 1), m_cpuState(seed),
      m_memory(memory) {
    if (work.kind == TaskKind::Memory) {
        if (m_memory.size() < work.words) m_memory.resize(work.words);
        for (uint64_t i = 0; i < work.words; ++i)
            m_memory[i] = seed + i;
    }
}

uint64_t TaskCursor::share(uint64_t n) const {
    // Segment s covers [s*n/segments, (s+1)*n/segments) of the work.
    const uint64_t s = m_segment, segs = m_segments;
    if (segs == 1) return n; // no messages: the whole work, without the divisions
    return (n / segs) * (s + 1) + std::min<uint64_t>(n % segs, s + 1) -
           ((n / segs) * s + std::min<uint64_t>(n % segs, s));
}

int64_t TaskCursor::runSegment(const std::atomic<bool>* cancel) {
    switch (m_work.kind) {
    case TaskKind::Cpu:
        m_cpuState = runCpu(m_cpuState, share(m_work.iterations), cancel);
        return 0;
    case TaskKind::Memory: {
        const uint64_t n = share(m_work.iterations);
        uint64_t* b = m_memory.data();
        uint64_t idx = m_work.words ? m_visited % m_work.words : 0;
        for (uint64_t k = 0; k < n; ++k) {
            m_memSum += b[idx];
            b[idx] += 1;
            if (++idx == m_work.words) {
                idx = 0;
                if (cancel && cancel->load(std::memory_order_relaxed)) break;
            }
        }
        m_visited += n;
        return 0;
    }
    case TaskKind::Io: {
        const int64_t segs = int64_t(m_segments), s = int64_t(m_segment);
        return m_work.waitNs / segs + (m_work.waitNs % segs > s ? 1 : 0);
    }
    }
    return 0;
}

uint64_t TaskCursor::checksum() const {
    switch (m_work.kind) {
    case TaskKind::Cpu:
        return m_cpuState;
    case TaskKind::Memory:
        return m_memSum;
    case TaskKind::Io:
        return splitmix64(m_seed ^ 0x10);
    }
    return 0;
}

} // namespace conlab
