#pragma once
// Per-worker "busy since" stamps for --task-timeout in backends whose workers share the app's
// process (threads, sequential). Workers stamp begin/end around a chunk; the coordinator
// polls overdue() and fails the run (which cancels the internal token: every kernel and the
// injected hang observe it, so the stuck worker returns and is joined).
#include "clock.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

namespace conlab {

class TaskWatch {
  public:
    struct Overdue {
        int lane = 0;
        int64_t taskId = 0;
        double ranS = 0;
    };

    explicit TaskWatch(int lanes) : m_lanes(size_t(lanes > 0 ? lanes : 1)), m_slots(new Slot[m_lanes]) {}

    void begin(int lane, int64_t firstTask, int count) {
        Slot& s = m_slots[size_t(lane)];
        s.task.store(firstTask, std::memory_order_relaxed);
        s.count.store(count, std::memory_order_relaxed);
        s.sinceNs.store(nowNs(), std::memory_order_release);
    }
    void end(int lane) { m_slots[size_t(lane)].sinceNs.store(0, std::memory_order_release); }

    // The first worker whose chunk has run longer than timeoutS per task, if any. Cheap enough
    // to call on every coordinator wake-up; rate-limited to one scan per 10 ms.
    std::optional<Overdue> overdue(double timeoutS) {
        const int64_t now = nowNs();
        if (now < m_nextScanNs) return std::nullopt;
        m_nextScanNs = now + 10'000'000;
        for (size_t i = 0; i < m_lanes; ++i) {
            const Slot& s = m_slots[i];
            const int64_t since = s.sinceNs.load(std::memory_order_acquire);
            if (since == 0) continue;
            const double ran = double(now - since) * 1e-9;
            if (ran > timeoutS * std::max(1, s.count.load(std::memory_order_relaxed)))
                return Overdue{int(i), s.task.load(std::memory_order_relaxed), ran};
        }
        return std::nullopt;
    }

    static std::string describe(const Overdue& o, double timeoutS) {
        char buf[160];
        std::snprintf(buf, sizeof buf,
                      "timed out: task %lld still running after %.3g s (--task-timeout %g s)",
                      static_cast<long long>(o.taskId), o.ranS, timeoutS);
        return buf;
    }

  private:
    struct Slot {
        std::atomic<int64_t> sinceNs{0};
        std::atomic<int64_t> task{-1};
        std::atomic<int> count{1};
    };
    size_t m_lanes;
    std::unique_ptr<Slot[]> m_slots;
    int64_t m_nextScanNs = 0;
};

} // namespace conlab
