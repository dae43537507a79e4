#pragma once
// One row per backend run of an experiment. DisplayRole: formatted text; SortRole (UserRole):
// the raw number, so a QSortFilterProxyModel sorts numerically; ToolTipRole: the definition.
#include "compare/compare.h"
#include "run_result.h"

#include <QAbstractTableModel>
#include <QModelIndexList>

namespace conlab::ui {

class ResultsModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column {
        Backend,
        Family,
        Workers,
        Repetitions,
        Wall,
        Throughput,
        ThroughputCi,
        Speedup,
        Efficiency,
        CoresBusy,
        SpawnShare, // the worker phases in kWorkerPhases order
        StartupShare,
        IpcShare,
        ComputeShare,
        CpuWaitShare,
        IdleShare,
        LatencyP50,
        LatencyP95,
        LatencyP99,
        SpawnCost,
        StartupOnce,
        Status,
        // Only while a baseline is compared (File → Compare with baseline…): columnCount() is
        // ColumnCount then, VsBaseline otherwise.
        VsBaseline,
        BaselineVerdict,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole;

    explicit ResultsModel(QObject* parent = nullptr);

    void setExperiment(const Experiment& ex);
    // Live: adds or replaces the row of a backend as soon as it finishes.
    void upsertRun(const BackendRun& run);
    void clear();
    const std::vector<BackendRun>& runs() const { return m_runs; }
    // Throughput of each run against a baseline (core/compare): the ratio with its interval,
    // and the verdict of the U test; std::nullopt removes the two columns. `baselineName`: the
    // baseline's file, for the tooltips.
    void setComparison(std::optional<Comparison> comparison, const QString& baselineName = {});
    bool hasComparison() const { return m_comparison.has_value(); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Tab-separated text of the given rows (all when empty) with a header line.
    static QString toTsv(const QAbstractItemModel* model, const QModelIndexList& rows);

  private:
    const FigureComparison* throughputAgainstBaseline(const std::string& backend) const;
    QVariant baselineData(const BackendRun& r, int col, int role) const;

    std::vector<BackendRun> m_runs;
    std::optional<Comparison> m_comparison;
    QString m_baselineName;
};

} // namespace conlab::ui
