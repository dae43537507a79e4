#pragma once
// The sweep tabs: speedup, throughput and phase shares against the swept parameter (each a
// PlotView filled by ui/sweep_figures.h), and the break-even table.
#include "plot_views.h"
#include "sweep.h"
#include "sweep_figures.h"

#include <QTableWidget>

class QComboBox;

namespace conlab::ui {

class SweepView : public PlotView {
    Q_OBJECT
  public:
    SweepView(FigureKind kind, QWidget* parent = nullptr);
    void setExperiment(const Experiment&) override {} // sweeps only
    void clear() override;
    virtual void setSweep(const SweepResult& sweep);
    const SweepResult& sweep() const { return m_sweep; }
    bool hasSweep() const { return m_has; }
    // Dashed curves of a baseline sweep (speedup and throughput figures; nullptr: none).
    void setBaseline(std::shared_ptr<const SweepResult> baseline);
    virtual SweepFigureOptions sweepOptions() const;
    // Points drawn for a backend (graph named by its id), for tests.
    int pointCount(const QString& graphName) const;
    QStringList graphNames() const;

  protected:
    void refill() override;
    QString tooltipAt(const QPointF& pos) const override;
    SweepResult m_sweep;
    std::shared_ptr<const SweepResult> m_baseline;
    bool m_has = false;
};

class SweepPhasesView : public SweepView {
    Q_OBJECT
  public:
    explicit SweepPhasesView(QWidget* parent = nullptr);
    void setSweep(const SweepResult& sweep) override;
    void clear() override;
    SweepFigureOptions sweepOptions() const override;
    QComboBox* backendBox() const { return m_backendBox; }

  protected:
    void refill() override;

  private:
    QComboBox* m_backendBox;
    QString m_userBackend; // picked by the user: kept across live updates
};

// One row per backend other than the baseline: break-even value and the sentence.
class BreakEvenTable : public QTableWidget {
    Q_OBJECT
  public:
    explicit BreakEvenTable(QWidget* parent = nullptr);
    void setSweep(const SweepResult& sweep);
    void clearSweep();
};

} // namespace conlab::ui
