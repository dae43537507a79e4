#pragma once
// One row per backend run of an experiment. DisplayRole: formatted text; SortRole (UserRole):
// the raw number, so a QSortFilterProxyModel sorts numerically; ToolTipRole: the definition.
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
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole;

    explicit ResultsModel(QObject* parent = nullptr);

    void setExperiment(const Experiment& ex);
    // Live: adds or replaces the row of a backend as soon as it finishes.
    void upsertRun(const BackendRun& run);
    void clear();
    const std::vector<BackendRun>& runs() const { return m_runs; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Tab-separated text of the given rows (all when empty) with a header line.
    static QString toTsv(const QAbstractItemModel* model, const QModelIndexList& rows);

  private:
    std::vector<BackendRun> m_runs;
};

} // namespace conlab::ui
