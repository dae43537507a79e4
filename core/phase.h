#pragma once
#include <array>
#include <cstdint>
#include <string_view>

namespace conlab {

// The four phases that partition a worker's lifetime (docs/measurement.md).
enum class Phase : uint8_t { Spawn = 0, Ipc = 1, Compute = 2, Idle = 3 };
inline constexpr int kPhaseCount = 4;
inline constexpr std::array<Phase, kPhaseCount> kAllPhases = {Phase::Spawn, Phase::Ipc, Phase::Compute,
                                                              Phase::Idle};

constexpr std::string_view phaseName(Phase p) {
    constexpr std::string_view names[] = {"spawn", "ipc", "compute", "idle"};
    return names[int(p)];
}

struct PhaseTotals {
    std::array<int64_t, kPhaseCount> ns{};

    int64_t& operator[](Phase p) { return ns[size_t(p)]; }
    int64_t operator[](Phase p) const { return ns[size_t(p)]; }
    int64_t total() const { return ns[0] + ns[1] + ns[2] + ns[3]; }
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
