#include "export_actions.h"

#include "document.h"
#include "export.h"
#include "plot_views.h"
#include "report.h"
#include "results_json.h"
#include "sweep_figures.h"
#include "sweep_views.h"

#include <QAction>
#include <QDesktopServices>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QMessageBox>
#include <QSpinBox>
#include <QTabWidget>
#include <QUrl>
#include <qcustomplot.h>

namespace conlab::ui {

ExportActions::ExportActions(const Document& document, QTabWidget* plotTabs,
                             std::function<QString()> startDirectory, QWidget* dialogParent)
    : QObject(dialogParent), m_document(document), m_plotTabs(plotTabs),
      m_startDirectory(std::move(startDirectory)), m_dialogParent(dialogParent) {
    m_report = new QAction(tr("Export &report…"), this);
    m_report->setShortcut(QKeySequence(tr("Ctrl+Shift+E")));
    connect(m_report, &QAction::triggered, this, &ExportActions::exportReportDialog);
    m_figure = new QAction(tr("Current &figure (PNG, PDF, SVG)…"), this);
    m_figure->setShortcut(QKeySequence(tr("Ctrl+E")));
    connect(m_figure, &QAction::triggered, this, [this] {
        if (auto* v = qobject_cast<PlotView*>(m_plotTabs->currentWidget())) exportFigureDialog(v->kind());
    });
    m_data = new QAction(tr("&Data (CSV, JSON)…"), this);
    connect(m_data, &QAction::triggered, this, &ExportActions::exportDataDialog);
    m_trace = new QAction(tr("&Timeline trace for Perfetto…"), this);
    connect(m_trace, &QAction::triggered, this, &ExportActions::exportTraceDialog);
    for (int i = 0; i < m_plotTabs->count(); ++i)
        if (auto* v = qobject_cast<PlotView*>(m_plotTabs->widget(i)))
            connect(v, &PlotView::exportRequested, this, &ExportActions::exportFigureDialog);
}

void ExportActions::updateEnabled(bool running) {
    for (QAction* a : {m_report, m_figure, m_data})
        a->setEnabled(!m_document.isEmpty() && !running);
    m_trace->setEnabled(m_document.experiment().has_value() && !running);
}

PlotView* ExportActions::viewFor(FigureKind kind) const {
    for (int i = 0; i < m_plotTabs->count(); ++i)
        if (auto* v = qobject_cast<PlotView*>(m_plotTabs->widget(i)); v && v->kind() == kind) return v;
    return nullptr;
}

bool ExportActions::exportFigure(FigureKind kind, const QString& path, QSize size, double scale,
                                 QString* error) {
    const auto& sweep = m_document.sweep();
    const auto& experiment = m_document.experiment();
    if (isSweepFigure(kind) ? !m_document.isSweepOfSeveralValues() : !experiment) {
        if (error)
            *error = isSweepFigure(kind) ? tr("Nothing to export: run a sweep first.")
                                         : tr("Nothing to export: run an experiment first.");
        return false;
    }
    PlotView* view = viewFor(kind);
    auto figure =
        isSweepFigure(kind)
            ? makeSweepFigure(kind, *sweep, static_cast<SweepView*>(view)->sweepOptions(), PlotTheme::paper())
            : makeFigure(kind, *experiment, view->figureOptions(), PlotTheme::paper());
    if (view->userMovedView()) { // keep the user's zoom
        figure->xAxis->setRange(view->plot()->xAxis->range());
        figure->yAxis->setRange(view->plot()->yAxis->range());
    }
    return saveFigure({figure.get()}, path, size, scale, error);
}

bool ExportActions::exportData(const QString& path, QString* error) {
    if (m_document.isEmpty()) {
        if (error) *error = tr("Nothing to export: run an experiment first.");
        return false;
    }
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (const auto& sweep = m_document.sweep()) {
        if (suffix == QLatin1String("csv"))
            return writeFileAtomically(path, QByteArray::fromStdString(formatSweepCsv(*sweep)), error);
        if (suffix == QLatin1String("json")) return writeFileAtomically(path, m_document.sweepJson(), error);
    } else {
        const Experiment& experiment = *m_document.experiment();
        if (suffix == QLatin1String("csv"))
            return writeFileAtomically(path, QByteArray::fromStdString(formatCsv(experiment)), error);
        if (suffix == QLatin1String("json")) return saveResultsFile(path, experiment, error);
    }
    if (error) *error = tr("%1: unknown data format (allowed: .csv, .json)").arg(path);
    return false;
}

bool ExportActions::exportTrace(const QString& path, QString* error) {
    if (!m_document.experiment()) {
        if (error) *error = tr("Nothing to export: run an experiment first.");
        return false;
    }
    return writeFileAtomically(path, chromeTraceJson(*m_document.experiment()), error);
}

bool ExportActions::exportReportTo(const QString& dir, QString* error) {
    if (!QDir().mkpath(dir)) { // a new folder name typed into the dialog: create it
        if (error) *error = tr("Cannot create the folder %1").arg(dir);
        return false;
    }
    if (m_document.isSweepOfSeveralValues())
        return exportSweepReport(dir, *m_document.sweep(), m_document.sweepJson(), m_document.lessonInfo(),
                                 static_cast<SweepView*>(viewFor(FigureKind::SweepPhases))->sweepOptions(),
                                 error);
    if (!m_document.experiment()) {
        if (error) *error = tr("Nothing to export: run an experiment first.");
        return false;
    }
    // The breakdown's options, with the run and repetition the timeline shows.
    FigureOptions options = viewFor(FigureKind::Breakdown)->figureOptions();
    const FigureOptions timeline = viewFor(FigureKind::Timeline)->figureOptions();
    options.timelineRun = timeline.timelineRun;
    options.timelineRep = timeline.timelineRep;
    return exportReport(dir, *m_document.experiment(), options, error);
}

void ExportActions::exportFigureDialog(FigureKind kind) {
    if (isSweepFigure(kind) ? !m_document.sweep() : !m_document.experiment()) {
        emit statusMessage(tr("Nothing to export yet: run an experiment or open one."), 4000);
        return;
    }
    QString selected;
    QString path = QFileDialog::getSaveFileName(
        m_dialogParent, tr("Export figure"),
        QDir(m_startDirectory()).filePath(figureName(kind) + QStringLiteral(".png")),
        tr("PNG image (*.png);;PDF document (*.pdf);;SVG vector image (*.svg)"), &selected);
    if (path.isEmpty()) return;
    if (QFileInfo(path).suffix().isEmpty())
        path += selected.contains(QLatin1String("pdf"))   ? QStringLiteral(".pdf")
                : selected.contains(QLatin1String("svg")) ? QStringLiteral(".svg")
                                                          : QStringLiteral(".png");
    QDialog dialog(m_dialogParent);
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
    if (!exportFigure(kind, path, QSize(w->value(), h->value()), scale->value(), &error)) {
        QMessageBox::warning(m_dialogParent, tr("Export failed"), error);
        return;
    }
    emit directoryChosen(QFileInfo(path).absolutePath());
    emit statusMessage(tr("Exported %1").arg(path), 4000);
}

void ExportActions::exportDataDialog() {
    QString selected;
    QString path = QFileDialog::getSaveFileName(
        m_dialogParent, tr("Export data"),
        QDir(m_startDirectory())
            .filePath(m_document.sweep() ? QStringLiteral("sweep.csv") : QStringLiteral("results.csv")),
        tr("CSV table (*.csv);;Results JSON (*.json)"), &selected);
    if (path.isEmpty()) return;
    if (QFileInfo(path).suffix().isEmpty())
        path += selected.contains(QLatin1String("json")) ? QStringLiteral(".json") : QStringLiteral(".csv");
    QString error;
    if (!exportData(path, &error))
        QMessageBox::warning(m_dialogParent, tr("Export failed"), error);
    else
        emit statusMessage(tr("Exported %1").arg(path), 4000);
}

void ExportActions::exportTraceDialog() {
    QString path = QFileDialog::getSaveFileName(
        m_dialogParent, tr("Export timeline trace"),
        QDir(m_startDirectory()).filePath(QStringLiteral("trace.json")), tr("Chrome trace events (*.json)"));
    if (path.isEmpty()) return;
    QString error;
    if (!exportTrace(path, &error))
        QMessageBox::warning(m_dialogParent, tr("Export failed"), error);
    else
        emit statusMessage(tr("Exported %1 — open it in https://ui.perfetto.dev").arg(path), 6000);
}

void ExportActions::exportReportDialog() {
    const QString dir = QFileDialog::getExistingDirectory(m_dialogParent, tr("Export report into folder"),
                                                          m_startDirectory());
    if (dir.isEmpty()) return;
    QString error;
    if (!exportReportTo(dir, &error)) {
        QMessageBox::warning(m_dialogParent, tr("Export failed"), error);
        return;
    }
    emit statusMessage(tr("Report written to %1").arg(dir), 6000);
    QDesktopServices::openUrl(QUrl::fromLocalFile(QDir(dir).filePath(QStringLiteral("README.md"))));
}

} // namespace conlab::ui
