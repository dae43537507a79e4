#include "figures.h"
#include "qt_text.h"

#include "clock.h"
#include "files/trace_json.h"
#include "gantt_plottable.h"
#include "plot_style.h"
#include "report.h"
#include "sweep_axes.h"
#include "text_format.h"

#include <QSet>
#include <qcustomplot.h>

namespace conlab::ui {

namespace {
constexpr const char* kPreparedProperty = "conlabFigure";

QCPTextElement* titleElement(QCustomPlot* plot) {
    if (plot->plotLayout()->rowCount() < 1) return nullptr;
    return qobject_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0));
}
} // namespace

QString figureName(FigureKind kind) {
    switch (kind) {
    case FigureKind::Throughput:
        return QStringLiteral("throughput");
    case FigureKind::Breakdown:
        return QStringLiteral("breakdown");
    case FigureKind::Timeline:
        return QStringLiteral("timeline");
    case FigureKind::SweepSpeedup:
        return QStringLiteral("speedup");
    case FigureKind::SweepThroughput:
        return QStringLiteral("sweep-throughput");
    case FigureKind::SweepPhases:
        return QStringLiteral("phases");
    }
    return {};
}

std::optional<FigureKind> figureFromName(const QString& name) {
    for (FigureKind k : {FigureKind::Throughput, FigureKind::Breakdown, FigureKind::Timeline})
        if (figureName(k) == name) return k;
    return std::nullopt;
}

// ------------------------------------------------------------------ series

void DecimatedSeries::add(double x, double y) {
    m_accX += x;
    m_accY += y;
    if (++m_pending < m_stride) return;
    m_x.push_back(m_accX / m_pending);
    m_y.push_back(m_accY / m_pending);
    m_accX = m_accY = 0;
    m_pending = 0;
    if (m_x.size() < m_max) return;
    // Halve: average neighbouring pairs; future buckets are twice as wide.
    const qsizetype half = m_x.size() / 2;
    for (qsizetype i = 0; i < half; ++i) {
        m_x[i] = (m_x[2 * i] + m_x[2 * i + 1]) / 2;
        m_y[i] = (m_y[2 * i] + m_y[2 * i + 1]) / 2;
    }
    if (m_x.size() % 2) {
        m_x[half] = m_x.back();
        m_y[half] = m_y.back();
        m_x.resize(half + 1);
        m_y.resize(half + 1);
    } else {
        m_x.resize(half);
        m_y.resize(half);
    }
    m_stride *= 2;
}

void DecimatedSeries::clear() {
    m_x.clear();
    m_y.clear();
    m_stride = 1;
    m_pending = 0;
    m_accX = m_accY = 0;
}

void ThroughputSeries::add(int repetition, const Snapshot& s) {
    if (repetition != m_rep) {
        if (m_rep >= 0) m_offset += m_lastT;
        m_rep = repetition;
        m_lastT = 0;
        m_window.clear();
        m_window.emplace_back(0.0, 0); // the repetition starts with nothing done
    }
    if (s.tS <= m_lastT && !m_window.empty() && s.tasksDone == m_window.back().second)
        return; // duplicate final sample
    m_lastT = std::max(m_lastT, s.tS);
    // Oldest sample still at least a window back: the rate is over [that, now].
    while (m_window.size() > 1 && m_window[1].first <= s.tS - kThroughputWindowS)
        m_window.pop_front();
    const auto [t0, done0] = m_window.front();
    const double dt = s.tS - t0;
    const double rate = dt > 0 ? double(s.tasksDone - done0) / dt : s.windowThroughput;
    m_window.emplace_back(s.tS, s.tasksDone);
    m_points.add(m_offset + s.tS, std::max(0.0, rate));
}

// ------------------------------------------------------------------ layout and theme

