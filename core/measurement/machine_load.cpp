#include "machine_load.h"

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace conlab {

CpuCounters readCpuCounters() {
    CpuCounters c;
    FILE* f = std::fopen("/proc/stat", "re");
    if (!f) return c;
    long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
    // "cpu  user nice system idle iowait irq softirq steal guest guest_nice" (guest time is
    // already inside user and nice).
    const int n = std::fscanf(f, "cpu %lld %lld %lld %lld %lld %lld %lld %lld", &user, &nice, &system, &idle,
                              &iowait, &irq, &softirq, &steal);
    std::fclose(f);
    if (n < 4) return c;
    c.ok = true;
    c.busyTicks = user + nice + system + irq + softirq;
    c.stealTicks = steal;
    c.totalTicks = c.busyTicks + idle + iowait + steal;
    return c;
}

MachineLoad machineLoadBetween(const CpuCounters& before, const CpuCounters& after, double spanS) {
    MachineLoad l;
    if (!before.ok || !after.ok || after.totalTicks < before.totalTicks) return l;
    static const double tick = 1.0 / double(std::max(1L, sysconf(_SC_CLK_TCK)));
    l.measured = true;
    l.spanS = spanS;
    l.busyCpuS = double(std::max<int64_t>(0, after.busyTicks - before.busyTicks)) * tick;
    l.stealCpuS = double(std::max<int64_t>(0, after.stealTicks - before.stealTicks)) * tick;
    l.capacityCpuS = double(after.totalTicks - before.totalTicks) * tick;
    return l;
}

double othersShare(const MachineLoad& load, double ownCpuS) {
    if (!load.measured || load.capacityCpuS <= 0) return 0;
    return std::clamp((load.busyCpuS - ownCpuS) / load.capacityCpuS, 0.0, 1.0);
}

double stealShare(const MachineLoad& load) {
    if (!load.measured || load.capacityCpuS <= 0) return 0;
    return std::clamp(load.stealCpuS / load.capacityCpuS, 0.0, 1.0);
}

double loadAverage1() {
    FILE* f = std::fopen("/proc/loadavg", "re");
    if (!f) return -1;
    double v = -1;
    if (std::fscanf(f, "%lf", &v) != 1) v = -1;
    std::fclose(f);
    return v;
}

} // namespace conlab
