#include "resource_limits.h"

#include "run_context.h"

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <dirent.h>
#include <mutex>
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

namespace conlab {

std::string threadLimitHint(int err) {
    if (err != EAGAIN && err != ENOMEM) return {};
    rlimit as{}, nproc{};
    const bool asLimited = getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY;
    // RLIMIT_NPROC does not apply to root (CAP_SYS_RESOURCE / CAP_SYS_ADMIN).
    const bool nprocLimited =
        getrlimit(RLIMIT_NPROC, &nproc) == 0 && nproc.rlim_cur != RLIM_INFINITY && geteuid() != 0;
    std::string out;
    if (asLimited)
        out = "address-space limit reached (ulimit -v " + std::to_string(as.rlim_cur >> 10) +
              " KiB: no room for another thread stack): raise ulimit -v or lower --workers";
    if (nprocLimited)
        out += std::string(out.empty() ? "" : "; or ") + "thread/process limit reached (ulimit -u " +
               std::to_string(nproc.rlim_cur) + "): raise ulimit -u or lower --workers";
    if (out.empty())
        out = err == ENOMEM
                  ? "out of memory: lower --workers"
                  : "the system's thread limit is reached (kernel.threads-max, or the cgroup's pids.max): "
                    "lower --workers";
    return " (" + out + ")";
}

namespace {
struct Gate {
    std::mutex m;
    std::condition_variable cv;
    bool open = false;
};
void* waitAtGate(void* p) {
    auto* g = static_cast<Gate*>(p);
    std::unique_lock lock(g->m);
    g->cv.wait(lock, [g] { return g->open; });
    return nullptr;
}
} // namespace

void requireThreads(const std::string& backend, int threads) {
    Gate gate;
    std::vector<pthread_t> started;
    started.reserve(size_t(std::max(threads, 0)));
    int err = 0;
    for (int i = 0; i < threads; ++i) {
        pthread_t t;
        err = pthread_create(&t, nullptr, &waitAtGate, &gate);
        if (err != 0) break;
        started.push_back(t);
    }
    {
        std::lock_guard lock(gate.m);
        gate.open = true;
    }
    gate.cv.notify_all();
    for (pthread_t t : started)
        pthread_join(t, nullptr);
    if (err != 0)
        throw BackendError(backend + ": could not start " + std::to_string(threads) + " threads (only " +
                           std::to_string(started.size()) + "): " + std::strerror(err) +
                           threadLimitHint(err));
}

void requireFreeFds(const std::string& backend, int needed, const std::string& why) {
    rlimit lim{};
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur == RLIM_INFINITY) return;
    int open = 0;
    if (DIR* d = opendir("/proc/self/fd")) {
        while (dirent* e = readdir(d))
            if (e->d_name[0] != '.') ++open;
        closedir(d);
    } else {
        return;
    }
    const long long free = (long long)lim.rlim_cur - open;
    if (free >= needed) return;
    throw BackendError(backend + ": " + why + " need about " + std::to_string(needed) +
                       " file descriptors, but the fd limit (ulimit -n " + std::to_string(lim.rlim_cur) +
                       ") leaves " + std::to_string(std::max(0LL, free)) +
                       ": raise ulimit -n or lower --workers");
}

} // namespace conlab
