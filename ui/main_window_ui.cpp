// MainWindow: the widgets, menus and toolbar (built once, in the constructor).
#include "main_window.h"

#include "advisor.h"
#include "backend_picker.h"
#include "docs_window.h"
#include "export.h"
#include "fidelity_dialog.h"
#include "frozen_table.h"
#include "lessons.h"
#include "plot_views.h"
#include "report.h"
#include "results_json.h"
#include "results_model.h"
#include "run_presenter.h"
#include "sweep_panel.h"
#include "sweep_views.h"
#include "warning_banner.h"
#include "wheel_guard.h"
#include "workload_panel.h"

#include <QAction>
#include <QApplication>
#include <QBoxLayout>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
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
#include <QGuiApplication>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QLayout>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
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

#include "export_actions.h"
#include "lessons.h"
#include "main_window_helpers.h"
#include "text_util.h"

namespace conlab::ui {

using namespace detail;

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

    guardWheel(left); // the wheel scrolls the form; it changes a field only when that has focus
    auto* scroll = new QScrollArea;
    scroll->setObjectName(QStringLiteral("setupScroll"));
    scroll->setWidget(left);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Narrow enough for 1024-pixel screens; the fields shrink, the form scrolls.
    scroll->setMinimumWidth(std::min(left->sizeHint().width() + 24, 300));

    // Under the scrolling form, always in view: Run / Stop and why Run is disabled.
    auto* column = new QWidget;
    column->setObjectName(QStringLiteral("setupPanel"));
    auto* columnLayout = new QVBoxLayout(column);
    columnLayout->setContentsMargins(0, 0, 0, 0);
    columnLayout->addWidget(scroll, 1);
    auto* buttons = new QHBoxLayout;
    buttons->setContentsMargins(9, 0, 9, 0);
    m_runButton = new QPushButton(tr("Run"));
    m_runButton->setObjectName(QStringLiteral("runButton"));
    m_runButton->setToolTip(tr("Run the workload on every selected backend, one after another (Ctrl+R)"));
    m_runButton->setDefault(true);
    m_runButton->setMinimumHeight(32);
    m_stopButton = new QPushButton(tr("Stop"));
    m_stopButton->setObjectName(QStringLiteral("stopButton"));
    m_stopButton->setToolTip(tr("Stop the run; what completed so far is kept as a partial result (Esc)"));
    m_stopButton->setMinimumHeight(32);
    buttons->addWidget(m_runButton, 2);
    buttons->addWidget(m_stopButton, 1);
    columnLayout->addLayout(buttons);
    m_blockedLabel = new QLabel;
    m_blockedLabel->setObjectName(QStringLiteral("runBlockedReason"));
    m_blockedLabel->setWordWrap(true);
    m_blockedLabel->setContentsMargins(9, 0, 9, 4);
    m_blockedLabel->setStyleSheet(QStringLiteral("color: #D55E00;"));
    columnLayout->addWidget(m_blockedLabel);
    m_etaLabel = new QLabel;
    m_etaLabel->setObjectName(QStringLiteral("runEstimate"));
    m_etaLabel->setContentsMargins(9, 0, 9, 4);
    m_etaLabel->setEnabled(false); // secondary text
    m_etaLabel->setToolTip(tr("A rough estimate from the workload, the backends and the core count"));
    columnLayout->addWidget(m_etaLabel);
    m_setupPanel = column;

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

