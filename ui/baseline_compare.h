#pragma once
// File → Compare with baseline… (issue 15 item 5, docs/compare.md): a saved results file whose
// runs the shown experiment is compared with — ratio and verdict columns in the results table
// (core/compare's statistics, as `conlab compare`), ghosted bars in the breakdown — or a saved
// sweep whose curves the sweep figures draw dashed beside the shown sweep's. It stays set
// across runs and files until cleared, so one baseline is compared with every new result.
#include "compare/compare.h"
#include "run_result.h"
#include "sweep.h"

#include <QObject>
#include <QString>
#include <memory>
#include <optional>

namespace conlab::ui {

class BaselineCompare : public QObject {
    Q_OBJECT
  public:
    explicit BaselineCompare(QObject* parent = nullptr);

    // A run file, or a sweep file of several values (a one-value sweep is its one point's
    // run): on error nothing changes and `error` says why.
    bool load(const QString& path, QString* error);
    void clear();
    bool isSet() const { return m_baseline != nullptr || m_sweep != nullptr; }
    QString path() const { return m_path; }
    QString name() const;                                                       // the file's name
    std::shared_ptr<const Experiment> experiment() const { return m_baseline; } // a run baseline
    std::shared_ptr<const SweepResult> sweep() const { return m_sweep; }        // a sweep baseline

    // `current` against the baseline, compared even when machine or workload differ (the
    // comparison's differences list them); nullopt without a baseline or a backend in common.
    std::optional<Comparison> compare(const Experiment& current) const;
    // One line for the bar above the table: what is compared and, when they differ, how.
    QString summary(const Comparison& c) const;
    // The same for a shown sweep: its curves drawn or why not; `differences` gets every
    // difference of machine, swept parameter and base workload.
    QString sweepSummary(const SweepResult& shown, QStringList* differences) const;
    // " — differs: FIRST (+N more)", or empty without differences: the bar's tail.
    static QString differsText(const QStringList& differences);

  signals:
    void changed();

  private:
    std::shared_ptr<const Experiment> m_baseline;
    std::shared_ptr<const SweepResult> m_sweep;
    QString m_path;
};

} // namespace conlab::ui
