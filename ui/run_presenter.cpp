#include "run_presenter.h"

#include "main_window_helpers.h"
#include "plot_views.h"
#include "sweep_figures.h"

#include <QLabel>
#include <QProgressBar>

namespace conlab::ui {

RunPresenter::RunPresenter(QProgressBar* progress, QLabel* status, ThroughputView* liveThroughput,
                           QObject* parent)
    : QObject(parent), m_progress(progress), m_status(status), m_liveThroughput(liveThroughput) {}

void RunPresenter::runStarted(const QString& statusText) {
    m_sweepPoints = false;
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setFormat(tr("starting…"));
    m_status->setText(statusText);
}

void RunPresenter::sweepStarted(const WorkloadSpec& base, SweepParam param, bool severalPoints,
                                const QString& statusText) {
    runStarted(statusText);
    m_sweepPoints = severalPoints;
    m_sweepBase = base;
    m_sweepParam = param;
    m_shownPoint = -1;
}

void RunPresenter::showProgress(const RunProgress& p) {
    if (m_sweepPoints && p.sweepPoint >= 0 && p.sweepPoint != m_shownPoint) {
        m_shownPoint = p.sweepPoint; // a new point: its own live throughput
        Experiment point;
        point.spec = m_sweepBase;
        applySweepValue(point.spec, m_sweepParam, p.sweepValue);
        m_liveThroughput->setExperiment(point);
    }
    const double fraction = p.overallTotal > 0 ? double(p.overallDone) / double(p.overallTotal) : 0;
    m_progress->setValue(int(fraction * 1000));
    m_progress->setFormat(
        tr("%L1 / %L2 tasks · ETA %3").arg(p.overallDone).arg(p.overallTotal).arg(detail::formatEta(p.etaS)));
    QString point;
    if (p.sweepPointCount > 0)
        point = tr("Point %1 of %2 (%3 = %4) · ")
                    .arg(std::max(0, p.sweepPoint) + 1)
                    .arg(p.sweepPointCount)
                    .arg(QString::fromStdString(toString(m_sweepParam)),
                         formatSweepTick(m_sweepParam, p.sweepValue));
    m_status->setText(point + tr("Running %1 (backend %2 of %3) · %4 %5 of %6 · %7 tasks/s")
                                  .arg(p.backend)
                                  .arg(p.backendIndex + 1)
                                  .arg(p.backendCount)
                                  .arg(p.warmup ? tr("warmup") : tr("repetition"))
                                  .arg(p.repetition + 1)
                                  .arg(p.repetitionCount)
                                  .arg(p.throughput, 0, 'f', 0));
}

void RunPresenter::ended(const QString& barText) {
    m_sweepPoints = false;
    m_progress->setValue(m_progress->maximum());
    m_progress->setFormat(barText);
}

void RunPresenter::failed() {
    m_progress->setValue(0);
    m_progress->setFormat(tr("failed"));
}

void RunPresenter::idle() {
    m_sweepPoints = false;
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setFormat(tr("idle"));
}

} // namespace conlab::ui
