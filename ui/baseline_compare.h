#pragma once
// File → Compare with baseline… (issue 15 item 5, docs/compare.md): a saved results file whose
// runs the shown experiment is compared with — ratio and verdict columns in the results table
// (core/compare's statistics, as `conlab compare`), ghosted bars in the breakdown. It stays
// set across runs and files until cleared, so one baseline is compared with every new run.
#include "compare/compare.h"
#include "run_result.h"

#include <QObject>
#include <QString>
#include <memory>
#include <optional>

namespace conlab::ui {

class BaselineCompare : public QObject {
    Q_OBJECT
  public:
    explicit BaselineCompare(QObject* parent = nullptr);

    // A run file (not a sweep): on error nothing changes and `error` says why.
    bool load(const QString& path, QString* error);
    void clear();
    bool isSet() const { return m_baseline != nullptr; }
    QString path() const { return m_path; }
    QString name() const; // the file's name
    std::shared_ptr<const Experiment> experiment() const { return m_baseline; }

    // `current` against the baseline, compared even when machine or workload differ (the
    // comparison's differences list them); nullopt without a baseline or a backend in common.
    std::optional<Comparison> compare(const Experiment& current) const;
    // One line for the status bar: what is compared and, when they differ, how.
    QString summary(const Comparison& c) const;

  signals:
    void changed();

  private:
    std::shared_ptr<const Experiment> m_baseline;
    QString m_path;
};

} // namespace conlab::ui
