#include "cli_args.h"

#include "backend_registry.h"
#include "engine.h"
#include "file_io.h"

#include <QString>
#include <algorithm>
#include <climits>
#include <cmath>
#include <iostream>
#include <sstream>

namespace conlab::cli {

// Every output path is checked before the workload runs (core/file_io.h), so that measured
// results are never lost to a missing folder, a directory or an empty name afterwards.
void checkOutputPath(const std::optional<std::string>& path) {
    if (!path) return;
    const QString problem = outputTargetProblem(QString::fromStdString(*path));
    if (!problem.isEmpty()) throw OutputError{problem.toStdString() + " (nothing was run)"};
}

bool writeOutput(const std::optional<std::string>& path, const std::string& text) {
    if (!path) {
        std::cout << text << std::flush;
        return true;
    }
    QString error; // "cannot write PATH: reason"; QSaveFile: an existing file is never half-written
    if (writeFileAtomically(QString::fromStdString(*path), QByteArray::fromStdString(text), &error))
        return true;
    std::cerr << "conlab: " << error.toStdString() << "\n";
    return false;
}

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

double parseOpenRange(const std::string& flag, const std::string& v, double lo, double hi) {
    size_t used = 0;
    double d = 0;
    try {
        d = std::stod(v, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != v.size() || !std::isfinite(d) || d <= lo || d >= hi)
        throw UsageError{"--" + flag + ": '" + v + "' is not a number in (" + fmtDouble(lo) + ", " +
                         fmtDouble(hi) + ")"};
    return d;
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

const std::set<std::string> kSpecFlags = {
    "tasks",     "workers",      "task-us", "kind",          "working-set", "input",
    "result",    "messages",     "payload", "cpus",          "repeat",      "warmup",
    "chunksize", "task-timeout", "probes",  "parent-memory", "child-touch"};

WorkloadSpec specFromArgs(const Args& a) {
    WorkloadSpec s;
    using L = SpecLimits;
    // Checked before narrowing: --workers 4294967297 is named as given, not as 2147483647.
    auto toInt = [](const char* flag, int64_t v, int64_t lo, int64_t hi) {
        if (v < lo || v > hi)
            throw UsageError{"--" + std::string(flag) + ": " + std::to_string(v) +
                             " is out of range (allowed: " + std::to_string(lo) + " … " + std::to_string(hi) +
                             ")"};
        return int(v);
    };
    if (auto v = a.get("tasks")) s.tasks = parseInteger("tasks", *v, L::minTasks, L::maxTasks);
    if (auto v = a.get("workers")) {
        const int64_t w = parseInteger("workers", *v, L::minWorkers, L::maxWorkers);
        if (w == 0)
            throw UsageError{"--workers: 0 is out of range (allowed: 1 … 1024; omit for the core count)"};
        s.workers = toInt("workers", w, L::minWorkers, L::maxWorkers);
    }
    if (auto v = a.get("task-us")) s.taskUs = parseNumber("task-us", *v, "0 … 10000000 µs");
    if (auto v = a.get("kind")) {
        auto k = taskKindFromString(*v);
        if (!k) throw UsageError{"--kind: '" + *v + "' is not a task kind (allowed: cpu, memory, io)"};
        s.kind = *k;
    }
    if (auto v = a.get("probes")) {
        auto p = probesFromString(*v);
        if (!p) throw UsageError{"--probes: '" + *v + "' is not a probes mode (allowed: on, off, compare)"};
        s.probes = *p;
    }
    if (auto v = a.get("working-set")) s.workingSet = parseSizeFlag("working-set", *v);
    if (auto v = a.get("input")) s.inputBytes = parseSizeFlag("input", *v);
    if (auto v = a.get("result")) s.resultBytes = parseSizeFlag("result", *v);
    if (auto v = a.get("messages")) s.messages = parseInteger("messages", *v, 0, L::maxMessages);
    if (auto v = a.get("payload")) s.payload = parseSizeFlag("payload", *v);
    if (auto v = a.get("chunksize"))
        s.chunksize = toInt("chunksize", parseInteger("chunksize", *v, L::minChunksize, L::maxChunksize),
                            L::minChunksize, L::maxChunksize);
    if (auto v = a.get("repeat"))
        s.repeat = toInt("repeat", parseInteger("repeat", *v, L::minRepeat, L::maxRepeat), L::minRepeat,
                         L::maxRepeat);
    if (auto v = a.get("warmup"))
        s.warmup = toInt("warmup", parseInteger("warmup", *v, 0, L::maxWarmup), 0, L::maxWarmup);
    s.interleave = a.has("interleave"); // a switch: run and sweep accept it
    if (auto v = a.get("task-timeout")) s.taskTimeoutS = parseNumber("task-timeout", *v, "0.001 … 86400 s");
    if (auto v = a.get("parent-memory")) s.parentMemory = parseSizeFlag("parent-memory", *v);
    if (auto v = a.get("child-touch")) s.childTouch = parseNumber("child-touch", *v, "0 … 1");
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
        const auto ids = BackendRegistry::instance().ids();
        if (!f->backend.empty() && std::find(ids.begin(), ids.end(), f->backend) == ids.end())
            throw UsageError{"--inject-fault: '" + f->backend +
                             "' is not a backend id (see conlab backends)"};
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

void warnIgnoredOptions(const Args& a, const WorkloadSpec& s, const std::string& swept,
                        const std::string& swept2) {
    std::vector<std::string> ignored;
    auto sweeps = [&](const char* name) { return swept == name || swept2 == name; };
    const bool payloadGiven = a.has("payload") || sweeps("payload");
    if (payloadGiven && s.messages == 0 && !sweeps("messages"))
        ignored.push_back(std::string(sweeps("payload") ? "sweeping payload" : "--payload") +
                          " has no effect with --messages 0: no messages are exchanged");
    if (a.has("working-set") && s.kind != TaskKind::Memory)
        ignored.push_back("--working-set has no effect with --kind " + toString(s.kind) +
                          ": only memory tasks stream a buffer");
    if (a.has("child-touch") && s.parentMemory == 0 && !sweeps("parent-memory"))
        ignored.push_back(
            "--child-touch has no effect with --parent-memory 0: there is no parent memory to touch");
    for (const char* flag : {"figure", "size"})
        if (a.has(flag) && !a.has("plot"))
            ignored.push_back("--" + std::string(flag) + " has no effect without --plot");
    for (const auto& w : ignored)
        std::cerr << "conlab: warning: " << w << "\n";
}

std::vector<double> sweepAxisValues(const Args& a, SweepParam param, const std::string& suffix) {
    auto flag = [&](const char* f) { return std::string(f) + suffix; };
    const std::string scale = a.get(flag("scale")).value_or("linear");
    if (scale != "log" && scale != "linear")
        throw UsageError{"--" + flag("scale") + ": '" + scale + "' (allowed: log, linear)"};
    const bool sizeParam =
        param == SweepParam::Payload || param == SweepParam::Input || param == SweepParam::ParentMemory;
    auto number = [&](const std::string& name, const std::string& v) {
        if (sizeParam) return double(parseSizeFlag(name, v));
        const double x = parseNumber(name, v, "a finite number");
        if (!std::isfinite(x)) throw UsageError{"--" + name + ": '" + v + "' is not a finite number"};
        return x;
    };
    std::vector<double> values;
    if (auto v = a.get(flag("values"))) {
        if (a.has(flag("from")) || a.has(flag("to")) || a.has(flag("steps")))
            throw UsageError{"--" + flag("values") + ": give either --" + flag("values") + " or --" +
                             flag("from") + "/--" + flag("to") + "/--" + flag("steps")};
        std::stringstream ss(*v);
        std::string item;
        while (std::getline(ss, item, ','))
            values.push_back(number(flag("values"), item));
        if (values.empty()) throw UsageError{"--" + flag("values") + ": no values given"};
        return values;
    }
    if (!a.has(flag("from")) || !a.has(flag("to")))
        throw UsageError{"give --" + flag("values") + " V,V,… or --" + flag("from") + " A --" + flag("to") +
                         " B [--" + flag("steps") + " N] [--" + flag("scale") + " log|linear]"};
    const double from = number(flag("from"), *a.get(flag("from"))),
                 to = number(flag("to"), *a.get(flag("to")));
    const int steps =
        a.get(flag("steps")) ? int(parseInteger(flag("steps"), *a.get(flag("steps")), 2, 1000)) : 5;
    if (steps < 2 || steps > 1000)
        throw UsageError{"--" + flag("steps") + ": out of range (allowed: 2 … 1000)"};
    if (scale == "log" && (from <= 0 || to <= 0))
        throw UsageError{"--" + flag("scale") + " log: --" + flag("from") + " and --" + flag("to") +
                         " must be > 0"};
    return sweepValues(from, to, steps, scale == "log");
}

void checkSweepValues(const WorkloadSpec& base, SweepParam param, const std::string& name,
                      const std::vector<double>& values, const std::string& flag) {
    for (double v : values) {
        WorkloadSpec s = base;
        applySweepValue(s, param, v);
        auto errors = validate(s);
        if (!errors.empty()) {
            SpecError e = errors[0];
            if (e.field == name) e.value = fmtDouble(v); // as given, not as clamped to an integer
            throw UsageError{"--" + flag + ": " + name + " = " + fmtDouble(v) + ": " + e.message()};
        }
    }
}

PlotRequest plotRequestFor(const std::string& path, const Args& a, const std::vector<std::string>& figures,
                           const std::string& what, bool sweeping) {
    auto dot = path.rfind('.');
    std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
    for (auto& c : ext)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    if (ext != "png" && ext != "pdf" && ext != "svg")
        throw UsageError{"'" + path + "': unknown figure format (allowed: .png, .pdf, .svg)"};
    PlotRequest r;
    r.path = path;
    r.figure = figures.front();
    if (auto f = a.get("figure")) {
        if (std::find(figures.begin(), figures.end(), *f) == figures.end()) {
            std::string allowed;
            for (const auto& x : figures)
                allowed += (allowed.empty() ? "" : ", ") + x;
            throw UsageError{"--figure: '" + *f + "' is not " + what + " (allowed: " + allowed + ")"};
        }
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

} // namespace conlab::cli
