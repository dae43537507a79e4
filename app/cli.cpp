#include "cli.h"

#include "backend_registry.h"
#include "calibration.h"
#include "engine.h"
#include "pingpong.h"
#include "report.h"
#include "results_json.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <unistd.h>

namespace conlab::cli {

namespace {

CancelToken* g_interrupt = nullptr;
extern "C" void onInterrupt(int) {
    if (g_interrupt) g_interrupt->cancel(); // atomic store + eventfd write: async-signal-safe
}

struct UsageError {
    std::string message;
};

// "--flag value" / "--flag=value" parsing with the set of flags each subcommand accepts.
class Args {
  public:
    Args(const std::vector<std::string>& args, size_t from, const std::set<std::string>& valued,
         const std::set<std::string>& switches) {
        for (size_t i = from; i < args.size(); ++i) {
            std::string a = args[i];
            if (a.rfind("--", 0) != 0) throw UsageError{"unexpected argument '" + a + "'"};
            std::string name = a.substr(2), value;
            bool hasValue = false;
            if (auto eq = name.find('='); eq != std::string::npos) {
                value = name.substr(eq + 1);
                name = name.substr(0, eq);
                hasValue = true;
            }
            if (switches.count(name)) {
                if (hasValue) throw UsageError{"--" + name + " takes no value"};
                m_values[name] = "1";
                continue;
            }
            if (!valued.count(name)) throw UsageError{"unknown option --" + name};
            if (!hasValue) {
                if (i + 1 >= args.size()) throw UsageError{"--" + name + " needs a value"};
                value = args[++i];
            }
            if (m_values.count(name)) throw UsageError{"--" + name + " given twice"};
            m_values[name] = value;
        }
    }
    std::optional<std::string> get(const std::string& name) const {
        auto it = m_values.find(name);
        if (it == m_values.end()) return std::nullopt;
        return it->second;
    }
    bool has(const std::string& name) const { return m_values.count(name) > 0; }

