// MainWindow: starting runs, sweeps and lessons, and presenting their progress and results.
#include "main_window.h"

#include "advisor.h"
#include "backend_picker.h"
#include "export.h"
#include "files/lesson_info.h"
#include "lessons.h"
#include "plot_views.h"
#include "report.h"
#include "results_json.h"
#include "results_model.h"
#include "run_presenter.h"
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

#include "backends/python_backend.h"
#include "main_window_helpers.h"

#include "run_estimate.h"
#include "text_util.h"
#include <QPointer>
#include <thread>

namespace conlab::ui {

using namespace detail;

bool MainWindow::startRun(QString* error) {
    if (m_controller->isRunning()) {
        if (error) *error = tr("A run is in progress.");
        return false;
    }
    if (!m_panel->isValid()) {
        if (error) *error = m_panel->problems().join(QLatin1Char('\n'));
        return false;
    }
    const QStringList backends = m_picker->selectedBackends();
    if (backends.isEmpty()) {
        if (error) *error = tr("Select at least one backend.");
        return false;
    }
    if (m_sweepPanel->sweepEnabled()) return startSweep(error);
    const WorkloadSpec spec = m_panel->spec();
    clearResults();
    setSweepTabs(false);
    m_runningLesson.clear();
    Experiment nothingYet; // the titles name this run's workload from the start
    nothingYet.spec = spec;
    m_timeline->setExperiment(nothingYet);
    m_breakdown->setExperiment(nothingYet);
    m_throughput->setExperiment(nothingYet);
    if (!m_controller->start(spec, backends, error)) return false;
    m_tabs->setCurrentWidget(m_throughput);
    m_runPresenter->runStarted(tr("Calibrating and starting %1 backend(s)…").arg(backends.size()));
    saveSettings();
    return true;
}

bool MainWindow::startSweep(QString* error) {
    if (m_controller->isRunning()) {
        if (error) *error = tr("A run is in progress.");
        return false;
    }
    if (!m_panel->isValid()) {
        if (error) *error = m_panel->problems().join(QLatin1Char('\n'));
        return false;
    }
    WorkloadSpec base = m_panel->spec();
    base.interleave = true; // every point compares backends: drifts must hit them alike (as conlab sweep)
    if (const QString problem = m_sweepPanel->problem(base); !problem.isEmpty()) {
        if (error) *error = problem;
        return false;
    }
    const QStringList backends = m_picker->selectedBackends();
    if (backends.isEmpty()) {
        if (error) *error = tr("Select at least one backend.");
        return false;
    }
    return beginSweep(base, m_sweepPanel->param(), *m_sweepPanel->values(), m_sweepPanel->logScale(),
                      backends, QString(), error);
}

bool MainWindow::runLesson(const QString& name, QString* error) {
    const Lesson* lesson = findLesson(name.toStdString());
    if (!lesson) {
        if (error) *error = tr("unknown lesson '%1'").arg(name);
        return false;
    }
    if (m_controller->isRunning()) {
        if (error) *error = tr("A run is in progress.");
        return false;
    }
    if (auto missing = missingBackends(*lesson); !missing.empty()) {
        if (error)
            *error = tr("Lesson %1 cannot run here: it needs %2")
                         .arg(name, QString::fromStdString(missing.front()));
        return false;
    }
    QStringList backends;
    for (const std::string& b : lesson->backends)
        backends << QString::fromStdString(b);
    // Show what runs: the lesson's workload, backends and values (editable for a re-run).
    // The user's own setup comes back when the lesson ends (onSweepFinished, onFailed).
    m_beforeLesson = SetupSnapshot{m_panel->spec(), m_picker->selectedBackends(), m_sweepPanel->state()};
    WorkloadSpec shown = lesson->base;
    shown.interleave = true; // lessons always interleave (core/lesson_runner.h)
    m_panel->setSpec(shown);
    m_picker->setSelectedBackends(backends);
    m_sweepPanel->showSweep(lesson->param, lesson->values, lesson->logScale);
    return beginSweep(lesson->base, lesson->param, lesson->values, lesson->logScale, backends, name, error);
}

bool MainWindow::beginSweep(const WorkloadSpec& base, SweepParam param, const std::vector<double>& values,
                            bool logScale, const QStringList& backends, const QString& lesson,
                            QString* error) {
    const Lesson* running = lesson.isEmpty() ? nullptr : findLesson(lesson.toStdString());
    if (running ? !m_controller->startLesson(*running, LessonRunOptions{}, error)
                : !m_controller->startSweep(base, param, values, logScale, backends, error))
        return false;
    clearResults();
    m_runningLesson = lesson;
    const bool severalPoints = values.size() > 1;
    m_runPresenter->sweepStarted(
        base, param, severalPoints,
        lesson.isEmpty() ? tr("Calibrating and starting a sweep of %n point(s)…", nullptr, int(values.size()))
                         : tr("Running lesson %1…").arg(lesson));
    setSweepTabs(severalPoints);
    if (severalPoints) {
        // The planned sweep without points: the axes show the range before the first point.
        SweepResult planned;
        planned.base = base;
        planned.param = param;
        planned.values = values;
        planned.logScale = logScale;
        for (const QString& b : backends)
            planned.backends.push_back(b.toStdString());
        planned.machine.onlineCores = int(sysconf(_SC_NPROCESSORS_ONLN));
        m_sweepSpeedup->setSweep(planned);
        m_sweepThroughput->setSweep(planned);
        m_sweepPhases->setSweep(planned);
        m_tabs->setCurrentWidget(m_sweepSpeedup);
        // Live throughput and phases of the point that runs, beside the sweep views.
        m_tabs->setTabVisible(m_tabs->indexOf(m_throughput), true);
    } else {
        Experiment nothingYet;
        nothingYet.spec = base;
        applySweepValue(nothingYet.spec, param, values.front());
        m_timeline->setExperiment(nothingYet);
        m_breakdown->setExperiment(nothingYet);
        m_throughput->setExperiment(nothingYet);
        m_tabs->setCurrentWidget(m_throughput);
    }
    if (const Lesson* l = findLesson(lesson.toStdString()))
        showLesson(QJsonObject{{"lesson", lesson},
                               {"lesson_title", QString::fromStdString(l->title)},
                               {"explanation", QString::fromStdString(l->explanation)}},
                   true);
    saveSettings();
    return true;
}

void MainWindow::buildLessonsMenu() {
    m_lessonsMenu->clear();
    for (const Lesson& l : lessons()) {
        const QString name = QString::fromStdString(l.name);
        const auto missing = missingBackends(l);
        QAction* a =
            m_lessonsMenu->addAction(QStringLiteral("%1 — %2").arg(name, QString::fromStdString(l.title)));
        a->setObjectName(QStringLiteral("lesson-") + name);
        a->setProperty("conlabCanRun", missing.empty());
        if (missing.empty()) {
            a->setToolTip(tooltipHtml(QString::fromStdString(l.explanation)));
            a->setStatusTip(QString::fromStdString(l.title));
        } else {
            QStringList why;
            for (const std::string& m : missing)
                why << QString::fromStdString(m);
            a->setText(a->text() + tr("  (needs %1)").arg(why.front()));
            a->setToolTip(tr("Cannot run here: needs %1").arg(why.join(QStringLiteral("; "))));
            a->setStatusTip(a->toolTip());
            a->setEnabled(false);
        }
        connect(a, &QAction::triggered, this, [this, name] {
            QString error;
            if (!runLesson(name, &error)) QMessageBox::warning(this, tr("Cannot run the lesson"), error);
        });
    }
}

void MainWindow::onSweepPoint(const SweepResult& soFar) {
    if (!m_runPresenter->showsSweepPoints()) return; // a comparison: the run views follow backendFinished
    m_sweepSpeedup->setSweep(soFar);
    m_sweepThroughput->setSweep(soFar);
    m_sweepPhases->setSweep(soFar);
    m_breakEven->setSweep(soFar);
    QStringList advice;
    for (const std::string& line : adviseSweep(soFar))
        advice << QString::fromStdString(line);
    setAdvice(advice);
}

void MainWindow::onSweepFinished(const SweepResult& sw) {
    QJsonObject info;
    if (const Lesson* l = findLesson(m_runningLesson.toStdString())) {
        // The runner's verdict (it knows how many repetitions it took); from the data otherwise.
        const LessonVerdict v = m_controller->lessonVerdict().value_or(l->verdict(sw));
        info = lessonInfoJson(*l, v);
    }
    m_runningLesson.clear();
    QString firstError; // shown: "errors in some runs" alone does not say which
    for (const SweepPoint& p : sw.points)
        for (const BackendRun& r : p.runs)
            if (firstError.isEmpty() && !r.error.empty()) firstError = QString::fromStdString(r.error);
    const bool failed = !firstError.isEmpty();
    setSweepResult(sw, info, QString(), true);
    m_runPresenter->ended(sw.cancelled
                              ? tr("stopped: %1 of %2 points").arg(sw.points.size()).arg(sw.values.size())
                              : tr("done"));
    m_statusLabel->setText(sw.cancelled ? tr("Stopped — the plots keep the %n finished point(s).", nullptr,
                                             int(sw.points.size()))
                           : failed
                               ? tr("Sweep finished with errors in some runs (first: %1).").arg(firstError)
                           : sw.values.size() == 1 // a comparison (pool-reuse, gil, …): no "points"
                               ? tr("Finished %n backend(s).", nullptr,
                                    sw.points.empty() ? 0 : int(sw.points.front().runs.size()))
                               : tr("Sweep finished: %n point(s).", nullptr, int(sw.points.size())));
    if (!info.isEmpty())
        m_statusLabel->setText(tr("Lesson %1: ").arg(info.value(QLatin1String("lesson")).toString()) +
                               m_statusLabel->text());
    restoreSetupAfterLesson();
    if (!sw.points.empty()) autosaveSweep();
}

void MainWindow::onBackendFinished(const Experiment& experimentSoFar) {
    if (m_runPresenter->showsSweepPoints()) return; // sweeps: whole points arrive through onSweepPoint
    for (const BackendRun& r : experimentSoFar.runs)
        m_model->upsertRun(r); // all of them: speedups change when sequential finishes
    applyBaseline(&experimentSoFar);
    m_breakdown->setExperiment(experimentSoFar);
    m_timeline->setExperiment(experimentSoFar);
}

void MainWindow::onFinished(const Experiment& ex) {
    bool cancelled = false, failed = false;
    for (const BackendRun& r : ex.runs) {
        cancelled = cancelled || r.cancelled;
        failed = failed || !r.error.empty();
    }
    setExperiment(ex, QString(), true);
    m_tabs->setCurrentWidget(m_breakdown);
    m_runPresenter->ended(cancelled ? tr("stopped: partial result") : tr("done"));
    m_statusLabel->setText(cancelled
                               ? tr("Stopped — the table and plots show what completed (partial result).")
                           : failed ? tr("Finished with errors — hover the Status column for details.")
                                    : tr("Finished %1 backend(s).").arg(ex.runs.size()));
    if (hasFinishedResults(ex)) autosaveExperiment(ex);
}

void MainWindow::restoreSetupAfterLesson() {
    if (!m_beforeLesson) return;
    m_panel->setSpec(m_beforeLesson->spec);
    m_picker->setSelectedBackends(m_beforeLesson->backends);
    QVariantMap sweep = m_beforeLesson->sweep;
    m_sweepPanel->setState(sweep);
    m_beforeLesson.reset();
    m_statusLabel->setText(m_statusLabel->text() + tr(" Your workload is back in the form."));
}

void MainWindow::onFailed(const QString& message) {
    restoreSetupAfterLesson();
    m_runPresenter->failed();
    m_statusLabel->setText(tr("Run failed: %1").arg(message));
    updateRunEnabled();
}

void MainWindow::pythonPathDialog() {
    bool ok = false;
    const QString path =
        QInputDialog::getText(this, tr("Python interpreter"),
                              tr("Interpreter used by the Python backends (empty = python3 on PATH):"),
                              QLineEdit::Normal, m_pythonPath, &ok);
    if (!ok) return;
    setPythonInterpreter(path.trimmed());
    saveSettings();
}

// The interpreter goes to the engine the way `--python` does (python::setInterpreterOverride;
// empty: $CONLAB_PYTHON, else python3). It is checked at once, off the GUI thread: a bad one is
// reported and the Python backends are greyed with the reason.
void MainWindow::setPythonInterpreter(const QString& path) {
    m_pythonPath = path;
    python::setInterpreterOverride(path.toStdString());
    QPointer<MainWindow> self(this);
    std::thread([self] {
        const python::Interpreter in = python::probeInterpreter(); // cached per path
        QMetaObject::invokeMethod(
            qApp,
            [self, in] {
                if (!self) return;
                self->m_picker->refreshAvailability();
                const QString reason = QString::fromStdString(in.reason);
                if (!in.ok)
                    self->statusBar()->showMessage(tr("Python backends unavailable: %1").arg(reason), 10000);
                emit self->pythonChecked(in.ok, reason);
            },
            Qt::QueuedConnection);
    }).detach();
}

bool MainWindow::confirmLongOrOddRun() {
    if (!m_panel->isValid()) return true; // startRun says why it cannot run
    const int cores = int(sysconf(_SC_NPROCESSORS_ONLN));
    QStringList warnings;
    if (m_sweepPanel->sweepEnabled()) {
        if (const auto values = m_sweepPanel->values())
            for (double v : *values) { // the warnings of the point that has them
                WorkloadSpec s = m_panel->spec();
                applySweepValue(s, m_sweepPanel->param(), v);
                for (const QString& w : sanityWarnings(s, m_picker->selectedBackends(), cores))
                    if (!warnings.contains(w)) warnings << w;
            }
    } else {
        warnings = sanityWarnings(m_panel->spec(), m_picker->selectedBackends(), cores);
    }
    if (warnings.isEmpty()) return true;
    const QString question = tr("Run anyway?\n\n• %1").arg(warnings.join(QStringLiteral("\n• ")));
    if (m_confirmPrompt) return m_confirmPrompt(question);
    return QMessageBox::question(this, tr("Check before running"), question,
                                 QMessageBox::Yes | QMessageBox::Cancel,
                                 QMessageBox::Cancel) == QMessageBox::Yes;
}

} // namespace conlab::ui
