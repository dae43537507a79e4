#pragma once
// Two-parameter maps (docs/sweeps.md): a sweep over `param` at each value of a second
// parameter `param2`, every selected backend run at every cell. A map is a stack of ordinary
// sweeps (one row per value of param2), so each row keeps its speedups relative to sequential
// and its break-even points; what a map adds is the view across rows: the best backend per
// cell and a backend's break-even contour.
#include "../sweep.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace conlab {

struct SweepMap {
    WorkloadSpec base; // before either parameter is applied
    SweepParam param2 = SweepParam::Payload;
    bool logScale2 = false;
    std::vector<double> values2;
    std::vector<SweepResult>
        rows; // rows[i]: the sweep over the row parameter at values2[i]; finished rows only
    bool cancelled = false;

    // The column parameter and its values (those of the first row; every row has the same).
    SweepParam param() const { return rows.empty() ? SweepParam::TaskUs : rows.front().param; }
    const std::vector<double>& values() const;
    std::vector<std::string> backends() const;
    size_t finishedCells() const;
};

// Runs row after row (values2 in order), each row a runSweep over `values`. `onCell` is called
// after each finished cell with its row index. On cancel the finished rows are kept, and a
// partly finished row too (with the cells it has).
SweepMap
runSweepMap(Engine& engine, const WorkloadSpec& base, SweepParam param, const std::vector<double>& values,
            bool logScale, SweepParam param2, const std::vector<double>& values2, bool logScale2,
            const std::vector<std::string>& backends, const EngineOptions& options,
            const std::function<void(size_t row, const SweepResult&, const SweepPoint&)>& onCell = {});

// The backend with the highest median throughput at a cell; nullopt when none finished.
std::optional<std::string> bestBackendAt(const SweepPoint& cell);

// A backend's break-even contour: for each row, where its speedup over sequential crosses 1
// along the column parameter (breakEvenPoints of that row), or the row's note when it does not
// cross ("always faster", "never faster in range", …).
struct ContourPoint {
    double value2 = 0;
    BreakEven breakEven;
};
std::vector<ContourPoint> breakEvenContour(const SweepMap& map, const std::string& backend);

// The backend a speedup map shows by default: the first that is not sequential.
std::string defaultMapBackend(const SweepMap& map);

} // namespace conlab
