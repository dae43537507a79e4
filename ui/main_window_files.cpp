// MainWindow: open, save, recent files, unsaved-changes prompts, autosave and the restore bar.
#include "main_window.h"

#include "advisor.h"
#include "backend_picker.h"
#include "export.h"
#include "figure_caps.h"
#include "files/lesson_info.h"
#include "lessons.h"
#include "plot_views.h"
#include "report.h"
#include "results_json.h"
#include "results_model.h"
#include "run_presenter.h"
#include "sweep_map/sweep_map_json.h"
#include "sweep_map_window.h"
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
#include <QEventLoop>
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
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>
#include <qcustomplot.h>
#include <unistd.h>

#include "baseline_compare.h"
#include "main_window_helpers.h"
#include "plot_views.h"
#include "results_model.h"

namespace conlab::ui {

using namespace detail;

bool MainWindow::openFile(const QString& path, QString* error) {
    return loadFile(path, false, error);
}

// Opens a results file; `restoring` (an autosave) opens it as unsaved: no file name, `*` in the
// title, not in the recent files.
bool MainWindow::loadFile(const QString& path, bool restoring, QString* error) {
    // A two-parameter map opens in a window of its own; the experiment here stays.
    QString readError;
    if (auto map = loadSweepMapFile(path, &readError)) {
        if (!map->map) {
            if (error) *error = map->error;
            return false;
        }
        auto* window = new SweepMapWindow(std::move(*map->map), path, this);
        window->show();
        m_statusLabel->setText(tr("Opened the map %1 in its own window.").arg(QFileInfo(path).fileName()));
        return true;
    }
    // One read and one parse (the size limit, regular files only), the sweep with it.
    FileLoad load = loadResultsFileWithSweep(path);
    const LoadResult& r = load.results;
    if (!r.experiment) {
        if (error) *error = r.error;
        return false;
    }
    if (load.sweep) {
        const SweepLoad& sl = *load.sweep;
        if (!sl.sweep) {
            if (error) *error = sl.error;
            return false;
        }
        m_controller->discard();
        m_runningLesson.clear();
        clearResults();
        const SweepResult& sw = *sl.sweep;
        m_panel->setSpec(sw.base);
        QStringList ids;
        for (const std::string& b : sw.backends)
            ids << QString::fromStdString(b);
        m_picker->setSelectedBackends(ids);
        m_sweepPanel->showSweep(sw.param, sw.values, sw.logScale);
        QJsonObject info;
        if (sl.extra.contains(QLatin1String("lesson")))
            for (const QString& key : lessonInfoKeys())
                if (sl.extra.contains(key)) info.insert(key, sl.extra.value(key));
        setSweepResult(sw, info, restoring ? QString() : QFileInfo(path).absoluteFilePath(), restoring);
    } else {
        m_controller->discard();
        m_runningLesson.clear();
        m_sweepPanel->setChecked(false);
        m_panel->setSpec(r.experiment->spec);
        QStringList ids;
        for (const BackendRun& run : r.experiment->runs)
            ids << QString::fromStdString(run.backend);
        m_picker->setSelectedBackends(ids);
        setExperiment(*r.experiment, restoring ? QString() : QFileInfo(path).absoluteFilePath(), restoring);
        m_tabs->setCurrentWidget(m_breakdown);
    }
    m_runPresenter->idle();
    m_statusLabel->setToolTip(QString());
    if (restoring) {
        const auto entry = parseAutosaveName(QFileInfo(path).fileName());
        m_statusLabel->setText(
            tr("Restored the autosave of %1 — not saved yet (File → Save experiment).")
                .arg(entry ? entry->savedUtc.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                           : QFileInfo(path).fileName()));
        m_statusLabel->setToolTip(path);
        return true;
    }
    // Figures of a big file draw part of it (figure_caps.h): say which part.
    size_t drawnOf = r.experiment->runs.size();
    QString what = tr("runs");
    if (load.sweep && load.sweep->sweep) {
        const SweepResult& sw = *load.sweep->sweep;
        if (sw.values.size() > 1) {
            drawnOf = sw.backends.size();
            what = tr("backends");
        } else {
            drawnOf = sw.points.empty() ? 0 : sw.points.front().runs.size();
        }
    }
    const QString capped = drawnOf > size_t(kMaxFigureRuns)
                               ? tr(" — the figures show the first %1 of %2 %3 (the table has all)")
                                     .arg(kMaxFigureRuns)
                                     .arg(drawnOf)
                                     .arg(what)
                               : QString();
    m_statusLabel->setText((r.note.isEmpty()
                                ? tr("Opened %1").arg(QFileInfo(path).fileName())
                                : tr("Opened %1 — older file: %2").arg(QFileInfo(path).fileName(), r.note)) +
                           capped);
    m_lastDir = QFileInfo(path).absolutePath();
    addRecentFile(QFileInfo(path).absoluteFilePath());
    return true;
}

bool MainWindow::saveFile(const QString& path, QString* error) {
    if (!m_document->saveTo(path, error)) return false;
    m_lastDir = QFileInfo(path).absolutePath();
    addRecentFile(m_document->filePath());
    statusBar()->showMessage(tr("Saved %1").arg(m_document->filePath()), 4000);
    // The user saved: what was autosaved so far is no longer offered after a crash.
    if (m_autosave) {
        m_autosave->acknowledge();
        m_restoreBar->dismiss();
    }
    return true;
}

void MainWindow::setAutosaveStore(AutosaveStore* store) {
    m_autosave = store;
    m_autosaveMenu->setEnabled(store != nullptr);
    if (!store) {
        m_restoreBar->dismiss();
    }
}

void MainWindow::autosaveExperiment(const Experiment& ex) {
    if (!m_autosave) return;
    QString error;
    const auto entry = m_autosave->save(ex, &error);
    noteAutosave(entry, error);
}

void MainWindow::autosaveSweep() {
    if (!m_autosave || !m_document->sweep()) return;
    QString error;
    const auto entry = m_autosave->saveSweep(m_document->sweepJson(), m_document->lessonName(), &error);
    noteAutosave(entry, error);
}

// Never modal: the status line says where it went or why it failed.
void MainWindow::noteAutosave(const std::optional<AutosaveEntry>& entry, const QString& error) {
    if (entry) {
        m_lastAutosave = entry->path;
        m_statusLabel->setText(m_statusLabel->text() + tr(" Autosaved."));
        m_statusLabel->setToolTip(tr("Autosaved to %1").arg(entry->path));
        emit autosaved(entry->path);
    } else {
        m_statusLabel->setText(m_statusLabel->text() + tr(" Autosave failed: %1").arg(error));
        m_statusLabel->setToolTip(error);
        emit autosaveFailed(error);
    }
}

void MainWindow::offerRestore(const PendingRestore& pending) {
    m_restoreBar->offer(pending);
}

bool MainWindow::restoreAutosave(const QString& path, QString* error) {
    if (m_controller->isRunning()) {
        if (error) *error = tr("A run is in progress.");
        return false;
    }
    if (!loadFile(path, true, error)) return false;
    if (m_autosave) m_autosave->acknowledge();
    m_restoreBar->dismiss();
    return true;
}

void MainWindow::discardRestore() {
    if (m_autosave) m_autosave->acknowledge();
    m_restoreBar->dismiss();
}

void MainWindow::rebuildAutosaveMenu() {
    m_autosaveMenu->clear();
    if (!m_autosave) return;
    const auto all = m_autosave->entries();
    for (const AutosaveEntry& e : all) {
        const QString path = e.path;
        QAction* a = m_autosaveMenu->addAction(e.label(), this, [this, path] {
            QString error;
            if (!maybeSave(tr("opening the autosave"))) return;
            if (!restoreAutosave(path, &error))
                QMessageBox::warning(this, tr("Cannot open the autosave"), error);
        });
        a->setToolTip(path);
        a->setStatusTip(path);
    }
    if (all.empty()) m_autosaveMenu->addAction(tr("(none yet)"))->setEnabled(false);
    m_autosaveMenu->addSeparator();
    m_autosaveMenu->addAction(tr("Show autosave &folder"), this, [this] {
        if (m_autosave) QDesktopServices::openUrl(QUrl::fromLocalFile(m_autosave->directory()));
    });
}

void MainWindow::openDialog() {
    if (!maybeSave(tr("opening another file"))) return;
    const QString path = QFileDialog::getOpenFileName(this, tr("Open experiment"), m_lastDir,
                                                      tr("Concurrency Lab results (*.json);;All files (*)"));
    if (path.isEmpty()) return;
    QString error;
    if (!openFile(path, &error)) QMessageBox::warning(this, tr("Cannot open experiment"), error);
}

void MainWindow::baselineDialog() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Compare with baseline"), m_lastDir,
                                                      tr("Concurrency Lab results (*.json);;All files (*)"));
    if (path.isEmpty()) return;
    QString error;
    if (!compareWithBaseline(path, &error)) QMessageBox::warning(this, tr("Cannot compare"), error);
}