void fitLegendColumns(QCustomPlot* plot, int width) {
    QCPLegend* legend = plot->legend;
    const int n = legend->itemCount();
    if (n == 0 || width <= 0) return;
    QFont f = plot->font();
    if (n > 8) { // 23 backends: smaller, but whole names
        f.setPointSizeF(f.pointSizeF() * 0.8);
        legend->setIconSize(20, 9);
        legend->setColumnSpacing(8);
    }
    legend->setFont(f);
    int widest = 0;
    for (int i = 0; i < n; ++i)
        if (auto* item = qobject_cast<QCPPlottableLegendItem*>(legend->item(i))) {
            item->setFont(f);
            widest = std::max(widest, QFontMetrics(f).horizontalAdvance(item->plottable()->name()));
        }
    const int itemWidth =
        widest + legend->iconSize().width() + legend->iconTextPadding() + legend->columnSpacing();
    const int columns = std::clamp((width - 12) / std::max(1, itemWidth), 1, n);
    if (legend->wrap() != columns) {
        legend->setWrap(columns);
        legend->setFillOrder(QCPLegend::foColumnsFirst, true);
    }
}

void prepareFigure(QCustomPlot* plot, const QString& title) {
    if (!plot->property(kPreparedProperty).toBool()) {
        plot->setProperty(kPreparedProperty, true);
        plot->plotLayout()->insertRow(0);
        QFont titleFont = plot->font();
        titleFont.setBold(true);
        titleFont.setPointSizeF(titleFont.pointSizeF() * 1.1);
        plot->plotLayout()->addElement(0, 0, new QCPTextElement(plot, title, titleFont));
        // Legend in its own row under the axis rect: never covers data.
        plot->axisRect()->insetLayout()->take(plot->legend);
        plot->plotLayout()->addElement(2, 0, plot->legend);
        plot->plotLayout()->setRowStretchFactor(2, 0.001);
        plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
        plot->legend->setWrap(5);
        plot->legend->setVisible(true);
        plot->legend->setMargins(QMargins(6, 2, 6, 2));
        plot->legend->setRowSpacing(0);
        plot->legend->setColumnSpacing(12);
        plot->legend->setBorderPen(Qt::NoPen);
        plot->legend->setBrush(Qt::NoBrush);
        plot->setNoAntialiasingOnDrag(true);
    }
    setFigureTitle(plot, title);
}

void setFigureTitle(QCustomPlot* plot, const QString& title) {
    if (auto* t = titleElement(plot)) t->setText(title);
}

void applyTheme(QCustomPlot* plot, const PlotTheme& theme) {
    plot->setBackground(theme.background);
    for (QCPAxis* axis : plot->axisRect()->axes()) {
        axis->setBasePen(QPen(theme.foreground, 1));
        axis->setTickPen(QPen(theme.foreground, 1));
        axis->setSubTickPen(QPen(theme.foreground, 1));
        axis->setTickLabelColor(theme.foreground);
        axis->setLabelColor(theme.foreground);
        axis->grid()->setPen(QPen(theme.grid, 1, Qt::DotLine));
        axis->grid()->setSubGridPen(QPen(theme.subGrid, 1, Qt::DotLine));
        axis->grid()->setZeroLinePen(Qt::NoPen);
    }
    plot->axisRect()->setBackground(theme.background);
    plot->legend->setTextColor(theme.foreground);
    if (auto* t = titleElement(plot)) t->setTextColor(theme.foreground);
    plot->setProperty("conlabDark", theme.dark);
    plot->setProperty("conlabBackground", theme.background);
}

QString workloadLine(const WorkloadSpec& s) {
    QString line = QStringLiteral("%1 × %2 µs, %3")
                       .arg(q(text::counted(s.tasks, toString(s.kind) + " task")))
                       .arg(s.taskUs)
                       .arg(q(text::counted(s.resolvedWorkers(), "worker")));
    if (s.inputBytes || s.resultBytes)
        line += QStringLiteral(", in %1 / out %2")
                    .arg(q(formatBytes(s.inputBytes)), q(formatBytes(s.resultBytes)));
    if (s.messages)
        line += QStringLiteral(", %1 × %2")
                    .arg(q(text::counted(s.messages, "msg")))
                    .arg(q(formatBytes(s.payload)));
    if (s.chunksize > 1) line += QStringLiteral(", chunksize %1").arg(s.chunksize);
    if (!s.cpus.empty()) line += QStringLiteral(", CPUs %1").arg(q(formatCpuList(s.cpus)));
    return line;
}

