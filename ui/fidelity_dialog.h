#pragma once
// Help → Check measurements: `conlab fidelity` in the app (core/fidelity/, docs/fidelity.md).
// The check runs on its own thread — the window never waits for it — with a busy bar naming
// the row being measured and a Cancel button; the rows appear in a table, coloured and marked
// per verdict, each row's explanation in its last column and its tooltip.
#include "fidelity/fidelity.h"

#include <QDialog>

#include <memory>

class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QThread;

namespace conlab::ui {

class FidelityDialog : public QDialog {
    Q_OBJECT
  public:
    // `quick`: fewer, smaller rounds (FidelityOptions::quick), for a first look and for tests.
    explicit FidelityDialog(bool quick = false, QWidget* parent = nullptr);
    ~FidelityDialog() override; // cancels a check still running and waits for its thread

    void start();  // starts a check unless one is running
    void cancel(); // asks the running check to stop after the current measurement
    bool isRunning() const { return m_thread != nullptr; }
    QTableWidget* table() const { return m_table; }
    const FidelityReport& report() const { return m_report; }

  signals:
    void finished(bool ok); // the check ended: ok false on an error (the status line says which)

  protected:
    void closeEvent(QCloseEvent* event) override;
    void reject() override;

  private:
    void showProgress(int index, int total, const QString& figure);
    void showReport(const FidelityReport& report, const QString& error);
    void stopThread();

    bool m_quick;
    QLabel* m_status;
    QProgressBar* m_progress;
    QTableWidget* m_table;
    QPushButton* m_cancelButton;
    QPushButton* m_runButton;
    QThread* m_thread = nullptr;
    bool m_closeWhenDone = false; // closed while measuring: close once the check has stopped
    std::unique_ptr<CancelToken> m_cancel;
    FidelityReport m_report;
};

// A verdict's colour (the background of its cell) and its mark (✓, !, –, ?).
QColor fidelityVerdictColor(FidelityVerdict verdict);
QString fidelityVerdictMark(FidelityVerdict verdict);

} // namespace conlab::ui
