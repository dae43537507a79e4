#pragma once
// The Concurrency Lab main window: workload panel and backend picker on the left, plot views
// (tabs) over the results table on the right, run controls, progress and status below.
#include "autosave.h"
#include "document.h"
#include "engine_controller.h"
#include "figures.h"
#include "restore_bar.h"

#include <QJsonObject>
#include <QMainWindow>
#include <QVariantMap>
#include <functional>
#include <optional>

class QAction;
class QDockWidget;
class QFrame;
class QLabel;
class QStackedWidget;
class QTextBrowser;
class QMenu;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QSplitter;
class QTableView;
class QTabWidget;
class QToolButton;

namespace conlab::ui {

class BackendPicker;
class BaselineCompare;
class BreakEvenTable;
class BreakdownView;
class DocsWindow;
class ExportActions;
class SweepPanel;
class SweepPhasesView;
class SweepView;
class PlotView;
class ResultsModel;
class RunPresenter;
class ThroughputView;
class WarningBanner;
class TimelineView;
class WorkloadPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Non-interactive entry points (menus call these after their dialogs; tests call them directly).
    // Runs the workload, or a sweep when "Sweep one parameter" is ticked.
    bool startRun(QString* error = nullptr);
    bool startSweep(QString* error = nullptr);
    // Runs a built-in lesson (core/lessons.h): its spec, backends and values; the verdict is
    // computed from the data when it finishes.
    bool runLesson(const QString& name, QString* error = nullptr);
    bool openFile(const QString& path, QString* error = nullptr);
    bool saveFile(const QString& path, QString* error = nullptr);
    // File → Compare with baseline…: the table gains ratio and verdict columns against the runs
    // of `path` (a run's results file) and the breakdown ghosted bars, for this and every later
    // experiment until clearBaseline(). On error nothing changes.
    bool compareWithBaseline(const QString& path, QString* error = nullptr);
    void clearBaseline();
    BaselineCompare* baseline() const { return m_baseline; }
    QLabel* baselineBar() const { return m_baselineBar; } // above the table while comparing
    bool exportFigure(FigureKind kind, const QString& path, QSize size, double scale,
                      QString* error = nullptr);
    bool exportData(const QString& path, QString* error = nullptr); // .csv or .json by suffix
    bool exportTrace(const QString& path, QString* error = nullptr);
    bool exportReportTo(const QString& dir, QString* error = nullptr);
    ExportActions* exportActions() const { return m_exports; }
    void copyTable();

    // Unsaved results (docs/gui.md, Files): before the window closes or a file replaces them, the
    // user is asked Save / Discard / Cancel — also during a run, which is then stopped so what
    // finished is kept (and autosaved). Tests replace the message box with `prompt` (gets the
    // question, returns the answer); nullptr restores the box.
    enum class UnsavedChoice { Save, Discard, Cancel };
    using UnsavedPrompt = std::function<UnsavedChoice(const QString& question)>;
    void setUnsavedPrompt(UnsavedPrompt prompt) { m_unsavedPrompt = std::move(prompt); }
    bool hasUnsavedResults() const;
    // Asks as above before `before` ("quitting", "opening r.json"); false when the user cancelled
    // (or Save failed or was cancelled).
    bool maybeSave(const QString& before);

    // Before Run (the action, the button, Ctrl+R): a run of hours, a timeout shorter than a
    // task, far more workers than cores … asks for a confirmation with the estimate. Tests replace
    // the question with `prompt` (returns true to run).
    using ConfirmPrompt = std::function<bool(const QString& question)>;
    void setConfirmPrompt(ConfirmPrompt prompt) { m_confirmPrompt = std::move(prompt); }
    bool confirmLongOrOddRun();
    QLabel* runEstimateLabel() const { return m_etaLabel; }
    QFrame* startHint() const { return m_startHint; }

    // Help → Documentation (F1): the Markdown docs rendered in a window of the app.
    void showDocumentation(const QString& path = QStringLiteral("docs/gui.md"));
    DocsWindow* docsWindow() const { return m_docs; } // nullptr until first shown

