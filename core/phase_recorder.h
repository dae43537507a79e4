#pragma once
// Per-worker phase accounting without locks (in the spirit of taskflow's observer): the
// owning thread switches phases; every switch closes one interval, so the totals partition
// [start, stop] exactly. Live readers see published totals through relaxed atomics in a
// LaneSlot and never block the worker.
//
// cpu-wait (docs/measurement.md): a worker recorder reads its thread's run delay (the
// kernel's time runnable-but-not-running) after every interval of ≥ kLongIntervalNs and at
// least every kSampleWindowNs, and moves what accrued since the last reading out of the
// phases of that window (in proportion to their time in it) into cpu-wait. A preemption
// lengthens the interval it interrupts, so the interval that triggers a reading is usually
// the one it lands in.
#include "clock.h"
#include "measurement/run_delay.h"
#include "measurement/thread_noise.h"
#include "measurement/timeline.h"
#include "phase.h"

#include <algorithm>
#include <atomic>
#include <sched.h>
#include <unistd.h>
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

enum class CpuWaitMode { Measure, Off };
// Bare (--probes off): the same work runs, but phase switches record nothing (no totals, no
// timeline, no cpu-wait readings; one vDSO clock read remains, which backends use to time a
// join or reap); the repetition's wall clock and completed count stay exact
// (docs/measurement.md, "Bare runs").
enum class Probing { On, Bare };

class PhaseRecorder {
  public:
    static constexpr int64_t kLongIntervalNs = 100'000;
    static constexpr int64_t kSampleWindowNs = 1'000'000;

    explicit PhaseRecorder(size_t timelineBudget = 0, CpuWaitMode mode = CpuWaitMode::Measure,
                           Probing probing = Probing::On)
        : m_timeline(probing == Probing::On ? timelineBudget : 0),
          m_measureCpuWait(mode == CpuWaitMode::Measure && probing == Probing::On),
          m_bare(probing == Probing::Bare) {}

    void start(Phase p, int64_t t = nowNs()) {
        m_current = p;
        m_since = t;
        m_startNs = t;
        m_running = true;
        if (!m_bare) m_noise.begin();
        if (m_measureCpuWait) {
            m_runDelay = RunDelayReader::forThisThread();
            m_runDelay0 = m_lastRunDelay = m_runDelay.read();
            if (m_lastRunDelay < 0) m_measureCpuWait = false;
            m_windowStart = t;
            m_window = {};
        }
    }
    // Closes the current interval at t and opens p. Returns t for chaining timestamps (also
    // when bare: backends time a worker's join or reap with it).
    int64_t switchTo(Phase p) { return switchTo(p, nowNs()); }
    int64_t switchTo(Phase p, int64_t t) {
        if (m_bare) return t;
        close(t);
        m_current = p;
        m_since = t;
        return t;
    }
    // Opens p unless the recorder is already in it: no clock read on the hot path when a
    // caller has already switched (the totals and timeline are the same either way).
    void enter(Phase p) {
        if (m_running && p == m_current) return;
        switchTo(p);
    }
    int64_t stop(int64_t t = nowNs()) {
        close(t);
        if (m_measureCpuWait && m_running) sampleCpuWait(t);
        m_runDelay = RunDelayReader(); // closed: a finished recorder holds no file
        if (m_running && !m_bare) m_noise.end();
        m_running = false;
        m_stopNs = t;
        publish();
        return t;
    }
    Phase current() const { return m_current; }
    bool running() const { return m_running; }
    const PhaseTotals& totals() const { return m_totals; }
    const Timeline& timeline() const { return m_timeline; }
    int64_t startNs() const { return m_startNs; }
    int64_t stopNs() const { return m_stopNs; }
    bool measuresCpuWait() const { return m_measureCpuWait; }
    bool bare() const { return m_bare; }
    // The thread's run delay when start() was called (-1: not measured). For a thread or
    // process created for this worker it is the time it waited for a CPU before its first
    // instruction: the cpu-wait inside its start-up.
    int64_t runDelayAtStartNs() const { return m_measureCpuWait ? m_runDelay0 : -1; }
    // The recording thread's CPU changes seen from start() to stop() (sampled with the
    // cpu-wait readings) and its involuntary context switches over that time; -1: unknown
    // (bare, or stopped from another thread).
    int64_t cpuChanges() const { return m_noise.cpuChanges(); }
    int64_t involuntarySwitches() const { return m_noise.involuntarySwitches(); }

