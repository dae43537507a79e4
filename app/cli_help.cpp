#include "cli_help.h"

#include <algorithm>

namespace conlab::cli {

namespace {

const char* const kWorkloadOptions = R"(workload options:
  --tasks N               number of tasks, 1 … 10000000 (default 1000)
  --workers N             concurrent workers, 1 … 1024 (default: online cores)
  --task-us US            CPU time per task on this machine, 0 … 10000000 µs (default 100)
  --kind cpu|memory|io    compute loop, memory streaming, or blocking wait (default cpu)
  --working-set BYTES     buffer streamed by memory tasks, 64 … 1G (default 64K)
  --input BYTES           bytes shipped to each task, 0 … 1G (default 0)
  --result BYTES          bytes shipped back from each task, 0 … 1G (default 0)
  --messages N            messages exchanged with the coordinator per task, 0 … 1000000 (default 0)
  --payload BYTES         bytes per message, 0 … 1G (default 64)
  --chunksize N           tasks per dispatch in pools, 1 … 1000000 (default 1)
  --cpus LIST             pin the run to CPUs, e.g. 0 or 0-1
  --repeat N              measured repetitions, 1 … 1000 (default 1)
  --warmup N              discarded repetitions before, 0 … 100 (default 0)
  --interleave            repetition r of every backend before repetition r+1 (warmups first),
                          so slow drifts in machine load hit every backend alike
  --task-timeout S        fail a worker whose task runs longer, 0.001 … 86400 s (default 60)
  --probes on|off|compare on: record every phase (default); off: bare, only wall clock and
                          completed count; compare: each repetition instrumented, then bare,
                          and the difference reported as the instrumentation cost
  --parent-memory BYTES   the coordinator maps and touches this much before each repetition's
                          workers start: what fork copies the page tables of, 0 … 16G (default 0)
  --child-touch F         each forked worker writes this fraction of it (copy-on-write), 0 … 1
sizes accept K, M, G suffixes (binary): 4K = 4096.
an option without effect (--payload with --messages 0, --working-set without --kind memory,
--figure or --size without --plot) prints "conlab: warning: …" on stderr; the run proceeds.
)";

const char* const kExitCodes =
    R"(exit codes: 0 ok, 1 a run failed (the message names the backend), 2 usage error, invalid
spec or a results file that cannot be loaded.
)";

std::string runHelp() {
    return std::string(R"(usage: conlab run [options]

Runs the workload on each backend, one after another (--interleave: repetition by repetition),
and prints per backend: wall time, throughput, speedup over sequential, efficiency, the
spawn/startup/ipc/compute/cpu-wait/idle shares of worker time (docs/measurement.md), task
latency, the cost of one spawn, the run's one-time start-up and the cost of one message round
trip.

examples:
  conlab run --backends all --tasks 2000 --task-us 50 --messages 1 --payload 4K
  conlab run --backends sequential,process-pool --format json --output r.json --plot r.svg

options:
  --backends ID,ID…|all   backends or families to run (default: all available; see conlab backends)
  --format table|json|csv output format (default table); json is the results file
  --output FILE           write there instead of stdout (atomically)
  --advise                add a recommendation derived from the measured numbers: under the
                          table, in the json's "advice" array; with csv on stderr
  --python PATH           interpreter for the python backends (default: $CONLAB_PYTHON, else
                          python3 on PATH)
  --plot FILE             also render the summary figure (.png, .pdf or .svg; other figures:
                          conlab plot)

A/B on one machine (docs/compare.md):
  --ab OPTIONS            given twice: workload options for variant A, then B, applied over
                          the others; both run on every backend in one invocation, repetition
                          by repetition in alternating order (A B, B A, …), and B is compared
                          with A as conlab compare does (ratio, 95% interval, Mann–Whitney U,
                          verdict). --repeat and --warmup are shared; --plot and --advise do
                          not apply. e.g. --ab '--chunksize 1' --ab '--chunksize 16'
  --alpha A               with --ab: significance level, 0 < A < 1 (default 0.05)
  --fail-if-slower PCT    with --ab: exit 3 when a backend is significantly slower with B than
                          with A by more than PCT percent
)") + kWorkloadOptions +
           kExitCodes;
}