    // Autosave (core/autosave.h; docs/gui.md): with a store set, every finished run, sweep or
    // lesson (also a stopped one with finished results) is written to it, and a save by the
    // user acknowledges it. The store is not owned; nullptr (the default) turns autosave off.
    void setAutosaveStore(AutosaveStore* store);
    AutosaveStore* autosaveStore() const { return m_autosave; }
    QString lastAutosave() const { return m_lastAutosave; } // path of the last autosave written
    // Shows the non-modal restore bar above the plots for what the previous session left
    // (nothing when `pending` is empty). Restore opens the newest entry (the button's menu
    // lists all), Discard acknowledges; damaged files are listed in the bar's text.
    void offerRestore(const PendingRestore& pending);
    // Opens an autosave like a loaded file, but unsaved (no file name, `*` in the title), and
    // acknowledges the store's pending autosaves.
    bool restoreAutosave(const QString& path, QString* error = nullptr);
    void discardRestore();
    RestoreBar* restoreBar() const { return m_restoreBar; }
    WarningBanner* warningBanner() const { return m_warningBanner; }
    QMenu* autosaveMenu() const { return m_autosaveMenu; }

    // What the window shows: the experiment or sweep, its file and modified flag.
    Document* document() const { return m_document; }
    const std::optional<Experiment>& experiment() const { return m_document->experiment(); }
    const std::optional<SweepResult>& sweep() const { return m_document->sweep(); }
    const QJsonObject& lessonInfo() const { return m_document->lessonInfo(); } // lesson, verdict, …
    QStringList advisorLines() const { return m_advisorLines; }                // as shown (GUI field names)
    // The advisor's CLI flags in the form's words: "try --chunksize 6" → "try Chunk size 6".
    QStringList inFieldNames(const QStringList& lines) const;
    bool isModified() const { return m_document->isModified(); }
    QString currentFile() const { return m_document->filePath(); }

    WorkloadPanel* workloadPanel() const { return m_panel; }
    BackendPicker* backendPicker() const { return m_picker; }
    EngineController* controller() const { return m_controller; }
    ResultsModel* resultsModel() const { return m_model; }
    QSortFilterProxyModel* resultsProxy() const { return m_proxy; }
    ThroughputView* throughputView() const { return m_throughput; }
    BreakdownView* breakdownView() const { return m_breakdown; }
    TimelineView* timelineView() const { return m_timeline; }
    SweepPanel* sweepPanel() const { return m_sweepPanel; }
    SweepView* speedupView() const { return m_sweepSpeedup; }
    SweepView* sweepThroughputView() const { return m_sweepThroughput; }
    SweepPhasesView* phasesView() const { return m_sweepPhases; }
    BreakEvenTable* breakEvenTable() const { return m_breakEven; }
    QMenu* lessonsMenu() const { return m_lessonsMenu; }
    QDockWidget* lessonDock() const { return m_lessonDock; }
    QDockWidget* advisorDock() const { return m_advisorDock; }
    QTabWidget* plotTabs() const { return m_tabs; }
    QAction* runAction() const { return m_runAction; }
    QAction* stopAction() const { return m_stopAction; }
    QLabel* runBlockedLabel() const { return m_blockedLabel; }
    QWidget* setupPanel() const { return m_setupPanel; } // workload, sweep, backends, Run
    QAction* setupPanelAction() const { return m_setupPanelAction; }
    QProgressBar* progressBar() const { return m_progress; }

    // Run → Python interpreter…: sets and checks it (pythonChecked follows, queued).
    void setPythonInterpreter(const QString& path);

  signals:
    void experimentChanged();
    void pythonChecked(bool ok, const QString& reason);
    void autosaved(const QString& path);
    void autosaveFailed(const QString& message);

  protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void changeEvent(QEvent* event) override;

