#pragma once
// A visible banner over the results listing what makes them untrustworthy (a busy machine,
// a suspect baseline, unstable data: core/measurement/run_warnings.h). Hidden when there is
// nothing to say: a warning is never only a tooltip.
#include "run_result.h"
#include "sweep.h"

#include <QFrame>
#include <QStringList>

class QLabel;

namespace conlab::ui {

class WarningBanner : public QFrame {
    Q_OBJECT
  public:
    explicit WarningBanner(QWidget* parent = nullptr);
    void setWarnings(const QStringList& warnings); // empty: hidden
    void setExperiment(const Experiment& ex);      // its derived warnings
    QStringList warnings() const { return m_warnings; }
    // Past kCollapsedLines warnings (a busy machine warns once per backend: 23 lines), the
    // banner shows the first ones and a "show all" link, so the results stay in view.
    static constexpr int kCollapsedLines = 3;
    bool expanded() const { return m_expanded; }
    void setExpanded(bool expanded);

  private:
    void render();
    QLabel* m_text = nullptr;
    QStringList m_warnings;
    bool m_expanded = false;
};

QStringList experimentWarningTexts(const Experiment& ex);
// Every point's, one per kind and backend.
QStringList sweepWarningTexts(const SweepResult& sweep);

} // namespace conlab::ui
