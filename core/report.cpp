#include "report.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace conlab {

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
std::string fmt(const char* f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}
std::string pct(double share) {
    return fmt("%.0f%%", share * 100);
}

// Pads to a display width, counting UTF-8 code points (µ is two bytes).
std::string pad(const std::string& s, size_t width, bool right) {
    size_t len = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++len;
    std::string fill(width > len ? width - len : 0, ' ');
    return right ? fill + s : s + fill;
}
} // namespace

std::string formatTable(const Experiment& ex) {
    const std::vector<std::string> head = {"backend", "workers", "wall",       "tasks/s",   "speedup",
                                           "effic.",  "cores",   "spawn",      "ipc",       "compute",
                                           "idle",    "p50 lat", "spawn cost", "round trip"};
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> notes;
    for (const auto& r : ex.runs) {
        const auto& s = r.summary;
        if (s.repetitions == 0) {
            rows.push_back({r.backend, std::to_string(r.workers), "-", "-", "-", "-", "-", "-", "-", "-", "-",
                            "-", "-", "-"});
        } else {
            rows.push_back({r.backend, std::to_string(r.workers), formatDuration(s.wallS.median),
                            fmt("%.0f", s.throughput.median),
                            s.speedup ? fmt(*s.speedup < 0.1 ? "%.3f×" : "%.2f×", *s.speedup) : "-",
                            s.efficiency ? fmt("%.0f%%", *s.efficiency * 100) : "-", fmt("%.2f", s.coresBusy),
                            pct(s.phaseShare[0]), pct(s.phaseShare[1]), pct(s.phaseShare[2]),
                            pct(s.phaseShare[3]), formatDuration(s.latencyP50S),
                            s.spawnCostS > 0 ? formatDuration(s.spawnCostS) : "-",
                            s.roundTripS > 0 ? formatDuration(s.roundTripS) : "-"});
        }
        if (!r.error.empty())
            notes.push_back("error: " + r.error);
        else if (r.cancelled)
            notes.push_back(r.backend + ": cancelled (partial result)");
    }
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
    os << "workload: " << sp.tasks << " " << toString(sp.kind) << " tasks × " << sp.taskUs << " µs, "
       << sp.resolvedWorkers() << " workers, input " << formatBytes(sp.inputBytes) << ", result "
       << formatBytes(sp.resultBytes) << ", ";
    if (sp.messages == 0)
        os << "no messages";
    else
        os << sp.messages << (sp.messages == 1 ? " message × " : " messages × ") << formatBytes(sp.payload);
    if (sp.chunksize > 1) os << ", chunksize " << sp.chunksize;
    if (!sp.cpus.empty()) os << ", pinned to CPUs " << formatCpuList(sp.cpus);
    os << "\nrepetitions: " << sp.repeat << " (+" << sp.warmup
       << " warmup); phase shares are of total worker time\n\n";
    line(head);
    for (const auto& r : rows)
        line(r);
    for (const auto& n : notes)
        os << n << '\n';
    if (ex.machine.buildType.rfind("release", 0) != 0)
        os << "warning: not a release build (" << ex.machine.buildType
           << "): timings are not representative\n";
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

std::string formatCsv(const Experiment& ex) {
    std::ostringstream os;
    os.precision(9);
    os << "backend,family,workers,repetitions,wall_s,throughput,throughput_ci95_low,throughput_ci95_high,"
          "speedup,"
          "efficiency,spawn_s,ipc_s,compute_s,idle_s,spawn_share,ipc_share,compute_share,idle_share,latency_"
          "p50_s,"
          "latency_p95_s,latency_p99_s,spawn_cost_s,round_trip_s,cores_busy,cancelled,error\n";
    for (const auto& r : ex.runs) {
        const auto& s = r.summary;
        os << csvEscape(r.backend) << ',' << csvEscape(r.family) << ',' << r.workers << ',' << s.repetitions
           << ',' << s.wallS.median << ',' << s.throughput.median << ',' << s.throughput.ciLow << ','
           << s.throughput.ciHigh << ',';
        if (s.speedup) os << *s.speedup;
        os << ',';
        if (s.efficiency) os << *s.efficiency;
        for (int p = 0; p < 4; ++p)
            os << ',' << s.phaseS[size_t(p)].median;
        for (int p = 0; p < 4; ++p)
            os << ',' << s.phaseShare[size_t(p)];
        os << ',' << s.latencyP50S << ',' << s.latencyP95S << ',' << s.latencyP99S << ',' << s.spawnCostS
           << ',' << s.roundTripS << ',' << s.coresBusy << ',' << (r.cancelled ? "true" : "false") << ','
           << csvEscape(r.error) << '\n';
    }
    return os.str();
}

std::string formatSweepTable(const SweepResult& sw, const std::vector<BreakEven>& breakEven) {
    std::ostringstream os;
    const std::string param = toString(sw.param);
    os << "sweep of " << param << " over " << sw.points.size() << " of " << sw.values.size() << " points ("
       << (sw.logScale ? "log" : "linear") << " scale)" << (sw.cancelled ? ", cancelled" : "") << "\n";
    size_t w = param.size();
    for (const auto& b : sw.backends)
        w = std::max(w, b.size());
    os << pad(param, 12, true) << "  " << pad("backend", w, false) << "  " << pad("tasks/s", 10, true) << "  "
       << pad("speedup", 8, true) << "  spawn    ipc  compute   idle\n";
    for (const auto& p : sw.points) {
        for (const auto& r : p.runs) {
            const auto& s = r.summary;
            os << pad(sweepValueText(sw.param, p.value), 12, true) << "  " << pad(r.backend, w, false)
               << "  ";
            if (!r.error.empty() || s.repetitions == 0) {
                os << "error: " << r.error << "\n";
                continue;
            }
            os << pad(fmt("%.0f", s.throughput.median), 10, true) << "  "
               << pad(s.speedup ? fmt(*s.speedup < 0.1 ? "%.3f×" : "%.2f×", *s.speedup) : "-", 8, true);
            for (int ph = 0; ph < 4; ++ph)
                os << "  " << pad(pct(s.phaseShare[size_t(ph)]), ph == 2 ? 7 : 5, true);
            os << "\n";
        }
    }
    if (!breakEven.empty()) os << "\nbreak-even (speedup over sequential crosses 1):\n";
    for (const auto& b : breakEven) {
        os << "  " << b.backend << ": ";
        if (b.value)
            os << (b.paysOffAbove ? "pays off above ≈ " : "pays off below ≈ ")
               << sweepValueText(sw.param, *b.value, 2) << " (" << param << ")\n";
        else
            os << b.note << "\n";
    }
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