// ------------------------------------------------------------------ throughput

void setupThroughputAxes(QCustomPlot* plot) {
    plot->xAxis->setLabel(QStringLiteral("time since the backend started [s]"));
    plot->yAxis->setLabel(QStringLiteral("tasks/s (250 ms window)"));
    plot->yAxis->setNumberFormat(QStringLiteral("gb"));
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot->axisRect()->setRangeDrag(Qt::Horizontal | Qt::Vertical);
    plot->axisRect()->setRangeZoom(Qt::Horizontal | Qt::Vertical);
}

QCPGraph* throughputGraph(QCustomPlot* plot, const QString& backend, const PlotTheme& theme) {
    for (int i = 0; i < plot->graphCount(); ++i)
        if (plot->graph(i)->name() == backend) return plot->graph(i);
    QCPGraph* g = plot->addGraph();
    g->setName(backend);
    const QColor color = backendColor(backend, theme.dark);
    g->setPen(QPen(color, 2, backendPenStyle(backend)));
    // Markers on every 25th sample (2 per second of run): shape tells family members apart.
    g->setScatterStyle(QCPScatterStyle(scatterShape(backendMarker(backend)), color, color, 6));
    g->setScatterSkip(24);
    g->setAdaptiveSampling(true);
    g->setLineStyle(QCPGraph::lsLine);
    return g;
}

void fillThroughput(QCustomPlot* plot, const Experiment& ex, const PlotTheme& theme) {
    plot->clearGraphs();
    setupThroughputAxes(plot);
    for (const BackendRun& run : ex.runs) {
        ThroughputSeries series;
        for (const RepetitionResult& rep : run.repetitions)
            for (const Snapshot& s : rep.snapshots)
                series.add(rep.index, s);
        QCPGraph* g = throughputGraph(plot, q(run.backend), theme);
        g->setData(series.points().x(), series.points().y(), true);
    }
    resetView(plot, FigureKind::Throughput);
}

// ------------------------------------------------------------------ breakdown

void fillBreakdown(QCustomPlot* plot, const Experiment& ex, BreakdownMode mode, const PlotTheme& theme,
                   const Experiment* baseline) {
    plot->clearPlottables();
    plot->setInteractions({});
    const int n = int(ex.runs.size());
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    QVector<double> keys;
    for (int i = 0; i < n; ++i) {
        const BackendRun& r = ex.runs[size_t(i)];
        const double key = n - i; // first backend on top
        keys.push_back(key);
        QString label = q(r.backend);
        if (!r.error.empty())
            label += QStringLiteral(" (failed)");
        else if (r.cancelled)
            label += QStringLiteral(" (partial)");
        ticker->addTick(key, label);
    }
    plot->yAxis->setTicker(ticker);
    plot->yAxis->setSubTicks(false);
    plot->yAxis->setTickLength(0, 2);
    plot->yAxis->grid()->setVisible(false);
    plot->yAxis->setLabel(QString());
    plot->xAxis->setLabel(mode == BreakdownMode::Share
                              ? QStringLiteral("share of summed worker time [%]")
                              : QStringLiteral("summed worker time [s] (median over repetitions)"));
    plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    plot->xAxis->setNumberFormat(QStringLiteral("gb"));

    const auto phaseValue = [mode](const BackendRun& r, Phase p) {
        const double v = mode == BreakdownMode::Share ? r.summary.phaseShare[size_t(p)] * 100
                                                      : r.summary.phaseS[size_t(p)].median;
        return r.summary.repetitions > 0 && std::isfinite(v) ? v : 0.0;
    };
    // With a baseline (File → Compare with baseline…): its bar of the same backend, ghosted,
    // under the measured one; the measured bar narrows to make room.
    std::vector<const BackendRun*> ghosts(ex.runs.size(), nullptr);
    bool anyGhost = false;
    if (baseline)
        for (size_t i = 0; i < ex.runs.size(); ++i)
            for (const BackendRun& b : baseline->runs)
                if (b.backend == ex.runs[i].backend && b.summary.repetitions > 0) {
                    ghosts[i] = &b;
                    anyGhost = true;
                }
    const double shift = anyGhost ? 0.14 : 0.0;
    QCPBars* below = nullptr;
    for (Phase p : kWorkerPhases) {
        auto* bars = new QCPBars(plot->yAxis, plot->xAxis);
        bars->setName(phaseLabel(p));
        bars->setPen(QPen(theme.background, 1));
        bars->setBrush(phaseColor(p));
        bars->setWidth(anyGhost ? 0.46 : 0.62);
        bars->setProperty("phase", int(p));
        QVector<double> values, shifted;
        for (size_t i = 0; i < ex.runs.size(); ++i) {
            values.push_back(phaseValue(ex.runs[i], p));
            shifted.push_back(keys[int(i)] + shift);
        }
        bars->setData(shifted, values); // keys descend (first backend on top): let QCP sort
        if (below) bars->moveAbove(below);
        below = bars;
    }
    below = nullptr;
    for (size_t pi = 0; anyGhost && pi < kWorkerPhases.size(); ++pi) {
        const Phase p = kWorkerPhases[pi];
        auto* bars = new QCPBars(plot->yAxis, plot->xAxis);
        QColor fill = phaseColor(p);
        fill.setAlpha(70);
        bars->setPen(QPen(phaseColor(p), 1, Qt::DashLine));
        bars->setBrush(fill);
        bars->setWidth(0.2);
        bars->setProperty("phase", int(p));
        bars->setProperty("baseline", true);
        QVector<double> k, values;
        for (size_t i = 0; i < ex.runs.size(); ++i)
            if (ghosts[i]) {
                k.push_back(keys[int(i)] - 0.3);
                values.push_back(phaseValue(*ghosts[i], p));
            }
        bars->setData(k, values);
        if (below) bars->moveAbove(below);
        below = bars;
        // One legend entry stands for every ghost: the colours are the phases' above.
        if (pi == 0)
            bars->setName(QStringLiteral("baseline (ghosted, under each bar)"));
        else
            bars->removeFromLegend();
    }
    resetView(plot, FigureKind::Breakdown);
    if (ex.runs.empty() && mode == BreakdownMode::Share) plot->xAxis->setRange(0, 100); // not 0–1 %
}

