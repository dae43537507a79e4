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

namespace conlab::ui {

namespace {
constexpr int kMaxRecent = 8;

QString formatEta(double s) {
    if (s < 0) return QStringLiteral("…");
    if (s < 60) return QStringLiteral("%1 s").arg(qCeil(s));
    return QStringLiteral("%1 min %2 s").arg(int(s) / 60).arg(int(s) % 60);
}

bool isResultsFile(const QUrl& url) {
    return url.isLocalFile() && url.toLocalFile().endsWith(QLatin1String(".json"), Qt::CaseInsensitive);
}

// Worth an autosave: a run that finished (also with errors), or a stopped one with tasks done.
bool hasFinishedResults(const Experiment& ex) {
    for (const BackendRun& r : ex.runs) {
        if (!r.cancelled) return true;
        for (const RepetitionResult& rep : r.repetitions)
            if (rep.tasksDone > 0) return true;
    }
    return false;
}
} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), m_controller(new EngineController(this)) {
    setObjectName(QStringLiteral("MainWindow"));
    setAcceptDrops(true);
    buildUi();
    buildMenus();

    connect(m_controller, &EngineController::runningChanged, this, [this](bool) { updateRunEnabled(); });
    connect(m_controller, &EngineController::snapshotAvailable, this,
            [this](const QString& backend, int repetition, const Snapshot& snapshot) {
                if (!m_liveSweepTabs) m_throughput->addSnapshot(backend, repetition, snapshot);
            });
    connect(m_controller, &EngineController::progress, this, &MainWindow::onProgress);
    connect(m_controller, &EngineController::backendFinished, this, &MainWindow::onBackendFinished);
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

void MainWindow::buildUi() {
    // Left: workload + backends + run controls, scrollable on small screens.
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    auto* workloadBox = new QGroupBox(tr("Workload"));
    auto* wl = new QVBoxLayout(workloadBox);
    m_panel = new WorkloadPanel;
    wl->addWidget(m_panel);
    leftLayout->addWidget(workloadBox);
    m_sweepPanel = new SweepPanel;
    leftLayout->addWidget(m_sweepPanel);
    auto* backendBox = new QGroupBox(tr("Backends"));
    auto* bl = new QVBoxLayout(backendBox);
    m_picker = new BackendPicker;
    bl->addWidget(m_picker);
    leftLayout->addWidget(backendBox, 1);

    auto* buttons = new QHBoxLayout;
    m_runButton = new QPushButton(tr("Run"));
    m_runButton->setObjectName(QStringLiteral("runButton"));
    m_runButton->setToolTip(tr("Run the workload on every selected backend, one after another (Ctrl+R)"));
    m_runButton->setDefault(true);
    m_stopButton = new QPushButton(tr("Stop"));
    m_stopButton->setObjectName(QStringLiteral("stopButton"));
    m_stopButton->setToolTip(tr("Stop the run; what completed so far is kept as a partial result (Esc)"));
    buttons->addWidget(m_runButton, 2);
    buttons->addWidget(m_stopButton, 1);
    leftLayout->addLayout(buttons);
    m_blockedLabel = new QLabel;
    m_blockedLabel->setObjectName(QStringLiteral("runBlockedReason"));
    m_blockedLabel->setWordWrap(true);
    m_blockedLabel->setStyleSheet(QStringLiteral("color: #D55E00;"));
    leftLayout->addWidget(m_blockedLabel);

    auto* scroll = new QScrollArea;
    scroll->setWidget(left);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setMinimumWidth(left->sizeHint().width() + 24);

    // Right: plot tabs over the table.
    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("plotTabs"));
    m_breakdown = new BreakdownView;
    m_throughput = new ThroughputView;
    m_timeline = new TimelineView;
    m_tabs->addTab(m_breakdown, tr("Overhead breakdown"));
    m_tabs->addTab(m_throughput, tr("Live throughput"));
    m_tabs->addTab(m_timeline, tr("Timeline"));
    m_sweepSpeedup = new SweepView(FigureKind::SweepSpeedup);
    m_sweepThroughput = new SweepView(FigureKind::SweepThroughput);
    m_sweepPhases = new SweepPhasesView;
    m_tabs->addTab(m_sweepSpeedup, tr("Speedup vs parameter"));
    m_tabs->addTab(m_sweepThroughput, tr("Throughput vs parameter"));
    m_tabs->addTab(m_sweepPhases, tr("Phases vs parameter"));
    for (PlotView* v : {static_cast<PlotView*>(m_breakdown), static_cast<PlotView*>(m_throughput),
                        static_cast<PlotView*>(m_timeline), static_cast<PlotView*>(m_sweepSpeedup),
                        static_cast<PlotView*>(m_sweepThroughput), static_cast<PlotView*>(m_sweepPhases)})
        connect(v, &PlotView::exportRequested, this, &MainWindow::exportFigureDialog);

    m_model = new ResultsModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ResultsModel::SortRole);
    m_table = new QTableView;
    m_table->setObjectName(QStringLiteral("resultsTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // engine order until the user sorts
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto* copy = new QAction(tr("Copy"), m_table);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, &MainWindow::copyTable);
    m_table->addAction(copy);

    m_rightSplitter = new QSplitter(Qt::Vertical);
    m_rightSplitter->setObjectName(QStringLiteral("rightSplitter"));
    m_breakEven = new BreakEvenTable;
    m_bottom = new QStackedWidget;
    m_bottom->setObjectName(QStringLiteral("bottomStack"));
    m_bottom->addWidget(m_table);
    m_bottom->addWidget(m_breakEven);
    m_rightSplitter->addWidget(m_tabs);
    m_rightSplitter->addWidget(m_bottom);
    m_rightSplitter->setStretchFactor(0, 3);
    m_rightSplitter->setStretchFactor(1, 1);

    m_mainSplitter = new QSplitter(Qt::Horizontal);
    m_mainSplitter->setObjectName(QStringLiteral("mainSplitter"));
    m_mainSplitter->addWidget(scroll);
    m_mainSplitter->addWidget(m_rightSplitter);
    m_mainSplitter->setStretchFactor(0, 0);
    m_mainSplitter->setStretchFactor(1, 1);

    // Above everything: the restore bar, shown after a session that did not quit cleanly.
    m_restoreBar = new QFrame;
    m_restoreBar->setObjectName(QStringLiteral("restoreBar"));
    m_restoreBar->setStyleSheet(QStringLiteral("QFrame#restoreBar { background: rgba(86, 180, 233, 40); "
                                               "border: 1px solid #56B4E9; border-radius: 4px; }"));
    auto* rl = new QHBoxLayout(m_restoreBar);
    rl->setContentsMargins(8, 6, 8, 6);
    auto* icon = new QLabel;
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxInformation).pixmap(24, 24));
    icon->setStyleSheet(QStringLiteral("border: none; background: transparent;"));
    rl->addWidget(icon, 0, Qt::AlignTop);
    m_restoreText = new QLabel;
    m_restoreText->setObjectName(QStringLiteral("restoreText"));
    m_restoreText->setWordWrap(true);
    m_restoreText->setTextFormat(Qt::RichText);
    m_restoreText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_restoreText->setStyleSheet(QStringLiteral("border: none; background: transparent;"));
    rl->addWidget(m_restoreText, 1);
    m_restoreButton = new QToolButton;
    m_restoreButton->setObjectName(QStringLiteral("restoreButton"));
    m_restoreButton->setText(tr("Restore"));
    m_restoreButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_restoreMenu = new QMenu(m_restoreButton); // set on the button when there is a choice
    connect(m_restoreButton, &QToolButton::clicked, this, [this] {
        if (m_restoreEntries.empty()) return;
        QString error;
        if (!restoreAutosave(m_restoreEntries.front().path, &error))
            m_restoreText->setText(tr("<b>Cannot restore:</b> %1").arg(error.toHtmlEscaped()));
    });
    rl->addWidget(m_restoreButton, 0, Qt::AlignVCenter);
    m_discardButton = new QPushButton(tr("Discard"));
    m_discardButton->setObjectName(QStringLiteral("discardButton"));
    m_discardButton->setToolTip(tr("Do not offer these again (they stay under File → Open autosaved until "
                                   "newer autosaves replace them)"));
    connect(m_discardButton, &QPushButton::clicked, this, &MainWindow::discardRestore);
    rl->addWidget(m_discardButton, 0, Qt::AlignVCenter);
    m_restoreBar->hide();

    auto* central = new QWidget;
    auto* cl = new QVBoxLayout(central);
    cl->setContentsMargins(0, 0, 0, 0);
    cl->setSpacing(4);
    cl->addWidget(m_restoreBar);
    cl->addWidget(m_mainSplitter, 1);
    setCentralWidget(central);

    m_statusLabel = new QLabel(tr("Ready"));
    m_statusLabel->setObjectName(QStringLiteral("runStatus"));
    statusBar()->addWidget(m_statusLabel, 1);
    m_progress = new QProgressBar;
    m_progress->setObjectName(QStringLiteral("runProgress"));
    m_progress->setMinimumWidth(320);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setFormat(tr("idle"));
    m_progress->setTextVisible(true);
    statusBar()->addPermanentWidget(m_progress);

    // Beside the plots: the lesson (explanation and verdict) and the advisor.
    m_lessonDock = new QDockWidget(tr("Lesson"), this);
    m_lessonDock->setObjectName(QStringLiteral("lessonDock"));
    auto* lesson = new QWidget;
    auto* ll = new QVBoxLayout(lesson);
    m_lessonTitle = new QLabel;
    m_lessonTitle->setObjectName(QStringLiteral("lessonTitle"));
    m_lessonTitle->setWordWrap(true);
    QFont bold = m_lessonTitle->font();
    bold.setBold(true);
    m_lessonTitle->setFont(bold);
    m_lessonExplanation = new QLabel;
    m_lessonExplanation->setObjectName(QStringLiteral("lessonExplanation"));
    m_lessonExplanation->setWordWrap(true);
    m_lessonVerdict = new QLabel;
    m_lessonVerdict->setObjectName(QStringLiteral("lessonVerdict"));
    m_lessonVerdict->setWordWrap(true);
    m_lessonVerdict->setTextFormat(Qt::RichText);
    for (QLabel* l : {m_lessonTitle, m_lessonExplanation, m_lessonVerdict}) {
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
        l->setAlignment(Qt::AlignTop | Qt::AlignLeft);
        ll->addWidget(l);
    }
    ll->addStretch(1);
    auto* lessonScroll = new QScrollArea; // a long verdict scrolls instead of being cut off
    lessonScroll->setWidget(lesson);
    lessonScroll->setWidgetResizable(true);
    lessonScroll->setFrameShape(QFrame::NoFrame);
    m_lessonDock->setWidget(lessonScroll);
    m_lessonDock->setMinimumWidth(260);
    addDockWidget(Qt::RightDockWidgetArea, m_lessonDock);
    m_lessonDock->hide();

    m_advisorDock = new QDockWidget(tr("Advisor"), this);
    m_advisorDock->setObjectName(QStringLiteral("advisorDock"));
    m_advisorText = new QTextBrowser;
    m_advisorText->setObjectName(QStringLiteral("advisorText"));
    m_advisorText->setOpenLinks(false);
    m_advisorText->setPlaceholderText(
        tr("After a run or a sweep: the best backend, the dominant overhead of each slower one and the one "
           "change most likely to help, derived from the measured numbers."));
    m_advisorDock->setWidget(m_advisorText);
    m_advisorDock->setMinimumWidth(260);
    addDockWidget(Qt::RightDockWidgetArea, m_advisorDock);
    setSweepTabs(false);
    resize(1400, 900);
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open experiment…"), this, &MainWindow::openDialog);
    open->setShortcut(QKeySequence::Open);
    m_recentMenu = file->addMenu(tr("Open &recent"));
    m_autosaveMenu = file->addMenu(tr("Open a&utosaved"));
    m_autosaveMenu->setObjectName(QStringLiteral("autosaveMenu"));
    m_autosaveMenu->setToolTipsVisible(true);
    m_autosaveMenu->setEnabled(false);
    connect(m_autosaveMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildAutosaveMenu);
    m_saveAction = file->addAction(tr("&Save experiment"), this, [this] { save(); });
    m_saveAction->setShortcut(QKeySequence::Save);
    m_saveAsAction = file->addAction(tr("Save experiment &as…"), this, [this] { saveAsDialog(); });
    m_saveAsAction->setShortcut(QKeySequence::SaveAs);
    file->addSeparator();
    QAction* report = file->addAction(tr("Export &report…"), this, &MainWindow::exportReportDialog);
    report->setShortcut(QKeySequence(tr("Ctrl+Shift+E")));
    QMenu* exp = file->addMenu(tr("&Export"));
    QAction* fig = exp->addAction(tr("Current &figure (PNG, PDF, SVG)…"), this, [this] {
        if (auto* v = qobject_cast<PlotView*>(m_tabs->currentWidget())) exportFigureDialog(v->kind());
    });
    fig->setShortcut(QKeySequence(tr("Ctrl+E")));
    QAction* data = exp->addAction(tr("&Data (CSV, JSON)…"), this, &MainWindow::exportDataDialog);
    m_traceAction = exp->addAction(tr("&Timeline trace for Perfetto…"), this, &MainWindow::exportTraceDialog);
    m_needResults = {m_saveAction, m_saveAsAction, report, fig, data};
    file->addSeparator();
    file->addAction(tr("&Quit"), this, &QWidget::close)->setShortcut(QKeySequence::Quit);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    m_runAction = run->addAction(tr("&Run"), this, [this] {
        QString error;
        if (!startRun(&error)) statusBar()->showMessage(error, 5000);
    });
    m_runAction->setShortcut(QKeySequence(tr("Ctrl+R")));
    m_stopAction = run->addAction(tr("&Stop"), m_controller, &EngineController::stop);
    m_stopAction->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(m_runButton, &QPushButton::clicked, m_runAction, &QAction::trigger);
    connect(m_stopButton, &QPushButton::clicked, m_stopAction, &QAction::trigger);
    run->addSeparator();
    QAction* all = run->addAction(tr("Select &all backends"), m_picker, &BackendPicker::selectAll);
    Q_UNUSED(all);
    run->addAction(tr("Select &native backends"), m_picker, &BackendPicker::selectNative);
    run->addAction(tr("Select &Python backends"), m_picker, &BackendPicker::selectPython);
    run->addSeparator();
    run->addAction(tr("Python &interpreter…"), this, &MainWindow::pythonPathDialog);

    m_lessonsMenu = menuBar()->addMenu(tr("&Lessons"));
    m_lessonsMenu->setObjectName(QStringLiteral("lessonsMenu"));
    m_lessonsMenu->setToolTipsVisible(true);
    buildLessonsMenu();

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* reset = view->addAction(tr("&Reset plot view"), this, [this] {
        if (auto* v = qobject_cast<PlotView*>(m_tabs->currentWidget())) v->resetView();
    });
    reset->setShortcut(QKeySequence(tr("Ctrl+0")));
    view->addAction(tr("Copy results &table"), this, &MainWindow::copyTable);
    view->addSeparator();
    view->addAction(m_lessonDock->toggleViewAction());
    view->addAction(m_advisorDock->toggleViewAction());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Concurrency Lab"), this, [this] {
        QMessageBox::about(
            this, tr("About Concurrency Lab"),
            tr("<b>Concurrency Lab %1</b><br>Where does the time go on each concurrency backend?<br><br>"
               "Phases: spawn, IPC, compute and idle partition every worker's lifetime; "
               "see docs/measurement.md for every number shown.")
                .arg(QStringLiteral(CONLAB_VERSION)));
    });

    auto* tb = addToolBar(tr("Main"));
    tb->setObjectName(QStringLiteral("mainToolbar"));
    tb->setMovable(false);
    tb->addAction(open);
    tb->addAction(m_saveAction);
    tb->addSeparator();
    tb->addAction(m_runAction);
    tb->addAction(m_stopAction);
    tb->addSeparator();
    tb->addAction(report);
    tb->addAction(fig);
}

