#include "thread_tick.h"

#include <csignal>
#include <unistd.h>

namespace conlab {

namespace {

// A real-time signal past the ones glibc keeps for itself (SIGRTMIN is after them).
int tickSignal() {
    return SIGRTMIN + 5;
}

// Without SA_RESTART, so the interrupted call returns EINTR instead of resuming; the handler
// only flags the tick of the ThreadTick that armed the timer.
void onTick(int, siginfo_t* info, void*) {
    if (info && info->si_code == SI_TIMER && info->si_value.sival_ptr)
        static_cast<std::atomic<bool>*>(info->si_value.sival_ptr)->store(true, std::memory_order_relaxed);
}

bool installHandler() {
    struct sigaction sa {};
    sa.sa_sigaction = onTick;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    return sigaction(tickSignal(), &sa, nullptr) == 0;
}

} // namespace

ThreadTick::ThreadTick(int64_t periodNs) {
    static const bool handled = installHandler();
    if (!handled) return;
    sigevent ev{};
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = tickSignal();
    ev.sigev_value.sival_ptr = &m_fired;
    ev._sigev_un._tid = gettid();
    if (timer_create(CLOCK_MONOTONIC, &ev, &m_timer) != 0) return;
    const timespec period{time_t(periodNs / 1'000'000'000), long(periodNs % 1'000'000'000)};
    itimerspec its{period, period};
    if (timer_settime(m_timer, 0, &its, nullptr) != 0) {
        timer_delete(m_timer);
        return;
    }
    m_armed = true;
}

ThreadTick::~ThreadTick() {
    // A signal already generated is delivered as this call returns, while m_fired still exists;
    // none is generated after it.
    if (m_armed) timer_delete(m_timer);
}

} // namespace conlab
