#include "report.h"
#include "text_format.h"

#include "measurement/run_warnings.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace conlab {

std::string printable(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    char buf[8];
    for (size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20 || c == 0x7f) {
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
                   static_cast<unsigned char>(s[i + 1]) <= 0x9f) { // C1 controls (U+0080 … U+009F, e.g. CSI)
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(s[++i]));
            out += buf;
        } else {
            out += char(c);
        }
    }
    return out;
}

std::string formatDuration(double s) {
    char buf[32];
    if (!std::isfinite(s)) return "-";
    double a = std::abs(s);
    if (a == 0)
        std::snprintf(buf, sizeof buf, "0");
    else if (a < 1e-6)
        std::snprintf(buf, sizeof buf, "%.0f ns", s * 1e9);
    else if (a < 1e-3)
        std::snprintf(buf, sizeof buf, "%.1f µs", s * 1e6);
    else if (a < 1)
        std::snprintf(buf, sizeof buf, "%.1f ms", s * 1e3);
    else
        std::snprintf(buf, sizeof buf, "%.2f s", s);
    return buf;
}

namespace {
using text::fmt;
using text::pad;
using text::pct;
} // namespace

std::string formatTable(const Experiment& ex, bool noteErrors) {
    std::vector<std::string> head = {"backend", "workers", "wall", "tasks/s", "speedup", "effic.", "cores"};
    for (Phase p : kWorkerPhases)
        head.emplace_back(phaseName(p));
    for (const char* h : {"p50 lat", "spawn cost", "startup once", "round trip"})
        head.emplace_back(h);
    // --probes compare: what conlab's recording cost (share of wall, per task).
    bool anyInstrumentation = false;
    for (const auto& r : ex.runs)
        anyInstrumentation = anyInstrumentation || r.summary.instrumentation.has_value();
    if (anyInstrumentation) head.emplace_back("probe cost");
    const bool bare = ex.spec.probes == Probes::Off;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> notes;
    bool cpuWaitUnmeasured = false;
    for (const auto& r : ex.runs) {
        const auto& s = r.summary;
        if (s.repetitions == 0) {
            std::vector<std::string> row(head.size(), "-");
            row[0] = printable(r.backend);
            row[1] = std::to_string(r.workers);
            rows.push_back(std::move(row));
        } else {
            std::vector<std::string> row = {printable(r.backend),
                                            std::to_string(r.workers),
                                            formatDuration(s.wallS.median),
                                            fmt("%.0f", s.throughput.median),
                                            s.speedup ? fmt(*s.speedup < 0.1 ? "%.3f×" : "%.2f×", *s.speedup)
                                                      : "-",
                                            s.efficiency ? fmt("%.0f%%", *s.efficiency * 100) : "-",
                                            fmt("%.2f", s.coresBusy)};
            for (Phase p : kWorkerPhases) {
                const bool unmeasured = p == Phase::CpuWait && !s.cpuWaitMeasured;
                cpuWaitUnmeasured = cpuWaitUnmeasured || unmeasured;
                row.push_back(bare ? "bare" : unmeasured ? "n/m" : pct(s.phaseShare[size_t(p)]));
            }
            row.push_back(bare ? "-" : formatDuration(s.latencyP50S));
            row.push_back(s.spawnCostS > 0 ? formatDuration(s.spawnCostS) : "-");
            row.push_back(s.startupS > 0 ? formatDuration(s.startupS) : "-");
            row.push_back(s.roundTripS > 0 ? formatDuration(s.roundTripS) : "-");
            if (anyInstrumentation) {
                const auto& c = s.instrumentation;
                row.push_back(c ? fmt("%.1f%% ", c->shareOfWall * 100) + formatDuration(c->perTaskS) + "/task"
                                : "-");
            }
            rows.push_back(std::move(row));
        }
        if (!r.error.empty() && noteErrors)
            notes.push_back("error: " + printable(r.error));
        else if (r.cancelled)
            notes.push_back(printable(r.backend) + ": cancelled (partial result)");
        if (const ChildUsage& c = r.summary.children; c.processes > 0)
            notes.push_back(
                printable(r.backend) + ": per worker process " +
                text::fmt("%.0f minor page faults", c.minorFaults) +
                (c.majorFaults >= 0.5 ? text::fmt(", %.0f major", c.majorFaults) : std::string()) +
                ", peak RSS " + formatBytes(int64_t(c.maxRssBytes)) +
                " with pages shared with conlab (wait4; " + std::to_string(c.processes) +
                " reaped per repetition)");
    }
    if (bare)
        notes.push_back("bare (--probes off): only the wall clock and the completed count were measured");
    if (anyInstrumentation)
        notes.push_back("probe cost: instrumented minus bare wall time of the same repetition (--probes "
                        "compare), as a share of the instrumented wall and per task; below 0 is noise");
    if (cpuWaitUnmeasured)
        notes.push_back(
            "n/m: cpu-wait is not measured for this backend (the time is inside its other phases)");
    std::vector<size_t> width(head.size());
    auto measure = [&](const std::vector<std::string>& row) {
        for (size_t i = 0; i < row.size(); ++i) {
            size_t len = 0;
            for (unsigned char c : row[i])
                if ((c & 0xC0) != 0x80) ++len;
            width[i] = std::max(width[i], len);
        }
    };
    measure(head);
    for (const auto& r : rows)
        measure(r);
    std::ostringstream os;
    auto line = [&](const std::vector<std::string>& row) {
        for (size_t i = 0; i < row.size(); ++i)
            os << (i ? "  " : "") << pad(row[i], width[i], i > 0);
        os << '\n';
    };
    const auto& sp = ex.spec;
    os << "workload: " << text::counted(sp.tasks, toString(sp.kind) + " task") << " × " << sp.taskUs
       << " µs, " << text::counted(sp.resolvedWorkers(), "worker") << ", input " << formatBytes(sp.inputBytes)
       << ", result " << formatBytes(sp.resultBytes) << ", ";
    if (sp.messages == 0)
        os << "no messages";
    else
        os << text::counted(sp.messages, "message") << " × " << formatBytes(sp.payload);
    if (sp.chunksize > 1) os << ", chunksize " << sp.chunksize;
    if (!sp.cpus.empty()) os << ", pinned to CPUs " << formatCpuList(sp.cpus);
    if (sp.parentMemory > 0)
        os << ", parent memory " << formatBytes(sp.parentMemory)
           << (sp.childTouch > 0 ? text::fmt(" (children write %.0f%%)", sp.childTouch * 100)
                                 : std::string());
    os << "\nrepetitions: " << sp.repeat << " (+" << sp.warmup
       << " warmup); phase shares are of total worker time\n\n";
    line(head);
    for (const auto& r : rows)
        line(r);
    for (const auto& n : notes)
        os << n << '\n';
    if (ex.machine.buildType.rfind("release", 0) != 0)
        os << "warning: not a release build (" << printable(ex.machine.buildType)
           << "): timings are not representative\n";
    for (const auto& w : runWarnings(ex)) // noise, baseline, spread (docs/measurement.md)
        os << "warning: " << printable(w.text) << '\n';
    return os.str();
}

