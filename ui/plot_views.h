#pragma once
// The plot tabs of the main window. Each view owns one QCustomPlot, fills it through the
// figure functions (figures.h) and adds the interactive parts: live updates, zoom/pan, reset,
// tooltips. More views (sweeps, lessons, baselines) plug into the same QTabWidget.
#include "figures.h"

#include <QMap>
#include <QWidget>

class QComboBox;
class QCustomPlot;
class QToolButton;
class QHBoxLayout;

namespace conlab::ui {

class PlotView : public QWidget {
    Q_OBJECT
  public:
    PlotView(FigureKind kind, QWidget* parent = nullptr);
    FigureKind kind() const { return m_kind; }
    QCustomPlot* plot() const { return m_plot; }
    virtual void setExperiment(const Experiment& ex) = 0;
    virtual void clear() = 0;
    virtual FigureOptions figureOptions() const { return {}; }
    void setTheme(const PlotTheme& theme);
    const PlotTheme& theme() const { return m_theme; }
    // True once the user zoomed or panned (then live updates keep the view).
    bool userMovedView() const { return m_userMoved; }

  public slots:
    void resetView();

  signals:
    void exportRequested(conlab::ui::FigureKind kind);

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    virtual void refill() = 0; // redraw from the current data with the current theme
    virtual QString tooltipAt(const QPointF&) const { return {}; }
    QHBoxLayout* toolbar() const { return m_toolbar; }

    QCustomPlot* m_plot;
    PlotTheme m_theme;
    bool m_userMoved = false;

  private:
    FigureKind m_kind;
    QHBoxLayout* m_toolbar;
};

class LivePhasesView;

// Live throughput, and under it the running backend's phase shares over time (LivePhasesView).
class ThroughputView : public PlotView {
    Q_OBJECT
  public:
    explicit ThroughputView(QWidget* parent = nullptr);
    void setExperiment(const Experiment& ex) override;
    void clear() override;
    // Live: one engine snapshot; the replot is queued, so a burst costs one repaint.
    void addSnapshot(const QString& backend, int repetition, const Snapshot& s);
    int pointCount(const QString& backend) const;
    LivePhasesView* livePhases() const { return m_phases; }

  protected:
    void refill() override;

  private:
    LivePhasesView* m_phases = nullptr;
    QMap<QString, ThroughputSeries> m_series;
    QStringList m_order;
};

class BreakdownView : public PlotView {
    Q_OBJECT
  public:
    explicit BreakdownView(QWidget* parent = nullptr);
    void setExperiment(const Experiment& ex) override;
    void clear() override;
    BreakdownMode mode() const { return m_mode; }
    void setMode(BreakdownMode mode);
    // Ghosted bars of the baseline's runs under the measured ones (nullptr: none).
    void setBaseline(std::shared_ptr<const Experiment> baseline);
    FigureOptions figureOptions() const override;

  protected:
    void refill() override;
    QString tooltipAt(const QPointF& pos) const override;

  private:
    Experiment m_ex;
    std::shared_ptr<const Experiment> m_baseline;
    BreakdownMode m_mode = BreakdownMode::Share;
    QComboBox* m_modeBox;
};

class TimelineView : public PlotView {
    Q_OBJECT
  public:
    explicit TimelineView(QWidget* parent = nullptr);
    void setExperiment(const Experiment& ex) override;
    void clear() override;
    FigureOptions figureOptions() const override;
    int barCount() const;

  protected:
    void refill() override;
    QString tooltipAt(const QPointF& pos) const override;

  private:
    void fillRepetitions();
    Experiment m_ex;
    QString m_userBackend; // picked by the user: kept across updates; otherwise the default
    QComboBox *m_backendBox, *m_repBox;
};

} // namespace conlab::ui
