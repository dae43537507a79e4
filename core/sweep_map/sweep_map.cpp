#include "sweep_map.h"

#include <algorithm>

namespace conlab {

const std::vector<double>& SweepMap::values() const {
    static const std::vector<double> none;
    return rows.empty() ? none : rows.front().values;
}

std::vector<std::string> SweepMap::backends() const {
    return rows.empty() ? std::vector<std::string>{} : rows.front().backends;
}

size_t SweepMap::finishedCells() const {
    size_t n = 0;
    for (const auto& r : rows)
        n += r.points.size();
    return n;
}

SweepMap runSweepMap(Engine& engine, const WorkloadSpec& base, SweepParam param,
                     const std::vector<double>& values, bool logScale, SweepParam param2,
                     const std::vector<double>& values2, bool logScale2,
                     const std::vector<std::string>& backends, const EngineOptions& options,
                     const std::function<void(size_t, const SweepResult&, const SweepPoint&)>& onCell) {
    SweepMap out;
    out.base = base;
    out.param2 = param2;
    out.logScale2 = logScale2;
    out.values2 = values2;
    for (double v2 : values2) {
        if (options.cancel && options.cancel->isCancelled()) break;
        WorkloadSpec rowBase = base;
        applySweepValue(rowBase, param2, v2);
        const size_t row = out.rows.size();
        SweepResult r = runSweep(engine, rowBase, param, values, logScale, backends, options,
                                 [&](const SweepResult& s, const SweepPoint& p) {
                                     if (onCell) onCell(row, s, p);
                                 });
        const bool stopped = r.cancelled;
        if (!r.points.empty()) out.rows.push_back(std::move(r));
        if (stopped) break;
    }
    out.cancelled = options.cancel && options.cancel->isCancelled();
    return out;
}

std::optional<std::string> bestBackendAt(const SweepPoint& cell) {
    std::optional<std::string> best;
    double top = 0;
    for (const auto& r : cell.runs)
        if (r.error.empty() && r.summary.repetitions > 0 && r.summary.throughput.median > top) {
            top = r.summary.throughput.median;
            best = r.backend;
        }
    return best;
}

std::vector<ContourPoint> breakEvenContour(const SweepMap& map, const std::string& backend) {
    std::vector<ContourPoint> out;
    for (size_t i = 0; i < map.rows.size() && i < map.values2.size(); ++i)
        for (const BreakEven& be : breakEvenPoints(map.rows[i]))
            if (be.backend == backend) out.push_back({map.values2[i], be});
    return out;
}

std::string defaultMapBackend(const SweepMap& map) {
    for (const auto& b : map.backends())
        if (b != "sequential") return b;
    return map.backends().empty() ? std::string() : map.backends().front();
}

} // namespace conlab
