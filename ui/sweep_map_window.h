#pragma once
// A two-parameter map opened in the app (File → Open of a `conlab sweep --param2` file): its
// two heat-maps (ui/sweep_map_figures.h), the speedup map's backend chosen in a list, and the
// figures saved as PNG, PDF or SVG. A window of its own beside the main one: the experiment
// shown there stays as it was.
#include "sweep_map/sweep_map.h"

#include <QDialog>

class QComboBox;
class QCustomPlot;
class QLabel;

namespace conlab::ui {

class SweepMapWindow : public QDialog {
    Q_OBJECT
  public:
    SweepMapWindow(SweepMap map, const QString& path, QWidget* parent = nullptr);

    QComboBox* backendBox() const { return m_backend; }
    QCustomPlot* bestPlot() const { return m_best; }
    QCustomPlot* speedupPlot() const { return m_speedup; }
    // Both figures into one file (stacked, like `conlab plot MAP.json`); false with the error.
    bool saveFigures(const QString& path, QString* error) const;

  private:
    void showBackend(const QString& backend);
    void saveDialog();

    SweepMap m_map;
    QComboBox* m_backend = nullptr;
    QCustomPlot* m_best = nullptr;
    QCustomPlot* m_speedup = nullptr;
    QLabel* m_summary = nullptr;
};

} // namespace conlab::ui
