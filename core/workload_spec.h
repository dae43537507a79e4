#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace conlab {

enum class TaskKind { Cpu, Memory, Io };

// --probes: on = every figure recorded; off = bare (the same work and checksums, only the
// wall clock and the completed count: no per-task recording); compare = every repetition
// runs instrumented and then bare, and the difference is the instrumentation cost.
enum class Probes { On, Off, Compare };
std::string toString(Probes probes);
std::optional<Probes> probesFromString(const std::string& s);

std::string toString(TaskKind kind);
std::optional<TaskKind> taskKindFromString(const std::string& s);

// Testing only (docs/reliability.md): make one task's worker fail on purpose. In a worker
// process: crash = SIGSEGV, kill = SIGKILL, exit = _exit(3), hang = block until killed. In a
// thread (or the sequential loop) a real crash would take down the whole app, so crash,
// kill and exit surface as a worker failure, and hang blocks until the run is cancelled
// (the coordinator's --task-timeout watchdog does that).
enum class FaultKind { None, Crash, Kill, Exit, Hang };
struct FaultSpec {
    FaultKind kind = FaultKind::None;
    int64_t taskId = -1;
    std::string backend; // empty: every backend of the run
    bool operator==(const FaultSpec&) const = default;
};
std::string toString(FaultKind kind);
// Parses "crash|kill|exit|hang:TASK[:BACKEND]"; nullopt when malformed.
std::optional<FaultSpec> parseFaultSpec(const std::string& text);

// What the user asks to run. Every field has a documented range (see limits below and
// docs/measurement.md); validate() checks them all at once.
struct WorkloadSpec {
    int64_t tasks = 1000;
    int workers = 0; // 0 = number of online cores, resolved by resolvedWorkers()
    double taskUs = 100.0;
    TaskKind kind = TaskKind::Cpu;
    int64_t workingSet = 64 * 1024; // bytes streamed per pass by memory tasks
    int64_t inputBytes = 0;
    int64_t resultBytes = 0;
    int64_t messages = 0;  // per task, exchanged with the coordinator during compute
    int64_t payload = 64;  // bytes per message
    int chunksize = 1;     // tasks per dispatch message (pools)
    std::vector<int> cpus; // pin the whole run to these CPUs; empty = inherit
    int repeat = 1;
    int warmup = 0;
    // Repetition r of every backend before repetition r+1 of any (warmups first, interleaved
    // too), so a slow drift in the machine's load hits every backend alike (docs/measurement.md).
    bool interleave = false;
    double taskTimeoutS = 60.0; // per task; a worker exceeding it fails the run
    Probes probes = Probes::On;
    // Fork cost vs the parent's memory (issue 16): the coordinator maps and touches this many
    // bytes before each repetition's workers start, and each forked child writes childTouch of
    // them (one byte per page: copy-on-write copies). core/system/parent_memory.h.
    int64_t parentMemory = 0;
    double childTouch = 0;
    FaultSpec fault; // testing only: never saved, never shown

    int resolvedWorkers() const;
    bool operator==(const WorkloadSpec&) const = default;
};

struct SpecLimits {
    static constexpr int64_t minTasks = 1, maxTasks = 10'000'000;
    static constexpr int minWorkers = 1, maxWorkers = 1024;
    static constexpr double minTaskUs = 0, maxTaskUs = 10'000'000; // 10 s
    static constexpr int64_t minWorkingSet = 64, maxWorkingSet = int64_t(1) << 30;
    static constexpr int64_t maxBytes = int64_t(1) << 30; // input, result, payload: up to 1 GiB
    static constexpr int64_t maxMessages = 1'000'000;
    static constexpr int minChunksize = 1, maxChunksize = 1'000'000;
    static constexpr int minRepeat = 1, maxRepeat = 1000;
    static constexpr int maxWarmup = 100;
    static constexpr double minTaskTimeoutS = 0.001, maxTaskTimeoutS = 86400;
    static constexpr int64_t maxParentMemory = int64_t(16) << 30;
};

struct SpecError {
    std::string field;   // CLI flag name without dashes, e.g. "task-us"
    std::string value;   // the offending value as given
    std::string allowed; // human readable allowed range
    std::string message() const;
};

// Checks every field; returns all problems (empty = valid). Nothing may run on an invalid spec.
std::vector<SpecError> validate(const WorkloadSpec& spec);

// Parses "4096", "4K", "1M", "2G", "1.5M" (binary multiples). Returns nullopt on malformed input.
std::optional<int64_t> parseSize(const std::string& text);
// Parses "0,1,3-5".
std::optional<std::vector<int>> parseCpuList(const std::string& text);
std::string formatCpuList(const std::vector<int>& cpus);
std::string formatBytes(int64_t bytes);

} // namespace conlab
