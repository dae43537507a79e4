#pragma once
// Live overhead breakdown, under the live throughput: the running backend's spawn / IPC /
// compute / idle … shares of worker time in each snapshot interval (50 ms), stacked over time,
// so the breakdown is visible while the run goes on, not only when a backend finishes. Every
// phase of kAllPhases is drawn (new phases appear without changes here).
#include "colors.h"
#include "run_result.h"

#include <QWidget>

class QCustomPlot;

namespace conlab::ui {

class LivePhasesView : public QWidget {
    Q_OBJECT
  public:
    explicit LivePhasesView(QWidget* parent = nullptr);
    void clear();
    // One engine snapshot of `backend` (cumulative phase totals of the repetition): adds the
    // interval since the previous one. A new backend starts a new picture.
    void addSnapshot(const QString& backend, int repetition, const Snapshot& s);
    // A finished or loaded experiment: the last backend with recorded snapshots.
    void setExperiment(const Experiment& ex);
    void setTheme(const PlotTheme& theme);

    QString backend() const { return m_backend; }
    int pointCount() const { return int(m_t.size()); }
    // The share of `phase` in the last interval (0 … 1); -1 without data.
    double lastShare(Phase phase) const;
    QCustomPlot* plot() const { return m_plot; }

  private:
    void redraw();

    QCustomPlot* m_plot;
    PlotTheme m_theme;
    QString m_backend;
    int m_repetition = -1;
    double m_offset = 0, m_lastT = 0; // repetitions end to end, as in the throughput plot
    PhaseTotals m_prev;
    QVector<double> m_t;
    std::array<QVector<double>, kPhaseCount> m_share; // per phase, 0 … 1
};

} // namespace conlab::ui
