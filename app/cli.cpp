#include "cli.h"
#include "cli_ab.h"
#include "cli_args.h"
#include "cli_fidelity.h"
#include "cli_files.h"
#include "cli_help.h"
#include "cli_progress.h"
#include "cli_sweep_map.h"

#include "advisor.h"
#include "backend_registry.h"
#include "backends/python_backend.h"
#include "calibration.h"
#include "engine.h"
#include "fidelity/raw_primitives.h"
#include "file_io.h"
#include "files/advice_json.h"
#include "files/lesson_info.h"
#include "lesson_runner.h"
#include "lessons.h"
#include "report.h"
#include "results_json.h"
#include "sweep.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <unistd.h>

namespace conlab::cli {

namespace {

PlotRenderer g_plotRenderer = nullptr;
SweepPlotRenderer g_sweepPlotRenderer = nullptr;

// `sweeping`: `conlab sweep`, where --scale is the sweep's spacing, not the PNG density.
PlotRequest plotRequest(const std::string& path, const Args& a, bool sweep = false, bool sweeping = false) {
    if (sweep)
        return plotRequestFor(path, a, {"speedup", "summary", "throughput", "phases"}, "a sweep figure",
                              sweeping);
    return plotRequestFor(path, a, {"summary", "throughput", "breakdown", "timeline"}, "a figure", sweeping);
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
    Args a(args, 2, {"out", "figure", "size", "scale", "map-backend"}, {});
    auto out = a.get("out");
    if (!out) throw UsageError{"plot: --out FILE.png|.pdf|.svg is required"};
    checkOutputPath(out);
    if (auto rc = plotIfSweepMap(args[1], *out, a)) return *rc; // cli_sweep_map.cpp
    plotRequest(*out, a, a.get("figure") && (*a.get("figure") == "speedup" || *a.get("figure") == "phases"));
    auto loaded = loadChecked(args[1]); // refused with exit 2, as by `conlab show`
    if (!loaded) return Usage;
    if (loaded->sweep)
        return renderSweepPlot(*loaded->sweep->sweep, plotRequest(*out, a, true)) ? Ok : RunFailed;
    return renderPlot(*loaded->results.experiment, plotRequest(*out, a)) ? Ok : RunFailed;
}

int cmdRun(const std::vector<std::string>& args) {
    std::vector<std::string> rest, variants;
    if (takeAbVariants(args, rest, variants)) return cmdRunAb(rest, variants);
    std::set<std::string> valued = kSpecFlags;
    valued.insert({"backends", "format", "output", "python", "plot", "inject-fault"});
    Args a(args, 1, valued, {"advise", "interleave"});
    if (auto p = a.get("python")) python::setInterpreterOverride(*p);
    WorkloadSpec spec = specFromArgs(a);
    std::string format = a.get("format").value_or("table");
    if (format != "table" && format != "json" && format != "csv")
        throw UsageError{"--format: '" + format + "' is not a format (allowed: table, json, csv)"};
    auto backends = selectBackends(a);
    std::optional<PlotRequest> plot;
    if (auto p = a.get("plot")) plot = plotRequest(*p, a);
    checkOutputPath(a.get("output"));
    checkOutputPath(a.get("plot"));
    warnIgnoredOptions(a, spec);

    Engine engine(loadOrMeasureCalibration());
    CancelToken interrupt;
    ProgressPrinter progress(spec.tasks);
    EngineOptions opt;
    opt.observer = &progress;
    opt.cancel = &interrupt;
    Experiment ex = [&] {
        InterruptScope scope(interrupt);
        return engine.run(spec, backends, opt);
    }();
    ex.conlabVersion = CONLAB_VERSION;

    std::vector<std::string> advice;
    if (a.has("advise")) advice = advise(ex, int(sysconf(_SC_NPROCESSORS_ONLN))).lines;
    std::string text;
    if (format == "json") {
        QJsonObject root = toJson(ex);
        if (a.has("advise")) root.insert(kAdviceKey, adviceToJson(advice));
        text = QJsonDocument(root).toJson().toStdString();
    } else if (format == "csv") {
        text = formatCsv(ex);
    } else {
        // On stdout, beside stderr: a failed backend's error is said once, on stderr.
        text = formatTable(ex, /*noteErrors=*/a.get("output").has_value()) + adviceText(advice);
    }
    if (!writeOutput(a.get("output"), text)) return RunFailed;
    if (format == "csv") std::cerr << adviceText(advice); // csv has no place for it
    int rc = Ok;
    if (plot && !renderPlot(ex, *plot)) rc = RunFailed;
    for (const auto& r : ex.runs)
        if (!r.error.empty()) {
            std::cerr << "conlab: " << printable(r.error) << "\n";
            rc = RunFailed;
        }
    if (interrupt.isCancelled()) {
        std::cerr << "conlab: interrupted; partial results above\n";
        rc = RunFailed;
    }
    return rc;
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

// Runs a sweep with Ctrl-C handling and progress; finished points are kept on interrupt.
SweepResult runSweepInteractive(const WorkloadSpec& base, SweepParam param, const std::vector<double>& values,
                                bool logScale, const std::vector<std::string>& backends,
                                CancelToken& interrupt) {
    Engine engine(loadOrMeasureCalibration());
    InterruptScope scope(interrupt);
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
    return sw;
}

// A lesson until its verdict is clear (core/lesson_runner.h), with Ctrl-C handling and progress.
LessonRunResult runLessonInteractive(const Lesson& lesson, const LessonRunOptions& runOptions,
                                     CancelToken& interrupt) {
    Engine engine(loadOrMeasureCalibration());
    InterruptScope scope(interrupt);
    ProgressPrinter progress(lesson.base.tasks);
    EngineOptions opt;
    opt.observer = &progress;
    opt.cancel = &interrupt;
    const bool tty = isatty(STDERR_FILENO);
    LessonRunResult run = runLesson(
        engine, lesson, runOptions, opt,
        [&](const SweepResult& s, const SweepPoint& p) {
            if (tty)
                std::fprintf(stderr, "\r\033[Kpoint %zu/%zu done (%s = %g)\n", s.points.size(),
                             lesson.values.size(), toString(lesson.param).c_str(), p.value);
        },
        [&](int round, int repetitions) {
            std::fprintf(stderr,
                         "\r\033[Kconlab: verdict not clear yet: retry %d, %d more repetitions per backend\n",
                         round, repetitions);
        });
    return run;
}

int finishSweep(const SweepResult& sw, const std::string& format, const std::optional<std::string>& output,
                bool adviseToo, const QJsonObject& extra, const std::vector<std::string>& preface,
                const std::optional<PlotRequest>& plot) {
    auto be = breakEvenPoints(sw);
    std::vector<std::string> advice;
    if (adviseToo) advice = adviseSweep(sw);
    std::string text;
    if (format == "json") {
        QJsonObject root = sweepToJson(sw, be, extra);
        if (adviseToo) root.insert(kAdviceKey, adviceToJson(advice));
        text = QJsonDocument(root).toJson().toStdString();
    } else if (format == "csv") {
        text = formatSweepCsv(sw);
    } else {
        for (const auto& l : preface)
            text += l + "\n";
        // On stdout, beside stderr: a failed run's error is said once, on stderr.
        text += formatSweepTable(sw, be, /*noteErrors=*/output.has_value()) + adviceText(advice);
    }
    if (!writeOutput(output, text)) return RunFailed;
    if (format == "csv") std::cerr << adviceText(advice); // csv has no place for it
    int rc = Ok;
    if (plot && !renderSweepPlot(sw, *plot)) rc = RunFailed;
    for (const auto& p : sw.points)
        for (const auto& r : p.runs)
            if (!r.error.empty()) {
                std::cerr << "conlab: " << printable(r.error) << "\n";
                rc = RunFailed;
            }
    if (sw.cancelled) {
        std::cerr << "conlab: interrupted; " << sw.points.size() << " finished points kept\n";
        rc = RunFailed;
    }
    return rc;
}

int cmdSweep(const std::vector<std::string>& given) {
    const std::vector<std::string> args = secondAxisFlags(given); // cli_sweep_map.h
    std::set<std::string> valued = kSpecFlags;
    valued.insert({"backends", "format", "output", "param",  "values", "from",       "to",
                   "steps",    "scale",  "python", "plot",   "figure", "size",       "param2",
                   "values2",  "from2",  "to2",    "steps2", "scale2", "map-backend"});
    Args a(args, 1, valued, {"advise", "interleave"});
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
    const std::vector<double> values = sweepAxisValues(a, *param, "");
    std::optional<SweepParam> param2;
    std::vector<double> values2;
    if (auto p2 = a.get("param2")) {
        param2 = sweepParamFromString(*p2);
        if (!param2) throw UsageError{"--param2: '" + *p2 + "' cannot be swept (allowed: " + names + ")"};
        if (*param2 == *param) throw UsageError{"--param2: '" + *p2 + "' is already --param"};
        values2 = sweepAxisValues(a, *param2, "2");
    } else {
        for (const char* f : {"values2", "from2", "to2", "steps2", "scale2", "map-backend"})
            if (a.has(f)) throw UsageError{std::string("--") + f + " needs --param2 (a two-parameter map)"};
    }
    WorkloadSpec base = specFromArgs(a);
    base.interleave = true; // every point compares backends: drifts must hit them alike
    checkSweepValues(base, *param, *paramName, values, "values");
    if (param2) checkSweepValues(base, *param2, *a.get("param2"), values2, "values2");
    auto backends = selectBackends(a);
    std::optional<PlotRequest> plot;
    if (auto p = a.get("plot"))
        plot = param2 ? plotRequestFor(*p, a, kSweepMapFigures, "a map figure", true)
                      : plotRequest(*p, a, true, true);
    checkOutputPath(a.get("output"));
    checkOutputPath(a.get("plot"));
    warnIgnoredOptions(a, base, *paramName, a.get("param2").value_or(""));
    if (param2) {
        if (a.has("advise"))
            throw UsageError{"--advise: advice is given for one-parameter sweeps, not for maps"};
        SweepMapCommand c{base,
                          *param,
                          values,
                          scale == "log",
                          *param2,
                          values2,
                          a.get("scale2").value_or("linear") == "log",
                          backends,
                          format,
                          a.get("output"),
                          plot,
                          a.get("map-backend").value_or("")};
        return runSweepMapCommand(c);
    }
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
           {"format", "output", "plot", "figure", "size", "budget"}, {"advise"});
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
    LessonRunOptions runOptions;
    if (auto b = a.get("budget")) {
        runOptions.timeBudgetS = parseNumber("budget", *b, "1 … 86400 s");
        if (!(runOptions.timeBudgetS >= 1 && runOptions.timeBudgetS <= 86400))
            throw UsageError{"--budget: '" + *b + "' is out of range (allowed: 1 … 86400 s)"};
    }
    checkOutputPath(a.get("output"));
    checkOutputPath(a.get("plot"));
    warnIgnoredOptions(a, lesson->base);
    CancelToken interrupt;
    const LessonRunResult run = runLessonInteractive(*lesson, runOptions, interrupt);
    const LessonVerdict& v = run.verdict;
    QJsonObject extra = lessonInfoJson(*lesson, v);
    extra.insert("repetitions", run.repetitions);
    std::vector<std::string> preface = {lesson->title, "", lesson->explanation, ""};
    int rc = finishSweep(run.sweep, format, a.get("output"), a.has("advise"), extra, preface, plot);
    std::ostream& os = (format == "table" || a.get("output")) ? std::cout : std::cerr;
    os << verdictText(v);
    char pace[160];
    std::snprintf(pace, sizeof pace,
                  "  (%d measured repetitions per backend and point, interleaved; %.0f s%s)\n",
                  run.repetitions, run.elapsedS, run.budgetReached ? ", the time budget (--budget)" : "");
    os << pace;
    return rc; // the verdict is a finding, not a failure: 0 whatever it is (lessonHelp)
}

} // namespace

void setPlotRenderer(PlotRenderer renderer) {
    g_plotRenderer = renderer;
}

void setSweepPlotRenderer(SweepPlotRenderer renderer) {
    g_sweepPlotRenderer = renderer;
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
        if (args[0] == "show") return cmdShow(args); // cli_show.cpp
        if (args[0] == "calibrate") return cmdCalibrate(args);
        if (args[0] == "pingpong") return cmdPingPong(args);
        if (args[0] == "sweep") return cmdSweep(args);
        if (args[0] == "lesson") return cmdLesson(args);
        if (args[0] == "plot") return cmdPlot(args);
        if (args[0] == "trace") return cmdTrace(args); // cli_trace.cpp
        if (args[0] == "fidelity") return cmdFidelity(args);
        if (args[0] == "compare") return cmdCompare(args); // cli_compare.cpp
        throw UsageError{"unknown command '" + args[0] +
                         "' (commands: run, sweep, lesson, plot, trace, show, backends, calibrate, pingpong, "
                         "fidelity, compare)"};
    } catch (const UsageError& e) {
        std::cerr << "conlab: " << e.message << "\n(see conlab --help)\n";
        return Usage;
    } catch (const OutputError& e) {
        std::cerr << "conlab: " << e.message << "\n";
        return RunFailed;
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
