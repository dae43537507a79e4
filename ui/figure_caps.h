#pragma once
// What a figure draws of a big file (issue 13, item 10; docs/reliability.md): a figure of
// thousands of backends is unreadable and was slow to draw (2,000 runs with distinct names:
// 12 s), so the figures of a run draw its first kMaxFigureRuns runs, those of a sweep its first
// kMaxFigureRuns backends, and say so. Tables and saved files keep everything.
#include "run_result.h"
#include "sweep.h"

#include <QList>
#include <QString>
#include <algorithm>
#include <set>

class QCustomPlot;

namespace conlab::ui {

inline constexpr int kMaxFigureRuns = 100;

// `ex` with only its first `n` runs (the rest of it copied, the other runs not).
inline Experiment firstRuns(const Experiment& ex, size_t n = kMaxFigureRuns) {
    Experiment out;
    out.spec = ex.spec;
    out.machine = ex.machine;
    out.calibration = ex.calibration;
    out.createdUtc = ex.createdUtc;
    out.conlabVersion = ex.conlabVersion;
    out.runs.assign(ex.runs.begin(), ex.runs.begin() + std::ptrdiff_t(std::min(n, ex.runs.size())));
    return out;
}

// `sw` with only its first `n` backends, in every point.
inline SweepResult firstBackends(const SweepResult& sw, size_t n = kMaxFigureRuns) {
    SweepResult out = sw;
    out.backends.resize(std::min(n, out.backends.size()));
    const std::set<std::string> kept(out.backends.begin(), out.backends.end());
    for (SweepPoint& p : out.points)
        p.runs.erase(std::remove_if(p.runs.begin(), p.runs.end(),
                                    [&kept](const BackendRun& r) { return !kept.count(r.backend); }),
                     p.runs.end());
    return out;
}

// " (the first 100 of 2000 runs)" for a figure title, empty when nothing was left out.
inline QString capNote(size_t total, const char* what) {
    if (total <= size_t(kMaxFigureRuns)) return {};
    return QStringLiteral(" (the first %1 of %2 %3)").arg(kMaxFigureRuns).arg(total).arg(QLatin1String(what));
}

// A headless figure (`conlab plot`) of more than kMaxFigureRuns `what` ("runs", "backends"):
// each panel's title gets the capNote, and stderr says it too (the terminal shows no title).
// Nothing when `total` is within the cap.
void noteFigureCap(const QList<QCustomPlot*>& panels, size_t total, const char* what);

} // namespace conlab::ui
