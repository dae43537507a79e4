#pragma once
// A periodic signal to one thread, so its blocking system calls (read(2) on a pipe, waitpid,
// epoll_wait) return EINTR at least once per period. It lets a coordinator block in a plain
// read(2) on its only worker's pipe — the mechanism's own path, cheaper than epoll_wait + read
// (conlab fidelity, the pipe row) — and still notice a cancel or a deadline within a period.
#include <atomic>
#include <cstdint>
#include <ctime>

namespace conlab {

class ThreadTick {
  public:
    // Arms a POSIX timer that signals the calling thread every periodNs.
    explicit ThreadTick(int64_t periodNs);
    ~ThreadTick(); // on the same thread
    ThreadTick(const ThreadTick&) = delete;
    ThreadTick& operator=(const ThreadTick&) = delete;

    // False when the timer could not be made (then nothing interrupts the thread's calls).
    bool armed() const { return m_armed; }
    // True once per period that has ticked since the last call.
    bool consume() { return m_fired.exchange(false, std::memory_order_relaxed); }

  private:
    std::atomic<bool> m_fired{false}; // set by the signal handler (lock-free, async-signal-safe)
    timer_t m_timer{};
    bool m_armed = false;
};

} // namespace conlab
