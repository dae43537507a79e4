#pragma once
// Backends from the BackendRegistry, grouped by family, checkable; unavailable ones greyed with
// the reason. Quick selections: all, native (everything but python), python, none.
#include <QStringList>
#include <QWidget>

class QTreeWidget;
class QTreeWidgetItem;
class QPushButton;

namespace conlab::ui {

class BackendPicker : public QWidget {
    Q_OBJECT
  public:
    explicit BackendPicker(QWidget* parent = nullptr);

    QStringList selectedBackends() const; // registry order
    void setSelectedBackends(const QStringList& ids);
    QStringList availableBackends() const;
    QStringList backendsOfFamily(const QString& family) const; // available ones
    void selectAll() { setSelectedBackends(availableBackends()); }
    void selectNative();
    // Re-reads every backend's availability (after the Python interpreter changed): unavailable
    // ones are greyed and unticked, with the reason.
    void refreshAvailability();
    void selectPython() { setSelectedBackends(backendsOfFamily(QStringLiteral("python"))); }

  signals:
    void selectionChanged();

  private:
    QTreeWidget* m_tree;
    QPushButton* m_python;
};

} // namespace conlab::ui