  private:
    std::map<std::string, std::string> m_values;
};

int64_t parseInteger(const std::string& flag, const std::string& v, int64_t lo, int64_t hi) {
    size_t used = 0;
    long long x = 0;
    try {
        x = std::stoll(v, &used);
    } catch (...) {
        used = 0;
    }
    if (used == 0 || used != v.size())
        throw UsageError{"--" + flag + ": '" + v + "' is not a whole number (allowed: " + std::to_string(lo) +
                         " … " + std::to_string(hi) + ")"};
    return x;
}

double parseNumber(const std::string& flag, const std::string& v, const std::string& allowed) {
    size_t used = 0;
    double x = 0;
    try {
        x = std::stod(v, &used);
    } catch (...) {
        used = 0;
    }
    if (used == 0 || used != v.size())
        throw UsageError{"--" + flag + ": '" + v + "' is not a number (allowed: " + allowed + ")"};
    return x;
}

int64_t parseSizeFlag(const std::string& flag, const std::string& v) {
    auto s = parseSize(v);
    if (!s)
        throw UsageError{"--" + flag + ": '" + v +
                         "' is not a size (bytes, or with a K, M or G suffix, e.g. 4K)"};
    return *s;
}

const std::set<std::string> kSpecFlags = {"tasks",  "workers", "task-us",   "kind",        "working-set",
                                          "input",  "result",  "messages",  "payload",     "cpus",
                                          "repeat", "warmup",  "chunksize", "task-timeout"};

WorkloadSpec specFromArgs(const Args& a) {
    WorkloadSpec s;
    using L = SpecLimits;
    auto clampToInt = [](int64_t v) { return int(std::clamp<int64_t>(v, INT32_MIN, INT32_MAX)); };
    if (auto v = a.get("tasks")) s.tasks = parseInteger("tasks", *v, L::minTasks, L::maxTasks);
    if (auto v = a.get("workers")) {
        s.workers = clampToInt(parseInteger("workers", *v, L::minWorkers, L::maxWorkers));
        if (s.workers == 0)
            throw UsageError{"--workers: 0 is out of range (allowed: 1 … 1024; omit for the core count)"};
    }
    if (auto v = a.get("task-us")) s.taskUs = parseNumber("task-us", *v, "0 … 10000000 µs");
    if (auto v = a.get("kind")) {
        auto k = taskKindFromString(*v);
        if (!k) throw UsageError{"--kind: '" + *v + "' is not a task kind (allowed: cpu, memory, io)"};
        s.kind = *k;
    }
    if (auto v = a.get("working-set")) s.workingSet = parseSizeFlag("working-set", *v);
    if (auto v = a.get("input")) s.inputBytes = parseSizeFlag("input", *v);
    if (auto v = a.get("result")) s.resultBytes = parseSizeFlag("result", *v);
    if (auto v = a.get("messages")) s.messages = parseInteger("messages", *v, 0, L::maxMessages);
    if (auto v = a.get("payload")) s.payload = parseSizeFlag("payload", *v);
    if (auto v = a.get("chunksize"))
        s.chunksize = clampToInt(parseInteger("chunksize", *v, L::minChunksize, L::maxChunksize));
    if (auto v = a.get("repeat"))
        s.repeat = clampToInt(parseInteger("repeat", *v, L::minRepeat, L::maxRepeat));
    if (auto v = a.get("warmup")) s.warmup = clampToInt(parseInteger("warmup", *v, 0, L::maxWarmup));
    if (auto v = a.get("task-timeout")) s.taskTimeoutS = parseNumber("task-timeout", *v, "0.001 … 86400 s");
    if (auto v = a.get("cpus")) {
        auto c = parseCpuList(*v);
        if (!c)
            throw UsageError{"--cpus: '" + *v +
                             "' is not a CPU list (allowed: CPU numbers and ranges, e.g. 0 or 0,1 or 0-3)"};
        s.cpus = *c;
    }
    // Testing only, deliberately not in --help (docs/reliability.md).
    if (auto v = a.get("inject-fault")) {
        auto f = parseFaultSpec(*v);
        if (!f)
            throw UsageError{"--inject-fault: '" + *v +
                             "' is not a fault (allowed: crash|kill|exit|hang:TASK[:BACKEND], testing only)"};
        s.fault = *f;
    }
    auto errors = validate(s);
    if (!errors.empty()) {
        std::string msg;
        for (const auto& e : errors)
            msg += (msg.empty() ? "" : "\n") + e.message();
        throw UsageError{msg};
    }
    return s;
}

// Live progress on a terminal: one rewritten line on stderr.
class ProgressPrinter final : public EngineObserver {
  public:
    explicit ProgressPrinter(int64_t tasks) : m_tasks(tasks), m_tty(isatty(STDERR_FILENO)) {}
    void repetitionStarted(const std::string& backend, int rep, bool warmup) override {
        m_backend = backend + (warmup ? " (warmup " : " (rep ") + std::to_string(rep + 1) + ")";
    }
    void snapshot(const std::string&, int, const Snapshot& s) override {
        if (!m_tty) return;
        std::fprintf(stderr, "\r\033[K%s: %lld/%lld tasks, %.0f tasks/s", m_backend.c_str(),
                     (long long)s.tasksDone, (long long)m_tasks, s.windowThroughput);
    }
    void backendFinished(const BackendRun&) override {
        if (m_tty) std::fprintf(stderr, "\r\033[K");
    }

