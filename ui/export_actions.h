#pragma once
// File → Export report / Export ▸ figure, data, trace: the actions, their dialogs and the writes,
// all of the main window's Document. Each exported figure takes its options (backend, mode,
// run) and the user's zoom from the plot tab that draws it.
#include "figures.h"

#include <QObject>
#include <QSize>
#include <QString>
#include <functional>

class QAction;
class QTabWidget;
class QWidget;

namespace conlab::ui {

class Document;
class PlotView;

class ExportActions : public QObject {
    Q_OBJECT
  public:
    // `plotTabs` holds one PlotView per FigureKind; dialogs open over `dialogParent` in the
    // folder `startDirectory` returns.
    ExportActions(const Document& document, QTabWidget* plotTabs, std::function<QString()> startDirectory,
                  QWidget* dialogParent);

    QAction* reportAction() const { return m_report; }
    QAction* currentFigureAction() const { return m_figure; }
    QAction* dataAction() const { return m_data; }
    QAction* traceAction() const { return m_trace; }
    // Enabled with something to export, never during a run (the trace needs an experiment).
    void updateEnabled(bool running);

    // The writes behind the dialogs (tests call them directly).
    bool exportFigure(FigureKind kind, const QString& path, QSize size, double scale,
                      QString* error = nullptr);
    bool exportData(const QString& path, QString* error = nullptr); // .csv or .json by suffix
    bool exportTrace(const QString& path, QString* error = nullptr);
    bool exportReportTo(const QString& dir, QString* error = nullptr);

    void exportFigureDialog(FigureKind kind); // also a plot's own export button
    void exportDataDialog();
    void exportTraceDialog();
    void exportReportDialog();

  signals:
    void statusMessage(const QString& text, int timeoutMs);
    void directoryChosen(const QString& dir); // a figure went there: the next dialog starts there

  private:
    PlotView* viewFor(FigureKind kind) const;

    const Document& m_document;
    QTabWidget* m_plotTabs;
    std::function<QString()> m_startDirectory;
    QWidget* m_dialogParent;
    QAction *m_report, *m_figure, *m_data, *m_trace;
};

} // namespace conlab::ui
