#include "plot_views.h"
#include "qt_text.h"

#include "live_phases_view.h"

#include "gantt_plottable.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace conlab::ui {

namespace {
QString seconds(double s) {
    if (s >= 1) return QString::number(s, 'f', 3) + QStringLiteral(" s");
    if (s >= 1e-3) return QString::number(s * 1e3, 'f', 2) + QStringLiteral(" ms");
    return QString::number(s * 1e6, 'f', 1) + QStringLiteral(" µs");
}
} // namespace

// ------------------------------------------------------------------ PlotView

PlotView::PlotView(FigureKind kind, QWidget* parent) : QWidget(parent), m_kind(kind) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_toolbar = new QHBoxLayout;
    layout->addLayout(m_toolbar);
    m_plot = new QCustomPlot;
    m_plot->setObjectName(figureName(kind) + QStringLiteral("Plot"));
    m_plot->setMinimumSize(320, 200);
    layout->addWidget(m_plot, 1);
    m_plot->installEventFilter(this);
    m_plot->setMouseTracking(true);

    m_toolbar->addStretch(1);
    auto* reset = new QToolButton;
    reset->setText(tr("Reset view"));
    reset->setToolTip(tr("Fit the axes to the data (mouse wheel zooms, dragging pans)"));
    reset->setObjectName(QStringLiteral("resetView"));
    connect(reset, &QToolButton::clicked, this, &PlotView::resetView);
    m_toolbar->addWidget(reset);
    auto* exportButton = new QToolButton;
    exportButton->setText(tr("Export…"));
    exportButton->setToolTip(tr("Save this figure as PNG, PDF or SVG"));
    connect(exportButton, &QToolButton::clicked, this, [this] { emit exportRequested(m_kind); });
    m_toolbar->addWidget(exportButton);
    m_theme = PlotTheme::fromPalette(palette());
}

