#include "engine.h"

#include "measurement/machine_load.h"

#include "clock.h"
#include "machine_info.h"
#include "resource_limits.h"
#include "system/affinity_scope.h"
#include "system/parent_memory.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <ctime>
#include <memory>
#include <poll.h>
#include <pthread.h>
#include <random>
#include <sched.h>
#include <sstream>
#include <stdexcept>
#include <sys/resource.h>
#include <system_error>
#include <thread>

namespace conlab {

namespace {

constexpr size_t kMaxSnapshots = 4096;  // per repetition, decimated beyond
constexpr int kDetailedRepetitions = 4; // measured repetitions that keep their detail

uint64_t freshSalt() {
    std::random_device rd;
    return (uint64_t(rd()) << 32) ^ rd() ^ uint64_t(nowNs());
}

double seconds(const timeval& t) {
    return double(t.tv_sec) + double(t.tv_usec) * 1e-6;
}

// User + system CPU seconds: of this process (RUSAGE_SELF) or of its reaped children and
// their reaped descendants (RUSAGE_CHILDREN).
double rusageCpuS(int who) {
    rusage ru{};
    if (getrusage(who, &ru) != 0) return 0;
    return seconds(ru.ru_utime) + seconds(ru.ru_stime);
}

// Involuntary context switches (preempted while runnable) of this process's threads, live and
// ended, and of its reaped children.
int64_t involuntarySwitches(int who) {
    rusage ru{};
    return getrusage(who, &ru) == 0 ? int64_t(ru.ru_nivcsw) : 0;
}

double threadCpuS(const std::optional<clockid_t>& clock) {
    timespec ts{};
    if (!clock || clock_gettime(*clock, &ts) != 0) return 0;
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

std::string utcNow() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

} // namespace

Engine::Engine(Calibration calibration) : m_calibration(std::move(calibration)) {
    // A write to a dead worker's pipe must be an error (EPIPE), never a fatal signal.
    std::signal(SIGPIPE, SIG_IGN);
}

RepetitionResult Engine::runRepetition(Backend& backend, const WorkloadSpec& spec, int index, bool warmup,
                                       const EngineOptions& options, CancelToken& userCancel) {
    RepetitionResult rep;
    rep.index = index;
    rep.warmup = warmup;
    WorkloadSpec effective = spec;
    effective.workers = backend.effectiveWorkers(spec);
    const std::string id = backend.info().id;
    if (!effective.fault.backend.empty() && effective.fault.backend != id) effective.fault = {};

    CancelToken internal; // stops this repetition: user cancel is forwarded to it, errors set it
    RunContext ctx(effective, m_calibration.workFor(effective), freshSalt(), internal);
    AffinityScope pin(spec.cpus);
    rep.affinity = currentAffinity();

    // Held by the coordinator while the workers start (--parent-memory): mapped and touched
    // before the clock starts, released after it stops.
    std::optional<ParentMemory> parentMemory;
    try {
        parentMemory.emplace(spec.parentMemory, spec.childTouch);
    } catch (const std::exception& e) {
        rep.error = id + ": " + e.what();
        return rep;
    }

    std::atomic<bool> finished{false};
    CancelToken finishedSignal;                     // an eventfd the sampler polls
    const CpuCounters machine0 = readCpuCounters(); // read before the clock starts: not in the wall
    const int64_t t0 = nowNs();
    auto samplerBody = [&] {
        int64_t lastT = t0, lastDone = 0;
        int64_t next = t0 + int64_t(options.snapshotIntervalMs) * 1'000'000;
        // Wakes for a user cancel (forwarded at once, then no longer watched) and for the end
        // of the repetition (so joining the sampler never waits out a snapshot interval).
        pollfd pfd[2] = {{userCancel.fd(), POLLIN, 0}, {finishedSignal.fd(), POLLIN, 0}};
        while (!finished.load(std::memory_order_acquire)) {
            int64_t now = nowNs();
            // Rounded up: rounded down, the last millisecond before each snapshot was a busy
            // loop of poll(0) — on a pinned run, on the workers' CPU.
            int waitMs =
                int(std::clamp<int64_t>((next - now + 999'999) / 1'000'000, 0, options.snapshotIntervalMs));
            poll(pfd, 2, waitMs);
            if (userCancel.isCancelled()) {
                internal.cancel();
                pfd[0].fd = -1;
            }
            if (finished.load(std::memory_order_acquire)) break;
            now = nowNs();
            if (now < next) continue;
            next += int64_t(options.snapshotIntervalMs) * 1'000'000;
            if (next < now) next = now + int64_t(options.snapshotIntervalMs) * 1'000'000;
            Snapshot s;
            s.tS = nsToSeconds(now - t0);
            s.tasksDone = ctx.tasksDone();
            s.windowThroughput = now > lastT ? double(s.tasksDone - lastDone) / nsToSeconds(now - lastT) : 0;
            s.workerPhases = ctx.liveWorkerPhases();
            s.coordinatorPhases = ctx.liveCoordinatorPhases();
            lastT = now;
            lastDone = s.tasksDone;
            // Bounded: past kMaxSnapshots every other one is dropped (the observer sees all).
            if (rep.snapshots.size() >= kMaxSnapshots) {
                for (size_t k = 1; 2 * k < rep.snapshots.size(); ++k)
                    rep.snapshots[k] = rep.snapshots[2 * k];
                rep.snapshots.resize(rep.snapshots.size() / 2);
            }
            rep.snapshots.push_back(s);
            if (options.observer) options.observer->snapshot(id, index, s);
        }
    };
    std::thread sampler;
    try {
        sampler = std::thread(samplerBody);
    } catch (const std::system_error& e) {
        rep.error =
            id + ": could not start the sampler thread: " + e.what() + threadLimitHint(e.code().value());
        return rep;
    }

    const double selfCpu0 = rusageCpuS(RUSAGE_SELF), childCpu0 = rusageCpuS(RUSAGE_CHILDREN),
                 excludedCpu0 = threadCpuS(options.excludedThreadCpuClock);
    const int64_t switches0 = involuntarySwitches(RUSAGE_SELF) + involuntarySwitches(RUSAGE_CHILDREN);
    ctx.coordinator().start(Phase::Other, t0);
    try {
        backend.run(ctx);
    } catch (const BackendError& e) {
        rep.error = e.what();
    } catch (const std::bad_alloc&) {
        rep.error = id + ": out of memory (lower --input, --result, --payload, --working-set or --workers)";
    } catch (const std::system_error& e) {
        rep.error = id + ": could not start a worker: " + e.what() + threadLimitHint(e.code().value());
    } catch (const std::exception& e) {
        rep.error = id + ": " + e.what();
    }
    const int64_t t1 = nowNs();
    ctx.coordinator().stop(t1);
    finished.store(true, std::memory_order_release);
    finishedSignal.cancel();
    sampler.join();
    const CpuCounters machine1 = readCpuCounters();
    const double ownCpuS = (rusageCpuS(RUSAGE_SELF) - selfCpu0) + (rusageCpuS(RUSAGE_CHILDREN) - childCpu0);
    rep.cpuS = std::max(0.0, ownCpuS - (threadCpuS(options.excludedThreadCpuClock) - excludedCpu0));
    // Others' share counts all of conlab as its own, the excluded (GUI) thread included.
    const MachineLoad load = machineLoadBetween(machine0, machine1, nsToSeconds(t1 - t0));
    rep.noise.measured = load.measured;
    rep.noise.othersShare = othersShare(load, ownCpuS);
    rep.noise.stealShare = stealShare(load);
    rep.noise.loadAverage1 = loadAverage1();
    rep.noise.involuntarySwitches = std::max<int64_t>(
        0, involuntarySwitches(RUSAGE_SELF) + involuntarySwitches(RUSAGE_CHILDREN) - switches0);

    rep.cancelled = userCancel.isCancelled() && rep.error.empty() && !ctx.allDone();
    rep.wallS = nsToSeconds(t1 - t0);
    rep.startNs = t0;
    ctx.finish(rep);
    rep.throughput = rep.wallS > 0 ? double(rep.tasksDone) / rep.wallS : 0;
    // A final snapshot so the live view ends at the true totals.
    Snapshot last;
    last.tS = rep.wallS;
    last.tasksDone = rep.tasksDone;
    last.windowThroughput = rep.snapshots.empty() ? rep.throughput : rep.snapshots.back().windowThroughput;
    last.workerPhases = rep.workerPhases;
    last.coordinatorPhases = rep.coordinator.phases;
    rep.snapshots.push_back(last);
    if (options.observer) options.observer->snapshot(id, index, last);
    if (rep.error.empty() && !rep.cancelled && rep.tasksDone != spec.tasks)
        rep.error = id + ": only " + std::to_string(rep.tasksDone) + " of " + std::to_string(spec.tasks) +
                    " tasks completed";
    if (spec.probes == Probes::Off) keepOnlyBareFigures(rep);
    return rep;
}

// A bare repetition measured its wall clock, completed count and CPU time; whatever its
// recorders left (start-to-stop lifetimes, spawn parts) is not a figure of it.
void keepOnlyBareFigures(RepetitionResult& rep) {
    RepetitionResult bare;
    bare.index = rep.index;
    bare.startNs = rep.startNs;
    bare.warmup = rep.warmup;
    bare.bare = true;
    bare.cancelled = rep.cancelled;
    bare.error = std::move(rep.error);
    bare.tasksDone = rep.tasksDone;
    bare.wallS = rep.wallS;
    bare.throughput = rep.throughput;
    bare.workerCount = rep.workerCount;
    bare.affinity = std::move(rep.affinity);
    bare.cpuWaitMeasured = false;
    bare.cpuS = rep.cpuS;
    bare.noise = rep.noise;
    rep = std::move(bare);
}

namespace {

// The run's identity and the backend's readiness; false (with run.error set) when it cannot run.
bool prepareRun(Backend& backend, const WorkloadSpec& spec, BackendRun& run) {
    auto info = backend.info();
    run.backend = info.id;
    run.family = info.family;
    run.workers = backend.effectiveWorkers(spec);
    auto avail = backend.availability();
    if (!avail.available) {
        run.error = info.id + ": unavailable: " + avail.reason;
        return false;
    }
    try {
        backend.prepare(spec);
    } catch (const std::exception& e) {
        run.error = e.what();
        return false;
    }
    return true;
}

// Keeps one finished repetition in its run; true when the run must not go on (error, cancel).
bool keepRepetition(BackendRun& run, RepetitionResult rep, int& measured) {
    const bool stop = !rep.error.empty() || rep.cancelled;
    if (!rep.error.empty()) run.error = rep.error;
    if (rep.cancelled) run.cancelled = true;
    keepDetailOfFirstRepetitions(rep, measured);
    run.repetitions.push_back(std::move(rep));
    return stop;
}

} // namespace

void keepDetailOfFirstRepetitions(RepetitionResult& rep, int& measured) {
    // Detail for the first measured repetitions only: --repeat 1000 must not grow memory
    // (and files) with every repetition's lanes, workers and snapshots.
    if (!rep.warmup && ++measured > kDetailedRepetitions && rep.error.empty()) {
        rep.workers = {};
        rep.lanes = {};
        rep.snapshots = {};
        rep.detailDropped = true;
    }
}

BackendRun Engine::runBackend(Backend& backend, const WorkloadSpec& spec, const EngineOptions& options) {
    BackendRun run;
    CancelToken neverCancelled;
    CancelToken& cancel = options.cancel ? *options.cancel : neverCancelled;
    if (!prepareRun(backend, spec, run)) return run;
    const int total = spec.warmup + spec.repeat;
    int measured = 0;
    for (int i = 0; i < total; ++i) {
        if (cancel.isCancelled()) {
            run.cancelled = true;
            break;
        }
        const bool warmup = i < spec.warmup;
        if (options.observer) options.observer->repetitionStarted(run.backend, i, warmup);
        RepetitionResult rep = runRepetition(backend, spec, i, warmup, options, cancel);
        if (options.observer) options.observer->repetitionFinished(run.backend, rep);
        if (keepRepetition(run, std::move(rep), measured)) break;
        if (runBareTwin(backend, spec, i, warmup, options, cancel, run)) break;
    }
    summarize(run);
    return run;
}

// --probes compare: the same repetition again, bare, right after (interleaved, so drifts in
// machine load hit both alike). Not shown live: it has no phases to show. True when the run
// must not go on.
bool Engine::runBareTwin(Backend& backend, const WorkloadSpec& spec, int index, bool warmup,
                         const EngineOptions& options, CancelToken& cancel, BackendRun& run) {
    if (spec.probes != Probes::Compare) return false;
    WorkloadSpec bareSpec = spec;
    bareSpec.probes = Probes::Off;
    EngineOptions quiet = options;
    quiet.observer = nullptr;
    RepetitionResult bare = runRepetition(backend, bareSpec, index, warmup, quiet, cancel);
    const bool stop = !bare.error.empty() || bare.cancelled;
    if (!bare.error.empty()) run.error = bare.error;
    if (bare.cancelled) run.cancelled = true;
    run.repetitions.push_back(std::move(bare));
    return stop;
}

void Engine::runInterleaved(const std::vector<Experiment*>& experiments,
                            const std::vector<std::string>& backends, const EngineOptions& options) {
    const WorkloadSpec& spec = experiments.front()->spec; // warmup and repeat: the same in every one
    CancelToken neverCancelled;
    CancelToken& cancel = options.cancel ? *options.cancel : neverCancelled;
    struct Lane {
        Experiment* ex = nullptr;
        size_t run = 0;                   // index into ex->runs
        std::unique_ptr<Backend> backend; // null: unknown, unavailable or failed to prepare
        int measured = 0;
        bool started = false;
    };
    // Backend-major: a backend's variants run back to back within a repetition.
    const size_t variants = experiments.size();
    std::vector<Lane> lanes(backends.size() * variants);
    auto& registry = BackendRegistry::instance();
    for (Experiment* ex : experiments)
        ex->runs.resize(backends.size());
    for (size_t i = 0; i < backends.size(); ++i)
        for (size_t v = 0; v < variants; ++v) {
            Lane& lane = lanes[i * variants + v];
            lane.ex = experiments[v];
            lane.run = i;
            BackendRun& run = lane.ex->runs[i];
            run.backend = backends[i];
            lane.backend = registry.create(backends[i]);
            if (!lane.backend) run.error = backends[i] + ": unknown backend";
        }
    auto finish = [&](Lane& lane) {
        summarize(lane.ex->runs[lane.run]);
        computeSpeedups(*lane.ex);
        lane.backend.reset();
        if (options.observer) options.observer->backendFinished(lane.ex->runs[lane.run]);
    };
    const int total = spec.warmup + spec.repeat;
    for (int r = 0; r < total; ++r) {
        for (size_t i = 0; i < backends.size(); ++i) {
            for (size_t j = 0; j < variants; ++j) {
                // A B, then B A: a drift across the invocation falls on every variant alike.
                const size_t v = r % 2 == 0 ? j : variants - 1 - j;
                const size_t k = i * variants + v;
                Lane& lane = lanes[k];
                const WorkloadSpec& laneSpec = lane.ex->spec;
                BackendRun& run = lane.ex->runs[lane.run];
                if (!lane.backend) continue;
                if (cancel.isCancelled()) { // every backend that has not finished is stopped
                    run.cancelled = true;
                    if (lane.started) finish(lane);
                    lane.backend.reset();
                    continue;
                }
                if (!lane.started) { // the observer sees each backend start before its first repetition
                    lane.started = true;
                    if (options.observer)
                        options.observer->backendStarted(backends[i], int(k), int(lanes.size()));
                    if (!prepareRun(*lane.backend, laneSpec, run)) {
                        finish(lane);
                        continue;
                    }
                }
                const bool warmup = r < spec.warmup;
                if (options.observer) options.observer->repetitionStarted(run.backend, r, warmup);
                RepetitionResult rep = runRepetition(*lane.backend, laneSpec, r, warmup, options, cancel);
                if (options.observer) options.observer->repetitionFinished(run.backend, rep);
                if (keepRepetition(run, std::move(rep), lane.measured) ||
                    runBareTwin(*lane.backend, laneSpec, r, warmup, options, cancel, run))
                    finish(lane);
            }
        }
    }
    for (Lane& lane : lanes)
        if (lane.backend) finish(lane);
    // A cancel before a backend's first repetition leaves it out, as when run one after the other.
    for (Experiment* ex : experiments) {
        std::erase_if(ex->runs, [](const BackendRun& r) {
            return r.cancelled && r.repetitions.empty() && r.error.empty();
        });
        computeSpeedups(*ex);
    }
}

std::vector<Experiment> Engine::runVariants(const std::vector<WorkloadSpec>& variants,
                                            const std::vector<std::string>& backends,
                                            const EngineOptions& options) {
    if (variants.empty()) throw std::invalid_argument("no workload variant to run");
    for (const auto& v : variants)
        if (v.repeat != variants.front().repeat || v.warmup != variants.front().warmup)
            throw std::invalid_argument("the variants differ in --repeat or --warmup: they are run "
                                        "repetition by repetition and need the same number of each");
    std::vector<Experiment> out(variants.size());
    const MachineInfo machine = currentMachine(); // one machine: the variants differ only in workload
    const std::string created = utcNow();
    std::vector<Experiment*> experiments;
    for (size_t v = 0; v < variants.size(); ++v) {
        out[v].spec = variants[v];
        out[v].spec.interleave = true;
        out[v].machine = machine;
        out[v].calibration = m_calibration;
        out[v].createdUtc = created;
        experiments.push_back(&out[v]);
    }
    runInterleaved(experiments, backends, options);
    return out;
}

Experiment Engine::run(const WorkloadSpec& spec, const std::vector<std::string>& backends,
                       const EngineOptions& options) {
    Experiment ex;
    ex.spec = spec;
    ex.machine = currentMachine();
    ex.calibration = m_calibration;
    ex.createdUtc = utcNow();
    if (spec.interleave) {
        runInterleaved({&ex}, backends, options);
        return ex;
    }
    auto& registry = BackendRegistry::instance();
    for (size_t i = 0; i < backends.size(); ++i) {
        if (options.cancel && options.cancel->isCancelled()) break;
        auto backend = registry.create(backends[i]);
        if (!backend) {
            BackendRun r;
            r.backend = backends[i];
            r.error = backends[i] + ": unknown backend";
            ex.runs.push_back(std::move(r));
            continue;
        }
        if (options.observer) options.observer->backendStarted(backends[i], int(i), int(backends.size()));
        BackendRun r = runBackend(*backend, spec, options);
        ex.runs.push_back(std::move(r));
        computeSpeedups(ex);
        if (options.observer) options.observer->backendFinished(ex.runs.back());
    }
    computeSpeedups(ex);
    return ex;
}

namespace {
// The medians over the measured repetitions that reaped worker processes.
ChildUsage medianChildUsage(const std::vector<RepetitionResult>& reps, bool instrumented) {
    std::vector<double> processes, minor, major, rss;
    for (const auto& r : reps) {
        if (r.warmup || !r.error.empty() || r.children.processes == 0 || (r.bare && instrumented)) continue;
        processes.push_back(double(r.children.processes));
        minor.push_back(r.children.minorFaults);
        major.push_back(r.children.majorFaults);
        rss.push_back(r.children.maxRssBytes);
    }
    if (processes.empty()) return {};
    return {int64_t(median(processes)), median(minor), median(major), median(rss)};
}
} // namespace

void summarize(BackendRun& run) {
    RunSummary s;
    std::vector<double> thr, wall, lat50, lat95, lat99, spawn, rtt, cores, startup;
    std::array<std::vector<double>, kPhaseCount> phases;
    // A compare run's figures are its instrumented repetitions'; a bare run's (--probes off)
    // are its bare ones'.
    bool instrumented = false;
    for (const auto& r : run.repetitions)
        instrumented = instrumented || !r.bare;
    for (const auto& r : run.repetitions) {
        if (r.warmup || !r.error.empty()) continue;
        if (r.cancelled && r.tasksDone == 0) continue;
        if (r.bare && instrumented) continue;
        thr.push_back(r.throughput);
        wall.push_back(r.wallS);
        lat50.push_back(r.latencyP50S);
        lat95.push_back(r.latencyP95S);
        lat99.push_back(r.latencyP99S);
        spawn.push_back(r.spawnCostS);
        startup.push_back(r.startupS);
        s.cpuWaitMeasured = s.cpuWaitMeasured && r.cpuWaitMeasured;
        rtt.push_back(r.roundTripS);
        cores.push_back(r.wallS > 0 ? r.cpuS / r.wallS : 0);
        for (int p = 0; p < kPhaseCount; ++p)
            phases[size_t(p)].push_back(nsToSeconds(r.workerPhases.ns[size_t(p)]));
    }
    s.repetitions = int(thr.size());
    s.throughput = estimate(thr);
    s.wallS = estimate(wall);
    double total = 0;
    for (int p = 0; p < kPhaseCount; ++p) {
        s.phaseS[size_t(p)] = estimate(phases[size_t(p)]);
        total += s.phaseS[size_t(p)].median;
    }
    for (int p = 0; p < kPhaseCount; ++p)
        s.phaseShare[size_t(p)] = total > 0 ? s.phaseS[size_t(p)].median / total : 0;
    s.latencyP50S = median(lat50);
    s.latencyP95S = median(lat95);
    s.latencyP99S = median(lat99);
    s.spawnCostS = median(spawn);
    s.startupS = median(startup);
    s.roundTripS = median(rtt);
    s.coresBusy = median(cores);
    s.speedup = run.summary.speedup;
    s.efficiency = run.summary.efficiency;
    s.instrumentation = instrumentationCost(run.repetitions);
    s.children = medianChildUsage(run.repetitions, instrumented);
    run.summary = s;
}

std::optional<InstrumentationCost> instrumentationCost(const std::vector<RepetitionResult>& reps) {
    // Pairs: a measured instrumented repetition and the bare one right after it.
    std::vector<double> perTask, share, bareThroughput;
    auto usable = [](const RepetitionResult& r) {
        return !r.warmup && r.error.empty() && !r.cancelled && r.tasksDone > 0 && r.wallS > 0;
    };
    for (size_t i = 0; i + 1 < reps.size(); ++i) {
        const RepetitionResult &a = reps[i], &b = reps[i + 1];
        if (a.bare || !b.bare || a.index != b.index || !usable(a) || !usable(b)) continue;
        perTask.push_back((a.wallS - b.wallS) / double(a.tasksDone));
        share.push_back((a.wallS - b.wallS) / a.wallS);
        bareThroughput.push_back(b.throughput);
    }
    if (perTask.empty()) return std::nullopt;
    InstrumentationCost c;
    c.pairs = int(perTask.size());
    c.perTaskS = median(perTask);
    c.shareOfWall = median(share);
    c.bareThroughput = median(bareThroughput);
    return c;
}

void computeSpeedups(Experiment& ex) {
    // Python backends compare with py-sequential when it ran (the interpreter's own
    // baseline); everything else, and python without py-sequential, with sequential.
    const BackendRun *seq = nullptr, *pySeq = nullptr;
    for (const auto& r : ex.runs) {
        if (r.summary.repetitions == 0 || !r.error.empty() || r.cancelled) continue;
        if (r.backend == "sequential") seq = &r;
        if (r.backend == "py-sequential") pySeq = &r;
    }
    for (auto& r : ex.runs) {
        r.summary.speedup.reset();
        r.summary.efficiency.reset();
        const BackendRun* base = (r.family == "python" && pySeq) ? pySeq : seq;
        if (!base || r.summary.repetitions == 0 || base->summary.throughput.median <= 0) continue;
        double sp = r.summary.throughput.median / base->summary.throughput.median;
        r.summary.speedup = sp;
        r.summary.efficiency = sp / std::max(1, r.workers);
    }
}

std::vector<std::string> resolveBackendList(const std::string& text, std::vector<std::string>& unknown) {
    auto& registry = BackendRegistry::instance();
    std::vector<std::string> out;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        if (item.empty()) continue;
        if (item == "all") {
            for (const auto& info : registry.list())
                if (registry.create(info.id)->availability().available &&
                    std::find(out.begin(), out.end(), info.id) == out.end())
                    out.push_back(info.id);
            continue;
        }
        bool family = false;
        for (const auto& info : registry.list())
            if (info.family == item) {
                family = true;
                if (std::find(out.begin(), out.end(), info.id) == out.end()) out.push_back(info.id);
            }
        if (family) continue;
        // `process-pool:fork` names the plain id (fork is the default start method).
        if (const std::string fork = ":fork"; !registry.contains(item) && item.size() > fork.size() &&
                                              item.ends_with(fork) &&
                                              registry.contains(item.substr(0, item.size() - fork.size())))
            item.resize(item.size() - fork.size());
        if (!registry.contains(item))
            unknown.push_back(item);
        else if (std::find(out.begin(), out.end(), item) == out.end())
            out.push_back(item);
    }
    return out;
}

} // namespace conlab