bool MainWindow::compareWithBaseline(const QString& path, QString* error) {
    if (!m_baseline->load(path, error)) return false; // changed → applyBaseline
    if (m_model->hasComparison())                     // the columns the user asked for, in view
        m_table->scrollTo(m_proxy->mapFromSource(m_model->index(0, ResultsModel::VsBaseline)));
    return true;
}

void MainWindow::clearBaseline() {
    m_baseline->clear();
}

void MainWindow::applyBaseline(const Experiment* shown) {
    const auto& doc = m_document->experiment();
    const bool sweepShown = m_document->isSweepOfSeveralValues();
    if (!shown && doc && !sweepShown) shown = &*doc;
    std::optional<Comparison> c;
    if (m_baseline->experiment() && shown) c = m_baseline->compare(*shown);
    if (c && c->backends.empty() && !shown->runs.empty()) c.reset(); // nothing in common: said in the bar
    m_model->setComparison(c, m_baseline->name());
    m_breakdown->setBaseline(shown ? m_baseline->experiment() : nullptr);
    for (SweepView* v : {m_sweepSpeedup, m_sweepThroughput})
        v->setBaseline(sweepShown ? m_baseline->sweep() : nullptr);
    m_clearBaselineAction->setEnabled(m_baseline->isSet());
    m_baselineBar->setVisible(m_baseline->isSet());
    if (!m_baseline->isSet()) return;
    const QString name = m_baseline->name().toHtmlEscaped();
    QStringList differences;
    QString text;
    if (sweepShown) {
        text = m_baseline->sweepSummary(*m_document->sweep(), &differences);
        if (m_baseline->sweep()) text += BaselineCompare::differsText(differences);
        text = text.toHtmlEscaped();
    } else if (c) {
        text = m_baseline->summary(*c).toHtmlEscaped();
        for (const auto& d : c->differences)
            differences << QString::fromStdString(d);
    } else if (m_baseline->sweep()) {
        text = tr("Baseline %1 is a sweep: it is compared with sweeps (its curves dashed).").arg(name);
    } else if (shown && !shown->runs.empty()) {
        text = tr("Baseline %1 has no backend in common with these results.").arg(name);
    } else {
        text = tr("Baseline %1: its runs are compared with the next results.").arg(name);
    }
    m_baselineBar->setText(QStringLiteral("<b>⇆</b> ") + text +
                           QStringLiteral(" &nbsp;<a href=\"clear\">Clear baseline</a>"));
    QStringList tip{m_baseline->path()};
    for (const auto& d : differences)
        tip << tr("differs: %1").arg(d);
    m_baselineBar->setToolTip(tip.join(QLatin1Char('\n')));
}

