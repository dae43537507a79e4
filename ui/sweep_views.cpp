#include "sweep_views.h"
#include "qt_text.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <cmath>
#include <qcustomplot.h>

namespace conlab::ui {

namespace {
QString hint(FigureKind kind) {
    switch (kind) {
    case FigureKind::SweepSpeedup:
        return QObject::tr("median throughput ÷ sequential's at the same point; bars: 95% CI; dashed: "
                           "break-even");
    case FigureKind::SweepThroughput:
        return QObject::tr("median tasks/s at each point; bars: 95% CI when repetitions > 1");
    default:
        return QObject::tr("share of summed worker time (median repetition)");
    }
}
} // namespace

// ------------------------------------------------------------------ SweepView

SweepView::SweepView(FigureKind kind, QWidget* parent) : PlotView(kind, parent) {
    auto* label = new QLabel(hint(kind));
    label->setEnabled(false);
    toolbar()->insertWidget(0, label);
    prepareFigure(m_plot, QString());
    applyTheme(m_plot, m_theme);
    refill();
}

void SweepView::clear() {
    m_sweep = SweepResult{};
    m_has = false;
    m_userMoved = false;
    refill();
}

void SweepView::setSweep(const SweepResult& sweep) {
    m_sweep = sweep;
    m_has = true;
    refill();
}

void SweepView::setBaseline(std::shared_ptr<const SweepResult> baseline) {
    if (baseline == m_baseline) return;
    m_baseline = std::move(baseline);
    refill();
}

SweepFigureOptions SweepView::sweepOptions() const {
    SweepFigureOptions o;
    o.baseline = m_baseline;
    return o;
}

void SweepView::refill() {
    if (!m_has) {
        m_plot->clearPlottables();
        m_plot->clearItems();
        setFigureTitle(m_plot, tr("Run a sweep (tick “Sweep one parameter”) or a lesson"));
        m_plot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    const QCPRange xr = m_plot->xAxis->range(), yr = m_plot->yAxis->range();
    if (kind() == FigureKind::SweepThroughput)
        fillSweepThroughput(m_plot, m_sweep, m_theme, m_baseline.get());
    else
        fillSweepSpeedup(m_plot, m_sweep, m_theme, m_baseline.get());
    setFigureTitle(m_plot, sweepFigureTitle(kind(), m_sweep));
    applyTheme(m_plot, m_theme);
    if (m_userMoved) { // live points keep the user's zoom
        m_plot->xAxis->setRange(xr);
        m_plot->yAxis->setRange(yr);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

int SweepView::pointCount(const QString& graphName) const {
    for (int i = 0; i < m_plot->graphCount(); ++i)
        if (m_plot->graph(i)->name() == graphName) return m_plot->graph(i)->dataCount();
    return -1;
}

QStringList SweepView::graphNames() const {
    QStringList names;
    for (int i = 0; i < m_plot->graphCount(); ++i)
        names << m_plot->graph(i)->name();
    return names;
}

QString SweepView::tooltipAt(const QPointF& pos) const {
    // The nearest data point within 12 px.
    const QCPGraph* best = nullptr;
    double bestD = 12 * 12, bestKey = 0, bestValue = 0;
    for (int i = 0; i < m_plot->graphCount(); ++i) {
        const QCPGraph* g = m_plot->graph(i);
        if (g->property("conlabReference").toBool()) continue;
        for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) {
            const QPointF p = g->coordsToPixels(it->key, it->value);
            const double d = (p.x() - pos.x()) * (p.x() - pos.x()) + (p.y() - pos.y()) * (p.y() - pos.y());
            if (d < bestD) {
                bestD = d;
                best = g;
                bestKey = it->key;
                bestValue = it->value;
            }
        }
    }
    if (!best) return {};
    const QString at = formatSweepValue(m_sweep.param, bestKey);
    if (best->property("conlabBaseline").toBool())
        return tr("<b>%1</b> at %2<br>%3").arg(best->name(), at).arg(bestValue, 0, 'g', 4);
    if (kind() == FigureKind::SweepPhases)
        return tr("<b>%1</b> at %2<br>%3% of worker time").arg(best->name(), at).arg(bestValue, 0, 'f', 1);
    for (const SweepPoint& p : m_sweep.points) {
        const double v = m_sweep.param == SweepParam::TaskUs ? p.value : double(std::llround(p.value));
        if (std::abs(v - bestKey) > 1e-9 * std::max(1.0, std::abs(v))) continue;
        for (const BackendRun& r : p.runs) {
            if (q(r.backend) != best->name()) continue;
            const RunSummary& s = r.summary;
            return tr("<b>%1</b> at %2<br>%3 tasks/s (95% CI %4 – %5, %6 rep.)<br>speedup %7")
                .arg(best->name(), at)
                .arg(s.throughput.median, 0, 'f', 0)
                .arg(s.throughput.ciLow, 0, 'f', 0)
                .arg(s.throughput.ciHigh, 0, 'f', 0)
                .arg(s.repetitions)
                .arg(s.speedup ? QString::number(*s.speedup, 'f', 2) + QStringLiteral("×")
                               : QStringLiteral("–"));
        }
    }
    return tr("<b>%1</b> at %2: %3").arg(best->name(), at).arg(bestValue, 0, 'g', 3);
}

// ------------------------------------------------------------------ phases

SweepPhasesView::SweepPhasesView(QWidget* parent) : SweepView(FigureKind::SweepPhases, parent) {
    m_backendBox = new QComboBox;
    m_backendBox->setObjectName(QStringLiteral("phasesBackend"));
    m_backendBox->setToolTip(tr("The backend whose worker time is split into phases"));
    toolbar()->insertWidget(0, new QLabel(tr("Backend:")));
    toolbar()->insertWidget(1, m_backendBox);
    connect(m_backendBox, &QComboBox::activated, this, [this] {
        m_userBackend = m_backendBox->currentText();
        refill();
    });
}

void SweepPhasesView::setSweep(const SweepResult& sweep) {
    m_sweep = sweep;
    m_has = true;
    {
        const QSignalBlocker block(m_backendBox);
        m_backendBox->clear();
        for (const std::string& b : sweep.backends)
            m_backendBox->addItem(q(b));
        int idx = m_userBackend.isEmpty() ? -1 : m_backendBox->findText(m_userBackend);
        if (idx < 0) idx = m_backendBox->findText(defaultPhasesBackend(sweep));
        m_backendBox->setCurrentIndex(std::max(0, idx));
    }
    refill();
}

void SweepPhasesView::clear() {
    const QSignalBlocker block(m_backendBox);
    m_backendBox->clear();
    SweepView::clear();
}

SweepFigureOptions SweepPhasesView::sweepOptions() const {
    SweepFigureOptions o;
    o.phasesBackend = m_backendBox->currentText();
    return o;
}

void SweepPhasesView::refill() {
    if (!m_has || m_backendBox->currentText().isEmpty()) {
        SweepView::refill();
        return;
    }
    const QString backend = m_backendBox->currentText();
    fillSweepPhases(m_plot, m_sweep, backend, m_theme);
    setFigureTitle(m_plot, sweepFigureTitle(kind(), m_sweep, backend));
    applyTheme(m_plot, m_theme);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

// ------------------------------------------------------------------ break-even table

BreakEvenTable::BreakEvenTable(QWidget* parent) : QTableWidget(parent) {
    setObjectName(QStringLiteral("breakEvenTable"));
    setColumnCount(3);
    setHorizontalHeaderLabels({tr("backend"), tr("break-even"), tr("reading")});
    horizontalHeaderItem(1)->setToolTip(
        tr("Parameter value where the backend's speedup over sequential crosses 1, interpolated between "
           "neighbouring points (on a log sweep, logarithmically) — docs/measurement.md"));
    verticalHeader()->setVisible(false);
    horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    horizontalHeader()->setStretchLastSection(true);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setAlternatingRowColors(true);
    setWordWrap(true);
}

void BreakEvenTable::setSweep(const SweepResult& sweep) {
    const std::vector<BreakEven> be = breakEvenPoints(sweep);
    setRowCount(int(be.size()));
    for (int i = 0; i < int(be.size()); ++i) {
        const BreakEven& b = be[size_t(i)];
        auto* id = new QTableWidgetItem(q(b.backend));
        id->setForeground(backendColor(q(b.backend), palette().base().color().lightness() < 128));
        setItem(i, 0, id);
        auto* value = new QTableWidgetItem(
            b.value ? QStringLiteral("%1 %2")
                          .arg(b.paysOffAbove ? QStringLiteral(">") : QStringLiteral("<"))
                          .arg(breakEvenValueText(sweep.param, *b.value))
                    : QStringLiteral("–"));
        if (b.value) value->setData(Qt::UserRole, *b.value);
        setItem(i, 1, value);
        setItem(i, 2, new QTableWidgetItem(breakEvenSentence(b, sweep.param)));
    }
    resizeRowsToContents();
}

void BreakEvenTable::clearSweep() {
    setRowCount(0);
}

} // namespace conlab::ui
