#include "fidelity.h"

#include "../system/parent_memory.h"

#include "python_references.h"
#include "raw_primitives.h"

#include "../backends/process_workers.h"
#include "../backends/python_backend.h"
#include "../engine.h"
#include "../statistics.h"
#include "../system/affinity_scope.h"

#include <cmath>
#include <sched.h>
#include <stdexcept>

namespace conlab {

const char* toString(FidelityVerdict v) {
    switch (v) {
    case FidelityVerdict::WithinGoal:
        return "within goal";
    case FidelityVerdict::OverGoal:
        return "over goal";
    case FidelityVerdict::Reference:
        return "reference only";
    case FidelityVerdict::Skipped:
        return "skipped";
    }
    return "?";
}

void judge(FidelityRow& row) {
    const double ratio = row.roundRatios.empty() ? 0 : median(row.roundRatios);
    row.ratio = std::isfinite(ratio) && ratio > 0 ? ratio : 0;
    if (row.ratio <= 0 || row.goal <= 0)
        row.verdict = FidelityVerdict::Reference;
    else
        row.verdict = row.ratio <= row.goal ? FidelityVerdict::WithinGoal : FidelityVerdict::OverGoal;
}

namespace {

// How much each row measures. Full: medians of 5 interleaved rounds, ~30 s on an idle 2-vCPU
// VM; quick: 3 smaller rounds, a smoke check of every row (tests, the GUI's first look).
struct Sizes {
    int rounds;
    int forks, execs, threads;            // creations per round (raw and conlab alike)
    int heavyForks;                       // forks per round with kHeavyParentBytes held
    int pingTasks, pingMessages, spins;   // round trips per round: tasks × messages, spins
    int pingRounds;                       // rounds of the message rows: short, so more of them
    int pyForks, pyForkservers, pySpawns; // Python process starts per round
    int pyTasks;                          // Python tasks per round (conlab runs this and twice this)
};
// The Python per-task rows take the difference of two runs (N and 2N tasks), so N must make
// that difference large against the runs' own jitter (an interpreter start varies by ms):
// 2000 tasks of ~15 µs differ by ~30 ms. With 200 a loaded CI machine measured py-threads'
// difference below zero; tasks cost little beside the interpreter starts.
constexpr Sizes kFull{5, 200, 50, 500, 20, 100, 100, 20000, 11, 20, 5, 3, 4000};
constexpr Sizes kQuick{3, 40, 10, 100, 5, 20, 50, 2000, 3, 4, 2, 2, 2000};
// The fork-parent-memory row: what --parent-memory makes the coordinator hold (~13 ms a fork).
constexpr int64_t kHeavyParentBytes = int64_t(256) << 20;

std::vector<int> allowedCpus() {
    cpu_set_t set;
    CPU_ZERO(&set);
    std::vector<int> cpus;
    if (sched_getaffinity(0, sizeof set, &set) != 0) return cpus;
    for (int c = 0; c < CPU_SETSIZE; ++c)
        if (CPU_ISSET(c, &set)) cpus.push_back(c);
    return cpus;
}

std::string placementOf(const std::vector<int>& cpus) {
    std::string s = cpus.size() == 1 ? "CPU " : "CPUs ";
    for (size_t i = 0; i < cpus.size(); ++i)
        s += (i ? "," : "") + std::to_string(cpus[i]);
    return s;
}

class RowRunner {
  public:
    RowRunner(const Calibration& calibration, const FidelityOptions& options, const Sizes& sizes)
        : m_engine(calibration), m_options(options), m_sizes(sizes) {}

    bool cancelled() const { return m_options.cancel && m_options.cancel->isCancelled(); }

    // The backend's one measured repetition of `spec` on `backend`, pinned to spec.cpus by
    // the engine. Throws std::runtime_error with the backend's error.
    RepetitionResult runBackend(const WorkloadSpec& spec, const std::string& backend) {
        EngineOptions opt;
        opt.cancel = m_options.cancel;
        Experiment ex = m_engine.run(spec, {backend}, opt);
        const BackendRun& run = ex.runs.at(0);
        if (!run.error.empty()) throw std::runtime_error(run.error);
        if (run.cancelled || run.repetitions.empty()) throw std::runtime_error("cancelled");
        return run.repetitions.back();
    }