// ------------------------------------------------------------------ timeline

std::vector<PhaseInterval> laneBars(const LaneRecord& lane) {
    return laneIntervals(lane); // core/files/trace_json.h: the trace's events are the same bars
}

int64_t reducedDetailFrom(const RepetitionResult& rep) {
    int64_t from = -1;
    for (const LaneRecord& l : rep.lanes) {
        const int64_t f = l.timeline.reducedFromNs();
        if (f >= 0 && (from < 0 || f < from)) from = f;
    }
    return from;
}

int defaultTimelineRepetition(const BackendRun& run) {
    int best = -1;
    for (int i = 0; i < int(run.repetitions.size()); ++i) {
        const auto& rep = run.repetitions[size_t(i)];
        if (rep.lanes.empty()) continue;
        if (best < 0 || !rep.warmup) best = i;
    }
    return best;
}

namespace {
int laneCount(const RepetitionResult& rep) {
    return int(rep.lanes.size());
}
} // namespace

int defaultTimelineRun(const Experiment& ex) {
    // The run whose workers spend the least time computing: the picture that explains why a
    // backend is slow. Runs with several lanes first.
    int best = -1;
    double bestCompute = 2;
    bool bestMulti = false;
    for (int i = 0; i < int(ex.runs.size()); ++i) {
        const BackendRun& r = ex.runs[size_t(i)];
        const int rep = defaultTimelineRepetition(r);
        if (rep < 0) continue;
        const bool multi = laneCount(r.repetitions[size_t(rep)]) > 1;
        const double compute = r.summary.repetitions > 0 ? r.summary.phaseShare[size_t(Phase::Compute)] : 1.5;
        if (best < 0 || (multi && !bestMulti) || (multi == bestMulti && compute < bestCompute)) {
            best = i;
            bestCompute = compute;
            bestMulti = multi;
        }
    }
    return best;
}

