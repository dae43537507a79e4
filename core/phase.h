#pragma once
#include <array>
#include <cstdint>
#include <string_view>

namespace conlab {

// The phases of ../shared/PHASES.md (docs/measurement.md): spawn, startup, ipc, compute,
// cpu-wait and idle partition a worker's lifetime; the coordinator has spawn, ipc, idle and
// other (its own bookkeeping). The numeric values are those of the results files (an
// interval's phase, phase arrays): new phases are appended, never renumbered.
enum class Phase : uint8_t { Spawn = 0, Ipc = 1, Compute = 2, Idle = 3, CpuWait = 4, Startup = 5, Other = 6 };
inline constexpr int kPhaseCount = 7;
// In the order figures stack them.
inline constexpr std::array<Phase, kPhaseCount> kAllPhases = {
    Phase::Spawn, Phase::Startup, Phase::Ipc, Phase::Compute, Phase::CpuWait, Phase::Idle, Phase::Other};
// The phases of a worker (everything but the coordinator's other).
inline constexpr std::array<Phase, 6> kWorkerPhases = {Phase::Spawn,   Phase::Startup, Phase::Ipc,
                                                       Phase::Compute, Phase::CpuWait, Phase::Idle};

constexpr std::string_view phaseName(Phase p) {
    constexpr std::string_view names[] = {"spawn", "ipc", "compute", "idle", "cpu-wait", "startup", "other"};
    return names[int(p)];
}
// "cpu-wait" → "cpu_wait": the spelling of JSON keys and CSV columns.
constexpr std::string_view phaseKey(Phase p) {
    constexpr std::string_view keys[] = {"spawn", "ipc", "compute", "idle", "cpu_wait", "startup", "other"};
    return keys[int(p)];
}

struct PhaseTotals {
    std::array<int64_t, kPhaseCount> ns{};

    int64_t& operator[](Phase p) { return ns[size_t(p)]; }
    int64_t operator[](Phase p) const { return ns[size_t(p)]; }
    int64_t total() const {
        int64_t t = 0;
        for (auto v : ns)
            t += v;
        return t;
    }
    PhaseTotals& operator+=(const PhaseTotals& o) {
        for (int i = 0; i < kPhaseCount; ++i)
            ns[i] += o.ns[i];
        return *this;
    }
    PhaseTotals operator-(const PhaseTotals& o) const {
        PhaseTotals r = *this;
        for (int i = 0; i < kPhaseCount; ++i)
            r.ns[i] -= o.ns[i];
        return r;
    }
    bool operator==(const PhaseTotals&) const = default;
};

struct PhaseInterval {
    int64_t startNs = 0; // CLOCK_MONOTONIC
    int64_t endNs = 0;
    Phase phase = Phase::Idle;
    bool operator==(const PhaseInterval&) const = default;
};

} // namespace conlab
