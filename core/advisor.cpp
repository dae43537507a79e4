#include "advisor.h"
#include "text_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace conlab {

namespace {
using text::fmt;
using text::pct;
std::string us(double s) {
    return s < 1e-3 ? fmt("%.1f µs", s * 1e6) : fmt("%.2f ms", s * 1e3);
}

const BackendRun* find(const Experiment& ex, const std::string& id) {
    for (const auto& r : ex.runs)
        if (r.backend == id && r.error.empty() && r.summary.repetitions > 0) return &r;
    return nullptr;
}
bool isPerTask(const std::string& id) {
    return id.find("per-task") != std::string::npos;
}
bool isProcess(const BackendRun& r) {
    return r.family == "processes" || r.backend.find("process") != std::string::npos ||
           r.backend.find("shm") != std::string::npos;
}
} // namespace

Advice advise(const Experiment& ex, int onlineCores) {
    Advice a;
    const BackendRun* best = nullptr;
    for (const auto& r : ex.runs)
        if (r.error.empty() && r.summary.repetitions > 0 &&
            (!best || r.summary.throughput.median > best->summary.throughput.median))
            best = &r;
    if (!best) {
        a.lines.push_back("No backend finished: nothing to advise.");
        return a;
    }
    a.best = best->backend;
    a.bestThroughput = best->summary.throughput.median;
    a.bestSpeedup = best->summary.speedup;
    std::string head = "Best: " + best->backend + " at " + fmt("%.0f tasks/s", a.bestThroughput);
    if (a.bestSpeedup) head += fmt(", %.2f× sequential", *a.bestSpeedup);
    a.lines.push_back(head + ".");
    const auto& spec = ex.spec;
    const double tasks = double(spec.tasks);
    for (const auto& r : ex.runs) {
        if (&r == best || !r.error.empty() || r.summary.repetitions == 0) continue;
        BackendAdvice b;
        b.backend = r.backend;
        for (Phase p : {Phase::Spawn, Phase::Startup, Phase::Ipc, Phase::CpuWait, Phase::Idle})
            if (r.summary.phaseShare[size_t(p)] > b.dominantShare) {
                b.dominantShare = r.summary.phaseShare[size_t(p)];
                b.dominant = p;
            }
        const double ratio = a.bestThroughput / std::max(1e-9, r.summary.throughput.median);
        const double computePerTask = r.summary.phaseS[size_t(Phase::Compute)].median / std::max(1.0, tasks);
        const double ipcPerTask = r.summary.phaseS[size_t(Phase::Ipc)].median / std::max(1.0, tasks);
        if (b.dominantShare < 0.10) {
            b.change = "it is limited by compute";
            if (r.workers > onlineCores)
                b.change += ": " + std::to_string(r.workers) + " workers share " +
                            std::to_string(onlineCores) + " cores — use at most the core count";
        } else if (b.dominant == Phase::CpuWait) {
            // Runnable but not running: more runnable workers than cores (or other programs).
            const int usable = spec.cpus.empty() ? onlineCores : int(spec.cpus.size());
            if (r.workers > usable)
                b.change = "workers wait for a core: " + std::to_string(r.workers) + " workers on " +
                           std::to_string(usable) + (usable == 1 ? " core" : " cores") +
                           " — use fewer workers than cores (try --workers " + std::to_string(usable) + ")";
            else
                b.change = "workers wait for a core although there are as many cores as workers: other "
                           "programs (or conlab's coordinator) use the CPUs — measure on a quiet machine";
        } else if (b.dominant == Phase::Startup) {
            b.change = "the library's or interpreter's one-time start-up (" + us(r.summary.startupS) +
                       ") dominates a run this short: give it more tasks, or keep it alive across runs";
        } else if (b.dominant == Phase::Spawn) {
            if (isPerTask(r.backend)) {
                std::string pool = isProcess(r) ? "process-pool" : "thread-pool";
                const BackendRun* pr = find(ex, pool);
                b.change = "reuse workers: a spawn costs " + us(r.summary.spawnCostS) + " against " +
                           us(computePerTask) + " of compute per task";
                if (pr)
                    b.change += "; " + pool +
                                fmt(" measured %.1f× its throughput here",
                                    pr->summary.throughput.median / r.summary.throughput.median);
                else
                    b.change += " — use a pool (" + pool + ")";
            } else {
                b.change = "start-up dominates a run this short (" + us(r.summary.spawnCostS) +
                           " per worker): give it more tasks, or keep the pool alive across runs";
            }
        } else if (b.dominant == Phase::Ipc) {
            const int64_t bytes = spec.inputBytes + spec.resultBytes + spec.messages * spec.payload * 2;
            if (spec.messages > 0 && r.summary.roundTripS > 0 &&
                spec.messages * r.summary.roundTripS > computePerTask) {
                b.change = "message less: " + text::counted(spec.messages, "round trip") + " per task cost " +
                           us(double(spec.messages) * r.summary.roundTripS) + " against " +
                           us(computePerTask) + " of compute; batch the messages";
            } else if (bytes >= 64 * 1024 && isProcess(r)) {
                b.change = "move the bytes through shared memory (shm-pool): " + formatBytes(bytes) +
                           " per task cross the process boundary, " + us(ipcPerTask) + " of ipc per task";
            } else if (!isPerTask(r.backend) && spec.chunksize < 1000) {
                const double n = std::ceil(10.0 * ipcPerTask / std::max(1e-9, computePerTask));
                const int chunk = int(std::clamp(n, 2.0, 1000.0)) * std::max(1, spec.chunksize);
                b.change = "batch: dispatch costs " + us(ipcPerTask) + " per task against " +
                           us(computePerTask) + " of compute — try --chunksize " + std::to_string(chunk);
            } else {
                b.change = "tasks are too small for this backend: " + us(ipcPerTask) +
                           " of ipc per task against " + us(computePerTask) +
                           " of compute; make each task bigger";
            }
        } else { // idle
            if (spec.kind == TaskKind::Io && isProcess(r)) {
                b.change =
                    "for waiting, threads or an event loop overlap the same waits without process overhead";
            } else if (r.workers > onlineCores) {
                b.change = fmt("fewer workers: %.0f", double(r.workers)) + " workers on " +
                           std::to_string(onlineCores) + " cores wait for each other; try --workers " +
                           std::to_string(onlineCores);
            } else if (spec.tasks < r.workers * 4) {
                b.change = "more tasks per worker: with " + std::to_string(spec.tasks) + " tasks on " +
                           std::to_string(r.workers) + " workers, workers wait at the end";
            } else {
                b.change = "workers wait for the coordinator: it is the bottleneck (" + us(ipcPerTask) +
                           " of ipc per task); batch with --chunksize";
            }
        }
        // Under 10 % no overhead dominates: name the largest, never "dominant overhead ipc (0 %)".
        std::string overhead = "dominant overhead " + std::string(phaseName(b.dominant)) + " (" +
                               pct(b.dominantShare) + " of worker time)";
        if (b.dominantShare < 0.005)
            overhead = "no measurable overhead";
        else if (b.dominantShare < 0.10)
            overhead = "overheads are small (the largest, " + std::string(phaseName(b.dominant)) + ", is " +
                       pct(b.dominantShare) + " of worker time)";
        a.lines.push_back(r.backend + fmt(": %.1f× slower; ", ratio) + overhead + " → " + b.change + ".");
        a.others.push_back(std::move(b));
    }
    return a;
}

std::vector<std::string> adviseSweep(const SweepResult& sweep) {
    std::vector<std::string> lines;
    const std::string param = toString(sweep.param);
    for (const auto& be : breakEvenPoints(sweep)) {
        if (be.value)
            lines.push_back(be.backend + (be.paysOffAbove ? " pays off above ≈ " : " pays off below ≈ ") +
                            describeSweepValue(sweep.param, *be.value) + " (" + param + ") on this machine.");
        else
            lines.push_back(be.backend + ": " + be.note + ".");
    }
    // Best backend at each end of the range.
    if (!sweep.points.empty()) {
        std::vector<const SweepPoint*> ends = {&sweep.points.front()};
        if (sweep.points.size() > 1) ends.push_back(&sweep.points.back()); // one point: said once
        for (const SweepPoint* p : ends) {
            const BackendRun* best = nullptr;
            for (const auto& r : p->runs)
                if (r.error.empty() && r.summary.repetitions > 0 &&
                    (!best || r.summary.throughput.median > best->summary.throughput.median))
                    best = &r;
            if (best)
                lines.push_back("At " + describeSweepValue(sweep.param, p->value) + ", the fastest is " +
                                best->backend + ".");
        }
    }
    return lines;
}

} // namespace conlab
