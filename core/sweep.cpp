#include "sweep.h"

#include "machine_info.h"
#include "text_format.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace conlab {

namespace {
const std::vector<std::pair<SweepParam, std::string>>& names() {
    static const std::vector<std::pair<SweepParam, std::string>> n = {
        {SweepParam::TaskUs, "task-us"},      {SweepParam::Workers, "workers"},
        {SweepParam::Payload, "payload"},     {SweepParam::Messages, "messages"},
        {SweepParam::Input, "input"},         {SweepParam::Tasks, "tasks"},
        {SweepParam::Chunksize, "chunksize"}, {SweepParam::ParentMemory, "parent-memory"}};
    return n;
}
} // namespace

std::string toString(SweepParam p) {
    for (const auto& [k, v] : names())
        if (k == p) return v;
    return "task-us";
}

std::optional<SweepParam> sweepParamFromString(const std::string& s) {
    for (const auto& [k, v] : names())
        if (v == s) return k;
    return std::nullopt;
}

std::vector<std::string> sweepParamNames() {
    std::vector<std::string> out;
    for (const auto& kv : names())
        out.push_back(kv.second);
    return out;
}

void applySweepValue(WorkloadSpec& s, SweepParam p, double v) {
    // Clamped before converting (1e30 or NaN to an integer is undefined behaviour); validate()
    // then refuses the clamped value.
    const double c = std::isnan(v) ? 0.0 : std::clamp(v, -9.0e18, 9.0e18);
    const auto i64 = int64_t(std::llround(c));
    const int i32 = int(std::clamp<int64_t>(i64, INT32_MIN, INT32_MAX));
    switch (p) {
    case SweepParam::TaskUs:
        s.taskUs = v;
        break;
    case SweepParam::Workers:
        s.workers = i32;
        break;
    case SweepParam::Payload:
        s.payload = i64;
        break;
    case SweepParam::Messages:
        s.messages = i64;
        break;
    case SweepParam::Input:
        s.inputBytes = i64;
        break;
    case SweepParam::Tasks:
        s.tasks = i64;
        break;
    case SweepParam::Chunksize:
        s.chunksize = i32;
        break;
    case SweepParam::ParentMemory:
        s.parentMemory = i64;
        break;
    }
}

std::string sweepValueText(SweepParam p, double v, int significant) {
    char buf[64];
    switch (p) {
    case SweepParam::TaskUs: {
        const double r = roundSignificant(v, significant);
        const char* unit = "µs";
        double shown = r;
        if (std::abs(r) >= 1e6) {
            shown = r / 1e6;
            unit = "s";
        } else if (std::abs(r) >= 1e3) {
            shown = r / 1e3;
            unit = "ms";
        }
        std::snprintf(buf, sizeof buf, "%.15g %s", roundSignificant(shown, significant), unit);
        return buf;
    }
    case SweepParam::Payload:
    case SweepParam::Input:
    case SweepParam::ParentMemory:
        return formatBytes(int64_t(std::llround(v)));
    case SweepParam::Workers:
    case SweepParam::Messages:
    case SweepParam::Tasks:
    case SweepParam::Chunksize:
        // Whole numbers exactly ("12345"); an interpolated estimate rounded ("≈ 13").
        std::snprintf(buf, sizeof buf, "%.15g",
                      std::abs(v - std::round(v)) < 1e-9 ? std::round(v) : roundSignificant(v, significant));
        return buf;
    }
    return std::to_string(v);
}

std::string describeSweepValue(SweepParam p, double v) {
    char buf[64];
    switch (p) {
    case SweepParam::TaskUs:
        return sweepValueText(p, v);
    case SweepParam::Payload:
    case SweepParam::Input:
        return formatBytes(int64_t(std::llround(v)));
    case SweepParam::ParentMemory:
        return formatBytes(int64_t(std::llround(v))) + " of parent memory";
    case SweepParam::Workers:
        return text::counted(std::llround(v), "worker");
    case SweepParam::Messages:
        return text::counted(std::llround(v), "message") + " per task";
    case SweepParam::Tasks:
        return text::counted(std::llround(v), "task");
    case SweepParam::Chunksize:
        std::snprintf(buf, sizeof buf, "chunksize %.0f", v);
        return buf;
    }
    return std::to_string(v);
}

double roundSignificant(double v, int digits) {
    if (v == 0 || !std::isfinite(v)) return v;
    // Through the decimal text: the double closest to the rounded decimal number.
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*e", std::max(0, digits - 1), v);
    return std::strtod(buf, nullptr);
}

