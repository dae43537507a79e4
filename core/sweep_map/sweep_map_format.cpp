#include "sweep_map_format.h"

#include "../measurement/run_warnings.h"
#include "../report.h"
#include "../text_format.h"

#include <algorithm>

namespace conlab {

namespace {

using text::fmt;
using text::pad;

const BackendRun* runIn(const SweepPoint& p, const std::string& backend) {
    for (const auto& r : p.runs)
        if (r.backend == backend) return &r;
    return nullptr;
}

bool hasSequential(const SweepMap& map) {
    const auto b = map.backends();
    return std::find(b.begin(), b.end(), "sequential") != b.end();
}

std::string throughputText(double v) {
    return v >= 1e6 ? fmt("%.2f M/s", v / 1e6) : v >= 1e3 ? fmt("%.1f k/s", v / 1e3) : fmt("%.0f /s", v);
}

// One grid: a header of column values, then a row per value of param2.
template <class Cell> std::string grid(const SweepMap& map, Cell cell) {
    const std::string corner = toString(map.param2) + " \\ " + toString(map.param());
    size_t first = corner.size() + 2, width = 12;
    for (double v2 : map.values2)
        first = std::max(first, sweepValueText(map.param2, v2).size() + 2);
    for (const auto& row : map.rows)
        for (const auto& p : row.points)
            width = std::max(width, cell(p).size() + 2);
    std::string out = "  " + pad(corner, first);
    for (double v : map.values())
        out += pad(sweepValueText(map.param(), v), width, true);
    out += "\n";
    for (size_t i = 0; i < map.rows.size(); ++i) {
        out += "  " + pad(sweepValueText(map.param2, map.values2[i]), first);
        for (const auto& p : map.rows[i].points)
            out += pad(cell(p), width, true);
        out += "\n";
    }
    return out;
}

} // namespace

std::string formatSweepMapTable(const SweepMap& map) {
    std::string out = "map: " + toString(map.param()) + " (columns) × " + toString(map.param2) + " (rows), " +
                      std::to_string(map.finishedCells()) + " of " +
                      std::to_string(map.values().size() * map.values2.size()) + " cells measured\n";
    if (map.rows.empty()) return out + "no cell finished\n";
    const bool speedups = hasSequential(map);
    for (const auto& b : map.backends()) {
        if (speedups && b == "sequential") continue;
        out += "\n" + printable(b) +
               (speedups ? ": speedup over sequential\n" : ": median throughput (tasks/s)\n");
        out += grid(map, [&](const SweepPoint& p) -> std::string {
            const BackendRun* r = runIn(p, b);
            if (!r || !r->error.empty()) return "failed";
            if (speedups) return r->summary.speedup ? fmt("%.2f×", *r->summary.speedup) : "-";
            return throughputText(r->summary.throughput.median);
        });
        if (!speedups) continue;
        for (const ContourPoint& c : breakEvenContour(map, b)) {
            const std::string at = "  at " + sweepValueText(map.param2, c.value2) + ": ";
            if (c.breakEven.value)
                out += at + "breaks even at " + toString(map.param()) + " = " +
                       sweepValueText(map.param(), *c.breakEven.value) +
                       (c.breakEven.paysOffAbove ? " (faster above)" : " (faster below)") + "\n";
            else
                out += at + printable(c.breakEven.note) + "\n";
        }
    }
    out += "\nbest backend per cell (highest median throughput)\n";
    out += grid(map, [](const SweepPoint& p) { return printable(bestBackendAt(p).value_or("-")); });
    // Noise, baseline and spread warnings of each row (docs/measurement.md), said where they hold.
    for (size_t i = 0; i < map.rows.size(); ++i)
        for (const auto& w : runWarnings(map.rows[i]))
            out += "warning: at " + toString(map.param2) + " = " +
                   sweepValueText(map.param2, map.values2[i]) + ": " + printable(w.text) + "\n";
    if (map.cancelled) out += "interrupted: the cells not shown did not run\n";
    return out;
}

std::string formatSweepMapCsv(const SweepMap& map) {
    std::string out = "param,value,param2,value2,backend,throughput_median,speedup,best,error\n";
    for (size_t i = 0; i < map.rows.size(); ++i)
        for (const auto& p : map.rows[i].points) {
            const auto best = bestBackendAt(p);
            for (const auto& r : p.runs) {
                out += csvEscape(toString(map.param())) + "," + fmt("%.17g", p.value) + "," +
                       csvEscape(toString(map.param2)) + "," + fmt("%.17g", map.values2[i]) + "," +
                       csvEscape(r.backend) + ",";
                if (r.error.empty()) {
                    out += fmt("%.17g", r.summary.throughput.median) + ",";
                    if (r.summary.speedup) out += fmt("%.17g", *r.summary.speedup);
                    out += std::string(",") + (best && *best == r.backend ? "1" : "0") + ",\n";
                } else {
                    out += ",,0," + csvEscape(printable(r.error)) + "\n";
                }
            }
        }
    return out;
}

} // namespace conlab
