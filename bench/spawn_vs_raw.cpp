// Spawn cost beside its raw primitive, in one process, interleaved (docs/benchmarks.md):
// process-per-task vs fork + _exit + waitpid, thread-per-task vs std::thread + join, one
// worker, empty tasks (`conlab fidelity` compares the same, and more, against pthread). The raw loops run in
// this process, so the parent's memory and mappings (which fork copies) are the same as the backend's. Prints
// medians over rounds and the ratio.
#include "calibration.h"
#include "engine.h"
#include "fidelity/raw_primitives.h"

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace conlab;

namespace {
// The raw loops are the fidelity check's (core/fidelity/raw_primitives.h).
double rawSpawnS(bool process, int n) {
    return process ? raw::forkExitWaitS(n) : raw::stdThreadCreateJoinS(n);
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}
} // namespace

int main() {
    Engine engine(loadOrMeasureCalibration());
    WorkloadSpec spec;
    spec.tasks = 200;
    spec.workers = 1;
    spec.taskUs = 0;
    std::printf("%-18s %12s %12s %8s   (medians of 7 interleaved rounds, 1 worker, empty tasks)\n", "backend",
                "spawn/worker", "raw", "ratio");
    for (const char* backend : {"process-per-task", "thread-per-task"}) {
        const bool process = backend[0] == 'p';
        std::vector<double> conlab, raw;
        for (int round = 0; round < 7; ++round) {
            raw.push_back(rawSpawnS(process, 200));
            Experiment ex = engine.run(spec, {backend}, {});
            if (!ex.runs[0].error.empty()) {
                std::fprintf(stderr, "%s\n", ex.runs[0].error.c_str());
                return 1;
            }
            conlab.push_back(ex.runs[0].repetitions[0].spawnCostS);
        }
        const double c = median(conlab), r = median(raw);
        std::printf("%-18s %9.1f µs %9.1f µs %7.2f×   raw: %s\n", backend, c * 1e6, r * 1e6, c / r,
                    process ? "fork + _exit + waitpid" : "std::thread + join");
    }
    return 0;
}
