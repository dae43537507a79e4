#include "compare.h"

#include "../clock.h"
#include "../results_json.h"
#include "../text_format.h"
#include "rank_tests.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace conlab {
namespace {

// The repetitions that are measurements: not warm-ups, not bare (no phases), completed.
std::vector<const RepetitionResult*> measured(const BackendRun& run) {
    std::vector<const RepetitionResult*> reps;
    for (const auto& r : run.repetitions)
        if (!r.warmup && !r.bare && !r.cancelled && r.error.empty()) reps.push_back(&r);
    return reps;
}

std::string valueText(const QJsonValue& v) {
    if (v.isString()) return v.toString().toStdString();
    if (v.isDouble()) {
        const double d = v.toDouble();
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.15g", d);
        return buf;
    }
    if (v.isBool()) return v.toBool() ? "true" : "false";
    if (v.isNull() || v.isUndefined()) return "(none)";
    return QJsonDocument(v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject()))
        .toJson(QJsonDocument::Compact)
        .toStdString();
}

void diffObjects(const char* what, const QJsonObject& a, const QJsonObject& b,
                 const std::vector<QString>& ignored, std::vector<std::string>& out) {
    QStringList keys = a.keys();
    for (const QString& k : b.keys())
        if (!keys.contains(k)) keys.append(k);
    keys.sort();
    for (const QString& k : keys) {
        if (std::find(ignored.begin(), ignored.end(), k) != ignored.end()) continue;
        if (a.value(k) == b.value(k)) continue;
        out.push_back(std::string(what) + " " + k.toStdString() + ": " + valueText(a.value(k)) + " → " +
                      valueText(b.value(k)));
    }
}

void decide(FigureComparison& f, double alpha); // the verdict from pVerdict and the direction

FigureComparison compareFigure(const std::string& backend, const std::string& figure, const std::string& unit,
                               Better better, const std::vector<double>& base,
                               const std::vector<double>& next, double alpha) {
    FigureComparison f;
    f.backend = backend;
    f.figure = figure;
    f.unit = unit;
    f.better = better;
    f.nBase = int(base.size());
    f.nNew = int(next.size());
    f.baseMedian = median(base);
    f.newMedian = median(next);
    const MannWhitney u = mannWhitneyU(base, next);
    f.p = f.pVerdict = u.p;
    f.exact = u.exact;
    const auto positive = [](const std::vector<double>& v) {
        return !v.empty() &&
               std::all_of(v.begin(), v.end(), [](double x) { return x > 0 && std::isfinite(x); });
    };
    if (positive(base) && positive(next)) {
        // The ratio as a shift of logarithms: its interval is then an interval of the ratio.
        std::vector<double> lb, ln;
        for (double v : base)
            lb.push_back(std::log(v));
        for (double v : next)
            ln.push_back(std::log(v));
        const ShiftEstimate s = hodgesLehmannShift(lb, ln);
        // The point estimate is the ratio of the medians the table shows beside it (the
        // Hodges–Lehmann estimate can point the other way on noisy samples, which reads as a
        // contradiction); the interval is the shift's.
        f.ratio = f.newMedian / f.baseMedian;
        f.ratioLow = std::exp(s.low);
        f.ratioHigh = std::exp(s.high);
        f.intervalBounded = s.bounded;
    }
    decide(f, alpha);
    return f;
}

// Holm–Bonferroni over every figure but the first (throughput): step-down adjusted p-values.
void adjustExplanations(std::vector<FigureComparison>& figures, double alpha) {
    if (figures.size() < 3) return; // one explanation: nothing to adjust
    std::vector<FigureComparison*> order;
    for (size_t k = 1; k < figures.size(); ++k)
        order.push_back(&figures[k]);
    std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->p < b->p; });
    const double m = double(order.size());
    double running = 0;
    for (size_t i = 0; i < order.size(); ++i) {
        running = std::max(running, std::min(1.0, (m - double(i)) * order[i]->p));
        order[i]->pVerdict = running;
        decide(*order[i], alpha);
    }
}

void decide(FigureComparison& f, double alpha) {
    f.significant = f.pVerdict < alpha;
    const bool up = f.ratio ? *f.ratio > 1.0 : f.newMedian > f.baseMedian;
    if (!f.significant || (f.ratio && *f.ratio == 1.0))
        f.verdict = "no significant difference";
    else if (f.unit == "tasks/s")
        f.verdict = up ? "faster" : "slower";
    else if (f.figure == "wall" || f.figure == "latency p50")
        f.verdict = up ? "slower" : "faster";
    else
        f.verdict = up ? "more" : "less";
}

} // namespace

std::vector<std::string> experimentDifferences(const Experiment& base, const Experiment& next) {
    std::vector<std::string> out;
    diffObjects("machine", machineToJson(base.machine), machineToJson(next.machine), {}, out);
    // Repetitions are samples, not the workload; the backend list is matched by name.
    diffObjects("workload", specToJson(base.spec), specToJson(next.spec),
                {QStringLiteral("repeat"), QStringLiteral("warmup"), QStringLiteral("interleave"),
                 QStringLiteral("backends")},
                out);
    return out;
}