std::string sweepHelp() {
    return std::string(
               R"(usage: conlab sweep --param NAME (--values V,V,… | --from A --to B [--steps N] [--scale log|linear])
                    [--param2 NAME (--values V,V,… | --from2 A --to2 B [--steps2 N] [--scale2 log|linear])]
                    [workload options] [options]

Varies one parameter, runs every backend at each value (interleaved: repetition r of every
backend before repetition r+1, so drifts in machine load hit them alike), and reports per
backend where its speedup over sequential crosses 1 (the break-even point). With --param2 it
runs that sweep at every value of a second parameter: a map, with per backend its speedup in
every cell and its break-even in every row (the contour), and the best backend per cell.

examples:
  conlab sweep --param task-us --from 1 --to 10000 --steps 9 --scale log \
      --backends sequential,process-per-task,process-pool,thread-pool --advise
  conlab sweep --param workers --values 1,2,4,8 --backends sequential,thread-pool --plot w.png
  conlab sweep --param task-us --values 1,10,100,1000 --param2 payload --values 64,64K,1M \
      --messages 1 --backends sequential,thread-pool,process-pool --output map.json --format json

sweep options:
  --param NAME            task-us, workers, payload, messages, input, tasks or chunksize
  --values V,V,…          explicit values (sizes as 64,4K,1M)
  --from A --to B         a range instead of --values
  --steps N               number of values in the range, 2 … 1000 (default 5)
  --scale log|linear      spacing of the range (default linear)
  --param2 NAME           a second parameter (a map); its values: the --values given after it,
                          or --values2, or --from2/--to2/--steps2/--scale2
  --map-backend ID        a map's speedup figure: this backend (default: the first that is not
                          sequential)

options:
  --backends ID,ID…|all   backends or families to run (default: all available)
  --format table|json|csv output format (default table); json is the sweep results file
  --output FILE           write there instead of stdout (atomically)
  --advise                add a recommendation derived from the measured numbers: under the
                          table, in the json's "advice" array; with csv on stderr
  --python PATH           interpreter for the python backends
  --plot FILE             also render a figure (.png, .pdf or .svg)
  --figure NAME           with --plot: speedup (default), summary, throughput or phases; a map:
                          map (default: both heat-maps), best or speedup
  --size WxH              with --plot: figure size in pixels
)") + kWorkloadOptions +
           kExitCodes;
}

std::string lessonHelp() {
    return std::string(R"(usage: conlab lesson list
       conlab lesson run NAME [--format table|json|csv] [--output FILE] [--advise]
                              [--plot FILE [--figure NAME] [--size WxH]] [--budget SECONDS]

Built-in demonstrations of the classic claims (spawning costs, pools amortize spawn, tiny
tasks, the GIL, …). `list` names them; `run NAME` runs one and prints a verdict computed
from the measured data: does the claim hold on this machine, and by how much. The backends
run interleaved, 3 repetitions first and more while the verdict is not clear (within the time
budget). Three verdicts: the claim holds; it does not hold (a clear margin, stable data, a
quiet machine); or inconclusive, with why (the machine was busy, unstable data) and what to
do. Noise never makes a claim "not hold" (docs/measurement.md, Verdicts).

examples:
  conlab lesson list
  conlab lesson run tiny-tasks
  conlab lesson run chunking --plot chunking.pdf

options of lesson run:
  --format table|json|csv output format (default table); json is the sweep results file
  --output FILE           write there instead of stdout (atomically)
  --advise                add a recommendation derived from the measured numbers: under the
                          table, in the json's "advice" array; with csv on stderr
  --plot FILE             also render a figure (.png, .pdf or .svg)
  --figure NAME           with --plot: speedup (default), summary, throughput or phases
  --size WxH              with --plot: figure size in pixels
  --budget SECONDS        time for the whole lesson, 1 … 86400 (default 180): retries that add
                          repetitions start only when they end within it
exit codes: 0 the lesson ran, whatever its verdict (holds, does not hold, inconclusive); 1 a
run failed or was interrupted; 2 usage error.
)");
}

