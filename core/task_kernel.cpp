#include "task_kernel.h"

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/timerfd.h>
#include <unistd.h>

namespace conlab {

namespace {
constexpr uint64_t kLcgA = 6364136223846793005ull;
constexpr uint64_t kLcgC = 1442695040888963407ull;
constexpr uint64_t kCancelCheckEvery = 1u << 16;

inline bool cancelled(const std::atomic<bool>* c) {
    return c && c->load(std::memory_order_relaxed);
}

// Sum of (seed + i) for i in [0, n), mod 2^64.
uint64_t arithmeticSum(uint64_t seed, uint64_t n) {
    uint64_t tri = (n % 2 == 0) ? (n / 2) * (n - 1) : n * ((n - 1) / 2);
    return n * seed + tri;
}
// p*(p-1)/2 mod 2^64
uint64_t triangle(uint64_t p) {
    return (p % 2 == 0) ? (p / 2) * (p - 1) : p * ((p - 1) / 2);
}
} // namespace

uint64_t splitmix64(uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

uint64_t lcgStep(uint64_t x) {
    return kLcgA * x + kLcgC;
}

uint64_t lcgJump(uint64_t x, uint64_t steps) {
    // Compose the affine map (a, c) with itself by squaring.
    uint64_t accA = 1, accC = 0, a = kLcgA, c = kLcgC;
    while (steps) {
        if (steps & 1) {
            accA = accA * a;
            accC = accC * a + c;
        }
        c = c * (a + 1);
        a = a * a;
        steps >>= 1;
    }
    return accA * x + accC;
}

WorkerScratch::~WorkerScratch() {
    if (m_timerFd >= 0) close(m_timerFd);
}

int WorkerScratch::timerFd() {
    if (m_timerFd < 0) m_timerFd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    return m_timerFd;
}

uint64_t runCpu(uint64_t state, uint64_t iterations, const std::atomic<bool>* cancel) {
    while (iterations) {
        uint64_t block = iterations < kCancelCheckEvery ? iterations : kCancelCheckEvery;
        for (uint64_t i = 0; i < block; ++i) {
            state = kLcgA * state + kLcgC;
            // Keeps the optimizer from collapsing the recurrence into a closed form.
            asm volatile("" : "+r"(state));
        }
        iterations -= block;
        if (cancelled(cancel)) break;
    }
    return state;
}

uint64_t runMemory(uint64_t seed, uint64_t words, uint64_t iterations, WorkerScratch& scratch,
                   const std::atomic<bool>* cancel) {
    auto& buf = scratch.buffer();
    if (buf.size() < words) buf.resize(words);
    uint64_t* p = buf.data();
    for (uint64_t i = 0; i < words; ++i)
        p[i] = seed + i;
    uint64_t sum = 0;
    uint64_t done = 0;
    while (done < iterations) {
        uint64_t n = iterations - done < words ? iterations - done : words;
        for (uint64_t i = 0; i < n; ++i) {
            sum += p[i];
            p[i] += 1;
        }
        done += n;
        if (cancelled(cancel)) break;
    }
    return sum;
}

uint64_t expectedMemory(uint64_t seed, uint64_t words, uint64_t iterations) {
    if (words == 0) return 0;
    uint64_t passes = iterations / words, rest = iterations % words;
    // Word i is visited v_i = passes + (i < rest) times and yields (seed+i) + (seed+i+1) + ...
    return passes * arithmeticSum(seed, words) + arithmeticSum(seed, rest) +
           (words - rest) * triangle(passes) + rest * triangle(passes + 1);
}

bool runIoWait(int64_t ns, WorkerScratch& scratch, int cancelFd) {
    if (ns <= 0) return true;
    int tfd = scratch.timerFd();
    itimerspec its{};
    its.it_value.tv_sec = ns / 1'000'000'000;
    its.it_value.tv_nsec = ns % 1'000'000'000;
    if (tfd < 0 || timerfd_settime(tfd, 0, &its, nullptr) != 0) {
        // No timerfd (fd limit): still block without CPU.
        timespec ts{its.it_value.tv_sec, its.it_value.tv_nsec};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        }
        return true;
    }
    pollfd fds[2] = {{tfd, POLLIN, 0}, {cancelFd, POLLIN, 0}};
    for (;;) {
        int r = poll(fds, cancelFd >= 0 ? 2 : 1, -1);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return true;
        if (cancelFd >= 0 && (fds[1].revents & POLLIN)) return false;
        if (fds[0].revents & POLLIN) {
            uint64_t expirations;
            [[maybe_unused]] auto n = read(tfd, &expirations, sizeof expirations);
            return true;
        }
    }
}

uint64_t expectedChecksum(const TaskWork& work, uint64_t seed) {
    switch (work.kind) {
    case TaskKind::Cpu:
        return lcgJump(seed, work.iterations);
    case TaskKind::Memory:
        return expectedMemory(seed, work.words, work.iterations);
    case TaskKind::Io:
        return splitmix64(seed ^ 0x10);
    }
    return 0;
}

void fillPattern(std::span<std::byte> out, uint64_t seed) {
    size_t words = out.size() / 8;
    std::byte* p = out.data();
    for (size_t i = 0; i < words; ++i) {
        uint64_t v = seed + i * 0x9E3779B97F4A7C15ull;
        std::memcpy(p + i * 8, &v, 8);
    }
    uint64_t tail = splitmix64(seed);
    if (out.size() > words * 8)
        std::memcpy(p + words * 8, &tail, out.size() - words * 8); // never memcpy(nullptr)
}

bool verifyPattern(std::span<const std::byte> in, uint64_t seed) {
    size_t words = in.size() / 8;
    const std::byte* p = in.data();
    uint64_t bad = 0;
    for (size_t i = 0; i < words; ++i) {
        uint64_t v;
        std::memcpy(&v, p + i * 8, 8);
        bad |= v ^ (seed + i * 0x9E3779B97F4A7C15ull);
    }
    uint64_t tail = splitmix64(seed);
    return bad == 0 &&
           (in.size() == words * 8 || std::memcmp(p + words * 8, &tail, in.size() - words * 8) == 0);
}

} // namespace conlab