  private:
    void buildUi();
    void buildMenus();
    QWidget* buildStartHint();
    void updateRunEnabled();
    void updateTitle();
    void setExperiment(const Experiment& ex, const QString& file, bool modified);
    void setSweepResult(const SweepResult& sweep, const QJsonObject& lessonInfo, const QString& file,
                        bool modified);
    void setSweepTabs(bool sweepTabs);
    // The comparison of `shown` (default: the document's experiment; none for a sweep of several
    // values) with the baseline, in the table, the bar above it and the breakdown.
    void applyBaseline(const Experiment* shown = nullptr);
    // The run figures of `ex`: its first kMaxFigureRuns runs (figure_caps.h).
    void showInFigures(const Experiment& ex);
    void setAdvice(const QStringList& engineLines);
    void showLesson(const QJsonObject& info, bool running);
    bool beginSweep(const WorkloadSpec& base, SweepParam param, const std::vector<double>& values,
                    bool logScale, const QStringList& backends, const QString& lesson, QString* error);
    void buildLessonsMenu();
    void restoreSetupAfterLesson();
    void clearResults();
    void addRecentFile(const QString& path);
    void rebuildRecentMenu();
    bool loadFile(const QString& path, bool restoring, QString* error);
    void autosaveExperiment(const Experiment& ex);
    void autosaveSweep();
    void noteAutosave(const std::optional<AutosaveEntry>& entry, const QString& error);
    void rebuildAutosaveMenu();
    void loadSettings();
    void saveSettings() const;
    void applyThemeToViews();
    UnsavedChoice askUnsaved(const QString& title, const QString& text);
    bool stopAndWait(); // stops a run and waits (≤ 10 s) for its partial result

    // Dialog wrappers.
    void openDialog();
    void baselineDialog();
    bool saveAsDialog();
    bool save();
    void pythonPathDialog();

    void onBackendFinished(const Experiment& experimentSoFar);
    void onFinished(const Experiment& ex);
    void onFailed(const QString& message);
    void onSweepPoint(const SweepResult& soFar);
    void onSweepFinished(const SweepResult& sweep);

    EngineController* m_controller;
    Document* m_document;
    WorkloadPanel* m_panel = nullptr;
    BackendPicker* m_picker = nullptr;
    QPushButton *m_runButton = nullptr, *m_stopButton = nullptr;
    QLabel* m_blockedLabel = nullptr;
    QWidget* m_setupPanel = nullptr;
    QAction* m_setupPanelAction = nullptr;
    SweepPanel* m_sweepPanel = nullptr;
    QTabWidget* m_tabs = nullptr;
    SweepView *m_sweepSpeedup = nullptr, *m_sweepThroughput = nullptr;
    SweepPhasesView* m_sweepPhases = nullptr;
    BreakEvenTable* m_breakEven = nullptr;
    QStackedWidget* m_bottom = nullptr;
    QDockWidget *m_advisorDock = nullptr, *m_lessonDock = nullptr;
    QTextBrowser* m_advisorText = nullptr;
    QLabel *m_lessonTitle = nullptr, *m_lessonExplanation = nullptr, *m_lessonVerdict = nullptr;
    QMenu* m_lessonsMenu = nullptr;
    ThroughputView* m_throughput = nullptr;
    BreakdownView* m_breakdown = nullptr;
    TimelineView* m_timeline = nullptr;
    ResultsModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QTableView* m_table = nullptr;
    QSplitter *m_mainSplitter = nullptr, *m_rightSplitter = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_statusLabel = nullptr;
    RunPresenter* m_runPresenter = nullptr; // the progress bar and status line of a run
    QAction *m_runAction = nullptr, *m_stopAction = nullptr, *m_saveAction = nullptr,
            *m_saveAsAction = nullptr;
    QList<QAction*> m_needResults;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_autosaveMenu = nullptr;
    RestoreBar* m_restoreBar = nullptr;
    ExportActions* m_exports = nullptr;
    WarningBanner* m_warningBanner = nullptr; // over the results: what makes them untrustworthy
    BaselineCompare* m_baseline = nullptr;
    QLabel* m_baselineBar = nullptr;
    QAction* m_clearBaselineAction = nullptr;
    AutosaveStore* m_autosave = nullptr;
    QString m_lastAutosave;

    QString m_runningLesson; // the lesson being run
    struct SetupSnapshot {   // the form before a lesson replaced it
        WorkloadSpec spec;
        QStringList backends;
        QVariantMap sweep;
    };
    std::optional<SetupSnapshot> m_beforeLesson;
    QStringList m_advisorLines;
    QString m_pythonPath;
    QString m_lastDir;
    UnsavedPrompt m_unsavedPrompt;
    ConfirmPrompt m_confirmPrompt;
    QLabel* m_etaLabel = nullptr;
    QFrame* m_startHint = nullptr;
    DocsWindow* m_docs = nullptr;
};

} // namespace conlab::ui