std::string plotHelp() {
    return std::string(
               R"(usage: conlab plot RESULTS.json --out FILE.png|.pdf|.svg [--figure NAME] [--size WxH] [--scale S]

Renders a figure from a results file (conlab run --format json, a sweep or lesson file, or a
file saved by the app). No display is needed. The format follows the suffix of --out.

examples:
  conlab plot r.json --out breakdown.pdf --figure breakdown
  conlab plot r.json --out timeline.png --figure timeline --size 1600x900 --scale 2

options:
  --out FILE              the figure to write (.png, .pdf or .svg); required
  --figure NAME           run files: summary (default), throughput, breakdown or timeline;
                          sweep files: speedup (default), summary, throughput or phases;
                          map files (sweep --param2): map (default), best or speedup
  --map-backend ID        map files: the speedup heat-map's backend
  --size WxH              figure size in pixels, 16 … 20000 each way
  --scale S               PNG pixel density, 0.25 … 8 (default 1)
)") + kExitCodes;
}

std::string traceHelp() {
    return std::string(R"help(usage: conlab trace RESULTS.json --out TRACE.json

Writes the worker timelines of a results file (conlab run --format json, a sweep or lesson
file, or a file saved by the app) as Chrome trace-event JSON: open it in ui.perfetto.dev or
chrome://tracing. Each phase interval (spawn, startup, ipc, compute, cpu-wait, idle) is one
event on the OS process and thread that ran it: thread backends' threads in conlab's process,
each worker process of a process backend as its own process. Where a file does not say which
(library lanes, python workers, workers past the first 64 of a repetition, older files), the
lane gets a stand-in id above the largest pid, named "(ids not recorded)". Backends and
repetitions follow one another, 1 ms apart.

examples:
  conlab run --backends thread-pool,process-pool --format json --output r.json
  conlab trace r.json --out trace.json

options:
  --out FILE              the trace to write (atomically); required
exit codes: 0 written, 1 it cannot be written, 2 usage error or a results file that cannot be
loaded.
)help");
}

std::string showHelp() {
    return std::string(R"(usage: conlab show FILE [--format table|json|csv]

Prints a saved results file as the command that wrote it printed it: a run's table; a sweep's
table and break-even points; a lesson's title, explanation, sweep table and verdict; and the
advice when the file was written with --advise (with csv on stderr). A file that does not load
(truncated, malformed, newer schema, implausible values, too big) is refused with the reason and
exit code 2.

options:
  --format table|json|csv output format (default table)
)") + kExitCodes;
}

std::string backendsHelp() {
    return std::string(R"(usage: conlab backends [--format table|json] [--python PATH]

Lists every backend with its family, what it models, and whether it can run here (and if not,
why not).

options:
  --format table|json     output format (default table)
  --python PATH           interpreter whose availability the python backends report
)");
}

std::string calibrateHelp() {
    return std::string(R"(usage: conlab calibrate [--python PATH]

Re-measures the kernel speeds (µs of CPU → loop iterations) of the native kernels and, when a
Python interpreter is usable, of the python backends, and caches them. Runs measure with the
cached calibration.

options:
  --python PATH           interpreter to calibrate (default: $CONLAB_PYTHON, else python3 on PATH)
)");
}

std::string pingpongHelp() {
    return std::string(R"(usage: conlab pingpong [--payload BYTES] [--iterations N] [--cpus LIST]

An independent pipe ping-pong microbenchmark between two processes: the median and mean round
trip of one message, to compare with the IPC cost that runs report.

options:
  --payload BYTES         bytes per message, 1 … 64M (default 64; K, M suffixes)
  --iterations N          round trips, 1 … 10000000 (default 20000)
  --cpus LIST             pin both processes to these CPUs, e.g. 0 or 0-1
)");
}

