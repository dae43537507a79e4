// `conlab --help`: the text (kept apart from cli.cpp, which parses and runs the commands).
#include "cli.h"

namespace conlab::cli {

std::string usageText() {
    return R"(conlab — Concurrency Lab: where does the time go on each concurrency backend?

usage:
  conlab                       open the GUI (without a display: run the default comparison headless)
  conlab run [options]         run a workload on backends and print the results
  conlab sweep --param NAME (--values V,V,…|--from A --to B [--steps N] [--scale log|linear]) [run options]
                               vary one parameter (task-us, workers, payload, messages, input, tasks, chunksize);
                               reports where each backend breaks even with sequential;
                               --plot FILE renders speedup vs the parameter (--figure speedup|summary|
                               throughput|phases)
  conlab lesson list | conlab lesson run NAME [--format table|json|csv] [--output FILE] [--plot FILE]
                               built-in demonstrations of each claim, with a verdict from the data
  conlab backends [--format table|json] [--python PATH]
  conlab calibrate [--python PATH]
                               re-measure the kernel speeds (µs → iterations; native and
                               python) and cache them
  conlab plot RESULTS.json --out FILE.png|.pdf|.svg [--figure summary|throughput|breakdown|timeline]
              [--size WxH] [--scale S]
                               render figures from a results file (no display needed); for a sweep
                               file: --figure speedup (default)|summary|throughput|phases
  conlab trace RESULTS.json --out TRACE.json
                               the worker timelines as a Chrome trace for Perfetto, on the
                               real pids and tids
  conlab show FILE [--format table|json|csv]
                               print a saved results file (refuses a damaged one, exit 2)
  conlab pingpong [--payload BYTES] [--iterations N] [--cpus LIST]
                               independent pipe ping-pong microbenchmark
  conlab fidelity [--format table|json|csv] [--output FILE] [--quick] [--python PATH]
                               every figure beside its raw primitive, with a verdict per row
  conlab compare BASE.json NEW.json [--format table|json|csv] [--output FILE] [--alpha A]
                 [--fail-if-slower PCT] [--force]
                               NEW against BASE per backend and figure: ratio with its 95%
                               interval, Mann–Whitney U test, faster/slower verdict
  conlab COMMAND --help        the options of one command (also conlab help COMMAND)
  conlab --help | --version

run options:
  --backends ID,ID…|all   backends or families to run (default: all available)
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
  --interleave            repetition r of every backend before repetition r+1 (A/B comparisons)
  --task-timeout S        fail a worker whose task runs longer, 0.001 … 86400 s (default 60)
  --parent-memory BYTES   memory conlab holds while workers start (fork copies its page tables)
  --child-touch F         share of it each forked worker writes (copy-on-write), 0 … 1
  --probes on|off|compare on: record every phase (default); off: bare, only wall clock and
                          completed count; compare: each repetition instrumented, then bare,
                          and the difference reported as the instrumentation cost
  --format table|json|csv output format (default table); json is the results file
  --output FILE           write there instead of stdout (atomically)
  --advise                print a recommendation derived from the measured numbers
  --python PATH           interpreter for the python backends (default: $CONLAB_PYTHON, else
                          python3 on PATH)
  --plot FILE             also render the summary figure (.png, .pdf or .svg)
  --ab OPTIONS            twice: compare variant B with A, interleaved (conlab run --help)
sizes accept K, M, G suffixes (binary): 4K = 4096.
exit codes: 0 ok, 1 a run failed (the message names the backend), 2 usage error, invalid spec
or a results file that cannot be loaded.
)";
}

} // namespace conlab::cli
