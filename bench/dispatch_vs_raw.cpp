// Dispatch cost per empty task beside the raw mechanisms, in one process, interleaved
// (issue 12, docs/benchmarks.md): each round measures every raw reference and every backend
// once, so the machine's drift hits them alike; the table gives medians over the rounds and
// the ratios with their goals. usage: bench_dispatch_vs_raw [--tasks N] [--rounds R]
#include "calibration.h"
#include "engine.h"
#include "fidelity/raw_primitives.h"
#include "raw_pools.h"
#include "system/affinity_scope.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <sched.h>
#include <string>
#include <vector>

using namespace conlab;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

// The first CPU this process may run on: both ends of a ping-pong go there.
std::vector<int> firstCpu() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        for (int c = 0; c < CPU_SETSIZE; ++c)
            if (CPU_ISSET(c, &set)) return {c};
    return {0};
}

struct Ratio {
    const char* what;
    std::string backend, reference;
    double goal; // at most this ratio; 0: informational
};

} // namespace

int main(int argc, char** argv) {
    int64_t tasks = 100000;
    int rounds = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--tasks")) tasks = std::atoll(argv[i + 1]);
        if (!std::strcmp(argv[i], "--rounds")) rounds = std::atoi(argv[i + 1]);
    }
    if (tasks < 1000 || rounds < 1) {
        std::fprintf(stderr, "usage: bench_dispatch_vs_raw [--tasks N ≥ 1000] [--rounds R ≥ 1]\n");
        return 2;
    }
    constexpr int kWorkers = 2;
    Engine engine(loadOrMeasureCalibration());
    const std::vector<std::string> backends{"sequential", "thread-pool", "qt-threadpool", "tbb",
                                            "openmp",     "shm-pool",    "shm-pool:spin", "process-pool"};
    // Raw references: seconds per task (or per round trip). The ping-pongs run both ends on
    // one CPU (the same-core wake-up; across this VM's vCPUs a wake-up costs ~30× more).
    const int64_t roundTrips = std::max<int64_t>(2000, tasks / 20);
    const std::vector<std::pair<std::string, std::function<double()>>> references{
        {"condvar pool", [&] { return bench::condvarPoolPerTaskS(kWorkers, tasks); }},
        {"oneTBB parallel_for", [&] { return bench::tbbParallelForPerTaskS(kWorkers, tasks); }},
        {"futex round trip",
         [&] {
             AffinityScope pin(firstCpu());
             return futexPingPong(roundTrips).meanRoundTripS;
         }},
        {"pipe round trip",
         [&] {
             AffinityScope pin(firstCpu());
             return pipePingPong(8, roundTrips).meanRoundTripS;
         }},
        {"spin hand-off", [&] { return spinPingPong(roundTrips).meanRoundTripS; }},
    };
    std::map<std::string, std::vector<double>> perTask, wallPerTask;
    std::map<std::string, std::string> errors;
    WorkloadSpec spec;
    spec.tasks = tasks;
    spec.taskUs = 0;
    spec.workers = kWorkers;
    for (int r = 0; r < rounds; ++r) {
        for (const auto& [name, measure] : references)
            perTask[name].push_back(measure());
        for (const std::string& b : backends) {
            Experiment ex = engine.run(spec, {b}, {});
            const BackendRun& run = ex.runs.at(0);
            if (!run.error.empty() || run.repetitions.empty()) {
                errors[b] = run.error.empty() ? "no repetition" : run.error;
                continue;
            }
            // At steady state, like the references (their threads exist before their clock
            // starts): wall less the one-time start-up (a library's arena or team, docs/measurement.md).
            const RepetitionResult& rep = run.repetitions.back();
            perTask[b].push_back(std::max(0.0, rep.wallS - rep.startupS) / double(tasks));
            wallPerTask[b].push_back(rep.wallS / double(tasks));
        }
    }
    std::printf(
        "per empty task, %d workers, %lld tasks, medians of %d interleaved rounds; backends: wall less "
        "the one-time start-up, ÷ tasks (the acceptance table: tasks ÷ the whole wall)\n\n",
        kWorkers, static_cast<long long>(tasks), rounds);
    std::printf("| %-20s | %12s | %14s |\n|---|---|---|\n", "mechanism", "per task", "tasks/s");
    auto med = [&](const std::string& k) { return median(perTask[k]); };
    for (const auto& [name, _] : references) {
        const double s = med(name);
        std::printf("| raw %-16s | %9.3f µs | %14s |\n", name.c_str(), s * 1e6,
                    s > 0 ? std::to_string(int64_t(1 / s)).c_str() : "unavailable");
    }
    for (const std::string& b : backends) {
        if (errors.count(b) && perTask[b].empty()) {
            std::printf("| %-20s | %12s | %14s |\n", b.c_str(), "failed", errors[b].c_str());
            continue;
        }
        const double s = med(b);
        std::printf("| %-20s | %9.3f µs | %14lld |\n", b.c_str(), s * 1e6, static_cast<long long>(1 / s));
    }
    const std::vector<Ratio> ratios{
        {"thread-pool vs a mutex+condvar pool", "thread-pool", "condvar pool", 1.5},
        {"thread-pool vs raw oneTBB", "thread-pool", "oneTBB parallel_for", 3.0},
        {"tbb vs raw oneTBB", "tbb", "oneTBB parallel_for", 1.3},
        {"qt-threadpool vs a mutex+condvar pool", "qt-threadpool", "condvar pool", 0},
        {"openmp vs raw oneTBB", "openmp", "oneTBB parallel_for", 0},
        {"shm-pool per task vs a futex round trip", "shm-pool", "futex round trip", 2.0},
        {"shm-pool:spin per task vs a spin hand-off", "shm-pool:spin", "spin hand-off", 3.0},
        {"process-pool per task vs a pipe round trip", "process-pool", "pipe round trip", 1.3},
    };
    std::printf("\n| ratio | value | goal | verdict |\n|---|---|---|---|\n");
    int over = 0;
    for (const Ratio& q : ratios) {
        const double a = med(q.backend), b = med(q.reference);
        if (a <= 0 || b <= 0) {
            std::printf("| %s | - | %s | not measured |\n", q.what, q.goal > 0 ? "" : "-");
            continue;
        }
        const double v = a / b;
        const bool ok = q.goal <= 0 || v <= q.goal;
        over += ok ? 0 : 1;
        if (q.goal > 0)
            std::printf("| %s | %.2f× | ≤ %.1f× | %s |\n", q.what, v, q.goal,
                        ok ? "within goal" : "over goal");
        else
            std::printf("| %s | %.2f× | - | information |\n", q.what, v);
    }
    // The acceptance, from the same medians.
    auto wallMed = [&](const std::string& k) { return median(wallPerTask[k]); };
    const double seq = wallMed("sequential"), tp = wallMed("thread-pool"), tbb = wallMed("tbb"),
                 shm = wallMed("shm-pool"), spin = wallMed("shm-pool:spin"), pp = wallMed("process-pool");
    std::printf("\n| acceptance | value | goal |\n|---|---|---|\n");
    if (seq > 0) std::printf("| sequential throughput | %.2f M tasks/s | ≥ 8 M |\n", 1e-6 / seq);
    if (seq > 0) std::printf("| sequential per task | %.0f ns | ≤ 100 ns |\n", seq * 1e9);
    if (tp > 0 && tbb > 0) std::printf("| thread-pool ÷ tbb throughput | %.2f | ≥ 0.5 |\n", tbb / tp);
    if (shm > 0 && pp > 0) std::printf("| shm-pool ÷ process-pool throughput | %.2f | ≥ 2 |\n", pp / shm);
    if (spin > 0 && pp > 0)
        std::printf("| shm-pool:spin ÷ process-pool throughput | %.2f | (information) |\n", pp / spin);
    for (const auto& [b, e] : errors)
        std::printf("\n%s failed in some round: %s\n", b.c_str(), e.c_str());
    return over > 0 ? 1 : 0;
}
