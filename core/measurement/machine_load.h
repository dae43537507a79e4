#pragma once
// What the whole machine did while conlab measured: CPU time used on every CPU (/proc/stat),
// the part the hypervisor took (steal) and the load average. Other processes' CPU time is the
// machine's less conlab's own (self + reaped children), which the engine already measures.
// Resolution: the kernel counts in clock ticks (USER_HZ, 10 ms on Linux), so a figure over a
// span of a few ticks is coarse; callers say how long the span was (MachineLoad::spanS).
#include <cstdint>

namespace conlab {

struct CpuCounters {
    bool ok = false;
    int64_t busyTicks = 0;  // user + nice + system + irq + softirq (not idle, iowait, steal)
    int64_t stealTicks = 0; // time the hypervisor ran something else while a vCPU wanted to run
    int64_t totalTicks = 0; // every field: busy + idle + iowait + steal
};

// The aggregate "cpu" line of /proc/stat ({} with ok=false when unreadable).
CpuCounters readCpuCounters();

struct MachineLoad {
    bool measured = false;   // both readings succeeded
    double spanS = 0;        // wall time between the readings
    double busyCpuS = 0;     // CPU seconds spent running anything, on all CPUs together
    double stealCpuS = 0;    // CPU seconds stolen by the hypervisor
    double capacityCpuS = 0; // the CPU seconds there were: the counters' own total
};

// Between two readings taken spanS apart.
MachineLoad machineLoadBetween(const CpuCounters& before, const CpuCounters& after, double spanS);

// CPU seconds used by others than conlab (busy less ownCpuS, never negative), as a share of
// the machine's capacity over the span: 0 (idle) .. 1 (every CPU busy with other work).
double othersShare(const MachineLoad& load, double ownCpuS);
double stealShare(const MachineLoad& load);

// /proc/loadavg's one-minute figure (-1 when unreadable).
double loadAverage1();

} // namespace conlab