std::string csvEscape(const std::string& f) {
    if (f.find_first_of(",\"\n\r") == std::string::npos) return f;
    std::string out = "\"";
    for (char c : f) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

namespace {
// A text cell: control characters escaped, and a leading = + - @ neutralised with a ' so that a
// spreadsheet does not run it as a formula (CSV injection), then RFC 4180 quoting.
std::string csvText(const std::string& f) {
    std::string v = printable(f);
    if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) v.insert(0, 1, '\'');
    return csvEscape(v);
}
} // namespace

std::string formatCsv(const Experiment& ex) {
    std::ostringstream os;
    os.precision(9);
    os << "backend,family,workers,repetitions,wall_s,throughput,throughput_ci95_low,throughput_ci95_high,"
          "speedup,"
          "efficiency";
    for (Phase p : kWorkerPhases)
        os << ',' << phaseKey(p) << "_s";
    for (Phase p : kWorkerPhases)
        os << ',' << phaseKey(p) << "_share";
    os << ",latency_p50_s,latency_p95_s,latency_p99_s,spawn_cost_s,startup_wall_s,round_trip_s,cores_busy,"
          "cpu_wait_measured,cancelled,error\n";
    for (const auto& r : ex.runs) {
        const auto& s = r.summary;
        os << csvText(r.backend) << ',' << csvText(r.family) << ',' << r.workers << ',' << s.repetitions
           << ',' << s.wallS.median << ',' << s.throughput.median << ',' << s.throughput.ciLow << ','
           << s.throughput.ciHigh << ',';
        if (s.speedup) os << *s.speedup;
        os << ',';
        if (s.efficiency) os << *s.efficiency;
        for (Phase p : kWorkerPhases)
            os << ',' << s.phaseS[size_t(p)].median;
        for (Phase p : kWorkerPhases)
            os << ',' << s.phaseShare[size_t(p)];
        os << ',' << s.latencyP50S << ',' << s.latencyP95S << ',' << s.latencyP99S << ',' << s.spawnCostS
           << ',' << s.startupS << ',' << s.roundTripS << ',' << s.coresBusy << ','
           << (s.cpuWaitMeasured ? "true" : "false") << ',' << (r.cancelled ? "true" : "false") << ','
           << csvText(r.error) << '\n';
    }
    return os.str();
}

