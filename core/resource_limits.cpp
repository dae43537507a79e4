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

namespace {
// RLIMIT_NPROC does not apply to root (CAP_SYS_RESOURCE / CAP_SYS_ADMIN).
bool processLimitApplies(rlimit& nproc) {
    return getrlimit(RLIMIT_NPROC, &nproc) == 0 && nproc.rlim_cur != RLIM_INFINITY && geteuid() != 0;
}
} // namespace

std::string threadLimitHint(int err) {
    if (err != EAGAIN && err != ENOMEM) return {};
    rlimit as{}, nproc{};
    const bool asLimited = getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY;
    const bool nprocLimited = processLimitApplies(nproc);
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

std::string processLimitHint(int err) {
    if (err == EMFILE || err == ENFILE) return fdLimitHint(err);
    if (err == ENOMEM) {
        rlimit as{};
        if (getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY)
            return " (address-space limit reached (ulimit -v " + std::to_string(as.rlim_cur >> 10) +
                   " KiB): raise ulimit -v, lower --workers or the payload sizes)";
        return " (out of memory for another process: lower --workers or the payload sizes)";
    }
    if (err != EAGAIN) return {};
    rlimit nproc{};
    if (processLimitApplies(nproc))
        return " (thread/process limit reached (ulimit -u " + std::to_string(nproc.rlim_cur) +
               "): raise ulimit -u or lower --workers)";
    return " (the system's process limit is reached (kernel.pid_max, kernel.threads-max or the cgroup's "
           "pids.max): lower --workers)";
}

std::string fdLimitHint(int err) {
    if (err == ENFILE)
        return " (the system's file table is full (fs.file-max): close files or lower --workers)";
    if (err != EMFILE) return {};
    rlimit lim{};
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return {};
    return " (fd limit reached (ulimit -n " + std::to_string(lim.rlim_cur) +
           "): raise ulimit -n or lower --workers)";
}

std::string pythonErrorHint(const std::string& message) {
    auto has = [&message](const char* s) { return message.find(s) != std::string::npos; };
    if (has("can't start new thread")) return threadLimitHint(EAGAIN);
    if (has("[Errno 11]") || has("could not fork")) return processLimitHint(EAGAIN);
    if (has("[Errno 24]")) return fdLimitHint(EMFILE);
    if (has("[Errno 23]")) return fdLimitHint(ENFILE);
    if (has("MemoryError") || has("[Errno 12]")) return processLimitHint(ENOMEM);
    return {};
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
