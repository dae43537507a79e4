#include "live_phases_view.h"

#include "figures.h"

#include <QVBoxLayout>
#include <qcustomplot.h>

namespace conlab::ui {

LivePhasesView::LivePhasesView(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("livePhases"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_plot = new QCustomPlot;
    m_plot->setObjectName(QStringLiteral("livePhasesPlot"));
    m_plot->setMinimumSize(200, 90);
    layout->addWidget(m_plot);
    m_theme = PlotTheme::fromPalette(palette());
    prepareFigure(m_plot, tr("Where the worker time goes now"));
    m_plot->xAxis->setLabel(tr("time since the backend started [s]"));
    m_plot->yAxis->setLabel(tr("share [%]"));
    m_plot->yAxis->setRange(0, 100);
    m_plot->legend->setWrap(kPhaseCount);
    applyTheme(m_plot, m_theme);
    setToolTip(tr("The running backend's share of worker time in each phase during each 50 ms interval "
                  "(completed intervals only); the bars of the overhead breakdown are the whole run."));
    redraw();
}

void LivePhasesView::clear() {
    m_backend.clear();
    m_repetition = -1;
    m_offset = m_lastT = 0;
    m_prev = {};
    m_t.clear();
    for (auto& s : m_share)
        s.clear();
    redraw();
}

void LivePhasesView::addSnapshot(const QString& backend, int repetition, const Snapshot& s) {
    if (backend != m_backend) {
        clear();
        m_backend = backend;
    }
    if (repetition != m_repetition) { // totals restart with each repetition
        m_offset += m_lastT;
        m_lastT = 0;
        m_prev = {};
        m_repetition = repetition;
    }
    const PhaseTotals delta = s.workerPhases - m_prev;
    m_prev = s.workerPhases;
    m_lastT = s.tS;
    const int64_t total = delta.total();
    if (total <= 0) return; // nothing completed in this interval
    m_t.push_back(m_offset + s.tS);
    for (Phase p : kAllPhases)
        m_share[size_t(p)].push_back(double(std::max<int64_t>(0, delta[p])) / double(total));
    redraw();
}

void LivePhasesView::setExperiment(const Experiment& ex) {
    clear();
    for (auto it = ex.runs.rbegin(); it != ex.runs.rend(); ++it) {
        bool any = false;
        for (const RepetitionResult& rep : it->repetitions)
            any = any || !rep.snapshots.empty();
        if (!any) continue;
        for (const RepetitionResult& rep : it->repetitions)
            for (const Snapshot& s : rep.snapshots)
                addSnapshot(QString::fromStdString(it->backend), rep.index, s);
        break;
    }
    redraw();
}

void LivePhasesView::setTheme(const PlotTheme& theme) {
    m_theme = theme;
    applyTheme(m_plot, theme);
    redraw();
}

double LivePhasesView::lastShare(Phase phase) const {
    const auto& s = m_share[size_t(phase)];
    return s.isEmpty() ? -1 : s.back();
}

void LivePhasesView::redraw() {
    m_plot->clearGraphs();
    setFigureTitle(m_plot, m_backend.isEmpty() ? tr("Where the worker time goes now (during a run)")
                                               : tr("Where the worker time goes now — %1").arg(m_backend));
    // Stacked areas: each phase's top is the sum of the shares below it.
    QVector<double> below(m_t.size(), 0.0);
    QCPGraph* previous = nullptr;
    for (Phase p : kAllPhases) {
        QVector<double> top = below;
        for (int i = 0; i < top.size(); ++i)
            top[i] += m_share[size_t(p)][i] * 100;
        QCPGraph* g = m_plot->addGraph();
        g->setName(phaseLabel(p));
        QColor c = phaseColor(p);
        g->setPen(QPen(c.darker(110), 1));
        c.setAlpha(200);
        g->setBrush(c);
        g->setLineStyle(QCPGraph::lsStepLeft);
        if (previous) g->setChannelFillGraph(previous);
        g->setData(m_t, top, true);
        previous = g;
        below = top;
    }
    m_plot->xAxis->setRange(0, std::max(1.0, m_t.isEmpty() ? 1.0 : m_t.back()));
    m_plot->yAxis->setRange(0, 100);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace conlab::ui