    m_model = new ResultsModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ResultsModel::SortRole);
    m_table = new FrozenColumnTable; // the backend column stays in view
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
    // While a baseline is compared (File → Compare with baseline…): what, and a way out.
    m_baselineBar = new QLabel;
    m_baselineBar->setObjectName(QStringLiteral("baselineBar"));
    m_baselineBar->setWordWrap(true);
    m_baselineBar->setTextFormat(Qt::RichText);
    m_baselineBar->setContentsMargins(6, 3, 6, 3);
    m_baselineBar->setVisible(false);
    connect(m_baselineBar, &QLabel::linkActivated, this, [this] { clearBaseline(); });
    auto* bottomPanel = new QWidget;
    auto* bottomLayout = new QVBoxLayout(bottomPanel);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->setSpacing(0);
    bottomLayout->addWidget(m_baselineBar);
    bottomLayout->addWidget(m_bottom, 1);
    m_rightSplitter->addWidget(m_tabs);
    m_rightSplitter->addWidget(bottomPanel);
    m_rightSplitter->setStretchFactor(0, 3);
    m_rightSplitter->setStretchFactor(1, 1);

    m_mainSplitter = new QSplitter(Qt::Horizontal);
    m_mainSplitter->setObjectName(QStringLiteral("mainSplitter"));
    m_mainSplitter->addWidget(column);
    m_mainSplitter->addWidget(m_rightSplitter);
    m_mainSplitter->setCollapsible(0, true); // drag it away, or View → Setup panel (F9)
    m_mainSplitter->setCollapsible(1, false);
    m_mainSplitter->setStretchFactor(0, 0);
    m_mainSplitter->setStretchFactor(1, 1);

    // Above everything: the restore bar, shown after a session that did not quit cleanly.
    m_restoreBar = new RestoreBar;
    connect(m_restoreBar, &RestoreBar::restoreRequested, this, [this](const QString& path) {
        if (!maybeSave(tr("restoring the autosave"))) return;
        QString error;
        if (!restoreAutosave(path, &error)) m_restoreBar->showRestoreFailure(error);
    });
    connect(m_restoreBar, &RestoreBar::discarded, this, &MainWindow::discardRestore);

    auto* central = new QWidget;
    auto* cl = new QVBoxLayout(central);
    cl->setContentsMargins(0, 0, 0, 0);
    cl->setSpacing(4);
    cl->addWidget(m_restoreBar);
    cl->addWidget(buildStartHint());
    // Over the results: what makes them untrustworthy (hidden when nothing does).
    m_warningBanner = new WarningBanner;
    cl->addWidget(m_warningBanner);
    cl->addWidget(m_mainSplitter, 1);
    setCentralWidget(central);

    m_statusLabel = new QLabel(tr("Ready"));
    // A long status line is cut, never widens the window.
    m_statusLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_statusLabel->setMinimumWidth(0);
    m_statusLabel->setObjectName(QStringLiteral("runStatus"));
    statusBar()->addWidget(m_statusLabel, 1);
    m_progress = new QProgressBar;
    m_progress->setObjectName(QStringLiteral("runProgress"));
    m_progress->setMinimumWidth(220);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setFormat(tr("idle"));
    m_progress->setTextVisible(true);
    statusBar()->addPermanentWidget(m_progress);
    m_runPresenter = new RunPresenter(m_progress, m_statusLabel, m_throughput, this);

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
    m_lessonDock->setMinimumWidth(200);
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
    m_advisorDock->setMinimumWidth(200);
    m_advisorDock->setMinimumHeight(90);
    // Beside the plots on wide screens, below them on small screens (< 1200 px): the plots keep their
    // width. The user can move it; the layout is remembered.
    const QScreen* screen = QGuiApplication::primaryScreen();
    const bool narrow = screen && screen->availableGeometry().width() < 1200;
    addDockWidget(narrow ? Qt::BottomDockWidgetArea : Qt::RightDockWidgetArea, m_advisorDock);
    setSweepTabs(false);
    // Plot toolbars: hints wrap and combo boxes shrink instead of setting a minimum width.
    for (PlotView* v : findChildren<PlotView*>()) {
        for (QLabel* l : v->findChildren<QLabel*>()) {
            if (l->text().size() < 20) continue; // "Backend:", "Show:"
            l->setWordWrap(true);
            l->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        }
        for (QComboBox* c : v->findChildren<QComboBox*>()) {
            c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
            c->setMinimumContentsLength(8);
        }
        for (QLayout* l : v->findChildren<QLayout*>()) // the toolbars' cached minimum widths
            l->invalidate();
    }
    if (screen) { // 1400×900, or 90 % of a smaller screen
        const QSize avail = screen->availableGeometry().size();
        resize(std::min(1400, avail.width() * 9 / 10), std::min(900, avail.height() * 9 / 10));
    } else {
        resize(1400, 900);
    }
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
    QAction* baseline = file->addAction(tr("&Compare with baseline…"), this, &MainWindow::baselineDialog);
    baseline->setObjectName(QStringLiteral("compareBaselineAction"));
    baseline->setToolTip(tr("Compare the results with a saved run: ratio and verdict columns, ghosted bars"));
    m_clearBaselineAction = file->addAction(tr("C&lear baseline"), this, &MainWindow::clearBaseline);
    m_clearBaselineAction->setObjectName(QStringLiteral("clearBaselineAction"));
    m_clearBaselineAction->setEnabled(false);
    file->addSeparator();
    m_saveAction = file->addAction(tr("&Save experiment"), this, [this] { save(); });
    m_saveAction->setShortcut(QKeySequence::Save);
    m_saveAsAction = file->addAction(tr("Save experiment &as…"), this, [this] { saveAsDialog(); });
    m_saveAsAction->setShortcut(QKeySequence::SaveAs);
    file->addSeparator();
    m_exports = new ExportActions(
        *m_document, m_tabs, [this] { return m_lastDir; }, this);
    connect(m_exports, &ExportActions::statusMessage, statusBar(), &QStatusBar::showMessage);
    connect(m_exports, &ExportActions::directoryChosen, this,
            [this](const QString& dir) { m_lastDir = dir; });
    QAction* report = m_exports->reportAction();
    file->addAction(report);
    QMenu* exp = file->addMenu(tr("&Export"));
    QAction* fig = m_exports->currentFigureAction();
    exp->addAction(fig);
    exp->addAction(m_exports->dataAction());
    exp->addAction(m_exports->traceAction());
    m_needResults = {m_saveAction, m_saveAsAction};
    file->addSeparator();
    file->addAction(tr("&Quit"), this, &QWidget::close)->setShortcut(QKeySequence::Quit);

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    m_runAction = run->addAction(tr("&Run"), this, [this] {
        if (!confirmLongOrOddRun()) return;
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
    m_setupPanelAction = view->addAction(tr("&Setup panel"));
    m_setupPanelAction->setObjectName(QStringLiteral("setupPanelAction"));
    m_setupPanelAction->setCheckable(true);
    m_setupPanelAction->setChecked(true);
    m_setupPanelAction->setShortcut(QKeySequence(Qt::Key_F9));
    m_setupPanelAction->setToolTip(tr("Show or hide the workload, sweep and backend panel (F9)"));
    connect(m_setupPanelAction, &QAction::toggled, this, [this](bool on) {
        m_setupPanel->setVisible(on);
        QList<int> sizes = m_mainSplitter->sizes();
        if (on && sizes.size() == 2 && sizes[0] == 0) { // collapsed by dragging: open it again
            const int w = std::max(m_setupPanel->minimumSizeHint().width(), 340);
            m_mainSplitter->setSizes({w, std::max(0, sizes[1] - w)});
        }
    });
    // Collapsed by dragging the splitter: the action follows.
    connect(m_mainSplitter, &QSplitter::splitterMoved, this,
            [this] { m_setupPanelAction->setChecked(m_mainSplitter->sizes().value(0) > 0); });
    view->addAction(m_lessonDock->toggleViewAction());
    view->addAction(m_advisorDock->toggleViewAction());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* docs = help->addAction(tr("&Documentation"), this, [this] { showDocumentation(); });
    docs->setObjectName(QStringLiteral("documentationAction"));
    docs->setShortcut(QKeySequence::HelpContents); // F1
    help->addAction(tr("What every &number means"), this,
                    [this] { showDocumentation(QStringLiteral("docs/measurement.md")); });
    // `conlab fidelity` in the app: its own thread, one dialog at a time (ui/fidelity_dialog.h).
    QAction* fidelity = help->addAction(tr("Check &measurements…"), this, [this] {
        auto* dialog = findChild<FidelityDialog*>();
        if (!dialog) {
            dialog = new FidelityDialog(false, this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->start();
        }
        dialog->show();
        dialog->raise();
    });
    fidelity->setObjectName(QStringLiteral("checkMeasurementsAction"));
    help->addSeparator();
    help->addAction(tr("&About Concurrency Lab"), this,
                    [this] { QMessageBox::about(this, tr("About Concurrency Lab"), aboutText()); });
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);

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
    // Toolbar tooltips name the shortcut ("Run (Ctrl+R)").
    for (QAction* a : tb->actions()) {
        if (a->isSeparator()) continue;
        QString tip = a->text().remove(QLatin1Char('&')).remove(QStringLiteral("…"));
        if (!a->shortcut().isEmpty())
            tip += QStringLiteral(" (%1)").arg(a->shortcut().toString(QKeySequence::NativeText));
        a->setToolTip(tip);
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

void MainWindow::showDocumentation(const QString& path) {
    if (!m_docs) m_docs = new DocsWindow(this);
    m_docs->showDocument(path);
    m_docs->show();
    m_docs->raise();
    m_docs->activateWindow();
}

// First launch (nothing run or opened yet): what to do, and three one-click experiments.
QWidget* MainWindow::buildStartHint() {
    m_startHint = new QFrame;
    m_startHint->setObjectName(QStringLiteral("startHint"));
    m_startHint->setStyleSheet(
        QStringLiteral("QFrame#startHint { border: 1px solid palette(mid); border-radius: 4px; }"));
    auto* l = new QHBoxLayout(m_startHint);
    l->setContentsMargins(8, 6, 8, 6);
    auto* text =
        new QLabel(tr("<b>Where does the time go?</b> Set up a workload on the left and press <b>Run</b> "
                      "(Ctrl+R), or start with a one-click experiment:"));
    text->setWordWrap(true);
    text->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    l->addWidget(text, 1);
    const struct {
        const char* lesson;
        const char* label;
    } experiments[] = {{"tiny-tasks", QT_TR_NOOP("Tiny tasks")},
                       {"gil", QT_TR_NOOP("The GIL")},
                       {"io-bound", QT_TR_NOOP("I/O-bound")}};
    for (const auto& e : experiments) {
        const QString name = QString::fromLatin1(e.lesson);
        const Lesson* lesson = findLesson(e.lesson);
        auto* b = new QPushButton(tr(e.label));
        b->setObjectName(QStringLiteral("start-") + name);
        b->setToolTip(lesson ? tooltipHtml(QString::fromStdString(lesson->title)) : QString());
        b->setEnabled(lesson && missingBackends(*lesson).empty());
        connect(b, &QPushButton::clicked, this, [this, name] {
            QString error;
            if (!runLesson(name, &error)) QMessageBox::warning(this, tr("Cannot run the lesson"), error);
        });
        l->addWidget(b);
    }
    return m_startHint;
}

} // namespace conlab::ui