std::string formatSweepTable(const SweepResult& sw, const std::vector<BreakEven>& breakEven,
                             bool noteErrors) {
    std::ostringstream os;
    const std::string param = toString(sw.param);
    os << "sweep of " << param << " over " << sw.points.size() << " of " << sw.values.size() << " points ("
       << (sw.logScale ? "log" : "linear") << " scale)" << (sw.cancelled ? ", cancelled" : "") << "\n";
    size_t w = param.size();
    for (const auto& b : sw.backends)
        w = std::max(w, b.size());
    os << pad(param, 12, true) << "  " << pad("backend", w, false) << "  " << pad("tasks/s", 10, true) << "  "
       << pad("speedup", 8, true);
    for (Phase ph : kWorkerPhases)
        os << "  " << pad(std::string(phaseName(ph)), 8, true);
    os << "\n";
    for (const auto& p : sw.points) {
        for (const auto& r : p.runs) {
            const auto& s = r.summary;
            os << pad(sweepValueText(sw.param, p.value), 12, true) << "  "
               << pad(printable(r.backend), w, false) << "  ";
            if (!r.error.empty() || s.repetitions == 0) {
                os << (noteErrors ? "error: " + printable(r.error) : std::string("failed")) << "\n";
                continue;
            }
            os << pad(fmt("%.0f", s.throughput.median), 10, true) << "  "
               << pad(s.speedup ? fmt(*s.speedup < 0.1 ? "%.3f×" : "%.2f×", *s.speedup) : "-", 8, true);
            for (Phase ph : kWorkerPhases)
                os << "  " << pad(pct(s.phaseShare[size_t(ph)]), 8, true);
            os << "\n";
        }
    }
    if (!breakEven.empty()) os << "\nbreak-even (speedup over sequential crosses 1):\n";
    for (const auto& b : breakEven) {
        os << "  " << printable(b.backend) << ": ";
        if (b.value)
            os << (b.paysOffAbove ? "pays off above ≈ " : "pays off below ≈ ")
               << sweepValueText(sw.param, *b.value, 2) << " (" << param << ")\n";
        else
            os << printable(b.note) << "\n";
    }
    for (const auto& w : runWarnings(sw)) // noise, baseline, spread (docs/measurement.md)
        os << "warning: " << printable(w.text) << '\n';
    return os.str();
}

std::string formatSweepCsv(const SweepResult& sw) {
    std::ostringstream os;
    bool header = true;
    for (const auto& p : sw.points) {
        Experiment ex;
        ex.spec = p.spec;
        ex.runs = p.runs;
        std::istringstream rows(formatCsv(ex));
        std::string line;
        bool first = true;
        while (std::getline(rows, line)) {
            if (first) {
                first = false;
                if (header) os << "param,value," << line << "\n";
                header = false;
                continue;
            }
            os << toString(sw.param) << ',' << fmt("%.9g", p.value) << ',' << line << "\n";
        }
    }
    return os.str();
}

} // namespace conlab
