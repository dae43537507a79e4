#include "cli.h"
#include "cli_help.h"

#include "advisor.h"
#include "backend_registry.h"
#include "backends/python_backend.h"
#include "calibration.h"
#include "engine.h"
#include "lessons.h"
#include "pingpong.h"
#include "report.h"
#include "results_json.h"
#include "sweep.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <unistd.h>

namespace conlab::cli {

namespace {

CancelToken* g_interrupt = nullptr;
PlotRenderer g_plotRenderer = nullptr;
SweepPlotRenderer g_sweepPlotRenderer = nullptr;
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

std::string fmtDouble(double v) {
    std::ostringstream os;
    os << v;
    return os.str();
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
    QString error; // "cannot write PATH: reason"; QSaveFile: an existing file is never half-written
    if (!conlab::writeFileAtomically(QString::fromStdString(*path), QByteArray::fromStdString(text),
                                     &error)) {
        std::cerr << "conlab: " << error.toStdString() << "\n";
        return false;
    }
    return true;
}

// `sweeping`: `conlab sweep`, where --scale is the sweep's spacing, not the PNG density.
PlotRequest plotRequest(const std::string& path, const Args& a, bool sweep = false, bool sweeping = false) {
    auto dot = path.rfind('.');
    std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
    for (auto& c : ext)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    if (ext != "png" && ext != "pdf" && ext != "svg")
        throw UsageError{"'" + path + "': unknown figure format (allowed: .png, .pdf, .svg)"};
    PlotRequest r;
    r.path = path;
    if (sweep) r.figure = "speedup";
    if (auto f = a.get("figure")) {
        if (sweep && *f != "speedup" && *f != "summary" && *f != "throughput" && *f != "phases")
            throw UsageError{"--figure: '" + *f +
                             "' is not a sweep figure (allowed: speedup, summary, throughput, phases)"};
        if (!sweep && *f != "summary" && *f != "throughput" && *f != "breakdown" && *f != "timeline")
            throw UsageError{"--figure: '" + *f +
                             "' is not a figure (allowed: summary, throughput, breakdown, timeline)"};
        r.figure = *f;
    }
    if (auto s = a.get("size")) {
        auto x = s->find('x');
        if (x == std::string::npos)
            throw UsageError{"--size: '" + *s + "' is not WIDTHxHEIGHT (e.g. 1200x700)"};
        r.width = int(parseInteger("size", s->substr(0, x), 16, 20000));
        r.height = int(parseInteger("size", s->substr(x + 1), 16, 20000));
        if (r.width < 16 || r.width > 20000 || r.height < 16 || r.height > 20000)
            throw UsageError{"--size: '" + *s + "' is out of range (allowed: 16 … 20000 pixels each way)"};
    }
    if (auto s = a.get("scale"); s && !sweeping) {
        r.scale = parseNumber("scale", *s, "0.25 … 8");
        if (!(r.scale >= 0.25 && r.scale <= 8))
            throw UsageError{"--scale: '" + *s + "' is out of range (allowed: 0.25 … 8)"};
    }
    return r;
}

bool renderPlot(const Experiment& ex, const PlotRequest& r) {
    std::string error = "this conlab was built without the GUI library (CONLAB_BUILD_GUI=OFF): no figures";
    if (g_plotRenderer && g_plotRenderer(ex, r, &error)) {
        std::cerr << "conlab: wrote " << r.path << "\n";
        return true;
    }
    std::cerr << "conlab: " << error << "\n";
    return false;
}

bool renderSweepPlot(const SweepResult& sw, const PlotRequest& r) {
    std::string error = "this conlab was built without the GUI library (CONLAB_BUILD_GUI=OFF): no figures";
    if (g_sweepPlotRenderer && g_sweepPlotRenderer(sw, r, &error)) {
        std::cerr << "conlab: wrote " << r.path << "\n";
        return true;
    }
    std::cerr << "conlab: " << error << "\n";
    return false;
}

// conlab plot RESULTS.json --out FILE [--figure …] [--size WxH] [--scale S]
int cmdPlot(const std::vector<std::string>& args) {
    if (args.size() < 2 || args[1].rfind("--", 0) == 0)
        throw UsageError{"plot: which results file? (conlab plot RESULTS.json --out FILE)"};
    Args a(args, 2, {"out", "figure", "size", "scale"}, {});
    auto out = a.get("out");
    if (!out) throw UsageError{"plot: --out FILE.png|.pdf|.svg is required"};
    plotRequest(*out, a, a.get("figure") && (*a.get("figure") == "speedup" || *a.get("figure") == "phases"));
    LoadResult loaded = loadResultsFile(QString::fromStdString(args[1]));
    if (!loaded.experiment) {
        std::cerr << "conlab: " << loaded.error.toStdString() << "\n";
        return RunFailed;
    }
    QFile file(QString::fromStdString(args[1])); // a sweep file: the "sweep" extension
    const QByteArray bytes = file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    if (QJsonDocument::fromJson(bytes).object().contains("sweep")) {
        SweepLoad sl = sweepFromJsonBytes(bytes);
        if (!sl.sweep) {
            std::cerr << "conlab: " << args[1] << ": " << sl.error.toStdString() << "\n";
            return RunFailed;
        }
        return renderSweepPlot(*sl.sweep, plotRequest(*out, a, true)) ? Ok : RunFailed;
    }
    return renderPlot(*loaded.experiment, plotRequest(*out, a)) ? Ok : RunFailed;
}

std::vector<std::string> selectBackends(const Args& a);

int cmdRun(const std::vector<std::string>& args) {
    std::set<std::string> valued = kSpecFlags;
    valued.insert({"backends", "format", "output", "python", "plot", "inject-fault"});
    Args a(args, 1, valued, {"advise"});
    if (auto p = a.get("python")) python::setInterpreterOverride(*p);
    WorkloadSpec spec = specFromArgs(a);
    std::string format = a.get("format").value_or("table");
    if (format != "table" && format != "json" && format != "csv")
        throw UsageError{"--format: '" + format + "' is not a format (allowed: table, json, csv)"};
    auto backends = selectBackends(a);
    std::optional<PlotRequest> plot;
    if (auto p = a.get("plot")) plot = plotRequest(*p, a);

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
    if (a.has("advise")) {
        // With a machine-readable format on stdout the advice goes to stderr.
        std::ostream& os = (format == "table" || a.get("output")) ? std::cout : std::cerr;
        os << "\nadvice:\n";
        for (const auto& line : advise(ex, int(sysconf(_SC_NPROCESSORS_ONLN))).lines)
            os << "  " << line << "\n";
    }
    int rc = Ok;
    if (plot && !renderPlot(ex, *plot)) rc = RunFailed;
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
    Args a(args, 1, {"format", "python"}, {});
    if (auto p = a.get("python")) python::setInterpreterOverride(*p);
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
    Args a(args, 1, {"python"}, {});
    if (auto p = a.get("python")) python::setInterpreterOverride(*p);
    Calibration c = loadOrMeasureCalibration(/*forceMeasure=*/true);
    std::printf(
        "cpu kernel:    %.1f LCG steps per µs\nmemory kernel: %.1f word visits per µs\ncpu model:     %s\n"
        "build:         %s\ncache:         %s\n",
        c.cpuStepsPerUs, c.memoryVisitsPerUs, c.cpuModel.c_str(), c.build.c_str(),
        calibrationCachePath().c_str());
    // The python backends' own kernel speed (µs of Python CPU → iterations), when python3 is usable.
    auto in = python::probeInterpreter();
    if (!in.ok) {
        std::printf("python:        not calibrated (%s)\n", in.reason.c_str());
        return Ok;
    }
    try {
        auto pc = python::loadOrMeasurePythonCalibration(/*forceMeasure=*/true);
        std::printf("python cpu:    %.3f LCG steps per µs\n"
                    "python memory: %.3f word visits per µs\n"
                    "python:        %s (%s)\n",
                    pc.cpuStepsPerUs, pc.memoryVisitsPerUs, pc.interpreter.c_str(), pc.version.c_str());
    } catch (const std::exception& e) {
        std::cerr << "conlab: " << e.what() << "\n";
        return RunFailed;
    }
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

std::vector<std::string> selectBackends(const Args& a) {
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
    return backends;
}

// Runs a sweep with Ctrl-C handling and progress; finished points are kept on interrupt.
SweepResult runSweepInteractive(const WorkloadSpec& base, SweepParam param, const std::vector<double>& values,
                                bool logScale, const std::vector<std::string>& backends,
                                CancelToken& interrupt) {
    Engine engine(loadOrMeasureCalibration());
    g_interrupt = &interrupt;
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    ProgressPrinter progress(base.tasks);
    EngineOptions opt;
    opt.observer = &progress;
    opt.cancel = &interrupt;
    const bool tty = isatty(STDERR_FILENO);
    SweepResult sw = runSweep(
        engine, base, param, values, logScale, backends, opt, [&](const SweepResult& s, const SweepPoint& p) {
            if (tty)
                std::fprintf(stderr, "\r\033[Kpoint %zu/%zu done (%s = %g)\n", s.points.size(), values.size(),
                             toString(param).c_str(), p.value);
        });
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    g_interrupt = nullptr;
    return sw;
}

int finishSweep(const SweepResult& sw, const std::string& format, const std::optional<std::string>& output,
                bool adviseToo, const QJsonObject& extra, const std::vector<std::string>& preface,
                const std::optional<PlotRequest>& plot) {
    auto be = breakEvenPoints(sw);
    std::string text;
    if (format == "json")
        text = QJsonDocument(sweepToJson(sw, be, extra)).toJson().toStdString();
    else if (format == "csv")
        text = formatSweepCsv(sw);
    else {
        for (const auto& l : preface)
            text += l + "\n";
        text += formatSweepTable(sw, be);
    }
    if (!writeOutput(output, text)) return RunFailed;
    if (adviseToo) {
        std::ostream& os = (format == "table" || output) ? std::cout : std::cerr;
        os << "\nadvice:\n";
        for (const auto& line : adviseSweep(sw))
            os << "  " << line << "\n";
    }
    int rc = Ok;
    if (plot && !renderSweepPlot(sw, *plot)) rc = RunFailed;
    for (const auto& p : sw.points)
        for (const auto& r : p.runs)
            if (!r.error.empty()) {
                std::cerr << "conlab: " << r.error << "\n";
                rc = RunFailed;
            }
    if (sw.cancelled) {
        std::cerr << "conlab: interrupted; " << sw.points.size() << " finished points kept\n";
        rc = RunFailed;
    }
    return rc;
}

int cmdSweep(const std::vector<std::string>& args) {
    std::set<std::string> valued = kSpecFlags;
    valued.insert({"backends", "format", "output", "param", "values", "from", "to", "steps", "scale",
                   "python", "plot", "figure", "size"});
    Args a(args, 1, valued, {"advise"});
    if (auto p = a.get("python")) python::setInterpreterOverride(*p);
    auto paramName = a.get("param");
    std::string names;
    for (const auto& n : sweepParamNames())
        names += (names.empty() ? "" : ", ") + n;
    if (!paramName) throw UsageError{"--param is required (allowed: " + names + ")"};
    auto param = sweepParamFromString(*paramName);
    if (!param) throw UsageError{"--param: '" + *paramName + "' cannot be swept (allowed: " + names + ")"};
    std::string format = a.get("format").value_or("table");
    if (format != "table" && format != "json" && format != "csv")
        throw UsageError{"--format: '" + format + "' is not a format (allowed: table, json, csv)"};
    std::string scale = a.get("scale").value_or("linear");
    if (scale != "log" && scale != "linear")
        throw UsageError{"--scale: '" + scale + "' (allowed: log, linear)"};
    const bool sizeParam = *param == SweepParam::Payload || *param == SweepParam::Input;
    auto number = [&](const std::string& flag, const std::string& v) {
        if (sizeParam) return double(parseSizeFlag(flag, v));
        return parseNumber(flag, v, "a number");
    };
    std::vector<double> values;
    if (auto v = a.get("values")) {
        if (a.has("from") || a.has("to") || a.has("steps"))
            throw UsageError{"--values: give either --values or --from/--to/--steps"};
        std::stringstream ss(*v);
        std::string item;
        while (std::getline(ss, item, ','))
            values.push_back(number("values", item));
        if (values.empty()) throw UsageError{"--values: no values given"};
    } else {
        if (!a.has("from") || !a.has("to"))
            throw UsageError{"give --values V,V,… or --from A --to B [--steps N] [--scale log|linear]"};
        double from = number("from", *a.get("from")), to = number("to", *a.get("to"));
        int steps = a.get("steps") ? int(parseInteger("steps", *a.get("steps"), 2, 1000)) : 5;
        if (steps < 2 || steps > 1000) throw UsageError{"--steps: out of range (allowed: 2 … 1000)"};
        if (scale == "log" && (from <= 0 || to <= 0))
            throw UsageError{"--scale log: --from and --to must be > 0"};
        values = sweepValues(from, to, steps, scale == "log");
    }
    WorkloadSpec base = specFromArgs(a);
    for (double v : values) {
        WorkloadSpec s = base;
        applySweepValue(s, *param, v);
        auto errors = validate(s);
        if (!errors.empty())
            throw UsageError{"--values: " + *paramName + " = " + fmtDouble(v) + ": " + errors[0].message()};
    }
    auto backends = selectBackends(a);
    std::optional<PlotRequest> plot;
    if (auto p = a.get("plot")) plot = plotRequest(*p, a, true, true);
    CancelToken interrupt;
    SweepResult sw = runSweepInteractive(base, *param, values, scale == "log", backends, interrupt);
    return finishSweep(sw, format, a.get("output"), a.has("advise"), {}, {}, plot);
}

int cmdLesson(const std::vector<std::string>& args) {
    if (args.size() < 2 || args[1] == "list") {
        if (args.size() > 2) throw UsageError{"lesson list takes no options"};
        for (const auto& l : lessons()) {
            auto missing = missingBackends(l);
            std::cout << l.name << std::string(l.name.size() < 15 ? 15 - l.name.size() : 1, ' ') << l.title;
            if (!missing.empty()) std::cout << "  [needs " << missing.front() << "]";
            std::cout << "\n";
        }
        return Ok;
    }
    if (args[1] != "run")
        throw UsageError{"lesson: unknown subcommand '" + args[1] + "' (allowed: list, run NAME)"};
    if (args.size() < 3 || args[2].rfind("--", 0) == 0)
        throw UsageError{"lesson run: which lesson? (see conlab lesson list)"};
    const Lesson* lesson = findLesson(args[2]);
    if (!lesson) throw UsageError{"lesson run: unknown lesson '" + args[2] + "' (see conlab lesson list)"};
    Args a(std::vector<std::string>(args.begin() + 1, args.end()), 2,
           {"format", "output", "plot", "figure", "size"}, {"advise"});
    std::optional<PlotRequest> plot;
    if (auto p = a.get("plot")) plot = plotRequest(*p, a, true);
    std::string format = a.get("format").value_or("table");
    if (format != "table" && format != "json" && format != "csv")
        throw UsageError{"--format: '" + format + "' is not a format (allowed: table, json, csv)"};
    auto missing = missingBackends(*lesson);
    if (!missing.empty()) {
        std::cerr << "conlab: lesson " << lesson->name << " cannot run here: it needs " << missing.front()
                  << "\n";
        return RunFailed;
    }
    CancelToken interrupt;
    SweepResult sw = runSweepInteractive(lesson->base, lesson->param, lesson->values, lesson->logScale,
                                         lesson->backends, interrupt);
    LessonVerdict v = lesson->verdict(sw);
    QJsonObject extra{{"lesson", QString::fromStdString(lesson->name)},
                      {"lesson_title", QString::fromStdString(lesson->title)},
                      {"explanation", QString::fromStdString(lesson->explanation)},
                      {"verdict", QString::fromStdString(v.text)},
                      {"holds", v.holds}};
    std::vector<std::string> preface = {lesson->title, "", lesson->explanation, ""};
    int rc = finishSweep(sw, format, a.get("output"), a.has("advise"), extra, preface, plot);
    std::ostream& os = (format == "table" || a.get("output")) ? std::cout : std::cerr;
    os << "\nverdict: "
       << (v.holds ? "the claim holds on this machine. " : "the claim does NOT hold on this machine. ")
       << v.text << "\n";
    return rc;
}

} // namespace

void setPlotRenderer(PlotRenderer renderer) {
    g_plotRenderer = renderer;
}

void setSweepPlotRenderer(SweepPlotRenderer renderer) {
    g_sweepPlotRenderer = renderer;
}

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
  conlab show FILE [--format table|json|csv]
                               print a saved results file (refuses a damaged one, exit 2)
  conlab pingpong [--payload BYTES] [--iterations N] [--cpus LIST]
                               independent pipe ping-pong microbenchmark
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
  --task-timeout S        fail a worker whose task runs longer, 0.001 … 86400 s (default 60)
  --format table|json|csv output format (default table); json is the results file
  --output FILE           write there instead of stdout (atomically)
  --advise                print a recommendation derived from the measured numbers
  --python PATH           interpreter for the python backends (default: $CONLAB_PYTHON, else
                          python3 on PATH)
  --plot FILE             also render the summary figure (.png, .pdf or .svg)
sizes accept K, M, G suffixes (binary): 4K = 4096.
exit codes: 0 ok, 1 a run failed (the message names the backend), 2 usage error, invalid spec
or a results file that cannot be loaded.
)";
}

int runCli(const std::vector<std::string>& args) {
    try {
        if (auto help = requestedHelp(args)) { // conlab COMMAND --help, conlab help COMMAND
            std::cout << *help;
            return Ok;
        }
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
        if (args[0] == "sweep") return cmdSweep(args);
        if (args[0] == "lesson") return cmdLesson(args);
        if (args[0] == "plot") return cmdPlot(args);
        throw UsageError{"unknown command '" + args[0] +
                         "' (commands: run, sweep, lesson, plot, show, backends, calibrate, pingpong)"};
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
    // The native comparison (seconds); `conlab run --backends all` adds the python family.
    return runCli({"run", "--backends", "baseline,threads,processes,async,library", "--tasks", "2000",
                   "--task-us", "50"});
}

} // namespace conlab::cli