void fillTimeline(QCustomPlot* plot, const Experiment& ex, int runIndex, int repIndex,
                  const PlotTheme& theme) {
    plot->clearPlottables();
    plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot->axisRect()->setRangeDrag(Qt::Horizontal);
    plot->axisRect()->setRangeZoom(Qt::Horizontal);
    plot->xAxis->setLabel(QStringLiteral("time since the repetition started [ms]"));
    plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    plot->yAxis->setLabel(QString());
    plot->yAxis->setSubTicks(false);
    plot->yAxis->setTickLength(0, 2);
    plot->yAxis->grid()->setVisible(false);
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    plot->yAxis->setTicker(ticker);

    std::array<GanttPlottable*, kPhaseCount> layers{};
    for (Phase p : kWorkerPhases) {
        auto* g = new GanttPlottable(plot->xAxis, plot->yAxis);
        g->setName(phaseLabel(p));
        g->setBrush(phaseColor(p));
        g->setPen(Qt::NoPen);
        g->setProperty("phase", int(p));
        layers[size_t(p)] = g;
    }
    plot->clearItems();
    if (runIndex < 0 || runIndex >= int(ex.runs.size())) {
        resetView(plot, FigureKind::Timeline);
        return;
    }
    const BackendRun& run = ex.runs[size_t(runIndex)];
    if (repIndex < 0) repIndex = defaultTimelineRepetition(run);
    if (repIndex < 0 || repIndex >= int(run.repetitions.size())) {
        resetView(plot, FigureKind::Timeline);
        return;
    }
    const RepetitionResult& rep = run.repetitions[size_t(repIndex)];
    // One row per worker lane (slot): workers that replace each other on a lane share the row,
    // so the gaps between them (spawn, reap) line up in time.
    std::array<QVector<GanttPlottable::Bar>, kPhaseCount> bars;
    const int rows = int(rep.lanes.size());
    const bool isProcess = run.family == "processes" || run.family == "python";
    for (int i = 0; i < rows; ++i) {
        const LaneRecord& lane = rep.lanes[size_t(i)];
        int64_t id = 0;
        for (const WorkerRecord& w : rep.workers)
            if (w.lane == lane.lane) id = w.id;
        QString label;
        if (lane.workers == 1 && id != 0)
            label = QStringLiteral("lane %1 · %2 %3")
                        .arg(lane.lane)
                        .arg(isProcess ? QStringLiteral("pid") : QStringLiteral("#"))
                        .arg(id);
        else
            label = QStringLiteral("lane %1 · %2 %3")
                        .arg(lane.lane)
                        .arg(lane.workers)
                        .arg(isProcess ? QStringLiteral("processes") : QStringLiteral("threads"));
        ticker->addTick(rows - i, label);
        const double row = rows - i; // first lane on top
        for (const PhaseInterval& iv : laneBars(lane))
            bars[size_t(iv.phase)].push_back(
                {double(iv.startNs - rep.startNs) / 1e6, double(iv.endNs - rep.startNs) / 1e6, row});
    }
    for (Phase p : kWorkerPhases)
        layers[size_t(p)]->setBars(std::move(bars[size_t(p)]));
    // Where the timeline had to merge intervals into buckets (to stay bounded), say so.
    if (const int64_t from = reducedDetailFrom(rep); from >= 0 && rows > 0) {
        const double x = double(from - rep.startNs) / 1e6;
        auto* line = new QCPItemStraightLine(plot);
        line->point1->setCoords(x, 0);
        line->point2->setCoords(x, 1);
        line->setPen(QPen(theme.foreground, 1, Qt::DashLine));
        line->setProperty("reducedDetail", true);
        auto* text = new QCPItemText(plot);
        text->position->setType(QCPItemPosition::ptAxisRectRatio);
        text->position->setCoords(0.99, 0.01);
        text->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
        text->setText(QStringLiteral("reduced detail from %1 ms: bars show each phase's share of a bucket")
                          .arg(x, 0, 'f', 1));
        text->setColor(theme.foreground);
        text->setProperty("reducedDetail", true);
    }
    resetView(plot, FigureKind::Timeline);
}

// ------------------------------------------------------------------ view