// ------------------------------------------------------------------ state

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
    m_panel->setEnabled(!running);
    m_picker->setEnabled(!running);
    m_sweepPanel->setEnabled(!running);
    for (QAction* a : m_lessonsMenu->actions())
        a->setEnabled(!running && a->property("conlabCanRun").toBool());
    const bool haveResults = (m_experiment.has_value() || m_sweep.has_value()) && !running;
    for (QAction* a : std::as_const(m_needResults))
        a->setEnabled(haveResults);
    m_traceAction->setEnabled(m_experiment.has_value() && !running);
}

void MainWindow::updateTitle() {
    QString name;
    if (!m_file.isEmpty())
        name = QFileInfo(m_file).fileName();
    else if (m_lessonInfo.contains(QLatin1String("lesson")))
        name = tr("Lesson %1").arg(m_lessonInfo.value(QLatin1String("lesson")).toString());
    else if (m_sweep)
        name = tr("Untitled sweep");
    else if (m_experiment)
        name = tr("Untitled experiment");
    setWindowTitle(name.isEmpty() ? tr("Concurrency Lab[*]") : tr("%1[*] — Concurrency Lab").arg(name));
}

void MainWindow::clearResults() {
    m_experiment.reset();
    m_sweep.reset();
    m_lessonInfo = QJsonObject();
    m_model->clear();
    m_throughput->clear();
    m_breakdown->clear();
    m_timeline->clear();
    m_sweepSpeedup->clear();
    m_sweepThroughput->clear();
    m_sweepPhases->clear();
    m_breakEven->clearSweep();
    setAdvice({});
    showLesson({}, false);
    m_statusLabel->setToolTip(QString());
}

