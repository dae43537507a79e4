// MainWindow: figure, data, trace and report exports, and copying the results table.
#include "main_window.h"

#include "advisor.h"
#include "backend_picker.h"
#include "export.h"
#include "lessons.h"
#include "plot_views.h"
#include "report.h"
#include "results_json.h"
#include "results_model.h"
#include "sweep_panel.h"
#include "sweep_views.h"
#include "workload_panel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QTextBrowser>
#include <QToolBar>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>
#include <qcustomplot.h>
#include <unistd.h>

#include "main_window_helpers.h"

namespace conlab::ui {

using namespace detail;

PlotView* MainWindow::viewFor(FigureKind kind) const {
    switch (kind) {
    case FigureKind::Throughput:
        return m_throughput;
    case FigureKind::Breakdown:
        return m_breakdown;
    case FigureKind::Timeline:
        return m_timeline;
    case FigureKind::SweepSpeedup:
        return m_sweepSpeedup;
    case FigureKind::SweepThroughput:
        return m_sweepThroughput;
    case FigureKind::SweepPhases:
        return m_sweepPhases;
    }
    return nullptr;
}

bool MainWindow::exportFigure(FigureKind kind, const QString& path, QSize size, double scale,
                              QString* error) {
    if (isSweepFigure(kind)) {
        if (!m_document->sweep() || m_document->sweep()->values.size() < 2) {
            if (error) *error = tr("Nothing to export: run a sweep first.");
            return false;
        }
        auto* view = static_cast<SweepView*>(viewFor(kind));
        auto figure = makeSweepFigure(kind, *m_document->sweep(), view->sweepOptions(), PlotTheme::paper());
        if (view->userMovedView()) {
            figure->xAxis->setRange(view->plot()->xAxis->range());
            figure->yAxis->setRange(view->plot()->yAxis->range());
        }
        return saveFigure({figure.get()}, path, size, scale, error);
    }
    if (!m_document->experiment()) {
        if (error) *error = tr("Nothing to export: run an experiment first.");
        return false;
    }
    PlotView* view = viewFor(kind);
    auto figure = makeFigure(kind, *m_document->experiment(), view->figureOptions(), PlotTheme::paper());
    if (view->userMovedView()) { // keep the user's zoom
        figure->xAxis->setRange(view->plot()->xAxis->range());
        figure->yAxis->setRange(view->plot()->yAxis->range());
    }
    return saveFigure({figure.get()}, path, size, scale, error);
}

bool MainWindow::exportData(const QString& path, QString* error) {
    if (!m_document->experiment() && !m_document->sweep()) {
        if (error) *error = tr("Nothing to export: run an experiment first.");
        return false;
    }
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (m_document->sweep()) {
        if (suffix == QLatin1String("csv"))
            return writeFileAtomically(path, QByteArray::fromStdString(formatSweepCsv(*m_document->sweep())),
                                       error);
        if (suffix == QLatin1String("json")) return writeFileAtomically(path, m_document->sweepJson(), error);
        if (error) *error = tr("%1: unknown data format (allowed: .csv, .json)").arg(path);
        return false;
    }
    if (suffix == QLatin1String("csv"))
        return writeFileAtomically(path, QByteArray::fromStdString(formatCsv(*m_document->experiment())),
                                   error);
    if (suffix == QLatin1String("json")) return saveResultsFile(path, *m_document->experiment(), error);
    if (error) *error = tr("%1: unknown data format (allowed: .csv, .json)").arg(path);
    return false;
}

bool MainWindow::exportTrace(const QString& path, QString* error) {
    if (!m_document->experiment()) {
        if (error) *error = tr("Nothing to export: run an experiment first.");
        return false;
    }
    return writeFileAtomically(path, chromeTraceJson(*m_document->experiment()), error);
}

bool MainWindow::exportReportTo(const QString& dir, QString* error) {
    if (!QDir().mkpath(dir)) { // a new folder name typed into the dialog: create it
        if (error) *error = tr("Cannot create the folder %1").arg(dir);
        return false;
    }
    if (m_document->sweep() && m_document->sweep()->values.size() > 1)
        return exportSweepReport(dir, *m_document->sweep(), m_document->sweepJson(), m_document->lessonInfo(),
                                 m_sweepPhases->sweepOptions(), error);
    if (!m_document->experiment()) {
        if (error) *error = tr("Nothing to export: run an experiment first.");
        return false;
    }
    FigureOptions options = m_breakdown->figureOptions();
    const FigureOptions t = m_timeline->figureOptions();
    options.timelineRun = t.timelineRun;
    options.timelineRep = t.timelineRep;
    return exportReport(dir, *m_document->experiment(), options, error);
}

void MainWindow::exportFigureDialog(FigureKind kind) {
    if (isSweepFigure(kind) ? !m_document->sweep() : !m_document->experiment()) {
        statusBar()->showMessage(tr("Nothing to export yet: run an experiment or open one."), 4000);
        return;
    }
    QString selected;
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export figure"), QDir(m_lastDir).filePath(figureName(kind) + QStringLiteral(".png")),
        tr("PNG image (*.png);;PDF document (*.pdf);;SVG vector image (*.svg)"), &selected);
    if (path.isEmpty()) return;
    if (QFileInfo(path).suffix().isEmpty())
        path += selected.contains(QLatin1String("pdf"))   ? QStringLiteral(".pdf")
                : selected.contains(QLatin1String("svg")) ? QStringLiteral(".svg")
                                                          : QStringLiteral(".png");
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Figure size"));
    auto* form = new QFormLayout(&dialog);
    auto* w = new QSpinBox;
    w->setRange(200, 8000);
    w->setValue(kDefaultFigureSize.width());
    w->setSuffix(QStringLiteral(" px"));
    auto* h = new QSpinBox;
    h->setRange(150, 8000);
    h->setValue(kDefaultFigureSize.height());
    h->setSuffix(QStringLiteral(" px"));
    auto* scale = new QDoubleSpinBox;
    scale->setRange(0.5, 8);
    scale->setValue(2);
    scale->setSingleStep(0.5);
    scale->setPrefix(QStringLiteral("×"));
    scale->setToolTip(tr("PNG only: pixels per logical pixel (2 = sharp on high-DPI screens and slides)"));
    scale->setEnabled(path.endsWith(QLatin1String(".png"), Qt::CaseInsensitive));
    form->addRow(tr("Width:"), w);
    form->addRow(tr("Height:"), h);
    form->addRow(tr("Scale (PNG):"), scale);
    auto* bb = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(bb, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(bb, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(bb);
    if (dialog.exec() != QDialog::Accepted) return;
    QString error;
    if (!exportFigure(kind, path, QSize(w->value(), h->value()), scale->value(), &error))
        QMessageBox::warning(this, tr("Export failed"), error);
    else {
        m_lastDir = QFileInfo(path).absolutePath();
        statusBar()->showMessage(tr("Exported %1").arg(path), 4000);
    }
}

void MainWindow::exportDataDialog() {
    QString selected;
    QString path = QFileDialog::getSaveFileName(this, tr("Export data"),
                                                QDir(m_lastDir).filePath(m_document->sweep()
                                                                             ? QStringLiteral("sweep.csv")
                                                                             : QStringLiteral("results.csv")),
                                                tr("CSV table (*.csv);;Results JSON (*.json)"), &selected);
    if (path.isEmpty()) return;
    if (QFileInfo(path).suffix().isEmpty())
        path += selected.contains(QLatin1String("json")) ? QStringLiteral(".json") : QStringLiteral(".csv");
    QString error;
    if (!exportData(path, &error))
        QMessageBox::warning(this, tr("Export failed"), error);
    else
        statusBar()->showMessage(tr("Exported %1").arg(path), 4000);
}

void MainWindow::exportTraceDialog() {
    QString path = QFileDialog::getSaveFileName(this, tr("Export timeline trace"),
                                                QDir(m_lastDir).filePath(QStringLiteral("trace.json")),
                                                tr("Chrome trace events (*.json)"));
    if (path.isEmpty()) return;
    QString error;
    if (!exportTrace(path, &error))
        QMessageBox::warning(this, tr("Export failed"), error);
    else
        statusBar()->showMessage(tr("Exported %1 — open it in https://ui.perfetto.dev").arg(path), 6000);
}

void MainWindow::exportReportDialog() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export report into folder"), m_lastDir);
    if (dir.isEmpty()) return;
    QString error;
    if (!exportReportTo(dir, &error))
        QMessageBox::warning(this, tr("Export failed"), error);
    else {
        statusBar()->showMessage(tr("Report written to %1").arg(dir), 6000);
        QDesktopServices::openUrl(QUrl::fromLocalFile(QDir(dir).filePath(QStringLiteral("README.md"))));
    }
}

void MainWindow::copyTable() {
    QModelIndexList rows =
        m_table->selectionModel() ? m_table->selectionModel()->selectedRows() : QModelIndexList{};
    if (rows.size() < 2) rows.clear(); // one selected row is the current row, not a choice: all
    QApplication::clipboard()->setText(ResultsModel::toTsv(m_proxy, rows));
    statusBar()->showMessage(
        tr("Copied %1 row(s) as tab-separated text").arg(rows.isEmpty() ? m_proxy->rowCount() : rows.size()),
        3000);
}

} // namespace conlab::ui