  private:
    int64_t m_tasks;
    bool m_tty;
    std::string m_backend;
};

bool writeOutput(const std::optional<std::string>& path, const std::string& text) {
    if (!path) {
        std::cout << text << std::flush;
        return true;
    }
    QSaveFile f(QString::fromStdString(*path));
    if (!f.open(QIODevice::WriteOnly) || f.write(text.data(), qint64(text.size())) != qint64(text.size()) ||
        !f.commit()) {
        std::cerr << "conlab: cannot write " << *path << ": " << f.errorString().toStdString() << "\n";
        return false;
    }
    return true;
}

int cmdRun(const std::vector<std::string>& args) {
    std::set<std::string> valued = kSpecFlags;
    valued.insert({"backends", "format", "output", "inject-fault"});
    Args a(args, 1, valued, {});
    WorkloadSpec spec = specFromArgs(a);
    std::string format = a.get("format").value_or("table");
    if (format != "table" && format != "json" && format != "csv")
        throw UsageError{"--format: '" + format + "' is not a format (allowed: table, json, csv)"};
    std::vector<std::string> unknown;
    auto backends = resolveBackendList(a.get("backends").value_or("all"), unknown);
    if (!unknown.empty()) {
        std::string known;
        for (const auto& id : BackendRegistry::instance().ids())
            known += (known.empty() ? "" : ", ") + id;
        throw UsageError{"--backends: unknown backend '" + unknown.front() + "' (allowed: all, " + known +
                         ")"};
    }
    if (backends.empty()) throw UsageError{"--backends: no backend selected"};

    Engine engine(loadOrMeasureCalibration());
    CancelToken interrupt;
    g_interrupt = &interrupt;
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    ProgressPrinter progress(spec.tasks);
    EngineOptions opt;
    opt.observer = &progress;
    opt.cancel = &interrupt;
    Experiment ex = engine.run(spec, backends, opt);
    ex.conlabVersion = CONLAB_VERSION;
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    g_interrupt = nullptr;

    std::string text;
    if (format == "json")
        text = toJsonBytes(ex).toStdString();
    else if (format == "csv")
        text = formatCsv(ex);
    else
        text = formatTable(ex);
    if (!writeOutput(a.get("output"), text)) return RunFailed;
    int rc = Ok;
    for (const auto& r : ex.runs)
        if (!r.error.empty()) {
            std::cerr << "conlab: " << r.error << "\n";
            rc = RunFailed;
        }
    if (interrupt.isCancelled()) {
        std::cerr << "conlab: interrupted; partial results above\n";
        rc = RunFailed;
    }
    return rc;
}

// Prints a saved results file. A file that does not load (truncated, malformed, newer
// schema, hostile values, too big) is refused with the reason: exit 2, nothing written.
int cmdShow(const std::vector<std::string>& args) {
    if (args.size() < 2 || args[1].rfind("--", 0) == 0)
        throw UsageError{"show: which file? (conlab show FILE [--format table|json|csv])"};
    Args a(args, 2, {"format"}, {});
    std::string format = a.get("format").value_or("table");
    if (format != "table" && format != "json" && format != "csv")
        throw UsageError{"--format: '" + format + "' is not a format (allowed: table, json, csv)"};
    LoadResult r = loadResultsFile(QString::fromStdString(args[1]));
    if (!r.experiment) {
        std::cerr << "conlab: cannot load results: " << r.error.toStdString() << "\n";
        return Usage;
    }
    if (format == "json")
        std::cout << toJsonBytes(*r.experiment).toStdString();
    else if (format == "csv")
        std::cout << formatCsv(*r.experiment);
    else
        std::cout << formatTable(*r.experiment);
    return Ok;
}

int cmdBackends(const std::vector<std::string>& args) {
    Args a(args, 1, {"format"}, {});
    std::string format = a.get("format").value_or("table");
    if (format != "table" && format != "json")
        throw UsageError{"--format: '" + format + "' is not a format (allowed: table, json)"};
    auto& reg = BackendRegistry::instance();
    if (format == "json") {
        QJsonArray arr;
        for (const auto& info : reg.list()) {
            auto av = reg.create(info.id)->availability();
            arr.append(QJsonObject{{"id", QString::fromStdString(info.id)},
                                   {"family", QString::fromStdString(info.family)},
                                   {"description", QString::fromStdString(info.description)},
                                   {"available", av.available},
                                   {"reason", QString::fromStdString(av.reason)}});
        }
        std::cout << QJsonDocument(QJsonObject{{"backends", arr}}).toJson().toStdString();
        return Ok;
    }
    size_t w = 0;
    for (const auto& info : reg.list())
        w = std::max(w, info.id.size());
    for (const auto& info : reg.list()) {
        auto av = reg.create(info.id)->availability();
        std::cout << info.id << std::string(w + 2 - info.id.size(), ' ') << info.family
                  << std::string(11 - std::min<size_t>(10, info.family.size()), ' ') << info.description;
        if (!av.available) std::cout << "  [unavailable: " << av.reason << "]";
        std::cout << "\n";
    }
    return Ok;
}

int cmdCalibrate(const std::vector<std::string>& args) {
    Args a(args, 1, {}, {});
    Calibration c = loadOrMeasureCalibration(/*forceMeasure=*/true);
    std::printf(
        "cpu kernel:    %.1f LCG steps per µs\nmemory kernel: %.1f word visits per µs\ncpu model:     %s\n"
        "build:         %s\ncache:         %s\n",
        c.cpuStepsPerUs, c.memoryVisitsPerUs, c.cpuModel.c_str(), c.build.c_str(),
        calibrationCachePath().c_str());
    return Ok;
}

int cmdPingPong(const std::vector<std::string>& args) {
    Args a(args, 1, {"payload", "iterations", "cpus"}, {});
    int64_t payload = a.get("payload") ? parseSizeFlag("payload", *a.get("payload")) : 64;
    int64_t iters =
        a.get("iterations") ? parseInteger("iterations", *a.get("iterations"), 1, 10'000'000) : 20000;
    if (payload < 1 || payload > (int64_t(1) << 26))
        throw UsageError{"--payload: out of range (allowed: 1 … 64M bytes)"};
    if (iters < 1 || iters > 10'000'000)
        throw UsageError{"--iterations: out of range (allowed: 1 … 10000000)"};
    if (auto v = a.get("cpus")) {
        auto c = parseCpuList(*v);
        if (!c) throw UsageError{"--cpus: '" + *v + "' is not a CPU list"};
        cpu_set_t set;
        CPU_ZERO(&set);
        for (int cpu : *c)
            CPU_SET(cpu, &set);
        if (sched_setaffinity(0, sizeof set, &set) != 0) throw UsageError{"--cpus: cannot pin to " + *v};
    }
    auto r = pipePingPong(payload, iters);
    std::printf("pipe ping-pong: payload %lld B, %lld round trips, median %.2f µs, mean %.2f µs\n",
                (long long)payload, (long long)r.iterations, r.medianRoundTripS * 1e6,
                r.meanRoundTripS * 1e6);
    return Ok;
}

} // namespace

std::string usageText() {
    return R"(conlab — Concurrency Lab: where does the time go on each concurrency backend?

usage:
  conlab                       open the GUI (without a display: run the default comparison headless)
  conlab run [options]         run a workload on backends and print the results
  conlab show FILE [--format table|json|csv]
                               print a saved results file (refuses a damaged one, exit 2)
  conlab backends [--format table|json]
  conlab calibrate             re-measure the kernel speed (µs → iterations) and cache it
  conlab pingpong [--payload BYTES] [--iterations N] [--cpus LIST]
                               independent pipe ping-pong microbenchmark
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
  --task-timeout S        fail a worker whose task runs longer, 0.001 … 86400 s (default 60)
  --format table|json|csv output format (default table); json is the results file
  --output FILE           write there instead of stdout (atomically)
sizes accept K, M, G suffixes (binary): 4K = 4096.
exit codes: 0 ok, 1 a run failed (the message names the backend), 2 usage error, invalid spec
or a results file that cannot be loaded.
)";
}

int runCli(const std::vector<std::string>& args) {
    try {
        if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
            std::cout << usageText();
            return Ok;
        }
        if (args[0] == "--version") {
            std::cout << "conlab " << CONLAB_VERSION << "\n";
            return Ok;
        }
        if (args[0] == "run") return cmdRun(args);
        if (args[0] == "backends") return cmdBackends(args);
        if (args[0] == "show") return cmdShow(args);
        if (args[0] == "calibrate") return cmdCalibrate(args);
        if (args[0] == "pingpong") return cmdPingPong(args);
        throw UsageError{"unknown command '" + args[0] +
                         "' (commands: run, show, backends, calibrate, pingpong)"};
    } catch (const UsageError& e) {
        std::cerr << "conlab: " << e.message << "\n(see conlab --help)\n";
        return Usage;
    } catch (const std::exception& e) {
        std::cerr << "conlab: " << e.what() << "\n";
        return RunFailed;
    }
}

int runDefaultHeadless() {
    std::cerr << "conlab: no display found: running the default comparison headless\n";
    return runCli({"run", "--backends", "all", "--tasks", "2000", "--task-us", "50"});
}

} // namespace conlab::cli