void MainWindow::setExperiment(const Experiment& ex, const QString& file, bool modified) {
    m_sweep.reset();
    m_lessonInfo = QJsonObject();
    showLesson({}, false);
    setSweepTabs(false);
    m_experiment = ex;
    m_file = file;
    m_model->setExperiment(ex);
    m_throughput->setExperiment(ex);
    m_breakdown->setExperiment(ex);
    m_timeline->setExperiment(ex);
    QStringList advice;
    for (const std::string& line :
         advise(ex, ex.machine.onlineCores > 0 ? ex.machine.onlineCores : int(sysconf(_SC_NPROCESSORS_ONLN)))
             .lines)
        advice << QString::fromStdString(line);
    setAdvice(advice);
    setWindowModified(modified);
    updateTitle();
    updateRunEnabled();
    emit experimentChanged();
}

void MainWindow::setSweepResult(const SweepResult& sw, const QJsonObject& lessonInfo, const QString& file,
                                bool modified) {
    m_sweep = sw;
    m_lessonInfo = lessonInfo;
    m_file = file;
    const bool several = sw.values.size() > 1;
    QStringList advice;
    if (several) {
        m_experiment.reset();
        m_model->clear();
        m_sweepSpeedup->setSweep(sw);
        m_sweepThroughput->setSweep(sw);
        m_sweepPhases->setSweep(sw);
        m_breakEven->setSweep(sw);
        for (const std::string& line : adviseSweep(sw))
            advice << QString::fromStdString(line);
    } else {
        // A comparison (one value): the run views show its one point.
        Experiment ex;
        ex.machine = sw.machine;
        ex.calibration = sw.calibration;
        ex.createdUtc = sw.createdUtc;
        ex.conlabVersion = CONLAB_VERSION;
        ex.spec = sw.base;
        if (!sw.points.empty()) {
            ex.spec = sw.points.front().spec;
            ex.runs = sw.points.front().runs;
        }
        m_experiment = ex;
        m_model->setExperiment(ex);
        m_throughput->setExperiment(ex);
        m_breakdown->setExperiment(ex);
        m_timeline->setExperiment(ex);
        for (const std::string& line :
             advise(ex,
                    ex.machine.onlineCores > 0 ? ex.machine.onlineCores : int(sysconf(_SC_NPROCESSORS_ONLN)))
                 .lines)
            advice << QString::fromStdString(line);
    }
    setSweepTabs(several);
    setAdvice(advice);
    showLesson(lessonInfo, false);
    setWindowModified(modified);
    updateTitle();
    updateRunEnabled();
    emit experimentChanged();
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

void MainWindow::setAdvice(const QStringList& lines) {
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
    m_lessonExplanation->setText(info.value(QLatin1String("explanation")).toString());
    if (running) {
        m_lessonVerdict->setText(
            tr("<i>Running… the verdict is computed from the measurements when the lesson "
               "finishes.</i>"));
    } else {
        const bool holds = info.value(QLatin1String("holds")).toBool();
        m_lessonVerdict->setText(tr("<b style=\"color:%1\">%2</b><br>%3")
                                     .arg(holds ? QStringLiteral("#009E73") : QStringLiteral("#D55E00"),
                                          holds ? tr("The claim holds on this machine.")
                                                : tr("The claim does not hold on this machine."),
                                          info.value(QLatin1String("verdict")).toString().toHtmlEscaped()));
    }
    if (!m_lessonDock->isVisible()) {
        m_lessonDock->show();
        // The lesson's text over the advisor's: most of the column goes to the lesson.
        const int h = std::max(400, centralWidget()->height());
        resizeDocks({m_lessonDock, m_advisorDock}, {h * 3 / 5, h * 2 / 5}, Qt::Vertical);
    }
}

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
    if (!m_pythonPath.isEmpty()) qputenv("CONLAB_PYTHON", m_pythonPath.toLocal8Bit());
    const WorkloadSpec spec = m_panel->spec();
    clearResults();
    setSweepTabs(false);
    m_liveSweepTabs = false;
    m_runningLesson.clear();
    m_file.clear();
    m_live = Experiment{};
    m_live.spec = spec;
    m_timeline->setExperiment(m_live);
    m_breakdown->setExperiment(m_live);
    if (!m_controller->start(spec, backends, error)) return false;
    m_tabs->setCurrentWidget(m_throughput);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setFormat(tr("starting…"));
    m_statusLabel->setText(tr("Calibrating and starting %1 backend(s)…").arg(backends.size()));
    setWindowModified(false);
    updateTitle();
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
    const WorkloadSpec base = m_panel->spec();
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
    m_panel->setSpec(lesson->base);
    m_picker->setSelectedBackends(backends);
    m_sweepPanel->showSweep(lesson->param, lesson->values, lesson->logScale);
    return beginSweep(lesson->base, lesson->param, lesson->values, lesson->logScale, backends, name, error);
}

