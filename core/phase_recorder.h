#pragma once
// Per-worker phase accounting without locks (in the spirit of taskflow's observer): the
// owning thread switches phases; every switch closes one interval, so the totals partition
// [start, stop] exactly. Live readers see published totals through relaxed atomics in a
// LaneSlot and never block the worker.
#include "clock.h"
#include "phase.h"

#include <atomic>
#include <vector>

namespace conlab {

// Live, multi-writer-safe accumulators for one concurrency lane (a worker position).
struct alignas(64) LaneSlot {
    std::array<std::atomic<int64_t>, kPhaseCount> phaseNs{};
    std::atomic<int64_t> tasksDone{0};
    void add(const PhaseTotals& delta) {
        for (int i = 0; i < kPhaseCount; ++i)
            if (delta.ns[i]) phaseNs[i].fetch_add(delta.ns[i], std::memory_order_relaxed);
    }
    PhaseTotals read() const {
        PhaseTotals t;
        for (int i = 0; i < kPhaseCount; ++i)
            t.ns[i] = phaseNs[i].load(std::memory_order_relaxed);
        return t;
    }
};

class PhaseRecorder {
  public:
    explicit PhaseRecorder(size_t maxIntervals = 0) : m_maxIntervals(maxIntervals) {}

    void start(Phase p, int64_t t = nowNs()) {
        m_current = p;
        m_since = t;
        m_startNs = t;
        m_running = true;
    }
    // Closes the current interval at t and opens p. Returns t for chaining timestamps.
    int64_t switchTo(Phase p, int64_t t = nowNs()) {
        close(t);
        m_current = p;
        m_since = t;
        return t;
    }
    int64_t stop(int64_t t = nowNs()) {
        close(t);
        m_running = false;
        m_stopNs = t;
        publish();
        return t;
    }
    Phase current() const { return m_current; }
    bool running() const { return m_running; }
    const PhaseTotals& totals() const { return m_totals; }
    const std::vector<PhaseInterval>& intervals() const { return m_intervals; }
    int64_t startNs() const { return m_startNs; }
    int64_t stopNs() const { return m_stopNs; }

    // Live publication: deltas since the last publish go to the lane (nullptr = none).
    void attachLane(LaneSlot* lane) { m_lane = lane; }
    void publish() {
        if (!m_lane) return;
        m_lane->add(m_totals - m_published);
        m_published = m_totals;
    }

  private:
    void close(int64_t t) {
        if (!m_running) return;
        int64_t d = t - m_since;
        m_totals[m_current] += d;
        if (m_intervals.size() < m_maxIntervals && d > 0) {
            // Merge with the previous interval of the same phase to save room.
            if (!m_intervals.empty() && m_intervals.back().phase == m_current &&
                m_intervals.back().endNs == m_since)
                m_intervals.back().endNs = t;
            else
                m_intervals.push_back({m_since, t, m_current});
        }
    }

    Phase m_current = Phase::Idle;
    int64_t m_since = 0, m_startNs = 0, m_stopNs = 0;
    bool m_running = false;
    PhaseTotals m_totals, m_published;
    size_t m_maxIntervals;
    std::vector<PhaseInterval> m_intervals;
    LaneSlot* m_lane = nullptr;
};

} // namespace conlab
