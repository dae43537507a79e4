#pragma once
// The figures of an experiment, drawn into QCustomPlot instances. The same functions fill the
// on-screen views (app palette) and the exports / `conlab plot` (paper theme), so a file
// always shows what the window shows. No engine logic: only reads Experiment values.
#include "colors.h"
#include "figure_kind.h"
#include "run_result.h"

#include <QSize>
#include <QString>
#include <QVector>
#include <deque>
#include <memory>
#include <optional>

class QCustomPlot;
class QCPGraph;

namespace conlab::ui {

enum class BreakdownMode { Share, Seconds };

// "throughput", "breakdown", "timeline", "speedup", "sweep-throughput", "phases"
QString figureName(FigureKind kind);
std::optional<FigureKind> figureFromName(const QString& name); // run figures only

// Keeps at most maxPoints points: beyond that, neighbouring points are averaged pairwise and
// later samples are averaged in buckets of the same width (so a 10-minute run stays light).
class DecimatedSeries {
  public:
    explicit DecimatedSeries(int maxPoints = 4000) : m_max(maxPoints) {}
    void add(double x, double y);
    const QVector<double>& x() const { return m_x; }
    const QVector<double>& y() const { return m_y; }
    int stride() const { return m_stride; }
    void clear();

  private:
    int m_max;
    int m_stride = 1;
    int m_pending = 0;
    double m_accX = 0, m_accY = 0;
    QVector<double> m_x, m_y;
};

// Tasks/s over time of one backend: repetitions are laid end to end, so x is seconds since
// the backend started measuring (warmups included). y is the completion rate over a trailing
// window of kThroughputWindowS (tasks done in the window ÷ its length, from the engine's
// cumulative task counts), which keeps a 50 ms snapshot cadence readable for short tasks.
inline constexpr double kThroughputWindowS = 0.25;
class ThroughputSeries {
  public:
    void add(int repetition, const Snapshot& s);
    const DecimatedSeries& points() const { return m_points; }

  private:
    DecimatedSeries m_points;
    int m_rep = -1;
    double m_offset = 0, m_lastT = 0;
    std::deque<std::pair<double, int64_t>> m_window; // (tS, tasksDone) of this repetition
};

// One-time layout: title row, axis rect, legend row below. Idempotent.
void prepareFigure(QCustomPlot* plot, const QString& title);
// The legend (under the plot) gets as many columns as fit `width` pixels, so names are never
// cut; many entries use a smaller font. Call after the graphs change and on resizes.
void fitLegendColumns(QCustomPlot* plot, int width);
void setFigureTitle(QCustomPlot* plot, const QString& title);
void applyTheme(QCustomPlot* plot, const PlotTheme& theme);

// Throughput: the graph of a backend (created on first use, coloured by registry order).
QCPGraph* throughputGraph(QCustomPlot* plot, const QString& backend, const PlotTheme& theme);
void setupThroughputAxes(QCustomPlot* plot);
void fillThroughput(QCustomPlot* plot, const Experiment& ex, const PlotTheme& theme);

// baseline: also draws its bar of each backend both have, ghosted, under the measured one.
void fillBreakdown(QCustomPlot* plot, const Experiment& ex, BreakdownMode mode, const PlotTheme& theme,
                   const Experiment* baseline = nullptr);

// Timeline of one repetition of one backend: runIndex into ex.runs, repIndex into its
// repetitions (-1: the default, see defaultTimelineRepetition).
void fillTimeline(QCustomPlot* plot, const Experiment& ex, int runIndex, int repIndex,
                  const PlotTheme& theme);
// The last measured (non-warmup) repetition with worker records, or -1.
int defaultTimelineRepetition(const BackendRun& run);
// The first run that has a timeline (prefers one that spawns several workers), or -1.
int defaultTimelineRun(const Experiment& ex);

// A lane's timeline as drawn (absolute ns): exact segments as they are; a reduced segment
// (merged intervals) as consecutive bars, one per phase, as long as that phase's share of it.
std::vector<PhaseInterval> laneBars(const LaneRecord& lane);
// The earliest start of reduced detail over a repetition's lanes; -1 when every lane is exact.
int64_t reducedDetailFrom(const RepetitionResult& rep);

// A short description of the workload for titles: "1000 cpu tasks × 100 µs, 2 workers".
QString workloadLine(const WorkloadSpec& spec);

// Fits the axes to the data with a little headroom (the "reset view" action).
void resetView(QCustomPlot* plot, FigureKind kind);

struct FigureOptions {
    BreakdownMode breakdown = BreakdownMode::Share;
    int timelineRun = -1, timelineRep = -1;
    std::shared_ptr<const Experiment> baseline; // breakdown: ghosted bars of a baseline
};
// A stand-alone plot (paper theme) for export; not shown.
std::unique_ptr<QCustomPlot> makeFigure(FigureKind kind, const Experiment& ex, const FigureOptions& options,
                                        const PlotTheme& theme);

} // namespace conlab::ui