bool MainWindow::beginSweep(const WorkloadSpec& base, SweepParam param, const std::vector<double>& values,
                            bool logScale, const QStringList& backends, const QString& lesson,
                            QString* error) {
    if (!m_pythonPath.isEmpty()) qputenv("CONLAB_PYTHON", m_pythonPath.toLocal8Bit());
    if (!m_controller->startSweep(base, param, values, logScale, backends, error)) return false;
    clearResults();
    m_file.clear();
    m_runningLesson = lesson;
    m_liveSweepTabs = values.size() > 1;
    setSweepTabs(m_liveSweepTabs);
    if (m_liveSweepTabs) {
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
    } else {
        m_live = Experiment{};
        m_live.spec = base;
        applySweepValue(m_live.spec, param, values.front());
        m_timeline->setExperiment(m_live);
        m_breakdown->setExperiment(m_live);
        m_tabs->setCurrentWidget(m_throughput);
    }
    if (const Lesson* l = findLesson(lesson.toStdString()))
        showLesson(QJsonObject{{"lesson", lesson},
                               {"lesson_title", QString::fromStdString(l->title)},
                               {"explanation", QString::fromStdString(l->explanation)}},
                   true);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setFormat(tr("starting…"));
    m_statusLabel->setText(
        lesson.isEmpty() ? tr("Calibrating and starting a sweep of %n point(s)…", nullptr, int(values.size()))
                         : tr("Running lesson %1…").arg(lesson));
    setWindowModified(false);
    updateTitle();
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
            a->setToolTip(QString::fromStdString(l.explanation));
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
    if (!m_liveSweepTabs) return; // a comparison: the run views follow backendFinished
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
        const LessonVerdict v = l->verdict(sw);
        info = QJsonObject{{"lesson", m_runningLesson},
                           {"lesson_title", QString::fromStdString(l->title)},
                           {"explanation", QString::fromStdString(l->explanation)},
                           {"verdict", QString::fromStdString(v.text)},
                           {"holds", v.holds}};
    }
    m_runningLesson.clear();
    m_liveSweepTabs = false;
    bool failed = false;
    for (const SweepPoint& p : sw.points)
        for (const BackendRun& r : p.runs)
            failed = failed || !r.error.empty();
    setSweepResult(sw, info, QString(), true);
    m_progress->setValue(m_progress->maximum());
    m_progress->setFormat(sw.cancelled
                              ? tr("stopped: %1 of %2 points").arg(sw.points.size()).arg(sw.values.size())
                              : tr("done"));
    m_statusLabel->setText(sw.cancelled ? tr("Stopped — the plots keep the %n finished point(s).", nullptr,
                                             int(sw.points.size()))
                           : failed     ? tr("Sweep finished with errors in some runs.")
                                        : tr("Sweep finished: %n point(s).", nullptr, int(sw.points.size())));
    if (!sw.points.empty()) autosaveSweep();
}