    // Interleaves `rounds` raw and conlab measurements (the machine's drift hits both alike)
    // and keeps the medians; a failure or a non-positive figure skips the row with the reason.
    // The ratio is the median of the rounds' own ratios: each round measures both back to back,
    // so a slow stretch of the machine (a VM's neighbours) cancels out of it instead of moving
    // one median. rounds: 0 for the size's default.
    template <class Raw, class Conlab>
    void measure(FidelityRow& row, const std::vector<int>& pin, Raw raw, Conlab conlab, int rounds = 0) {
        std::vector<double> raws, conlabs;
        try {
            for (int r = 0; r < (rounds > 0 ? rounds : m_sizes.rounds) && !cancelled(); ++r) {
                {
                    AffinityScope scope(pin);
                    raws.push_back(raw());
                }
                if (row.backend.empty()) continue;
                conlabs.push_back(conlab());
            }
        } catch (const std::exception& e) {
            row.verdict = FidelityVerdict::Skipped;
            row.explanation = e.what();
            return;
        }
        row.rawS = raws.empty() ? 0 : median(raws);
        row.conlabS = conlabs.empty() ? 0 : median(conlabs);
        if (!row.backend.empty() && !(row.conlabS > 0 && row.rawS > 0)) {
            row.verdict = FidelityVerdict::Skipped;
            row.explanation = cancelled() ? "cancelled" : "no positive value measured (too noisy?)";
            return;
        }
        for (size_t r = 0; r < std::min(raws.size(), conlabs.size()); ++r)
            if (raws[r] > 0 && conlabs[r] > 0) row.roundRatios.push_back(conlabs[r] / raws[r]);
        judge(row);
    }

    WorkloadSpec emptyTasks(int tasks, const std::vector<int>& pin) const {
        WorkloadSpec spec;
        spec.tasks = tasks;
        spec.workers = 1;
        spec.taskUs = 0;
        spec.cpus = pin;
        return spec;
    }

    const Sizes& sizes() const { return m_sizes; }

