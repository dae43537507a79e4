#pragma once
#include <atomic>

namespace conlab {

// Set once from any thread; observed by polling (isCancelled) or by poll()/epoll on fd().
// The eventfd lets blocking waits (io tasks, pipe reads) wake at once instead of polling.
class CancelToken {
  public:
    CancelToken();
    ~CancelToken();
    CancelToken(const CancelToken&) = delete;
    CancelToken& operator=(const CancelToken&) = delete;

    void cancel();
    bool isCancelled() const { return m_flag.load(std::memory_order_relaxed); }
    const std::atomic<bool>* flag() const { return &m_flag; }
    int fd() const { return m_fd; } // readable once cancelled

  private:
    std::atomic<bool> m_flag{false};
    int m_fd = -1;
};

} // namespace conlab