bool MainWindow::save() {
    if (m_document->filePath().isEmpty()) return saveAsDialog();
    QString error;
    if (!saveFile(m_document->filePath(), &error)) {
        QMessageBox::warning(this, tr("Cannot save experiment"), error);
        return false;
    }
    return true;
}

bool MainWindow::saveAsDialog() {
    const QString suggested = m_document->filePath().isEmpty()
                                  ? QDir(m_lastDir).filePath(QStringLiteral("experiment.json"))
                                  : m_document->filePath();
    QString path = QFileDialog::getSaveFileName(this, tr("Save experiment"), suggested,
                                                tr("Concurrency Lab results (*.json)"));
    if (path.isEmpty()) return false;
    if (QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".json");
    QString error;
    if (!saveFile(path, &error)) {
        QMessageBox::warning(this, tr("Cannot save experiment"), error);
        return false;
    }
    return true;
}

void MainWindow::addRecentFile(const QString& path) {
    QSettings s;
    QStringList recent = s.value(QStringLiteral("recentFiles")).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    s.setValue(QStringLiteral("recentFiles"), recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentFiles")).toStringList();
    for (const QString& path : recent) {
        QAction* a = m_recentMenu->addAction(QFileInfo(path).fileName(), this, [this, path] {
            QString error;
            if (!maybeSave(tr("opening %1").arg(QFileInfo(path).fileName()))) return;
            if (!openFile(path, &error)) {
                QMessageBox::warning(this, tr("Cannot open experiment"), error);
                QSettings s;
                QStringList r = s.value(QStringLiteral("recentFiles")).toStringList();
                r.removeAll(path);
                s.setValue(QStringLiteral("recentFiles"), r);
                rebuildRecentMenu();
            }
        });
        a->setToolTip(path);
        a->setStatusTip(path);
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!maybeSave(tr("quitting"))) {
        event->ignore();
        return;
    }
    m_controller->discard();
    saveSettings();
    event->accept();
}

// ------------------------------------------------------------------ unsaved results

bool MainWindow::hasUnsavedResults() const {
    return m_document->hasUnsavedResults();
}

MainWindow::UnsavedChoice MainWindow::askUnsaved(const QString& title, const QString& text) {
    if (m_unsavedPrompt) return m_unsavedPrompt(text);
    QMessageBox box(QMessageBox::Question, title, text,
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setDefaultButton(QMessageBox::Save);
    switch (box.exec()) {
    case QMessageBox::Save:
        return UnsavedChoice::Save;
    case QMessageBox::Discard:
        return UnsavedChoice::Discard;
    default:
        return UnsavedChoice::Cancel;
    }
}

bool MainWindow::stopAndWait() {
    if (!m_controller->isRunning()) return true;
    QEventLoop loop;
    QTimer::singleShot(10000, &loop, &QEventLoop::quit); // a stuck engine: give up, discard
    // Connected after the window's own slots: those (results, autosave) run first.
    connect(m_controller, &EngineController::finished, &loop, &QEventLoop::quit);
    connect(m_controller, &EngineController::sweepFinished, &loop, &QEventLoop::quit);
    connect(m_controller, &EngineController::failed, &loop, &QEventLoop::quit);
    m_statusLabel->setText(tr("Stopping…"));
    m_controller->stop();
    loop.exec(QEventLoop::ExcludeUserInputEvents);
    return !m_controller->isRunning();
}

bool MainWindow::maybeSave(const QString& before) {
    if (m_controller->isRunning()) {
        const QString what = m_controller->isSweep() ? tr("sweep") : tr("run");
        const UnsavedChoice c = askUnsaved(
            tr("A %1 is in progress").arg(what),
            tr("A %1 is in progress. Stop it and save what has finished before %2? (Discard also stops "
               "it; what has finished is autosaved either way.)")
                .arg(what, before));
        if (c == UnsavedChoice::Cancel) return false;
        stopAndWait(); // the finished backends or points become the (autosaved) result
        if (c == UnsavedChoice::Discard) return true;
        return !hasUnsavedResults() || save();
    }
    if (!hasUnsavedResults()) return true;
    const UnsavedChoice c =
        askUnsaved(tr("Unsaved %1").arg(m_document->noun()),
                   tr("The %1 is not saved. Save it before %2?").arg(m_document->noun(), before));
    if (c == UnsavedChoice::Cancel) return false;
    if (c == UnsavedChoice::Discard) return true;
    return save();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (urls.size() == 1 && isResultsFile(urls.front())) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (urls.size() != 1 || !isResultsFile(urls.front())) return;
    event->acceptProposedAction();
    if (!maybeSave(tr("opening %1").arg(urls.front().fileName()))) return;
    QString error;
    if (!openFile(urls.front().toLocalFile(), &error))
        QMessageBox::warning(this, tr("Cannot open experiment"), error);
}

} // namespace conlab::ui
