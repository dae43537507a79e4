#pragma once
// The work a task does, and the proof that it did it. Every kernel returns a 64-bit checksum
// that the coordinator can predict cheaply (expectedChecksum), so a task that did not really
// run, ran twice, or ran with the wrong parameters is caught.
#include "workload_spec.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace conlab {

uint64_t splitmix64(uint64_t x);

// LCG x' = a*x + c (mod 2^64), and its O(log n) jump-ahead.
uint64_t lcgStep(uint64_t x);
uint64_t lcgJump(uint64_t x, uint64_t steps);

// Seed of task `taskId` in a run salted with `salt` (a different salt per repetition).
inline uint64_t taskSeed(uint64_t salt, uint64_t taskId) {
    return splitmix64(salt ^ (taskId * 0x9E3779B97F4A7C15ull));
}

// How much work one task does, derived from the spec and the calibration.
struct TaskWork {
    TaskKind kind = TaskKind::Cpu;
    uint64_t iterations = 0; // cpu: LCG steps; memory: word visits after the init pass
    uint64_t words = 0;      // memory: buffer size in 64-bit words
    int64_t waitNs = 0;      // io: time blocked
};

// Per-worker resources reused across tasks (buffer for memory tasks, timerfd for io tasks).
class WorkerScratch {
  public:
    WorkerScratch() = default;
    ~WorkerScratch();
    WorkerScratch(const WorkerScratch&) = delete;
    WorkerScratch& operator=(const WorkerScratch&) = delete;
    std::vector<uint64_t>& buffer() { return m_buffer; }
    int timerFd(); // created on first use, closed by the destructor

  private:
    std::vector<uint64_t> m_buffer;
    int m_timerFd = -1;
};

// Runs `iterations` LCG steps from `state`; checks `cancel` every ~65k steps.
// Returns the new state; stops early (returning a wrong state) when cancelled.
uint64_t runCpu(uint64_t state, uint64_t iterations, const std::atomic<bool>* cancel);

// Memory task: init the buffer (words), then visits word k % words for k < iterations.
uint64_t runMemory(uint64_t seed, uint64_t words, uint64_t iterations, WorkerScratch& scratch,
                   const std::atomic<bool>* cancel);
uint64_t expectedMemory(uint64_t seed, uint64_t words, uint64_t iterations);

// Blocks (no CPU) for ns, or until cancelFd becomes readable. Returns false if cancelled.
bool runIoWait(int64_t ns, WorkerScratch& scratch, int cancelFd);

// The checksum a finished task must report (cheap to compute for the coordinator).
uint64_t expectedChecksum(const TaskWork& work, uint64_t seed);

// Deterministic byte patterns for input, result and message payloads.
void fillPattern(std::span<std::byte> out, uint64_t seed);
bool verifyPattern(std::span<const std::byte> in, uint64_t seed);

// Seeds for the bytes that travel: distinct per direction and message index.
inline uint64_t inputSeed(uint64_t taskSeed) {
    return splitmix64(taskSeed ^ 0x1111);
}
inline uint64_t resultSeed(uint64_t checksum) {
    return splitmix64(checksum ^ 0x2222);
}
inline uint64_t messageSeed(uint64_t taskSeed, uint64_t index) {
    return splitmix64(taskSeed ^ (0x3333 + index));
}

} // namespace conlab