  private:
    Engine m_engine;
    const FidelityOptions& m_options;
    Sizes m_sizes;
};

FidelityRow row(std::string id, std::string figure, std::string backend, std::string primitive,
                std::string placement, double goal, std::string explanation) {
    FidelityRow r;
    r.id = std::move(id);
    r.figure = std::move(figure);
    r.backend = std::move(backend);
    r.primitive = std::move(primitive);
    r.placement = std::move(placement);
    r.goal = goal;
    r.explanation = std::move(explanation);
    return r;
}

void nativeRows(RowRunner& run, const std::vector<int>& one, const std::vector<int>& two,
                std::vector<FidelityRow>& out, const FidelityOptions& options, int& index, int total) {
    const Sizes& n = run.sizes();
    auto announce = [&](const FidelityRow& r) {
        if (options.progress) options.progress(index, total, r.figure);
        ++index;
    };
    const std::string place = placementOf(one);

    FidelityRow fork = row("fork", "process-per-task spawn cost per worker", "process-per-task",
                           "fork + _exit + waitpid of this process", place, 1.3,
                           "conlab's worker also closes inherited fds, sends HELLO, reads the task header, "
                           "reports its phases and timeline, and is reaped through its pipe's EOF");
    announce(fork);
    run.measure(
        fork, one, [&] { return raw::forkExitWaitS(n.forks); },
        [&] { return run.runBackend(run.emptyTasks(n.forks, one), fork.backend).spawnCostS; });
    out.push_back(fork);

    // The same with the coordinator holding 256 MiB (--parent-memory): both sides copy the same
    // page tables, so the ratio says what conlab adds to a heavy fork (issue 16).
    FidelityRow heavy =
        row("fork-parent-memory", "process-per-task spawn cost per worker, 256 MiB parent memory",
            "process-per-task", "fork + _exit + waitpid of this process holding the same 256 MiB", place, 1.3,
            "as the fork row; the page-table copy of the held memory is both sides' and dominates");
    announce(heavy);
    run.measure(
        heavy, one,
        [&] {
            ParentMemory held(kHeavyParentBytes, 0); // mapped and touched before the forks are timed
            return raw::forkExitWaitS(n.heavyForks);
        },
        [&] {
            WorkloadSpec spec = run.emptyTasks(n.heavyForks, one);
            spec.parentMemory = kHeavyParentBytes;
            return run.runBackend(spec, heavy.backend).spawnCostS;
        });
    out.push_back(heavy);

    std::string why;
    const std::string worker = workerExecutablePath(&why);
    FidelityRow exec =
        row("spawn-exec", "process-per-task:spawn spawn cost per worker", "process-per-task:spawn",
            "posix_spawn + exec of conlab-worker + waitpid", place, 1.3,
            "conlab's exec'd worker also reads its configuration frame, sends HELLO, reads the "
            "task header and reports its phases before it exits");
    announce(exec);
    if (worker.empty()) {
        exec.verdict = FidelityVerdict::Skipped;
        exec.explanation = "no conlab-worker: " + why;
    } else {
        // `--parent 0` is not its parent: conlab-worker exits at once, after exec and its start-up.
        run.measure(
            exec, one,
            [&] {
                return raw::spawnExecWaitS(worker, {"--parent", "0"}, n.execs);
            },
            [&] { return run.runBackend(run.emptyTasks(n.execs, one), exec.backend).spawnCostS; });
    }
    out.push_back(exec);

    FidelityRow thread =
        row("pthread", "thread-per-task spawn cost per worker", "thread-per-task",
            "pthread_create + pthread_join of an empty function", place, 1.5,
            "conlab's worker is a std::thread that also starts its phase recorder, takes the "
            "task from the hub, records its timeline and hands its record back");
    announce(thread);
    run.measure(
        thread, one, [&] { return raw::pthreadCreateJoinS(n.threads); },
        [&] { return run.runBackend(run.emptyTasks(n.threads, one), thread.backend).spawnCostS; });
    out.push_back(thread);

    const int64_t roundTrips = int64_t(n.pingTasks) * n.pingMessages;
    auto messageSpec = [&](const std::vector<int>& pin) {
        WorkloadSpec spec = run.emptyTasks(n.pingTasks, pin);
        spec.messages = n.pingMessages;
        spec.payload = 8;
        return spec;
    };
    FidelityRow pipe = row("pipe", "process-pool message round trip", "process-pool",
                           "pipe ping-pong, 8 bytes, both ends blocking", place, 1.1,
                           "each message carries a 48-byte frame header, its pattern is built and "
                           "verified and each side switches phase twice (two clock reads); with one worker "
                           "the coordinator blocks in read(2) like the raw ping-pong, with several in "
                           "epoll_wait");
    announce(pipe);
    run.measure(
        pipe, one, [&] { return pipePingPong(8, roundTrips).meanRoundTripS; },
        [&] { return run.runBackend(messageSpec(one), pipe.backend).roundTripS; }, n.pingRounds);
    out.push_back(pipe);

    FidelityRow futex = row("futex", "shm-pool message round trip", "shm-pool",
                            "futex ping-pong on one shared word", place, 1.5,
                            "conlab copies the 8-byte payload through its shared boxes, checks the sequence "
                            "words, fills and verifies the pattern and times the round trip");
    announce(futex);
    run.measure(
        futex, one, [&] { return futexPingPong(roundTrips).meanRoundTripS; },
        [&] { return run.runBackend(messageSpec(one), futex.backend).roundTripS; }, n.pingRounds);
    out.push_back(futex);

    FidelityRow spin = row("spin", "shm-pool:spin message round trip", "shm-pool:spin",
                           "spin hand-off through shared memory", placementOf(two), 3.0,
                           "the floor of any cross-process hand-off is one cache line moving between CPUs; "
                           "conlab's spinning waiters also copy the payload through the shared boxes, "
                           "check the sequence words, fill and verify the pattern and time the round trip, "
                           "and sleep on the futex after 50 us (a peer that was not running)");
    announce(spin);
    run.measure(
        spin, two, [&] { return spinPingPong(n.spins).meanRoundTripS; },
        [&] { return run.runBackend(messageSpec(two), spin.backend).roundTripS; }, n.pingRounds);
    out.push_back(spin);
}

// What conlab's python worker does beyond Process().start(); join() with start method `method`.
std::string explainPythonStart(bool perTask, const std::string& method) {
    if (perTask)
        return "conlab's Python worker also gets its task and a pipe, says hello, runs the phase recorder "
               "and "
               "sends its result and phase totals before it exits";
    std::string s =
        "conlab's pool worker also runs the driver's initializer (hello on a queue, phase recorder) "
        "and its finalizer (goodbye with phase totals)";
    if (method == "forkserver")
        s += "; its figure includes starting the fork server (a fresh interpreter that imports conlab's "
             "driver), "
             "which the reference starts before it times";
    if (method == "spawn")
        s += "; the fresh interpreter imports conlab's driver module, larger than the reference";
    return s;
}

void pythonRows(RowRunner& run, const std::vector<int>& one, std::vector<FidelityRow>& out,
                const FidelityOptions& options, int& index, int total, std::string& pythonNote) {
    const Sizes& n = run.sizes();
    const python::Interpreter in = python::probeInterpreter();
    std::string scriptError;
    const bool haveScript = !python::referenceScriptPath(scriptError).empty();
    pythonNote = in.ok ? in.path + " (Python " + in.version + ", default start method " + in.startMethod + ")"
                       : "skipped: " + in.reason;
    const std::string skipReason = !in.ok        ? "Python unavailable: " + in.reason
                                   : !haveScript ? scriptError
                                                 : std::string();
    const std::string place = placementOf(one);
    auto announce = [&](const FidelityRow& r) {
        if (options.progress) options.progress(index, total, r.figure);
        ++index;
    };
    auto finish = [&](FidelityRow& r, auto raw, auto conlab) {
        announce(r);
        if (!skipReason.empty()) {
            r.verdict = FidelityVerdict::Skipped;
            r.explanation = skipReason;
        } else {
            run.measure(r, one, raw, conlab);
        }
        out.push_back(r);
    };

    struct Method {
        const char* name;
        int count;
    };
    for (const Method m :
         {Method{"fork", n.pyForks}, Method{"forkserver", n.pyForkservers}, Method{"spawn", n.pySpawns}}) {
        // py-process-per-task runs the interpreter's default start method; the others are
        // compared with the pool that uses them, whose spawn cost is one worker's start and end.
        const bool perTask = in.ok && m.name == in.startMethod;
        const std::string backend =
            perTask ? "py-process-per-task" : std::string("py-process-pool:") + m.name;
        FidelityRow r = row(std::string("py-start-") + m.name, backend + " spawn cost per worker", backend,
                            std::string("multiprocessing '") + m.name + "' Process().start(); join()", place,
                            1.5, explainPythonStart(perTask, m.name));
        const int count = m.count;
        finish(
            r,
            [&, count] {
                return python::runPythonReference(
                    in, "process-start:" + std::string(m.name) + ":" + std::to_string(count), 120000);
            },
            [&, count, backend] {
                return run.runBackend(run.emptyTasks(perTask ? count : 1, one), backend).spawnCostS;
            });
    }

    // Per task at steady state: conlab's marginal cost, (wall(2N) − wall(N)) / N (walls less
    // the one-time start-up), in which the interpreter's start, the pool's start and their
    // teardown cancel; the reference times its map of N tasks on a pool already started.
    auto marginalPerTask = [&](const std::string& backend) {
        WorkloadSpec spec = run.emptyTasks(n.pyTasks, one);
        spec.chunksize = 1;
        // Less the interpreter's start and exit (startupS), whose spread on a busy machine is
        // as large as the tasks' whole time: the difference keeps the tasks.
        auto work = [](const RepetitionResult& r) { return r.wallS - r.startupS; };
        const double once = work(run.runBackend(spec, backend));
        spec.tasks = 2 * n.pyTasks;
        const double twice = work(run.runBackend(spec, backend));
        return (twice - once) / n.pyTasks;
    };
    FidelityRow pool =
        row("py-pool", "py-pool cost per empty task (chunksize 1)", "py-pool",
            "Pool(1).map(f, range(N), chunksize=1)", place, 1.2,
            "conlab's pool task also switches phases, derives its seeds, checks its input and "
            "returns a 5-tuple result (checksum, latency, pid, totals now and then) that the "
            "coordinator verifies and records; on one CPU the pool's threads, its worker and conlab "
            "share the CPU, so every µs of Python per task shows in full");
    finish(
        pool, [&] { return python::runPythonReference(in, "pool-map:" + std::to_string(n.pyTasks), 120000); },
        [&] { return marginalPerTask("py-pool"); });

    FidelityRow threads = row("py-threads", "py-threads cost per empty task", "py-threads",
                              "ThreadPoolExecutor(1).map(f, range(N))", place, 1.5,
                              "conlab's thread task also switches phases, derives its seeds, checks its "
                              "result and records its latency under the GIL");
    finish(
        threads,
        [&] { return python::runPythonReference(in, "threads-map:" + std::to_string(n.pyTasks), 120000); },
        [&] { return marginalPerTask("py-threads"); });
}

} // namespace

FidelityReport runFidelity(const Calibration& calibration, const FidelityOptions& options) {
    const std::vector<int> cpus = allowedCpus();
    if (cpus.empty()) throw std::runtime_error("fidelity: cannot read this process's CPU affinity");
    // One CPU where it applies (both ends of a blocking hand-off on one core: the same-core
    // wake-up, ~30× cheaper than across vCPUs here); the spin hand-off needs two.
    const std::vector<int> one{cpus.front()};
    const std::vector<int> two(cpus.begin(), cpus.begin() + std::min<long>(2, long(cpus.size())));
    const Sizes sizes = options.quick ? kQuick : kFull;
    RowRunner run(calibration, options, sizes);
    FidelityReport report;
    report.rounds = sizes.rounds;
    report.messageRounds = sizes.pingRounds;
    constexpr int kRows = 12;
    int index = 0;
    nativeRows(run, one, two, report.rows, options, index, kRows);
    pythonRows(run, one, report.rows, options, index, kRows, report.python);
    report.cancelled = run.cancelled();
    return report;
}

} // namespace conlab
