#include "raw_primitives.h"

#include "../clock.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <spawn.h>
#include <stdexcept>
#include <string>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace conlab {

namespace {

constexpr int64_t kWarmupRoundTrips = 100; // not sampled: first-touch faults, cold caches

// The ping-pong's calls are bare system calls: glibc's read/write also toggle the pthread
// cancellation type once the process has had a thread (~60 ns a call), which would make the
// reference depend on what ran in this process before it.
bool writeAll(int fd, const char* p, size_t n) {
    while (n) {
        ssize_t w = ssize_t(syscall(SYS_write, fd, p, n));
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w;
        n -= size_t(w);
    }
    return true;
}
bool readAll(int fd, char* p, size_t n) {
    while (n) {
        ssize_t r = ssize_t(syscall(SYS_read, fd, p, n));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return false;
        p += r;
        n -= size_t(r);
    }
    return true;
}

void reap(pid_t pid) {
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
}

PingPongResult summarizeSamples(std::vector<double>& samples) {
    PingPongResult r;
    r.iterations = int64_t(samples.size());
    if (samples.empty()) return r;
    double sum = 0;
    for (double s : samples)
        sum += s;
    r.meanRoundTripS = sum / double(samples.size());
    std::nth_element(samples.begin(), samples.begin() + long(samples.size() / 2), samples.end());
    r.medianRoundTripS = samples[samples.size() / 2];
    return r;
}

// One shared sequence word: the parent makes it odd (a request), the child even (the reply).
// kStop tells the child to leave.
constexpr uint32_t kStop = 0xffffffffu;

void futexWait(std::atomic<uint32_t>* word, uint32_t expected) {
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAIT, expected, nullptr, nullptr, 0);
}
void futexWake(std::atomic<uint32_t>* word) {
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), FUTEX_WAKE, INT_MAX, nullptr, nullptr, 0);
}

// Waits until *word differs from `seen`: sleeping in the kernel, or spinning (yielding the
// CPU after a while, so that a partner on the same CPU can run).
uint32_t awaitChange(std::atomic<uint32_t>* word, uint32_t seen, bool spin) {
    uint32_t v;
    int spins = 0;
    while ((v = word->load(std::memory_order_acquire)) == seen) {
        if (!spin)
            futexWait(word, seen);
        else if (++spins > 2000)
            sched_yield();
    }
    return v;
}

PingPongResult sharedWordPingPong(int64_t iterations, bool spin) {
    void* mem = mmap(nullptr, sizeof(std::atomic<uint32_t>), PROT_READ | PROT_WRITE,
                     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED) throw std::runtime_error(std::string("mmap failed: ") + std::strerror(errno));
    auto* word = new (mem) std::atomic<uint32_t>(0);
    const pid_t pid = fork();
    if (pid == 0) {
        uint32_t seen = 0;
        for (;;) {
            const uint32_t v = awaitChange(word, seen, spin);
            if (v == kStop) _exit(0);
            word->store(v + 1, std::memory_order_release);
            if (!spin) futexWake(word);
            seen = v + 1;
        }
    }
    if (pid < 0) {
        munmap(mem, sizeof *word);
        throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
    }
    std::vector<double> samples;
    samples.reserve(size_t(iterations));
    uint32_t seq = 0;
    for (int64_t i = 0; i < iterations + kWarmupRoundTrips; ++i) {
        const int64_t t0 = nowNs();
        word->store(++seq, std::memory_order_release);
        if (!spin) futexWake(word);
        seq = awaitChange(word, seq, spin);
        if (i >= kWarmupRoundTrips) samples.push_back(nsToSeconds(nowNs() - t0));
    }
    word->store(kStop, std::memory_order_release);
    futexWake(word);
    reap(pid);
    munmap(mem, sizeof *word);
    return summarizeSamples(samples);
}

void* emptyThread(void*) {
    return nullptr;
}

} // namespace

PingPongResult pipePingPong(int64_t payload, int64_t iterations) {
    int down[2], up[2];
    if (pipe(down) != 0) throw std::runtime_error("pipe failed");
    if (pipe(up) != 0) {
        close(down[0]);
        close(down[1]);
        throw std::runtime_error("pipe failed");
    }
    const size_t n = size_t(std::max<int64_t>(1, payload));
    pid_t pid = fork();
    if (pid == 0) {
        close(down[1]);
        close(up[0]);
        std::vector<char> buf(n);
        while (readAll(down[0], buf.data(), n) && writeAll(up[1], buf.data(), n)) {
        }
        _exit(0);
    }
    close(down[0]);
    close(up[1]);
    if (pid < 0) {
        close(down[1]);
        close(up[0]);
        throw std::runtime_error("fork failed");
    }
    std::vector<char> buf(n, 'x');
    std::vector<double> samples;
    samples.reserve(size_t(iterations));
    for (int64_t i = 0; i < iterations + kWarmupRoundTrips; ++i) {
        int64_t t0 = nowNs();
        if (!writeAll(down[1], buf.data(), n) || !readAll(up[0], buf.data(), n)) break;
        if (i >= kWarmupRoundTrips) samples.push_back(nsToSeconds(nowNs() - t0));
    }
    close(down[1]);
    close(up[0]);
    reap(pid);
    return summarizeSamples(samples);
}

PingPongResult futexPingPong(int64_t iterations) {
    return sharedWordPingPong(iterations, /*spin=*/false);
}

PingPongResult spinPingPong(int64_t iterations) {
    return sharedWordPingPong(iterations, /*spin=*/true);
}

namespace raw {

double forkExitWaitS(int n) {
    const int64_t t0 = nowNs();
    for (int i = 0; i < n; ++i) {
        const pid_t pid = fork();
        if (pid == 0) _exit(0);
        if (pid < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
        reap(pid);
    }
    return nsToSeconds(nowNs() - t0) / std::max(1, n);
}

double spawnExecWaitS(const std::string& path, const std::vector<std::string>& args, int n) {
    std::vector<std::string> storage;
    storage.push_back(path);
    storage.insert(storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : storage)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    for (int fd : {0, 1, 2})
        posix_spawn_file_actions_addopen(&fa, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0);
    int error = 0;
    const int64_t t0 = nowNs();
    for (int i = 0; i < n && error == 0; ++i) {
        pid_t pid = -1;
        error = posix_spawn(&pid, path.c_str(), &fa, nullptr, argv.data(), environ);
        if (error == 0) reap(pid);
    }
    const int64_t elapsed = nowNs() - t0;
    posix_spawn_file_actions_destroy(&fa);
    if (error != 0) throw std::runtime_error("posix_spawn " + path + " failed: " + std::strerror(error));
    return nsToSeconds(elapsed) / std::max(1, n);
}

double pthreadCreateJoinS(int n) {
    const int64_t t0 = nowNs();
    for (int i = 0; i < n; ++i) {
        pthread_t t;
        if (const int e = pthread_create(&t, nullptr, emptyThread, nullptr); e != 0)
            throw std::runtime_error(std::string("pthread_create failed: ") + std::strerror(e));
        pthread_join(t, nullptr);
    }
    return nsToSeconds(nowNs() - t0) / std::max(1, n);
}

double stdThreadCreateJoinS(int n) {
    const int64_t t0 = nowNs();
    for (int i = 0; i < n; ++i) {
        std::thread t([] {});
        t.join();
    }
    return nsToSeconds(nowNs() - t0) / std::max(1, n);
}

} // namespace raw

} // namespace conlab
