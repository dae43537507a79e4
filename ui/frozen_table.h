#pragma once
// A table whose first column (the backend) stays in view while the others scroll sideways:
// a second view over the same model and selection shows that column on top (Qt's
// "frozen column" pattern).
#include <QTableView>

namespace conlab::ui {

class FrozenColumnTable : public QTableView {
    Q_OBJECT
  public:
    explicit FrozenColumnTable(QWidget* parent = nullptr);
    void setModel(QAbstractItemModel* model) override;
    QTableView* frozenView() const { return m_frozen; }

  protected:
    void resizeEvent(QResizeEvent* event) override;
    QModelIndex moveCursor(CursorAction cursorAction, Qt::KeyboardModifiers modifiers) override;
    void scrollTo(const QModelIndex& index, ScrollHint hint = EnsureVisible) override;

  private:
    void updateFrozenGeometry();
    QTableView* m_frozen;
};

} // namespace conlab::ui
