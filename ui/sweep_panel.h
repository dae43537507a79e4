#pragma once
// "Sweep one parameter": a checkable group under the workload. When checked, Run runs a sweep:
// every selected backend at each value of the parameter. Values are explicit (1,10,100 or
// 64,1K,1M for byte sizes) or a from/to/steps range on a log or linear scale (core's
// sweepValues()). Validity: every value must make a valid spec with the rest of the workload.
#include "sweep.h"

#include <QGroupBox>
#include <QVariantMap>
#include <optional>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;

namespace conlab::ui {

class SweepPanel : public QGroupBox {
    Q_OBJECT
  public:
    explicit SweepPanel(QWidget* parent = nullptr);

    bool sweepEnabled() const { return isChecked(); }
    SweepParam param() const;
    bool logScale() const;
    // The values to run, or nullopt with *error set when the input does not parse.
    std::optional<std::vector<double>> values(QString* error = nullptr) const;
    // Empty when a sweep over `base` may run; otherwise why not.
    QString problem(const WorkloadSpec& base) const;
    // Shows a sweep's settings (explicit values), e.g. after loading a file or for a lesson.
    void showSweep(SweepParam param, const std::vector<double>& values, bool logScale);
    void setRange(SweepParam param, const QString& from, const QString& to, int steps, bool logScale);
    void updatePreview(const WorkloadSpec& base);

    QWidget* field(const QString& name) const; // "param", "values", "from", "to", "steps", "scale"

    // Every setting (on/off, parameter, spacing, range, values), for QSettings across restarts;
    // setState leaves on/off alone when `state` has no "enabled".
    QVariantMap state() const;
    void setState(const QVariantMap& state);

  signals:
    void changed();

  private:
    void updateFieldsEnabled();
    QComboBox *m_param, *m_scale;
    QRadioButton *m_rangeMode, *m_valuesMode;
    QLineEdit *m_from, *m_to, *m_values;
    QSpinBox* m_steps;
    QLabel* m_preview;
};

} // namespace conlab::ui
