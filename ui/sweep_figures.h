#pragma once
// The figures of a sweep (core/sweep.h), drawn into QCustomPlot instances: speedup vs
// sequential, throughput and phase shares against the swept parameter. Shared by the sweep
// tabs (app palette), exports and `conlab plot SWEEP.json` (paper theme). No engine logic:
// only reads SweepResult values and core's breakEvenPoints().
#include "figures.h"
#include "sweep.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <memory>

class QCustomPlot;

namespace conlab::ui {

// Axis label of a parameter: "task size [µs of CPU per task]".
QString sweepParamLabel(SweepParam p);
// A short value for ticks and lists: "100 µs", "1 ms", "64 KiB", "4".
QString formatSweepTick(SweepParam p, double value);
// A value with its unit: "180 µs", "64 KiB", "4 workers", "chunksize 20".
QString formatSweepValue(SweepParam p, double value);
// An interpolated break-even value with its unit: "180 µs per task", "2.6 workers".
QString breakEvenValueText(SweepParam p, double value);
// "process-pool pays off above ≈ 180 µs per task on this machine" (or the note).
QString breakEvenSentence(const BreakEven& be, SweepParam p);
// "100 cpu tasks, 2 workers, 3 repetitions; task-us swept over 1 µs … 10 ms (log)".
QString sweepWorkloadLine(const SweepResult& sweep);

// Log axis for the parameter: all values > 0 and they span at least a decade.
bool sweepUsesLogX(const SweepResult& sweep);
// The backend whose phases the phase-share figure shows by default: the first one that is
// not sequential (the baseline has no overheads to show).
QString defaultPhasesBackend(const SweepResult& sweep);

// One graph per backend named by its id (sequential is the y = 1 baseline), a dashed
// "ideal" graph for worker sweeps, 95% CI error bars when repetitions > 1 and, for each
// break-even point, a labelled vertical marker (items, not graphs).
// baseline (File → Compare with baseline…): its curves too, dashed and pale, named
// "ID (baseline)", for the backends both ran, when it swept the same parameter.
void fillSweepSpeedup(QCustomPlot* plot, const SweepResult& sweep, const PlotTheme& theme,
                      const SweepResult* baseline = nullptr);
// One graph per backend: median throughput, 95% CI error bars; a baseline's as above.
void fillSweepThroughput(QCustomPlot* plot, const SweepResult& sweep, const PlotTheme& theme,
                         const SweepResult* baseline = nullptr);
// One graph per phase (spawn, IPC, compute, idle): its share of `backend`'s worker time.
void fillSweepPhases(QCustomPlot* plot, const SweepResult& sweep, const QString& backend,
                     const PlotTheme& theme);
QString sweepFigureTitle(FigureKind kind, const SweepResult& sweep, const QString& phasesBackend = {});

struct SweepFigureOptions {
    QString phasesBackend;                       // empty: defaultPhasesBackend()
    std::shared_ptr<const SweepResult> baseline; // speedup, throughput: its dashed curves
};
// "speedup" (also "summary"), "throughput", "phases".
std::optional<FigureKind> sweepFigureFromName(const QString& name);
std::unique_ptr<QCustomPlot> makeSweepFigure(FigureKind kind, const SweepResult& sweep,
                                             const SweepFigureOptions& options, const PlotTheme& theme);

// `conlab sweep --plot` / `conlab plot SWEEP.json`: figure is "speedup" (the default),
// "summary" (speedup over throughput), "throughput" or "phases". A one-value sweep (a lesson's
// comparison) renders the run figures of its point instead: summary, throughput, breakdown.
bool renderSweepFigureHeadless(const SweepResult& sweep, const QString& path, const QString& figure,
                               QSize size, double scale, QString* error);

// A report folder for a sweep: speedup / sweep-throughput / phases as PNG, SVG and PDF,
// sweep.csv, sweep.json (the given bytes) and README.md (break-even table, advice, lesson).
bool exportSweepReport(const QString& dir, const SweepResult& sweep, const QByteArray& json,
                       const QJsonObject& lessonInfo, const SweepFigureOptions& options, QString* error,
                       QStringList* written = nullptr);

} // namespace conlab::ui