QByteArray MainWindow::sweepJsonBytes() const {
    QJsonObject extra;
    for (const char* key : {"lesson", "lesson_title", "explanation", "verdict", "holds"})
        if (m_lessonInfo.contains(QLatin1String(key)))
            extra.insert(QLatin1String(key), m_lessonInfo.value(QLatin1String(key)));
    return QJsonDocument(sweepToJson(*m_sweep, breakEvenPoints(*m_sweep), extra))
        .toJson(QJsonDocument::Indented);
}

void MainWindow::onProgress(const RunProgress& p) {
    const double fraction = p.overallTotal > 0 ? double(p.overallDone) / double(p.overallTotal) : 0;
    m_progress->setValue(int(fraction * 1000));
    m_progress->setFormat(
        tr("%L1 / %L2 tasks · ETA %3").arg(p.overallDone).arg(p.overallTotal).arg(formatEta(p.etaS)));
    QString point;
    if (p.sweepPointCount > 0)
        point = tr("Point %1 of %2 (%3 = %4) · ")
                    .arg(std::max(0, p.sweepPoint) + 1)
                    .arg(p.sweepPointCount)
                    .arg(QString::fromStdString(toString(m_sweepPanel->param())),
                         formatSweepTick(m_sweepPanel->param(), p.sweepValue));
    m_statusLabel->setText(point + tr("Running %1 (backend %2 of %3) · %4 %5 of %6 · %7 tasks/s")
                                       .arg(p.backend)
                                       .arg(p.backendIndex + 1)
                                       .arg(p.backendCount)
                                       .arg(p.warmup ? tr("warmup") : tr("repetition"))
                                       .arg(p.repetition + 1)
                                       .arg(p.repetitionCount)
                                       .arg(p.throughput, 0, 'f', 0));
}