std::string fidelityHelp() {
    return std::string(
        R"(usage: conlab fidelity [--format table|json|csv] [--output FILE] [--quick] [--python PATH]

Checks every figure against the raw primitive it stands for (docs/fidelity.md). In this
process, pinned to one CPU where it applies, it measures the raw mechanism (fork + _exit +
waitpid, posix_spawn + exec of conlab-worker, pthread create + join, pipe and futex ping-pong,
a spin hand-off, and Python's Process start per start method, Pool.map and
ThreadPoolExecutor.map) and then the matching backend on the matching minimal workload (one
worker, empty tasks), interleaved, and prints per row conlab's value, the raw value, the
ratio, the goal, a verdict (within goal, over goal, reference only, skipped) and what
conlab's worker does beyond the primitive. Python rows are skipped, with the reason, when
Python is unavailable. About 30 s on an idle 2-vCPU machine; --quick about 10 s.

examples:
  conlab fidelity
  conlab fidelity --format json --output fidelity.json

options:
  --format table|json|csv output format (default table)
  --output FILE           write there instead of stdout (atomically)
  --quick                 fewer, smaller rounds: a smoke check of every row, not a measurement
  --python PATH           interpreter for the python rows (default: $CONLAB_PYTHON, else python3)

exit codes: 0 measured (verdicts are information, not failures), 1 an error or interrupted,
2 usage error.
)");
}

std::string compareHelp() {
    return std::string(
        R"(usage: conlab compare BASE.json NEW.json [--format table|json|csv] [--output FILE]
                      [--alpha A] [--fail-if-slower PCT] [--force]

Compares two results files of the same workload on the same machine (docs/compare.md). Per
backend in both, and per figure (throughput, wall, p50 latency, each worker phase), over the
measured repetitions (warm-ups and bare ones left out): the medians, their ratio NEW/BASE
with a distribution-free 95% interval (Hodges–Lehmann, on logarithms), the two-sided
Mann–Whitney U test (exact for ≤ 50 repetitions without ties), and a verdict: faster, slower
(less/more time for a phase) or no significant difference. Run both with --repeat 5 or more:
with 3 repetitions each the smallest possible p is 0.1. Files whose machine or workload differ
are refused, with what differs, unless --force.

examples:
  conlab run --backends thread-pool,process-pool --repeat 8 --format json --output base.json
  conlab run --backends thread-pool,process-pool --repeat 8 --format json --output new.json
  conlab compare base.json new.json
  conlab compare base.json new.json --fail-if-slower 5     # in CI: exit 3 on a regression

options:
  --format table|json|csv output format (default table)
  --output FILE           write there instead of stdout (atomically)
  --alpha A               significance level, 0 < A < 1 (default 0.05)
  --fail-if-slower PCT    exit 3 when a backend's throughput is significantly lower by more
                          than PCT percent (0 < PCT < 100)
  --force                 compare files whose machine or workload differ (listed in the output)

exit codes: 0 compared, 1 the output cannot be written, 2 usage error or a file that cannot be
loaded or compared, 3 --fail-if-slower found a slower backend.
)");
}

bool isHelpFlag(const std::string& a) {
    return a == "--help" || a == "-h";
}

} // namespace

std::optional<std::string> subcommandHelp(const std::string& command) {
    if (command == "run") return runHelp();
    if (command == "sweep") return sweepHelp();
    if (command == "lesson") return lessonHelp();
    if (command == "plot") return plotHelp();
    if (command == "show") return showHelp();
    if (command == "trace") return traceHelp();
    if (command == "backends") return backendsHelp();
    if (command == "calibrate") return calibrateHelp();
    if (command == "pingpong") return pingpongHelp();
    if (command == "fidelity") return fidelityHelp();
    if (command == "compare") return compareHelp();
    return std::nullopt;
}

std::optional<std::string> requestedHelp(const std::vector<std::string>& args) {
    if (args.size() == 2 && args[0] == "help") return subcommandHelp(args[1]);
    if (args.size() < 2) return std::nullopt;
    if (!std::any_of(args.begin() + 1, args.end(), isHelpFlag)) return std::nullopt;
    return subcommandHelp(args[0]);
}

} // namespace conlab::cli
