#pragma once
// How long a thread has been runnable but not running (waiting for a CPU), from the kernel's
// own accounting: the second field of /proc/thread-self/schedstat (run_delay, ns,
// CONFIG_SCHED_INFO). One pread() of a file kept open, ~1–1.5 µs on the 2-vCPU VMs, so
// callers sample it sparingly (PhaseRecorder: after long intervals, at most every ms).
#include <cstdint>

namespace conlab {

// Owns the schedstat file of the thread that constructed it (opened at once, closed on
// destruction: nothing is left open when the worker ends). Move-only.
class RunDelayReader {
  public:
    RunDelayReader() = default; // not open: read() returns -1
    static RunDelayReader forThisThread();
    RunDelayReader(RunDelayReader&& o) noexcept : m_fd(o.m_fd) { o.m_fd = -1; }
    RunDelayReader& operator=(RunDelayReader&& o) noexcept;
    RunDelayReader(const RunDelayReader&) = delete;
    RunDelayReader& operator=(const RunDelayReader&) = delete;
    ~RunDelayReader();

    bool open() const { return m_fd >= 0; }
    // Cumulative run delay of the thread since it was created, in ns; -1 when unavailable.
    int64_t read() const;

  private:
    int m_fd = -1;
};

} // namespace conlab
