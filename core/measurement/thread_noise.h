#pragma once
// A worker thread's scheduler evidence for the noise watchdog (docs/measurement.md, "Noise
// watchdog"): how often the kernel moved it to another CPU and how often it was preempted
// while runnable. Read only by the thread itself, at its start, at the recorder's periodic
// cpu-wait samples (at least every ms while it records) and at its end: never per task.
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>

#include <cstdint>

namespace conlab {

// Involuntary context switches of the calling thread since it was created (-1: unknown).
inline int64_t threadInvoluntarySwitches() {
    rusage u{};
    return getrusage(RUSAGE_THREAD, &u) == 0 ? int64_t(u.ru_nivcsw) : -1;
}

// Counts the CPU changes seen between samples of the calling thread's CPU: a lower bound of its
// migrations (a move away and back between two samples counts nothing).
class ThreadNoise {
  public:
    void begin() {
        m_owner = pthread_self();
        m_started = true;
        m_cpu = sched_getcpu();
        m_changes = 0;
        m_switches0 = threadInvoluntarySwitches();
        m_switches = -1;
    }
    // On the owning thread only (a recorder stopped by another thread samples nothing).
    void sample() {
        if (!m_started || !pthread_equal(m_owner, pthread_self())) return;
        const int c = sched_getcpu();
        if (c < 0) return;
        if (m_cpu >= 0 && c != m_cpu) ++m_changes;
        m_cpu = c;
    }
    // At the end of the worker's life. Called on another thread (a library lane the coordinator
    // closes), it cannot read the worker's counters: the switches stay unknown.
    void end() {
        if (!m_started || !pthread_equal(m_owner, pthread_self())) return;
        sample();
        const int64_t n = threadInvoluntarySwitches();
        m_switches = n >= 0 && m_switches0 >= 0 ? n - m_switches0 : -1;
    }
    int64_t cpuChanges() const { return m_started ? m_changes : -1; }
    int64_t involuntarySwitches() const { return m_switches; }

  private:
    pthread_t m_owner{};
    bool m_started = false;
    int m_cpu = -1;
    int64_t m_changes = 0, m_switches0 = -1, m_switches = -1;
};

} // namespace conlab