Comparison compareExperiments(const Experiment& base, const Experiment& next, const CompareOptions& options) {
    Comparison c;
    c.alpha = options.alpha;
    c.differences = experimentDifferences(base, next);
    if (!c.differences.empty() && !options.force) {
        std::string msg = "the files measure different things (--force compares them anyway):";
        for (const auto& d : c.differences)
            msg += "\n  " + d;
        throw std::invalid_argument(msg);
    }
    // The same --task-us is the same work only under the same kernel calibration.
    const double cb = base.calibration.cpuStepsPerUs, cn = next.calibration.cpuStepsPerUs;
    const bool calibratedWork = next.spec.taskUs > 0 && next.spec.kind != TaskKind::Io;
    if (calibratedWork && cb > 0 && cn > 0 && std::abs(cn / cb - 1.0) > 0.005)
        c.notes.push_back(
            text::fmt("the kernel calibrations differ (%.1f", cb) + text::fmt(" vs %.1f LCG steps/µs", cn) +
            text::fmt("): a task of NEW does %+.1f%% of BASE's work; cpu tasks of one --task-us are "
                      "not the same work",
                      (cn / cb - 1.0) * 100.0));
    for (const auto& r : next.runs)
        if (std::none_of(base.runs.begin(), base.runs.end(),
                         [&](const BackendRun& b) { return b.backend == r.backend; }))
            c.onlyInNew.push_back(r.backend);
    for (const auto& b : base.runs) {
        auto it = std::find_if(next.runs.begin(), next.runs.end(),
                               [&](const BackendRun& r) { return r.backend == b.backend; });
        if (it == next.runs.end()) {
            c.onlyInBase.push_back(b.backend);
            continue;
        }
        const auto rb = measured(b), rn = measured(*it);
        if (rb.empty() || rn.empty()) {
            c.notes.push_back(b.backend + ": no completed repetition in " + (rb.empty() ? "BASE" : "NEW") +
                              (b.error.empty() && it->error.empty() ? "" : " (the run failed)") +
                              ": not compared");
            continue;
        }
        BackendComparison bc;
        bc.backend = b.backend;
        auto figure = [&](const std::string& name, const std::string& unit, Better better, auto value,
                          bool keepZeros) {
            std::vector<double> xb, xn;
            for (const auto* r : rb)
                xb.push_back(value(*r));
            for (const auto* r : rn)
                xn.push_back(value(*r));
            const auto zero = [](const std::vector<double>& v) {
                return std::all_of(v.begin(), v.end(), [](double x) { return x == 0; });
            };
            if (!keepZeros && zero(xb) && zero(xn)) return; // a phase neither spent time in
            bc.figures.push_back(compareFigure(b.backend, name, unit, better, xb, xn, options.alpha));
        };
        figure(
            "throughput", "tasks/s", Better::Higher, [](const RepetitionResult& r) { return r.throughput; },
            true);
        figure(
            "wall", "s", Better::Lower, [](const RepetitionResult& r) { return r.wallS; }, true);
        figure(
            "latency p50", "s", Better::Lower, [](const RepetitionResult& r) { return r.latencyP50S; },
            false);
        const bool cpuWait = std::all_of(rb.begin(), rb.end(), [](auto* r) { return r->cpuWaitMeasured; }) &&
                             std::all_of(rn.begin(), rn.end(), [](auto* r) { return r->cpuWaitMeasured; });
        for (Phase p : kWorkerPhases) {
            if (p == Phase::CpuWait && !cpuWait) continue; // not measured: no figure to compare
            figure(
                std::string(phaseName(p)), "s", Better::Lower,
                [p](const RepetitionResult& r) { return nsToSeconds(r.workerPhases[p]); }, false);
        }
        adjustExplanations(bc.figures, options.alpha);
        const double floorP = smallestPossibleP(int(rb.size()), int(rn.size()));
        if (floorP >= options.alpha) {
            char buf[200];
            std::snprintf(buf, sizeof buf,
                          "%s: %zu and %zu repetitions cannot show a difference at p < %g (the smallest "
                          "possible p is %.3g): run both with more --repeat",
                          b.backend.c_str(), rb.size(), rn.size(), options.alpha, floorP);
            c.notes.push_back(buf);
        }
        c.backends.push_back(std::move(bc));
    }
    if (c.backends.empty() && c.notes.empty())
        throw std::invalid_argument("the files have no backend in common");
    return c;
}

std::vector<std::string> slowerThan(const Comparison& c, double pct) {
    std::vector<std::string> out;
    for (const auto& b : c.backends) {
        const FigureComparison* t = b.throughput();
        if (t && t->significant && t->ratio && *t->ratio < 1.0 - pct / 100.0) out.push_back(b.backend);
    }
    return out;
}

} // namespace conlab
