// The Concurrency Lab main window: title, the views of the current document, settings and
// events. Its other parts: main_window_ui.cpp (widgets and menus), main_window_run.cpp (runs,
// sweeps, lessons), main_window_files.cpp (open, save, unsaved prompts, autosave); its pieces
// with their own classes: Document (what is shown), ExportActions, RestoreBar.
#include "main_window.h"

#include "advisor.h"
#include "backend_picker.h"
#include "baseline_compare.h"
#include "export.h"
#include "export_actions.h"
#include "figure_caps.h"
#include "lessons.h"
#include "plot_views.h"
#include "report.h"
#include "results_json.h"
#include "results_model.h"
#include "run_presenter.h"
#include "sweep_panel.h"
#include "sweep_views.h"
#include "warning_banner.h"
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
#include <QRegularExpression>
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

#include "backends/python_backend.h"
#include "files/lesson_info.h"
#include "main_window_helpers.h"
#include "run_estimate.h"
#include "text_util.h"

namespace conlab::ui {

using namespace detail;

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_controller(new EngineController(this)), m_document(new Document(this)),
      m_baseline(new BaselineCompare(this)) {
    setObjectName(QStringLiteral("MainWindow"));
    setAcceptDrops(true);
    buildUi();
    buildMenus();
    // The title and its `*` follow the document (setWindowModified is how Qt draws the `*`).
    connect(m_document, &Document::changed, this, [this] {
        setWindowModified(m_document->isModified());
        updateTitle();
    });

    connect(m_baseline, &BaselineCompare::changed, this, [this] { applyBaseline(); });
    connect(m_controller, &EngineController::runningChanged, this, [this](bool) { updateRunEnabled(); });
    connect(m_controller, &EngineController::snapshotAvailable, this,
            [this](const QString& backend, int repetition, const Snapshot& snapshot) {
                m_throughput->addSnapshot(backend, repetition, snapshot); // also during sweeps
            });
    connect(m_controller, &EngineController::progress, m_runPresenter, &RunPresenter::showProgress);
    connect(m_controller, &EngineController::backendFinished, this,
            [this](const BackendRun&, const Experiment& soFar) { onBackendFinished(soFar); });
    connect(m_controller, &EngineController::finished, this, &MainWindow::onFinished);
    connect(m_controller, &EngineController::failed, this, &MainWindow::onFailed);
    connect(m_controller, &EngineController::sweepPointFinished, this, &MainWindow::onSweepPoint);
    connect(m_controller, &EngineController::sweepFinished, this, &MainWindow::onSweepFinished);
    connect(m_panel, &WorkloadPanel::specChanged, this, &MainWindow::updateRunEnabled);
    connect(m_sweepPanel, &SweepPanel::changed, this, &MainWindow::updateRunEnabled);
    connect(m_picker, &BackendPicker::selectionChanged, this, &MainWindow::updateRunEnabled);

    loadSettings();
    updateRunEnabled();
    updateTitle();
}

MainWindow::~MainWindow() {
    m_controller->discard();
}

void MainWindow::updateRunEnabled() {
    const bool running = m_controller->isRunning();
    QString reason;
    if (!m_panel->isValid())
        reason = m_panel->problems().join(QLatin1Char('\n'));
    else if (m_picker->selectedBackends().isEmpty())
        reason = tr("Select at least one backend.");
    else if (m_sweepPanel->sweepEnabled())
        reason = m_sweepPanel->problem(m_panel->spec());
    if (m_panel->isValid()) m_sweepPanel->updatePreview(m_panel->spec());
    m_runButton->setText(m_sweepPanel->sweepEnabled() ? tr("Run sweep") : tr("Run"));
    const bool canRun = !running && reason.isEmpty();
    m_runAction->setEnabled(canRun);
    m_runButton->setEnabled(canRun);
    m_runButton->setToolTip(reason.isEmpty() ? tr("Run the workload on every selected backend (Ctrl+R)")
                                             : tr("Cannot run: %1").arg(reason));
    m_stopAction->setEnabled(running);
    m_stopButton->setEnabled(running);
    m_blockedLabel->setText(reason.isEmpty() ? QString() : tr("Cannot run: %1").arg(reason));
    m_blockedLabel->setVisible(!reason.isEmpty());
    // The estimate before Run; the start hint until there is something to look at.
    const int cores = int(sysconf(_SC_NPROCESSORS_ONLN));
    double eta = 0;
    if (reason.isEmpty() && !running) {
        const QStringList backends = m_picker->selectedBackends();
        if (m_sweepPanel->sweepEnabled()) {
            for (double v : m_sweepPanel->values().value_or(std::vector<double>{})) {
                WorkloadSpec s = m_panel->spec();
                applySweepValue(s, m_sweepPanel->param(), v);
                eta += estimateRunSeconds(s, backends, cores);
            }
        } else {
            eta = estimateRunSeconds(m_panel->spec(), backends, cores);
        }
    }
    m_etaLabel->setText(eta > 0 ? tr("Estimated duration: %1").arg(formatEstimate(eta)) : QString());
    m_etaLabel->setVisible(eta > 0);
    m_startHint->setVisible(!running && m_document->isEmpty());
    m_panel->setEnabled(!running);
    m_picker->setEnabled(!running);
    m_sweepPanel->setEnabled(!running);
    for (QAction* a : m_lessonsMenu->actions())
        a->setEnabled(!running && a->property("conlabCanRun").toBool());
    const bool haveResults = !m_document->isEmpty() && !running;
    for (QAction* a : std::as_const(m_needResults))
        a->setEnabled(haveResults);
    m_exports->updateEnabled(running);
}

// The exports live in ExportActions; these stay for callers of the window (tests, gui_main).
bool MainWindow::exportFigure(FigureKind kind, const QString& path, QSize size, double scale,
                              QString* error) {
    return m_exports->exportFigure(kind, path, size, scale, error);
}
bool MainWindow::exportData(const QString& path, QString* error) {
    return m_exports->exportData(path, error);
}
bool MainWindow::exportTrace(const QString& path, QString* error) {
    return m_exports->exportTrace(path, error);
}
bool MainWindow::exportReportTo(const QString& dir, QString* error) {
    return m_exports->exportReportTo(dir, error);
}

void MainWindow::updateTitle() {
    const QString name = m_document->displayName();
    setWindowTitle(name.isEmpty() ? tr("Concurrency Lab[*]") : tr("%1[*] — Concurrency Lab").arg(name));
}

void MainWindow::clearResults() {
    m_document->clear();
    m_model->clear();
    applyBaseline();
    m_throughput->clear();
    m_breakdown->clear();
    m_timeline->clear();
    m_sweepSpeedup->clear();
    m_sweepThroughput->clear();
    m_sweepPhases->clear();
    m_breakEven->clearSweep();
    m_warningBanner->setWarnings({});
    setAdvice({});
    showLesson({}, false);
    m_statusLabel->setToolTip(QString());
}

void MainWindow::setExperiment(const Experiment& ex, const QString& file, bool modified) {
    m_document->setExperiment(ex, file, modified);
    showLesson({}, false);
    setSweepTabs(false);
    m_model->setExperiment(ex); // every run; the figures the first kMaxFigureRuns (figure_caps.h)
    showInFigures(ex);
    applyBaseline();
    m_warningBanner->setExperiment(ex);
    QStringList advice;
    for (const std::string& line :
         advise(ex, ex.machine.onlineCores > 0 ? ex.machine.onlineCores : int(sysconf(_SC_NPROCESSORS_ONLN)))
             .lines)
        advice << QString::fromStdString(line);
    setAdvice(advice);
    updateRunEnabled();
    emit experimentChanged();
}

void MainWindow::setSweepResult(const SweepResult& sw, const QJsonObject& lessonInfo, const QString& file,
                                bool modified) {
    m_document->setSweep(sw, lessonInfo, file, modified);
    const bool several = sw.values.size() > 1;
    QStringList advice;
    if (several) {
        m_model->clear();
        // The figures draw the first kMaxFigureRuns backends (figure_caps.h); the break-even
        // table lists them all.
        const bool capped = sw.backends.size() > size_t(kMaxFigureRuns);
        const SweepResult shown = capped ? firstBackends(sw) : SweepResult();
        for (SweepView* v : {m_sweepSpeedup, m_sweepThroughput, static_cast<SweepView*>(m_sweepPhases)})
            v->setSweep(capped ? shown : sw);
        m_breakEven->setSweep(sw);
        for (const std::string& line : adviseSweep(sw))
            advice << QString::fromStdString(line);
    } else {
        // A comparison (one value): the run views show its one point.
        const Experiment& ex = *m_document->experiment();
        m_model->setExperiment(ex);
        showInFigures(ex);
        for (const std::string& line :
             advise(ex,
                    ex.machine.onlineCores > 0 ? ex.machine.onlineCores : int(sysconf(_SC_NPROCESSORS_ONLN)))
                 .lines)
            advice << QString::fromStdString(line);
    }
    setSweepTabs(several);
    applyBaseline();
    m_warningBanner->setWarnings(sweepWarningTexts(sw));
    setAdvice(advice);
    showLesson(lessonInfo, false);
    updateRunEnabled();
    emit experimentChanged();
}

void MainWindow::showInFigures(const Experiment& ex) {
    const bool capped = ex.runs.size() > size_t(kMaxFigureRuns);
    const Experiment shown = capped ? firstRuns(ex) : Experiment();
    for (PlotView* v : {static_cast<PlotView*>(m_throughput), static_cast<PlotView*>(m_breakdown),
                        static_cast<PlotView*>(m_timeline)})
        v->setExperiment(capped ? shown : ex);
}

void MainWindow::setSweepTabs(bool sweepTabs) {
    for (PlotView* v : {static_cast<PlotView*>(m_breakdown), static_cast<PlotView*>(m_throughput),
                        static_cast<PlotView*>(m_timeline)})
        m_tabs->setTabVisible(m_tabs->indexOf(v), !sweepTabs);
    for (PlotView* v : {static_cast<PlotView*>(m_sweepSpeedup), static_cast<PlotView*>(m_sweepThroughput),
                        static_cast<PlotView*>(m_sweepPhases)})
        m_tabs->setTabVisible(m_tabs->indexOf(v), sweepTabs);
    const auto* current = qobject_cast<PlotView*>(m_tabs->currentWidget());
    if (current && isSweepFigure(current->kind()) != sweepTabs)
        m_tabs->setCurrentWidget(sweepTabs ? static_cast<QWidget*>(m_sweepSpeedup) : m_breakdown);
    m_bottom->setCurrentWidget(sweepTabs ? static_cast<QWidget*>(m_breakEven) : m_table);
}

// The advisor's CLI flags in the GUI's words: "try --chunksize 6" → "try Chunk size 6".
QStringList MainWindow::inFieldNames(const QStringList& lines) const {
    static const QRegularExpression flag(QStringLiteral("--([a-z][a-z-]*)"));
    QStringList out;
    for (QString l : lines) {
        QString result;
        qsizetype last = 0;
        for (auto it = flag.globalMatch(l); it.hasNext();) {
            const auto m = it.next();
            const QString label = m_panel->label(m.captured(1));
            result += l.mid(last, m.capturedStart() - last) + (label.isEmpty() ? m.captured() : label);
            last = m.capturedEnd();
        }
        out << result + l.mid(last);
    }
    return out;
}

void MainWindow::setAdvice(const QStringList& engineLines) {
    const QStringList lines = inFieldNames(engineLines);
    m_advisorLines = lines;
    QString html;
    if (!lines.isEmpty()) {
        html = QStringLiteral("<ul style=\"margin-left:-20px\">");
        for (const QString& l : lines)
            html += QStringLiteral("<li style=\"margin-bottom:6px\">%1</li>").arg(l.toHtmlEscaped());
        html += QStringLiteral("</ul>");
    }
    m_advisorText->setHtml(html);
}

void MainWindow::showLesson(const QJsonObject& info, bool running) {
    if (!info.contains(QLatin1String("lesson"))) {
        m_lessonDock->hide();
        return;
    }
    m_lessonTitle->setText(info.value(QLatin1String("lesson_title")).toString());
    m_lessonExplanation->setText(withoutBackticks(info.value(QLatin1String("explanation")).toString()));
    if (running) {
        m_lessonVerdict->setText(
            tr("<i>Running… the verdict is computed from the measurements when the lesson "
               "finishes.</i>"));
    } else {
        const LessonVerdict v = verdictFromLessonInfo(info); // older files: from their "holds"
        // Okabe-Ito: bluish green holds, vermillion does not, orange cannot tell.
        const QString colour = v.verdict == Verdict::Holds         ? QStringLiteral("#009E73")
                               : v.verdict == Verdict::DoesNotHold ? QStringLiteral("#D55E00")
                                                                   : QStringLiteral("#E69F00");
        QString html = tr("<b style=\"color:%1\">%2</b><br>%3")
                           .arg(colour, QString::fromStdString(verdictHeadline(v.verdict)).toHtmlEscaped(),
                                QString::fromStdString(v.text).toHtmlEscaped());
        if (v.verdict == Verdict::Inconclusive && !v.reason.empty())
            html += tr("<br><b>Why:</b> %1<br><b>What to do:</b> %2")
                        .arg(QString::fromStdString(v.reason).toHtmlEscaped(),
                             QString::fromStdString(v.advice).toHtmlEscaped());
        m_lessonVerdict->setText(html);
    }
    if (!m_lessonDock->isVisible()) {
        m_lessonDock->show();
        // The lesson's text over the advisor's: most of the column goes to the lesson.
        const int h = std::max(400, centralWidget()->height());
        resizeDocks({m_lessonDock, m_advisorDock}, {h * 3 / 5, h * 2 / 5}, Qt::Vertical);
    }
}

void MainWindow::loadSettings() {
    QSettings s;
    restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    m_mainSplitter->restoreState(s.value(QStringLiteral("window/mainSplitter")).toByteArray());
    m_rightSplitter->restoreState(s.value(QStringLiteral("window/rightSplitter")).toByteArray());
    const QByteArray specJson = s.value(QStringLiteral("lastSpec")).toByteArray();
    if (!specJson.isEmpty()) {
        QString error;
        if (auto spec = specFromJson(QJsonDocument::fromJson(specJson).object(), &error);
            spec && validate(*spec).empty())
            m_panel->setSpec(*spec);
    }
    if (s.contains(QStringLiteral("backends"))) {
        const QStringList ids = s.value(QStringLiteral("backends")).toStringList();
        if (!ids.isEmpty()) m_picker->setSelectedBackends(ids);
    }
    // The sweep's settings come back, but not "on": a restart never starts in a minutes-long sweep.
    QVariantMap sweep = s.value(QStringLiteral("sweep")).toMap();
    sweep.remove(QStringLiteral("enabled"));
    m_sweepPanel->setState(sweep);
    m_pythonPath = s.value(QStringLiteral("pythonPath")).toString();
    if (!m_pythonPath.isEmpty()) python::setInterpreterOverride(m_pythonPath.toStdString());
    m_lastDir = s.value(QStringLiteral("lastDir"), QDir::homePath()).toString();
    m_breakdown->setMode(
        BreakdownMode(s.value(QStringLiteral("breakdownMode"), int(BreakdownMode::Share)).toInt()));
    rebuildRecentMenu();
}

void MainWindow::saveSettings() const {
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("window/mainSplitter"), m_mainSplitter->saveState());
    s.setValue(QStringLiteral("window/rightSplitter"), m_rightSplitter->saveState());
    s.setValue(QStringLiteral("lastSpec"),
               QJsonDocument(specToJson(m_panel->spec())).toJson(QJsonDocument::Compact));
    s.setValue(QStringLiteral("backends"), m_picker->selectedBackends());
    s.setValue(QStringLiteral("sweep"), m_sweepPanel->state());
    s.setValue(QStringLiteral("pythonPath"), m_pythonPath);
    s.setValue(QStringLiteral("lastDir"), m_lastDir);
    s.setValue(QStringLiteral("breakdownMode"), int(m_breakdown->mode()));
}

void MainWindow::changeEvent(QEvent* event) {
    // setWindowModified from outside (the screenshot modes clear it before quitting): the
    // document follows, so the unsaved-results prompts agree with the title.
    if (event->type() == QEvent::ModifiedChange) m_document->setModified(isWindowModified());
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        applyThemeToViews();
    QMainWindow::changeEvent(event);
}

void MainWindow::applyThemeToViews() {
    if (!m_throughput) return;
    const PlotTheme theme = PlotTheme::fromPalette(palette());
    for (PlotView* v : {static_cast<PlotView*>(m_breakdown), static_cast<PlotView*>(m_throughput),
                        static_cast<PlotView*>(m_timeline), static_cast<PlotView*>(m_sweepSpeedup),
                        static_cast<PlotView*>(m_sweepThroughput), static_cast<PlotView*>(m_sweepPhases)})
        v->setTheme(theme);
}

} // namespace conlab::ui