void PlotView::setTheme(const PlotTheme& theme) {
    m_theme = theme;
    applyTheme(m_plot, theme);
    refill();
    applyTheme(m_plot, theme);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void PlotView::resetView() {
    m_userMoved = false;
    conlab::ui::resetView(m_plot, m_kind);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

bool PlotView::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_plot) {
        if (event->type() == QEvent::Resize) fitLegendColumns(m_plot, m_plot->width());
        if (event->type() == QEvent::Wheel) m_userMoved = true;
        if (event->type() == QEvent::MouseMove && static_cast<QMouseEvent*>(event)->buttons() != Qt::NoButton)
            m_userMoved = true;
        if (event->type() == QEvent::ToolTip) {
            auto* help = static_cast<QHelpEvent*>(event);
            const QString text = tooltipAt(help->pos());
            if (text.isEmpty())
                QToolTip::hideText();
            else
                QToolTip::showText(help->globalPos(), text, m_plot);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

// ------------------------------------------------------------------ throughput

ThroughputView::ThroughputView(QWidget* parent) : PlotView(FigureKind::Throughput, parent) {
    auto* hint =
        new QLabel(tr("Tasks completed per second over the last 250 ms (engine snapshots every 50 ms)"));
    hint->setEnabled(false);
    toolbar()->insertWidget(0, hint);
    prepareFigure(m_plot, tr("Throughput over time"));
    setupThroughputAxes(m_plot);
    applyTheme(m_plot, m_theme);
    conlab::ui::resetView(m_plot, kind());
    // Under it, live: the running backend's phase shares over time.
    m_phases = new LivePhasesView;
    auto* box = static_cast<QVBoxLayout*>(layout());
    box->addWidget(m_phases, 1);
    box->setStretchFactor(m_plot, 2);
    m_plot->setMinimumHeight(140); // both fit a 600-pixel-high window
}

void ThroughputView::clear() {
    m_series.clear();
    m_order.clear();
    m_phases->clear();
    setFigureTitle(m_plot, tr("Throughput over time"));
    m_plot->clearGraphs();
    m_userMoved = false;
    conlab::ui::resetView(m_plot, kind());
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ThroughputView::addSnapshot(const QString& backend, int repetition, const Snapshot& s) {
    if (!m_series.contains(backend)) m_order << backend;
    ThroughputSeries& series = m_series[backend];
    series.add(repetition, s);
    m_phases->addSnapshot(backend, repetition, s);
    QCPGraph* g = throughputGraph(m_plot, backend, m_theme);
    g->setData(series.points().x(), series.points().y(), true);
    fitLegendColumns(m_plot, m_plot->width());
    if (!m_userMoved) conlab::ui::resetView(m_plot, kind());
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

int ThroughputView::pointCount(const QString& backend) const {
    for (int i = 0; i < m_plot->graphCount(); ++i)
        if (m_plot->graph(i)->name() == backend) return m_plot->graph(i)->dataCount();
    return 0;
}

void ThroughputView::setExperiment(const Experiment& ex) {
    m_series.clear();
    m_order.clear();
    for (const BackendRun& run : ex.runs) {
        const QString id = q(run.backend);
        m_order << id;
        ThroughputSeries& series = m_series[id];
        for (const RepetitionResult& rep : run.repetitions)
            for (const Snapshot& s : rep.snapshots)
                series.add(rep.index, s);
    }
    setFigureTitle(m_plot, tr("Throughput over time — %1").arg(workloadLine(ex.spec)));
    m_phases->setExperiment(ex);
    m_userMoved = false;
    refill();
}

void ThroughputView::refill() {
    m_phases->setTheme(m_theme);
    m_plot->clearGraphs();
    for (const QString& id : std::as_const(m_order)) {
        QCPGraph* g = throughputGraph(m_plot, id, m_theme);
        g->setData(m_series[id].points().x(), m_series[id].points().y(), true);
    }
    fitLegendColumns(m_plot, m_plot->width());
    if (!m_userMoved) conlab::ui::resetView(m_plot, kind());
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

// ------------------------------------------------------------------ breakdown

BreakdownView::BreakdownView(QWidget* parent) : PlotView(FigureKind::Breakdown, parent) {
    m_modeBox = new QComboBox;
    m_modeBox->setObjectName(QStringLiteral("breakdownMode"));
    m_modeBox->addItem(tr("Share of worker time"), int(BreakdownMode::Share));
    m_modeBox->addItem(tr("Absolute seconds"), int(BreakdownMode::Seconds));
    m_modeBox->setToolTip(
        tr("Share: each bar sums to 100% of the backend's worker time.\n"
           "Absolute: seconds of worker time summed over all workers (median repetition)."));
    toolbar()->insertWidget(0, new QLabel(tr("Show:")));
    toolbar()->insertWidget(1, m_modeBox);
    connect(m_modeBox, &QComboBox::currentIndexChanged, this,
            [this] { setMode(BreakdownMode(m_modeBox->currentData().toInt())); });
    prepareFigure(m_plot, tr("Where the worker time goes"));
    applyTheme(m_plot, m_theme);
    refill();
}

void BreakdownView::setMode(BreakdownMode mode) {
    m_mode = mode;
    m_modeBox->setCurrentIndex(m_modeBox->findData(int(mode)));
    refill();
}

void BreakdownView::setExperiment(const Experiment& ex) {
    m_ex = ex;
    setFigureTitle(m_plot, tr("Where the worker time goes — %1").arg(workloadLine(ex.spec)));
    refill();
}

void BreakdownView::clear() {
    m_ex = Experiment{};
    refill();
}

void BreakdownView::setBaseline(std::shared_ptr<const Experiment> baseline) {
    if (baseline == m_baseline) return;
    m_baseline = std::move(baseline);
    refill();
}

FigureOptions BreakdownView::figureOptions() const {
    FigureOptions o;
    o.breakdown = m_mode;
    o.baseline = m_baseline;
    return o;
}

void BreakdownView::refill() {
    fillBreakdown(m_plot, m_ex, m_mode, m_theme, m_baseline.get());
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QString BreakdownView::tooltipAt(const QPointF& pos) const {
    int index = -1;
    auto* bars = qobject_cast<QCPBars*>(m_plot->plottableAt(pos, false, &index));
    if (!bars || index < 0) return {};
    const int n = int(m_ex.runs.size());
    const double key = (bars->data()->constBegin() + index)->key;
    const int run = n - int(std::lround(key));
    if (run < 0 || run >= n) return {};
    const BackendRun* shown = &m_ex.runs[size_t(run)];
    const bool ofBaseline = bars->property("baseline").toBool() && m_baseline;
    if (ofBaseline)
        for (const BackendRun& b : m_baseline->runs)
            if (b.backend == shown->backend) shown = &b;
    const BackendRun& r = *shown;
    const Phase p = Phase(bars->property("phase").toInt());
    const double share = r.summary.phaseShare[size_t(p)];
    const double secs = r.summary.phaseS[size_t(p)].median;
    return tr("<b>%1</b>%6 — %2<br>%3% of worker time<br>%4 summed over %5 workers (median repetition)")
        .arg(q(r.backend), phaseLabel(p))
        .arg(share * 100, 0, 'f', 1)
        .arg(seconds(secs))
        .arg(r.workers)
        .arg(ofBaseline ? tr(" in the baseline") : QString());
}

// ------------------------------------------------------------------ timeline

TimelineView::TimelineView(QWidget* parent) : PlotView(FigureKind::Timeline, parent) {
    m_backendBox = new QComboBox;
    m_backendBox->setObjectName(QStringLiteral("timelineBackend"));
    m_repBox = new QComboBox;
    m_repBox->setObjectName(QStringLiteral("timelineRepetition"));
    toolbar()->insertWidget(0, new QLabel(tr("Backend:")));
    toolbar()->insertWidget(1, m_backendBox);
    toolbar()->insertWidget(2, new QLabel(tr("Repetition:")));
    toolbar()->insertWidget(3, m_repBox);
    auto* hint = new QLabel(tr("first workers and intervals of the run; wheel zooms time"));
    hint->setEnabled(false);
    toolbar()->insertWidget(4, hint);
    connect(m_backendBox, &QComboBox::currentIndexChanged, this, [this] {
        fillRepetitions();
        refill();
    });
    connect(m_repBox, &QComboBox::currentIndexChanged, this, [this] { refill(); });
    connect(m_backendBox, &QComboBox::activated, this,
            [this] { m_userBackend = m_backendBox->currentText(); });
    prepareFigure(m_plot, tr("Worker timeline"));
    applyTheme(m_plot, m_theme);
    refill();
}

void TimelineView::setExperiment(const Experiment& ex) {
    m_ex = ex;
    {
        const QSignalBlocker block(m_backendBox);
        m_backendBox->clear();
        for (const BackendRun& r : m_ex.runs)
            m_backendBox->addItem(q(r.backend));
        int idx = m_userBackend.isEmpty() ? -1 : m_backendBox->findText(m_userBackend);
        if (idx < 0) idx = defaultTimelineRun(m_ex);
        m_backendBox->setCurrentIndex(std::max(0, idx));
    }
    fillRepetitions();
    refill();
}

void TimelineView::fillRepetitions() {
    const QSignalBlocker block(m_repBox);
    m_repBox->clear();
    const int run = m_backendBox->currentIndex();
    if (run < 0 || run >= int(m_ex.runs.size())) return;
    const BackendRun& r = m_ex.runs[size_t(run)];
    for (const RepetitionResult& rep : r.repetitions)
        m_repBox->addItem(rep.warmup ? tr("warmup %1").arg(rep.index + 1)
                                     : tr("%1").arg(rep.index + 1 - m_ex.spec.warmup),
                          rep.index);
    m_repBox->setCurrentIndex(std::max(0, defaultTimelineRepetition(r)));
}

void TimelineView::clear() {
    m_ex = Experiment{};
    const QSignalBlocker b1(m_backendBox), b2(m_repBox);
    m_backendBox->clear();
    m_repBox->clear();
    refill();
}

FigureOptions TimelineView::figureOptions() const {
    FigureOptions o;
    o.timelineRun = m_backendBox->currentIndex();
    o.timelineRep = m_repBox->currentIndex();
    return o;
}

int TimelineView::barCount() const {
    int n = 0;
    for (int i = 0; i < m_plot->plottableCount(); ++i)
        if (auto* g = dynamic_cast<GanttPlottable*>(m_plot->plottable(i))) n += int(g->bars().size());
    return n;
}

void TimelineView::refill() {
    const int run = m_backendBox->currentIndex();
    fillTimeline(m_plot, m_ex, run, m_repBox->currentIndex(), m_theme);
    if (run >= 0 && run < int(m_ex.runs.size()))
        setFigureTitle(m_plot,
                       tr("Worker timeline — %1, %2 workers recorded")
                           .arg(q(m_ex.runs[size_t(run)].backend))
                           .arg(m_ex.runs[size_t(run)].repetitions.empty() || m_repBox->currentIndex() < 0
                                    ? 0
                                    : int(m_ex.runs[size_t(run)]
                                              .repetitions[size_t(m_repBox->currentIndex())]
                                              .workers.size())));
    else
        setFigureTitle(m_plot, tr("Worker timeline"));
    m_userMoved = false;
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

QString TimelineView::tooltipAt(const QPointF& pos) const {
    for (int i = m_plot->plottableCount() - 1; i >= 0; --i) {
        auto* g = dynamic_cast<GanttPlottable*>(m_plot->plottable(i));
        if (!g) continue;
        const int b = g->barAt(pos);
        if (b < 0) continue;
        const GanttPlottable::Bar& bar = g->bars()[b];
        return tr("<b>%1</b><br>%2 → %3 ms (%4)")
            .arg(g->name())
            .arg(bar.start, 0, 'f', 3)
            .arg(bar.end, 0, 'f', 3)
            .arg(seconds((bar.end - bar.start) / 1e3));
    }
    return {};
}

} // namespace conlab::ui
