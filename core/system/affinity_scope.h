#pragma once
// Pins the calling thread (and so every thread and process it creates) to a set of CPUs for a
// scope, as `--cpus` does; restores the previous mask on exit. An empty set pins nothing.
#include <sched.h>
#include <vector>

namespace conlab {

class AffinityScope {
  public:
    explicit AffinityScope(const std::vector<int>& cpus) {
        if (cpus.empty()) return;
        CPU_ZERO(&m_old);
        if (sched_getaffinity(0, sizeof m_old, &m_old) != 0) return;
        cpu_set_t set;
        CPU_ZERO(&set);
        for (int c : cpus)
            if (c >= 0 && c < CPU_SETSIZE) CPU_SET(c, &set);
        m_active = sched_setaffinity(0, sizeof set, &set) == 0;
    }
    ~AffinityScope() {
        if (m_active) sched_setaffinity(0, sizeof m_old, &m_old);
    }
    AffinityScope(const AffinityScope&) = delete;
    AffinityScope& operator=(const AffinityScope&) = delete;
    bool active() const { return m_active; }

  private:
    cpu_set_t m_old;
    bool m_active = false;
};

} // namespace conlab