void MainWindow::onBackendFinished(const BackendRun& run) {
    if (m_liveSweepTabs) return; // sweeps: whole points arrive through onSweepPoint
    m_model->upsertRun(run);
    m_live.runs.push_back(run);
    computeSpeedups(m_live);
    for (const BackendRun& r : m_live.runs)
        m_model->upsertRun(r); // speedups change when sequential finishes
    m_breakdown->setExperiment(m_live);
    m_timeline->setExperiment(m_live);
}

void MainWindow::onFinished(const Experiment& ex) {
    bool cancelled = false, failed = false;
    for (const BackendRun& r : ex.runs) {
        cancelled = cancelled || r.cancelled;
        failed = failed || !r.error.empty();
    }
    setExperiment(ex, QString(), true);
    m_tabs->setCurrentWidget(m_breakdown);
    m_progress->setValue(m_progress->maximum());
    m_progress->setFormat(cancelled ? tr("stopped: partial result") : tr("done"));
    m_statusLabel->setText(cancelled
                               ? tr("Stopped — the table and plots show what completed (partial result).")
                           : failed ? tr("Finished with errors — hover the Status column for details.")
                                    : tr("Finished %1 backend(s).").arg(ex.runs.size()));
    if (hasFinishedResults(ex)) autosaveExperiment(ex);
}

void MainWindow::onFailed(const QString& message) {
    m_progress->setValue(0);
    m_progress->setFormat(tr("failed"));
    m_statusLabel->setText(tr("Run failed: %1").arg(message));
    updateRunEnabled();
}

// ------------------------------------------------------------------ files

bool MainWindow::openFile(const QString& path, QString* error) {
    return loadFile(path, false, error);
}