void resetView(QCustomPlot* plot, FigureKind kind) {
    switch (kind) {
    case FigureKind::Throughput: {
        plot->rescaleAxes();
        QCPRange y = plot->yAxis->range();
        plot->yAxis->setRange(0, std::max(1.0, y.upper * 1.08));
        QCPRange x = plot->xAxis->range();
        if (x.size() <= 0) x = QCPRange(0, 1);
        plot->xAxis->setRange(0, x.upper);
        break;
    }
    case FigureKind::Breakdown: {
        QMap<double, double> totals; // key → stacked total
        for (int i = 0; i < plot->plottableCount(); ++i) {
            auto* b = qobject_cast<QCPBars*>(plot->plottable(i));
            if (!b) continue;
            for (auto it = b->data()->constBegin(); it != b->data()->constEnd(); ++it)
                totals[it->key] += it->value;
        }
        double maxValue = 0;
        QSet<long> rows; // a backend's row: its bar, and a baseline's ghost just under it
        for (auto it = totals.constBegin(); it != totals.constEnd(); ++it) {
            maxValue = std::max(maxValue, it.value());
            rows.insert(std::lround(it.key()));
        }
        plot->yAxis->setRange(0.4, std::max<qsizetype>(1, rows.size()) + 0.6);
        plot->xAxis->setRange(0, maxValue > 0 ? maxValue * 1.02 : 1);
        break;
    }
    case FigureKind::Timeline: {
        bool found = false;
        QCPRange keys, rows;
        for (int i = 0; i < plot->plottableCount(); ++i) {
            bool f = false;
            QCPRange k = plot->plottable(i)->getKeyRange(f);
            if (!f) continue;
            QCPRange v = plot->plottable(i)->getValueRange(f);
            if (!found) {
                keys = k;
                rows = v;
                found = true;
            } else {
                keys.expand(k);
                rows.expand(v);
            }
        }
        if (!found) {
            keys = QCPRange(0, 1);
            rows = QCPRange(0, 1);
        }
        plot->xAxis->setRange(std::min(0.0, keys.lower), keys.upper + keys.size() * 0.01);
        plot->yAxis->setRange(rows.lower - 0.2, rows.upper + 0.2);
        break;
    }
    case FigureKind::SweepSpeedup:
    case FigureKind::SweepThroughput:
    case FigureKind::SweepPhases:
        resetSweepView(plot, kind);
        break;
    }
}

std::unique_ptr<QCustomPlot> makeFigure(FigureKind kind, const Experiment& ex, const FigureOptions& options,
                                        const PlotTheme& theme) {
    auto plot = std::make_unique<QCustomPlot>();
    const QString line = workloadLine(ex.spec);
    switch (kind) {
    case FigureKind::Throughput:
        prepareFigure(plot.get(), QStringLiteral("Throughput over time — %1").arg(line));
        applyTheme(plot.get(), theme);
        fillThroughput(plot.get(), ex, theme);
        break;
    case FigureKind::Breakdown:
        prepareFigure(plot.get(), QStringLiteral("Where the worker time goes — %1").arg(line));
        applyTheme(plot.get(), theme);
        fillBreakdown(plot.get(), ex, options.breakdown, theme, options.baseline.get());
        break;
    case FigureKind::Timeline: {
        const int run = options.timelineRun >= 0 ? options.timelineRun : defaultTimelineRun(ex);
        QString title = QStringLiteral("Worker timeline");
        if (run >= 0 && run < int(ex.runs.size())) {
            const BackendRun& r = ex.runs[size_t(run)];
            const int rep = options.timelineRep >= 0 ? options.timelineRep : defaultTimelineRepetition(r);
            title += QStringLiteral(" — %1, repetition %2").arg(q(r.backend)).arg(rep + 1);
        }
        prepareFigure(plot.get(), title);
        applyTheme(plot.get(), theme);
        fillTimeline(plot.get(), ex, run, options.timelineRep, theme);
        break;
    }
    case FigureKind::SweepSpeedup:
    case FigureKind::SweepThroughput:
    case FigureKind::SweepPhases:
        prepareFigure(plot.get(), QStringLiteral("(a sweep figure needs a sweep)"));
        break;
    }
    applyTheme(plot.get(), theme);
    return plot;
}

} // namespace conlab::ui