    // Stops the recorder on the worker's own thread and fills the end of its record in one
    // place: end time, phase totals, the CPU it ended on and its noise counters. `Record` is a
    // WorkerRecord (a thread's) or a wire::ByeTrailer (a worker process's last frame).
    template <class Record> void finishRecord(Record& r) {
        r.tDoneNs = stop();
        r.phases = totals();
        r.cpuLast = sched_getcpu();
        r.cpuChanges = cpuChanges();
        r.involuntarySwitches = involuntarySwitches();
        // On the worker's own thread: who ran it (a wire trailer has no such fields; the
        // coordinator fills them from the pid it forked).
        if constexpr (requires { r.osTid; }) {
            r.osPid = ::getpid();
            r.osTid = ::gettid();
        }
    }

    // Live publication: deltas since the last publish go to the lane (nullptr = none).
    void attachLane(LaneSlot* lane) { m_lane = lane; }
    void publish() {
        if (!m_lane) return;
        m_lane->add(m_totals - m_published);
        m_published = m_totals;
    }
    // publish() at most every kPublishEveryNs (t: a time the caller has just read): the live
    // view samples every 50 ms, and each publish is an atomic add per phase.
    static constexpr int64_t kPublishEveryNs = 1'000'000;
    void publishNow(int64_t t) {
        if (t - m_publishedAtNs < kPublishEveryNs) return;
        m_publishedAtNs = t;
        publish();
    }

  private:
    void close(int64_t t) {
        if (!m_running || m_bare) return;
        const int64_t d = t - m_since;
        m_totals[m_current] += d;
        m_timeline.add(m_since, t, m_current);
        if (m_measureCpuWait) {
            m_window[m_current] += d;
            if (d >= kLongIntervalNs || t - m_windowStart >= kSampleWindowNs) sampleCpuWait(t);
        }
    }
    void sampleCpuWait(int64_t t) {
        m_noise.sample();
        const int64_t rd = m_runDelay.read();
        int64_t delta = rd - m_lastRunDelay;
        if (rd >= 0) m_lastRunDelay = rd;
        const int64_t window = m_window.total() - m_window[Phase::CpuWait];
        if (rd >= 0 && delta > 0 && window > 0) {
            delta = std::min(delta, window);
            int64_t left = delta, weightLeft = window;
            for (Phase p : kAllPhases) {
                if (p == Phase::CpuWait || m_window[p] <= 0) continue;
                const int64_t take = int64_t(double(left) * double(m_window[p]) / double(weightLeft));
                left -= take;
                weightLeft -= m_window[p];
                m_totals[p] -= take;
                m_totals[Phase::CpuWait] += take;
            }
            m_timeline.moveToCpuWait(m_windowStart, delta);
        }
        m_window = {};
        m_windowStart = t;
    }

    Phase m_current = Phase::Idle;
    int64_t m_since = 0, m_startNs = 0, m_stopNs = 0;
    bool m_running = false;
    PhaseTotals m_totals, m_published;
    Timeline m_timeline;
    bool m_measureCpuWait;
    bool m_bare;
    RunDelayReader m_runDelay; // the recording thread's schedstat, open while recording
    int64_t m_runDelay0 = -1, m_lastRunDelay = 0, m_windowStart = 0;
    PhaseTotals m_window;
    LaneSlot* m_lane = nullptr;
    int64_t m_publishedAtNs = 0;
    ThreadNoise m_noise;
};

} // namespace conlab