// Opens a results file; `restoring` (an autosave) opens it as unsaved: no file name, `*` in the
// title, not in the recent files.
bool MainWindow::loadFile(const QString& path, bool restoring, QString* error) {
    LoadResult r = loadResultsFile(path); // validates the common part (and the size limit)
    if (!r.experiment) {
        if (error) *error = r.error;
        return false;
    }
    QFile f(path);
    const QByteArray bytes = f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    if (QJsonDocument::fromJson(bytes).object().contains(QLatin1String("sweep"))) {
        SweepLoad sl = sweepFromJsonBytes(bytes);
        if (!sl.sweep) {
            if (error) *error = path + QStringLiteral(": ") + sl.error;
            return false;
        }
        m_controller->discard();
        m_liveSweepTabs = false;
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
            for (const char* key : {"lesson", "lesson_title", "explanation", "verdict", "holds"})
                info.insert(QLatin1String(key), sl.extra.value(QLatin1String(key)));
        setSweepResult(sw, info, restoring ? QString() : QFileInfo(path).absoluteFilePath(), restoring);
    } else {
        m_controller->discard();
        m_liveSweepTabs = false;
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
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setFormat(tr("idle"));
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
    m_statusLabel->setText(r.note.isEmpty()
                               ? tr("Opened %1").arg(QFileInfo(path).fileName())
                               : tr("Opened %1 — older file: %2").arg(QFileInfo(path).fileName(), r.note));
    m_lastDir = QFileInfo(path).absolutePath();
    addRecentFile(QFileInfo(path).absoluteFilePath());
    return true;
}

bool MainWindow::saveFile(const QString& path, QString* error) {
    if (!m_experiment && !m_sweep) {
        if (error) *error = tr("Nothing to save: run an experiment first.");
        return false;
    }
    if (m_sweep) {
        if (!writeFileAtomically(path, sweepJsonBytes(), error)) return false;
    } else if (!saveResultsFile(path, *m_experiment, error)) {
        return false;
    }
    m_file = QFileInfo(path).absoluteFilePath();
    m_lastDir = QFileInfo(path).absolutePath();
    setWindowModified(false);
    updateTitle();
    addRecentFile(m_file);
    statusBar()->showMessage(tr("Saved %1").arg(m_file), 4000);
    // The user saved: what was autosaved so far is no longer offered after a crash.
    if (m_autosave) {
        m_autosave->acknowledge();
        m_restoreBar->hide();
        m_restoreEntries.clear();
    }
    return true;
}

// ------------------------------------------------------------------ autosave

void MainWindow::setAutosaveStore(AutosaveStore* store) {
    m_autosave = store;
    m_autosaveMenu->setEnabled(store != nullptr);
    if (!store) {
        m_restoreBar->hide();
        m_restoreEntries.clear();
    }
}

void MainWindow::autosaveExperiment(const Experiment& ex) {
    if (!m_autosave) return;
    QString error;
    const auto entry = m_autosave->save(ex, &error);
    noteAutosave(entry, error);
}

void MainWindow::autosaveSweep() {
    if (!m_autosave || !m_sweep) return;
    QString error;
    const auto entry = m_autosave->saveSweep(sweepJsonBytes(),
                                             m_lessonInfo.value(QLatin1String("lesson")).toString(), &error);
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
    m_restoreEntries = pending.entries;
    if (pending.empty()) {
        m_restoreBar->hide();
        return;
    }
    QString text = tr("<b>Concurrency Lab did not quit cleanly last time.</b> ");
    if (!m_restoreEntries.empty()) {
        const AutosaveEntry& e = m_restoreEntries.front();
        text += tr("Its last result was autosaved at %1: %2.")
                    .arg(e.savedUtc.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                         e.summary.toHtmlEscaped());
        if (m_restoreEntries.size() > 1)
            text += QLatin1Char(' ') + tr("%n older autosave(s) from that session: the arrow beside Restore "
                                          "lists them.",
                                          nullptr, int(m_restoreEntries.size() - 1));
    } else {
        text += tr("None of its autosaves can be restored.");
    }
    if (!pending.problems.isEmpty()) {
        QStringList shown = pending.problems.mid(0, 3);
        for (QString& p : shown)
            p = p.toHtmlEscaped();
        text += QStringLiteral("<br>") +
                tr("%n damaged autosave(s) skipped: ", nullptr, int(pending.problems.size())) +
                shown.join(QStringLiteral("; "));
        if (pending.problems.size() > 3) text += QStringLiteral("; …");
    }
    m_restoreText->setText(text);
    QMenu* menu = m_restoreMenu;
    menu->clear();
    for (const AutosaveEntry& e : m_restoreEntries) {
        const QString path = e.path;
        QAction* a = menu->addAction(QStringLiteral("%1: %2").arg(e.label(), e.summary), this, [this, path] {
            QString error;
            if (!restoreAutosave(path, &error))
                m_restoreText->setText(tr("<b>Cannot restore:</b> %1").arg(error.toHtmlEscaped()));
        });
        a->setToolTip(path);
    }
    m_restoreButton->setVisible(!m_restoreEntries.empty());
    m_restoreButton->setMenu(m_restoreEntries.size() > 1 ? m_restoreMenu : nullptr);
    // Without a choice, a plain button (MenuButtonPopup always draws the arrow).
    m_restoreButton->setPopupMode(m_restoreEntries.size() > 1 ? QToolButton::MenuButtonPopup
                                                              : QToolButton::DelayedPopup);
    m_restoreButton->setToolTip(m_restoreEntries.empty() ? QString()
                                                         : tr("Open %1").arg(m_restoreEntries.front().path));
    m_discardButton->setText(m_restoreEntries.empty() ? tr("Dismiss") : tr("Discard"));
    m_restoreBar->show();
}

bool MainWindow::restoreAutosave(const QString& path, QString* error) {
    if (m_controller->isRunning()) {
        if (error) *error = tr("A run is in progress.");
        return false;
    }
    if (!loadFile(path, true, error)) return false;
    if (m_autosave) m_autosave->acknowledge();
    m_restoreBar->hide();
    m_restoreEntries.clear();
    return true;
}

void MainWindow::discardRestore() {
    if (m_autosave) m_autosave->acknowledge();
    m_restoreBar->hide();
    m_restoreEntries.clear();
}

void MainWindow::rebuildAutosaveMenu() {
    m_autosaveMenu->clear();
    if (!m_autosave) return;
    const auto all = m_autosave->entries();
    for (const AutosaveEntry& e : all) {
        const QString path = e.path;
        QAction* a = m_autosaveMenu->addAction(e.label(), this, [this, path] {
            QString error;
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
    const QString path = QFileDialog::getOpenFileName(this, tr("Open experiment"), m_lastDir,
                                                      tr("Concurrency Lab results (*.json);;All files (*)"));
    if (path.isEmpty()) return;
    QString error;
    if (!openFile(path, &error)) QMessageBox::warning(this, tr("Cannot open experiment"), error);
}

bool MainWindow::save() {
    if (m_file.isEmpty()) return saveAsDialog();
    QString error;
    if (!saveFile(m_file, &error)) {
        QMessageBox::warning(this, tr("Cannot save experiment"), error);
        return false;
    }
    return true;
}

bool MainWindow::saveAsDialog() {
    const QString suggested =
        m_file.isEmpty() ? QDir(m_lastDir).filePath(QStringLiteral("experiment.json")) : m_file;
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

// ------------------------------------------------------------------ export

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
        if (!m_sweep || m_sweep->values.size() < 2) {
            if (error) *error = tr("Nothing to export: run a sweep first.");
            return false;
        }
        auto* view = static_cast<SweepView*>(viewFor(kind));
        auto figure = makeSweepFigure(kind, *m_sweep, view->sweepOptions(), PlotTheme::paper());
        if (view->userMovedView()) {
            figure->xAxis->setRange(view->plot()->xAxis->range());
            figure->yAxis->setRange(view->plot()->yAxis->range());
        }
        return saveFigure({figure.get()}, path, size, scale, error);
    }
    if (!m_experiment) {
        if (error) *error = tr("Nothing to export: run an experiment first.");
        return false;
    }
    PlotView* view = viewFor(kind);
    auto figure = makeFigure(kind, *m_experiment, view->figureOptions(), PlotTheme::paper());
    if (view->userMovedView()) { // keep the user's zoom
        figure->xAxis->setRange(view->plot()->xAxis->range());
        figure->yAxis->setRange(view->plot()->yAxis->range());
    }
    return saveFigure({figure.get()}, path, size, scale, error);
}

bool MainWindow::exportData(const QString& path, QString* error) {
    if (!m_experiment && !m_sweep) {
        if (error) *error = tr("Nothing to export: run an experiment first.");
        return false;
    }
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (m_sweep) {
        if (suffix == QLatin1String("csv"))
            return writeFileAtomically(path, QByteArray::fromStdString(formatSweepCsv(*m_sweep)), error);
        if (suffix == QLatin1String("json")) return writeFileAtomically(path, sweepJsonBytes(), error);
        if (error) *error = tr("%1: unknown data format (allowed: .csv, .json)").arg(path);
        return false;
    }
    if (suffix == QLatin1String("csv"))
        return writeFileAtomically(path, QByteArray::fromStdString(formatCsv(*m_experiment)), error);
    if (suffix == QLatin1String("json")) return saveResultsFile(path, *m_experiment, error);
    if (error) *error = tr("%1: unknown data format (allowed: .csv, .json)").arg(path);
    return false;
}

bool MainWindow::exportTrace(const QString& path, QString* error) {
    if (!m_experiment) {
        if (error) *error = tr("Nothing to export: run an experiment first.");
        return false;
    }
    return writeFileAtomically(path, chromeTraceJson(*m_experiment), error);
}

bool MainWindow::exportReportTo(const QString& dir, QString* error) {
    if (m_sweep && m_sweep->values.size() > 1)
        return exportSweepReport(dir, *m_sweep, sweepJsonBytes(), m_lessonInfo, m_sweepPhases->sweepOptions(),
                                 error);
    if (!m_experiment) {
        if (error) *error = tr("Nothing to export: run an experiment first.");
        return false;
    }
    FigureOptions options = m_breakdown->figureOptions();
    const FigureOptions t = m_timeline->figureOptions();
    options.timelineRun = t.timelineRun;
    options.timelineRep = t.timelineRep;
    return exportReport(dir, *m_experiment, options, error);
}

void MainWindow::exportFigureDialog(FigureKind kind) {
    if (isSweepFigure(kind) ? !m_sweep : !m_experiment) {
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
    QString path = QFileDialog::getSaveFileName(
        this, tr("Export data"),
        QDir(m_lastDir).filePath(m_sweep ? QStringLiteral("sweep.csv") : QStringLiteral("results.csv")),
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
    QApplication::clipboard()->setText(ResultsModel::toTsv(m_proxy, rows));
    statusBar()->showMessage(
        tr("Copied %1 row(s) as tab-separated text").arg(rows.isEmpty() ? m_proxy->rowCount() : rows.size()),
        3000);
}

void MainWindow::pythonPathDialog() {
    bool ok = false;
    const QString path =
        QInputDialog::getText(this, tr("Python interpreter"),
                              tr("Interpreter used by the Python backends (empty = python3 on PATH):"),
                              QLineEdit::Normal, m_pythonPath, &ok);
    if (!ok) return;
    m_pythonPath = path.trimmed();
    saveSettings();
}

// ------------------------------------------------------------------ settings and events

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
    m_pythonPath = s.value(QStringLiteral("pythonPath")).toString();
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
    s.setValue(QStringLiteral("pythonPath"), m_pythonPath);
    s.setValue(QStringLiteral("lastDir"), m_lastDir);
    s.setValue(QStringLiteral("breakdownMode"), int(m_breakdown->mode()));
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (isWindowModified() && m_experiment) {
        const auto answer = QMessageBox::question(
            this, tr("Unsaved experiment"), tr("Save the experiment before quitting?"),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
        if (answer == QMessageBox::Cancel || (answer == QMessageBox::Save && !save())) {
            event->ignore();
            return;
        }
    }
    m_controller->discard();
    saveSettings();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (urls.size() == 1 && isResultsFile(urls.front())) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (urls.size() != 1 || !isResultsFile(urls.front())) return;
    event->acceptProposedAction();
    QString error;
    if (!openFile(urls.front().toLocalFile(), &error))
        QMessageBox::warning(this, tr("Cannot open experiment"), error);
}

void MainWindow::changeEvent(QEvent* event) {
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