std::vector<double> sweepValues(double from, double to, int steps, bool logScale) {
    std::vector<double> v;
    if (steps < 1) return v;
    if (steps == 1) return {from};
    for (int i = 0; i < steps; ++i) {
        double t = double(i) / double(steps - 1);
        v.push_back(logScale ? std::exp(std::log(from) + t * (std::log(to) - std::log(from)))
                             : from + t * (to - from));
    }
    // The fewest significant digits (at least 3) that keep every value distinct.
    for (int digits = 3; digits <= 15; ++digits) {
        std::vector<double> r;
        for (double x : v)
            r.push_back(roundSignificant(x, digits));
        r.front() = from; // the ends as given
        r.back() = to;
        bool distinct = true;
        for (size_t i = 1; i < r.size(); ++i)
            distinct = distinct && r[i] != r[i - 1];
        if (distinct) return r;
    }
    return v;
}

SweepResult runSweep(Engine& engine, const WorkloadSpec& base, SweepParam param,
                     const std::vector<double>& values, bool logScale,
                     const std::vector<std::string>& backends, const EngineOptions& options,
                     const std::function<void(const SweepResult&, const SweepPoint&)>& onPoint) {
    SweepResult out;
    out.base = base;
    out.param = param;
    out.logScale = logScale;
    out.values = values;
    out.backends = backends;
    out.machine = currentMachine();
    out.calibration = engine.calibration();
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    out.createdUtc = buf;
    for (double v : values) {
        if (options.cancel && options.cancel->isCancelled()) break;
        SweepPoint p;
        p.value = v;
        p.spec = base;
        applySweepValue(p.spec, param, v);
        Experiment ex = engine.run(p.spec, backends, options);
        bool pointCancelled = false;
        for (const auto& r : ex.runs)
            pointCancelled = pointCancelled || r.cancelled;
        if (pointCancelled) break; // keep only finished points
        p.runs = std::move(ex.runs);
        out.points.push_back(std::move(p));
        if (onPoint) onPoint(out, out.points.back());
    }
    out.cancelled = options.cancel && options.cancel->isCancelled();
    return out;
}

std::optional<double> speedupAt(const SweepPoint& p, const std::string& backend) {
    for (const auto& r : p.runs)
        if (r.backend == backend && r.error.empty()) return r.summary.speedup;
    return std::nullopt;
}

double interpolateCrossing(double x1, double y1, double x2, double y2, bool logX) {
    if (y1 == y2) return x1;
    const double f = (1.0 - y1) / (y2 - y1);
    if (logX && x1 > 0 && x2 > 0) return std::exp(std::log(x1) + f * (std::log(x2) - std::log(x1)));
    return x1 + f * (x2 - x1);
}

std::vector<BreakEven> breakEvenPoints(const SweepResult& sweep) {
    std::vector<BreakEven> out;
    // Break-even is a crossing of the speedup over sequential between two values: without
    // sequential in the sweep, or with one value, there is none to find for any backend.
    const bool hasBaseline =
        std::find(sweep.backends.begin(), sweep.backends.end(), "sequential") != sweep.backends.end();
    if (!hasBaseline || sweep.values.size() < 2) return out;
    for (const auto& backend : sweep.backends) {
        if (backend == "sequential") continue;
        BreakEven be;
        be.backend = backend;
        std::vector<std::pair<double, double>> series;
        for (const auto& p : sweep.points)
            if (auto s = speedupAt(p, backend)) series.emplace_back(p.value, *s);
        if (series.size() < 2) {
            // Sequential is in the sweep: this backend or sequential failed (or was cancelled)
            // at every point but at most one.
            be.note = series.empty() ? "no speedup measured" : "too few points measured";
            out.push_back(be);
            continue;
        }
        // The first upward crossing is where it starts paying off; a later dip back below 1
        // (noise, or a different limit) does not move it. Without one, a downward crossing
        // means it pays off only below.
        for (size_t i = 0; i + 1 < series.size() && !be.value; ++i) {
            auto [x1, y1] = series[i];
            auto [x2, y2] = series[i + 1];
            if (y1 < 1 && y2 >= 1) {
                be.value = interpolateCrossing(x1, y1, x2, y2, sweep.logScale);
                be.paysOffAbove = true;
            }
        }
        for (size_t i = 0; i + 1 < series.size() && !be.value; ++i) {
            auto [x1, y1] = series[i];
            auto [x2, y2] = series[i + 1];
            if (y1 >= 1 && y2 < 1) {
                be.value = interpolateCrossing(x1, y1, x2, y2, sweep.logScale);
                be.paysOffAbove = false;
            }
        }
        if (!be.value) {
            bool allAbove = true;
            for (auto& [x, y] : series)
                allAbove = allAbove && y >= 1;
            be.note = allAbove ? "faster than sequential over the whole range"
                               : "never faster than sequential in this range";
        }
        out.push_back(be);
    }
    return out;
}

} // namespace conlab
