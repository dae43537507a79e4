#pragma once
// Per-worker "busy since" stamps for --task-timeout in backends whose workers share the app's
// process (threads, sequential, event-loop, the library peers). Workers stamp begin/end around a chunk; the
// coordinator polls overdue() and fails the run (which cancels the internal token: every kernel and the
// injected hang observe it, so the stuck worker returns and is joined).
#include "clock.h"
#include "run_context.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace conlab {

class TaskWatch {
  public:
    struct Overdue {
        int lane = 0;
        int64_t taskId = 0; // the chunk's first task
        double ranS = 0;
        int count = 1; // tasks in the chunk
    };

    explicit TaskWatch(int lanes) : m_lanes(size_t(lanes > 0 ? lanes : 1)), m_slots(new Slot[m_lanes]) {}

    // sinceNs: a time the caller has just read (a timeout is seconds; a few µs do not matter).
    void begin(int lane, int64_t firstTask, int count, int64_t sinceNs = nowNs()) {
        Slot& s = m_slots[size_t(lane)];
        s.task.store(firstTask, std::memory_order_relaxed);
        s.count.store(count, std::memory_order_relaxed);
        s.sinceNs.store(sinceNs, std::memory_order_release);
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
                return Overdue{int(i), s.task.load(std::memory_order_relaxed), ran,
                               std::max(1, s.count.load(std::memory_order_relaxed))};
        }
        return std::nullopt;
    }

    // What lane `lane` runs now (task, time so far), if anything; any thread, no rate limit.
    std::optional<Overdue> running(int lane) const {
        if (lane < 0 || size_t(lane) >= m_lanes) return std::nullopt;
        const Slot& s = m_slots[size_t(lane)];
        const int64_t since = s.sinceNs.load(std::memory_order_acquire);
        if (since == 0) return std::nullopt;
        return Overdue{lane, s.task.load(std::memory_order_relaxed), double(nowNs() - since) * 1e-9,
                       std::max(1, s.count.load(std::memory_order_relaxed))};
    }

    static std::string describe(const Overdue& o, double timeoutS) {
        char buf[200];
        if (o.count > 1)
            std::snprintf(
                buf, sizeof buf,
                "timed out: the chunk of tasks %lld-%lld still running after %.3g s (--task-timeout %g s "
                "x %d tasks)",
                static_cast<long long>(o.taskId), static_cast<long long>(o.taskId + o.count - 1), o.ranS,
                timeoutS, o.count);
        else
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

// --task-timeout for backends that run tasks on the coordinator's own thread (sequential,
// event-loop), so no coordinator loop is free to poll overdue(): a watchdog thread polls it
// every 20 ms and, when a task overstays, records which one and cancels the run's internal
// token. That stops every kernel and the injected hang; the backend then sees fired() and
// reports the timeout. The destructor stops and joins the thread.
class TaskWatchdog {
  public:
    TaskWatchdog(RunContext& ctx, TaskWatch& watch)
        : m_thread([this, &ctx, &watch] {
              std::unique_lock lock(m_mutex);
              while (!m_stop && !ctx.cancelled()) {
                  m_cv.wait_for(lock, std::chrono::milliseconds(20));
                  if (auto late = watch.overdue(ctx.spec().taskTimeoutS)) {
                      m_fired = late;
                      m_hasFired.store(true, std::memory_order_release);
                      ctx.cancel().cancel();
                      return;
                  }
              }
          }) {}
    ~TaskWatchdog() {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_cv.notify_one();
        m_thread.join();
    }
    TaskWatchdog(const TaskWatchdog&) = delete;
    TaskWatchdog& operator=(const TaskWatchdog&) = delete;

    // Called after every task: a flag check, the lock only once the watchdog has fired.
    std::optional<TaskWatch::Overdue> fired() {
        if (!m_hasFired.load(std::memory_order_acquire)) return std::nullopt;
        std::lock_guard lock(m_mutex);
        return m_fired;
    }

  private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stop = false;
    std::optional<TaskWatch::Overdue> m_fired;
    std::atomic<bool> m_hasFired{false};
    std::thread m_thread; // last: starts after the members it uses
};

} // namespace conlab
