#pragma once
// Every WorkloadSpec field as a widget with its unit, default, range and an explanation of the
// overhead it stresses. Validity comes from conlab::validate() (the engine's rules), shown
// inline next to the offending fields.
#include "workload_spec.h"

#include <QSpinBox>
#include <QWidget>
#include <map>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QFormLayout;

namespace conlab::ui {

// Bytes, typed as 4096, 64K, 1M or 1G (binary multiples, conlab::parseSize).
class SizeSpinBox : public QSpinBox {
    Q_OBJECT
  public:
    explicit SizeSpinBox(QWidget* parent = nullptr);

  protected:
    QString textFromValue(int value) const override;
    int valueFromText(const QString& text) const override;
    QValidator::State validate(QString& input, int& pos) const override;
    void stepBy(int steps) override; // ×2 / ÷2: sizes are explored in powers of two
};

class WorkloadPanel : public QWidget {
    Q_OBJECT
  public:
    explicit WorkloadPanel(QWidget* parent = nullptr);

    // The spec as entered (the CPU list is only taken when it parses).
    WorkloadSpec spec() const;
    void setSpec(const WorkloadSpec& spec);
    // Empty when the spec may run; otherwise one line per problem (engine wording + field).
    QStringList problems() const { return m_problems; }
    bool isValid() const { return m_problems.isEmpty(); }

    // Widgets by CLI field name ("tasks", "task-us", …), for tests and highlighting.
    QWidget* field(const QString& name) const;
    // The field's label as shown ("chunksize" → "Chunk size"); empty for an unknown name.
    QString label(const QString& name) const;

  signals:
    void specChanged();
    void validityChanged(bool valid, const QString& reason);

  private:
    void revalidate();
    void addRow(QFormLayout* form, const QString& name, const QString& label, QWidget* w, const QString& tip);

    QSpinBox *m_tasks, *m_workers, *m_messages, *m_chunksize, *m_repeat, *m_warmup;
    QCheckBox* m_interleave;
    QDoubleSpinBox *m_taskUs, *m_timeout, *m_childTouch;
    QComboBox *m_kind, *m_probes;
    SizeSpinBox *m_workingSet, *m_input, *m_result, *m_payload, *m_parentMemory;
    QLineEdit* m_cpus;
    QLabel* m_errorLabel;
    std::map<QString, QWidget*> m_fields;
    std::map<QString, QString> m_labels;
    QStringList m_problems;
};

} // namespace conlab::ui
