// The main window as a new user meets it (issue 14): forms that do not change under the wheel,
// nothing lost without asking, a window that fits a laptop screen, help inside the app. Offscreen;
// real runs with tiny specs.
#include "autosave.h"
#include "backend_picker.h"
#include "docs_window.h"
#include "engine_controller.h"
#include "live_phases_view.h"
#include "main_window.h"
#include "plot_views.h"
#include "results_json.h"
#include "results_model.h"
#include "run_estimate.h"
#include "sweep_panel.h"
#include "workload_panel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QToolBar>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>
#include <QWheelEvent>
#include <cmath>
#include <qcustomplot.h>

using namespace conlab;
using namespace conlab::ui;

namespace {
using Choice = MainWindow::UnsavedChoice;

void smallSpec(MainWindow& w, int64_t tasks, double taskUs) {
    WorkloadSpec s;
    s.tasks = tasks;
    s.taskUs = taskUs;
    s.workers = 2;
    s.repeat = 1;
    w.workloadPanel()->setSpec(s);
}

// One notch of the wheel over the middle of `w` (delivered like a real one: to the widget under
// the cursor, then to its parents while nobody accepts it).
void wheelOver(QWidget* w, int notches) {
    const QPoint local = w->rect().center();
    QWheelEvent e(QPointF(local), QPointF(w->mapToGlobal(local)), QPoint(), QPoint(0, 120 * notches),
                  Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(w, &e);
}

// Runs `w`'s current setup to the end.
bool runToEnd(MainWindow& w) {
    QSignalSpy finished(w.controller(), &EngineController::finished);
    QSignalSpy sweepFinished(w.controller(), &EngineController::sweepFinished);
    QString error;
    if (!w.startRun(&error)) {
        qWarning() << error;
        return false;
    }
    const bool sweep = w.controller()->isSweep();
    QSignalSpy& spy = sweep ? sweepFinished : finished;
    return QTest::qWaitFor([&] { return !spy.isEmpty(); }, 60000 * CONLAB_TEST_SLOWDOWN);
}
} // namespace

class TestGuiWindow : public QObject {
    Q_OBJECT
  private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("conlab-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_gui_window"));
        QSettings().clear();
        qunsetenv("CONLAB_AUTOSAVE_DIR");
    }

    void wheelChangesOnlyTheFocusedField_data() {
        QTest::addColumn<QString>("field");
        QTest::addRow("warmup") << "warmup";
        QTest::addRow("task-us") << "task-us";
        QTest::addRow("payload") << "payload";
        QTest::addRow("kind") << "kind";
    }
    void wheelChangesOnlyTheFocusedField() {
        QFETCH(QString, field);
        MainWindow w;
        w.resize(1280, 720);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.activateWindow();
        QWidget* box = w.workloadPanel()->field(field);
        QVERIFY(box);
        const WorkloadSpec before = w.workloadPanel()->spec();
        w.setFocus(); // nothing in the form has focus
        QVERIFY(!box->hasFocus());
        wheelOver(box, -1);
        wheelOver(box, 1);
        wheelOver(box, 1);
        QCOMPARE(specToJson(w.workloadPanel()->spec()), specToJson(before));

        // Focused (clicked or tabbed into): the wheel is the field's.
        box->setFocus(Qt::TabFocusReason);
        QTRY_VERIFY(box->hasFocus());
        wheelOver(box, field == QLatin1String("kind") ? -1 : 1);
        QVERIFY(specToJson(w.workloadPanel()->spec()) != specToJson(before));
    }

    // Usable at 1280×720 and down to 1024 wide: the window's minimum size fits, the form
    // scrolls, Run and the progress bar stay on screen.
    void fitsSmallScreens_data() {
        QTest::addColumn<QSize>("size");
        QTest::addRow("1280x720") << QSize(1280, 720);
        QTest::addRow("1024x600") << QSize(1024, 600);
    }
    void fitsSmallScreens() {
        QFETCH(QSize, size);
        MainWindow w;
        w.resize(size);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const QSize min = w.minimumSizeHint().expandedTo(w.minimumSize());
        if (min.width() > size.width()) { // name the widgets that push it
            for (QWidget* c : w.findChildren<QWidget*>())
                if (c->minimumSizeHint().width() > size.width() / 3)
                    qWarning() << c->metaObject()->className() << c->objectName() << c->minimumSizeHint();
        }
        QVERIFY2(min.width() <= size.width() && min.height() <= size.height(),
                 qPrintable(QStringLiteral("minimum %1x%2").arg(min.width()).arg(min.height())));
        QTRY_COMPARE(w.size(), size);
        // Run, Stop and the progress bar are inside the window, not cut off.
        for (QWidget* c : {static_cast<QWidget*>(w.findChild<QPushButton*>(QStringLiteral("runButton"))),
                           static_cast<QWidget*>(w.findChild<QPushButton*>(QStringLiteral("stopButton"))),
                           static_cast<QWidget*>(w.progressBar())}) {
            QVERIFY(c->isVisible());
            const QRect r(c->mapTo(&w, QPoint(0, 0)), c->size());
            QVERIFY2(w.rect().contains(r), qPrintable(c->objectName()));
        }
        // The form is not squeezed: it scrolls (vertically) and no field is cut at the side.
        auto* scroll = w.findChild<QScrollArea*>(QStringLiteral("setupScroll"));
        QVERIFY(scroll);
        QVERIFY(scroll->widget()->width() <= scroll->viewport()->width());
        // The setup panel collapses (View → Setup panel, F9) and comes back.
        w.setupPanelAction()->trigger();
        QVERIFY(!w.setupPanel()->isVisible());
        w.setupPanelAction()->trigger();
        QVERIFY(w.setupPanel()->isVisible());
    }

    // F1 / Help → Documentation renders the Markdown docs inside the app.
    void documentationInTheApp() {
        MainWindow w;
        w.show();
        QAction* docs = w.findChild<QAction*>(QStringLiteral("documentationAction"));
        QVERIFY(docs);
        QCOMPARE(docs->shortcut(), QKeySequence(QKeySequence::HelpContents));
        docs->trigger();
        DocsWindow* d = w.docsWindow();
        QVERIFY(d);
        QTRY_VERIFY(d->isVisible());
        QCOMPARE(d->currentDocument(), QStringLiteral("docs/gui.md"));
        const QString shown = d->browser()->toPlainText();
        QVERIFY2(shown.startsWith(QLatin1String("The desktop app")), qPrintable(shown.left(80)));
        QVERIFY(!shown.contains(QLatin1String("# ")));                     // headings rendered, not literal
        QVERIFY(!shown.contains(QLatin1String("](")));                     // links rendered
        QVERIFY(d->browser()->toHtml().contains(QLatin1String("<table"))); // tables too
        // Every document is there and renders; links between them open in the window.
        for (const QString& doc : DocsWindow::documents()) {
            QVERIFY2(d->showDocument(doc), qPrintable(doc));
            QVERIFY2(d->browser()->document()->blockCount() > 10, qPrintable(doc));
        }
        QVERIFY(d->showDocument(QStringLiteral("docs/gui.md")));
        emit d->browser()->anchorClicked(QUrl(QStringLiteral("measurement.md")));
        QCOMPARE(d->currentDocument(), QStringLiteral("docs/measurement.md"));
        QVERIFY(d->showDocument(QStringLiteral("README.md")));
        emit d->browser()->anchorClicked(QUrl(QStringLiteral("docs/gui.md")));
        QCOMPARE(d->currentDocument(), QStringLiteral("docs/gui.md"));
        QVERIFY(!d->showDocument(QStringLiteral("docs/no-such.md")));
    }

    void aboutNamesVersionsAndLicence() {
        const QString about = aboutText();
        QVERIFY(about.contains(QLatin1String(CONLAB_VERSION)));
        QVERIFY(about.contains(QLatin1String(qVersion())));
        QVERIFY(about.contains(QLatin1String("GNU General Public License")));
    }

    // Toolbar tooltips name their shortcuts; tooltips and cells show no literal backticks.
    void tooltips() {
        MainWindow w;
        auto* tb = w.findChild<QToolBar*>(QStringLiteral("mainToolbar"));
        QVERIFY(tb);
        int withShortcut = 0;
        for (QAction* a : tb->actions()) {
            if (a->isSeparator() || a->shortcut().isEmpty()) continue;
            ++withShortcut;
            QVERIFY2(a->toolTip().contains(a->shortcut().toString(QKeySequence::NativeText)),
                     qPrintable(a->toolTip()));
        }
        QVERIFY(withShortcut >= 4);
        auto* tree = w.backendPicker()->findChild<QTreeWidget*>(QStringLiteral("backendTree"));
        QVERIFY(tree);
        int items = 0;
        for (QTreeWidgetItemIterator it(tree); *it; ++it, ++items)
            for (int c = 0; c < 2; ++c) {
                QVERIFY2(!(*it)->text(c).contains(QLatin1Char('`')), qPrintable((*it)->text(c)));
                QVERIFY2(!(*it)->toolTip(c).contains(QLatin1Char('`')), qPrintable((*it)->toolTip(c)));
            }
        QVERIFY(items > 10);
        for (QAction* a : w.lessonsMenu()->actions())
            QVERIFY2(!a->toolTip().contains(QLatin1Char('`')), qPrintable(a->toolTip()));
    }

    // The advisor speaks in the form's field names, and says "dominant" only when one is.
    void advisorInFieldNames() {
        MainWindow w;
        const QStringList shown = w.inFieldNames({QStringLiteral("thread-pool: batch … — try --chunksize 6."),
                                                  QStringLiteral("try --workers 2; batch with --chunksize"),
                                                  QStringLiteral("no flags here")});
        QCOMPARE(shown, QStringList({QStringLiteral("thread-pool: batch … — try Chunk size 6."),
                                     QStringLiteral("try Workers 2; batch with Chunk size"),
                                     QStringLiteral("no flags here")}));
        smallSpec(w, 400, 1); // tiny tasks: thread-pool's dispatch dominates → chunk size advice
        w.backendPicker()->setSelectedBackends({"sequential", "thread-pool"});
        QVERIFY(runToEnd(w));
        QVERIFY(!w.advisorLines().isEmpty());
        for (const QString& l : w.advisorLines()) {
            QVERIFY2(!l.contains(QLatin1String("--")), qPrintable(l));
            static const QRegularExpression tiny(QStringLiteral("dominant overhead \\w+ \\([0-9]%"));
            QVERIFY2(!tiny.match(l).hasMatch(), qPrintable(l));
        }
        w.setUnsavedPrompt([](const QString&) { return Choice::Discard; });
    }

    // A first launch selects a few typical backends, not all 23.
    void sensibleDefaultSelection() {
        QSettings().remove(QStringLiteral("backends"));
        MainWindow w;
        const QStringList selected = w.backendPicker()->selectedBackends();
        QVERIFY(selected.contains(QStringLiteral("sequential")));
        QVERIFY(selected.size() >= 3);
        QVERIFY(selected.size() <= 8);
        QVERIFY(selected.size() < w.backendPicker()->availableBackends().size());
    }

    // Live means live: the running backend's phase shares appear during the run, the live
    // throughput title names this run's workload from the start, and sweeps show it too.
    void liveBreakdownDuringARun() {
        MainWindow w;
        w.setUnsavedPrompt([](const QString&) { return Choice::Discard; });
        w.show();
        smallSpec(w, 20, 10);
        w.backendPicker()->setSelectedBackends({"sequential"});
        QVERIFY(runToEnd(w)); // a previous run with another workload
        auto titleOf = [](QCustomPlot* plot) {
            auto* t = qobject_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0));
            return t ? t->text() : QString();
        };
        QVERIFY(titleOf(w.throughputView()->plot()).contains(QLatin1String("20 cpu tasks")));

        smallSpec(w, 40000, 50); // ~2 s of sequential work: many snapshots before it finishes
        QSignalSpy backendFinished(w.controller(), &EngineController::backendFinished);
        QString error;
        QVERIFY2(w.startRun(&error), qPrintable(error));
        QVERIFY2(titleOf(w.throughputView()->plot()).contains(QLatin1String("40,000 cpu tasks")) ||
                     titleOf(w.throughputView()->plot()).contains(QLatin1String("40000 cpu tasks")),
                 qPrintable(titleOf(w.throughputView()->plot())));
        LivePhasesView* live = w.throughputView()->livePhases();
        QTRY_VERIFY_WITH_TIMEOUT(live->pointCount() >= 3 || !backendFinished.isEmpty(),
                                 20000 * CONLAB_TEST_SLOWDOWN);
        QVERIFY2(backendFinished.isEmpty(),
                 "the backend finished before three snapshots: no live phases seen");
        QCOMPARE(live->backend(), QStringLiteral("sequential"));
        // Sequential computes: its time is compute, or compute it waited a core for (ctest runs
        // two tests at once on two CPUs; another test's load shows as cpu-wait here).
        QVERIFY2(live->lastShare(Phase::Compute) + live->lastShare(Phase::CpuWait) > 0.5,
                 qPrintable(QString("compute %1, cpu-wait %2")
                                .arg(live->lastShare(Phase::Compute))
                                .arg(live->lastShare(Phase::CpuWait))));
        double sum = 0;
        for (Phase p : kAllPhases)
            sum += live->lastShare(p);
        QVERIFY(std::abs(sum - 1) < 1e-6);
        QCOMPARE(live->plot()->graphCount(), kPhaseCount); // one stacked area per phase
        w.stopAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!w.controller()->isRunning(), 10000 * CONLAB_TEST_SLOWDOWN);
    }

    void liveThroughputDuringSweeps() {
        MainWindow w;
        w.setUnsavedPrompt([](const QString&) { return Choice::Discard; });
        w.show();
        smallSpec(w, 4000, 50);
        w.backendPicker()->setSelectedBackends({"sequential"});
        w.sweepPanel()->showSweep(SweepParam::TaskUs, {50, 100}, true);
        w.sweepPanel()->setChecked(true);
        QSignalSpy done(w.controller(), &EngineController::sweepFinished);
        QString error;
        QVERIFY2(w.startRun(&error), qPrintable(error));
        QVERIFY(w.controller()->isSweep());
        QTabWidget* tabs = w.plotTabs();
        QVERIFY(tabs->isTabVisible(tabs->indexOf(w.throughputView())));
        QTRY_VERIFY_WITH_TIMEOUT(w.throughputView()->pointCount(QStringLiteral("sequential")) > 0 ||
                                     !done.isEmpty(),
                                 20000 * CONLAB_TEST_SLOWDOWN);
        QVERIFY(w.throughputView()->pointCount(QStringLiteral("sequential")) > 0);
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 60000 * CONLAB_TEST_SLOWDOWN);
        QVERIFY(!tabs->isTabVisible(tabs->indexOf(w.throughputView()))); // the sweep views remain
    }

    // First launch: a hint with three one-click experiments until something is shown, and an
    // estimate of the run's duration beside Run.
    void firstLaunchHintAndEstimate() {
        MainWindow w;
        w.setUnsavedPrompt([](const QString&) { return Choice::Discard; });
        w.show();
        QVERIFY(w.startHint()->isVisible());
        for (const char* lesson : {"tiny-tasks", "gil", "io-bound"})
            QVERIFY2(w.startHint()->findChild<QPushButton*>(QStringLiteral("start-") + QLatin1String(lesson)),
                     lesson);
        smallSpec(w, 20, 10);
        w.backendPicker()->setSelectedBackends({"sequential"});
        QVERIFY(w.runEstimateLabel()->isVisible());
        QVERIFY2(w.runEstimateLabel()->text().contains(QLatin1String("under a second")),
                 qPrintable(w.runEstimateLabel()->text()));
        smallSpec(w, 100000, 1000); // 100 s of work on one core
        QVERIFY2(w.runEstimateLabel()->text().contains(QLatin1String("min")) ||
                     w.runEstimateLabel()->text().contains(QLatin1String(" s")),
                 qPrintable(w.runEstimateLabel()->text()));
        smallSpec(w, 20, 10);
        QVERIFY(runToEnd(w));
        QVERIFY(!w.startHint()->isVisible()); // results on screen: no hint
    }

    void estimates_data() {
        QTest::addColumn<qint64>("tasks");
        QTest::addColumn<double>("taskUs");
        QTest::addColumn<QStringList>("backends");
        QTest::addColumn<double>("atLeastS");
        QTest::addColumn<double>("atMostS");
        QTest::addRow("tiny") << qint64(2000) << 200.0 << QStringList{"sequential"} << 0.2 << 2.0;
        QTest::addRow("parallel halves")
            << qint64(20000) << 1000.0 << QStringList{"thread-pool"} << 5.0 << 20.0;
        QTest::addRow("spawn per task")
            << qint64(10000) << 1.0 << QStringList{"process-per-task"} << 2.0 << 60.0;
    }
    void estimates() {
        QFETCH(qint64, tasks);
        QFETCH(double, taskUs);
        QFETCH(QStringList, backends);
        QFETCH(double, atLeastS);
        QFETCH(double, atMostS);
        WorkloadSpec s;
        s.tasks = tasks;
        s.taskUs = taskUs;
        s.workers = 2;
        const double eta = estimateRunSeconds(s, backends, 2);
        QVERIFY2(eta >= atLeastS && eta <= atMostS, qPrintable(QString::number(eta)));
    }

    void sanityWarningsAsk_data() {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("mentions");
        QTest::addRow("millions of processes") << "processes"
                                               << "processes";
        QTest::addRow("timeout shorter than a task") << "timeout"
                                                     << "timeout";
        QTest::addRow("999 workers") << "workers"
                                     << "999 workers";
    }
    // Before a run that cannot be meant as typed, Run asks with the reason; No runs nothing.
    void sanityWarningsAsk() {
        QFETCH(QString, what);
        QFETCH(QString, mentions);
        MainWindow w;
        w.show();
        WorkloadSpec s;
        s.workers = 2;
        QStringList backends{"sequential"};
        if (what == QLatin1String("processes")) {
            s.tasks = 10'000'000;
            s.taskUs = 1;
            backends = {"process-per-task"};
        } else if (what == QLatin1String("timeout")) {
            s.tasks = 4;
            s.taskUs = 2'000'000; // 2 s per task
            s.taskTimeoutS = 1;
        } else {
            s.tasks = 100;
            s.taskUs = 1;
            s.workers = 999;
        }
        w.workloadPanel()->setSpec(s);
        w.backendPicker()->setSelectedBackends(backends);
        QVERIFY2(w.runAction()->isEnabled(), qPrintable(w.runBlockedLabel()->text()));
        QStringList asked;
        w.setConfirmPrompt([&](const QString& q) {
            asked << q;
            return false;
        });
        w.runAction()->trigger();
        QCOMPARE(asked.size(), 1);
        QVERIFY2(asked.front().contains(mentions), qPrintable(asked.front()));
        QVERIFY(!w.controller()->isRunning());
        // An ordinary run does not ask.
        smallSpec(w, 20, 10);
        w.runAction()->trigger();
        QCOMPARE(asked.size(), 1);
        QVERIFY(w.controller()->isRunning());
        w.controller()->discard();
    }

    // Copy results table: everything unless several rows are selected; Export report creates
    // a new folder; a stopped backend is marked "(partial)" in the always-visible column.
    void smallItems() {
        MainWindow w;
        w.setUnsavedPrompt([](const QString&) { return Choice::Discard; });
        w.show();
        smallSpec(w, 20, 10);
        w.backendPicker()->setSelectedBackends({"sequential", "thread-pool", "event-loop"});
        QVERIFY(runToEnd(w));
        auto* table = w.findChild<QTableView*>(QStringLiteral("resultsTable"));
        QVERIFY(table);
        auto lines = [] {
            return QApplication::clipboard()->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts).size();
        };
        table->selectRow(1);
        w.copyTable();
        QCOMPARE(lines(), 1 + 3); // header + every row: one selected row is just the current row
        table->selectionModel()->select(w.resultsProxy()->index(2, 0),
                                        QItemSelectionModel::Select | QItemSelectionModel::Rows);
        w.copyTable();
        QCOMPARE(lines(), 1 + 2);
        // The backend column is frozen: it stays at the left edge while the table scrolls.
        auto* frozen = table->findChild<QTableView*>(QStringLiteral("frozenBackendColumn"));
        QVERIFY(frozen && frozen->isVisible());
        QVERIFY(!frozen->isColumnHidden(ResultsModel::Backend));
        QVERIFY(frozen->isColumnHidden(ResultsModel::Backend + 1));
        table->resize(300, 200);
        table->horizontalScrollBar()->setValue(table->horizontalScrollBar()->maximum());
        QVERIFY(table->horizontalScrollBar()->value() > 0);
        QVERIFY(frozen->geometry().left() <= table->frameWidth() + 1);
        QCOMPARE(frozen->width(), table->columnWidth(ResultsModel::Backend));
        QTemporaryDir dir;
        const QString fresh = dir.filePath(QStringLiteral("new/report"));
        QString error;
        QVERIFY2(w.exportReportTo(fresh, &error), qPrintable(error));
        QFile readme(fresh + QStringLiteral("/README.md"));
        QVERIFY(readme.open(QIODevice::ReadOnly));
        const QString md = QString::fromUtf8(readme.readAll());
        QVERIFY2(!md.contains(QLatin1String("Linux Linux")), qPrintable(md));
        static const QRegularExpression sameCi(QStringLiteral("\\| (\\d+)–\\1 \\|")); // "7582–7582"
        QVERIFY2(!sameCi.match(md).hasMatch(), qPrintable(md));                       // one repetition: "–"

        smallSpec(w, 2'000'000, 50);
        w.backendPicker()->setSelectedBackends({"thread-pool"});
        QSignalSpy progress(w.controller(), &EngineController::progress);
        QSignalSpy finished(w.controller(), &EngineController::finished);
        QVERIFY(w.startRun(&error));
        QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() &&
                                     progress.back().front().value<RunProgress>().overallDone > 50,
                                 20000 * CONLAB_TEST_SLOWDOWN);
        w.stopAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000 * CONLAB_TEST_SLOWDOWN);
        QCOMPARE(w.resultsModel()->index(0, ResultsModel::Backend).data().toString(),
                 QStringLiteral("thread-pool (partial)"));
    }

    // A bad Python interpreter is reported when chosen, and the Python backends are greyed
    // with the reason; the default one brings them back.
    void badPythonInterpreterIsReported() {
        MainWindow w;
        const bool pythonHere = w.backendPicker()->availableBackends().contains(QStringLiteral("py-threads"));
        QSignalSpy checked(&w, &MainWindow::pythonChecked);
        w.setPythonInterpreter(QStringLiteral("/nonexistent/python3"));
        QTRY_COMPARE_WITH_TIMEOUT(checked.size(), 1, 20000 * CONLAB_TEST_SLOWDOWN);
        QCOMPARE(checked.front().at(0).toBool(), false);
        QVERIFY(checked.front().at(1).toString().contains(QLatin1String("/nonexistent/python3")));
        QVERIFY(!w.backendPicker()->availableBackends().contains(QStringLiteral("py-threads")));
        auto* tree = w.backendPicker()->findChild<QTreeWidget*>(QStringLiteral("backendTree"));
        bool greyed = false;
        for (QTreeWidgetItemIterator it(tree); *it; ++it)
            if ((*it)->text(0) == QLatin1String("py-threads"))
                greyed = !((*it)->flags() & Qt::ItemIsEnabled) &&
                         (*it)->toolTip(0).contains(QLatin1String("unavailable"));
        QVERIFY(greyed);
        QVERIFY(!w.backendPicker()->selectedBackends().contains(QStringLiteral("py-threads")));
        w.setPythonInterpreter(QString());
        QTRY_COMPARE_WITH_TIMEOUT(checked.size(), 2, 20000 * CONLAB_TEST_SLOWDOWN);
        QCOMPARE(w.backendPicker()->availableBackends().contains(QStringLiteral("py-threads")), pythonHere);
        QSettings().remove(QStringLiteral("pythonPath"));
    }

    void unsavedResultsAsk_data() {
        QTest::addColumn<bool>("sweep");
        QTest::addColumn<int>("answer");
        QTest::addRow("experiment, cancel") << false << int(Choice::Cancel);
        QTest::addRow("experiment, discard") << false << int(Choice::Discard);
        QTest::addRow("sweep, cancel") << true << int(Choice::Cancel);
        QTest::addRow("sweep, discard") << true << int(Choice::Discard);
    }
    // Quitting and opening another file ask (Save / Discard / Cancel) when results are unsaved.
    void unsavedResultsAsk() {
        QFETCH(bool, sweep);
        QFETCH(int, answer);
        QTemporaryDir dir;
        MainWindow other; // writes a file to open
        smallSpec(other, 20, 10);
        other.backendPicker()->setSelectedBackends({"sequential"});
        QVERIFY(runToEnd(other));
        const QString file = dir.filePath(QStringLiteral("other.json"));
        QString error;
        QVERIFY2(other.saveFile(file, &error), qPrintable(error));
        other.setUnsavedPrompt([](const QString&) { return Choice::Discard; });

        QSettings().setValue(QStringLiteral("recentFiles"), QStringList{file}); // File → Open recent
        MainWindow w;
        QStringList asked;
        w.setUnsavedPrompt([&](const QString& q) {
            asked << q;
            return Choice(answer);
        });
        w.show();
        smallSpec(w, 20, 10);
        w.backendPicker()->setSelectedBackends({"sequential", "thread-pool"});
        if (sweep) {
            w.sweepPanel()->showSweep(SweepParam::TaskUs, {1, 10}, true);
            w.sweepPanel()->setChecked(true);
        }
        QVERIFY(!w.hasUnsavedResults());
        QVERIFY(w.maybeSave(QStringLiteral("quitting"))); // nothing to lose: no question
        QVERIFY(asked.isEmpty());
        QVERIFY(runToEnd(w));
        QVERIFY(w.hasUnsavedResults());
        QCOMPARE(bool(w.sweep()) && w.sweep()->values.size() > 1, sweep);

        // Quitting.
        QCOMPARE(w.close(), answer == int(Choice::Discard));
        QCOMPARE(asked.size(), 1);
        QVERIFY2(asked.back().contains(sweep ? QLatin1String("sweep") : QLatin1String("experiment")),
                 qPrintable(asked.back()));
        QVERIFY(asked.back().contains(QLatin1String("quitting")));
        QCOMPARE(w.isVisible(), answer == int(Choice::Cancel));

        // Opening a recent file: the same question; Cancel keeps the results on screen.
        w.show();
        QAction* recent = nullptr;
        for (QMenu* m : w.menuBar()->findChildren<QMenu*>())
            for (QAction* a : m->actions())
                if (a->toolTip() == file) recent = a;
        QVERIFY(recent);
        recent->trigger();
        QCOMPARE(asked.size(), 2);
        QVERIFY2(asked.back().contains(QLatin1String("other.json")), qPrintable(asked.back()));
        if (answer == int(Choice::Cancel)) {
            QVERIFY(w.hasUnsavedResults());
            QVERIFY(w.currentFile().isEmpty());
            QCOMPARE(bool(w.sweep()), sweep);
        } else {
            QCOMPARE(QFileInfo(w.currentFile()).fileName(), QStringLiteral("other.json"));
            QVERIFY(!w.hasUnsavedResults());
            QVERIFY(w.close()); // saved: no question
            QCOMPARE(asked.size(), 2);
        }
        QSettings().remove(QStringLiteral("recentFiles"));
    }

    // Closing during a run asks; the backends already finished are kept and autosaved.
    void closingDuringARunAsksAndAutosaves_data() {
        QTest::addColumn<int>("answer");
        QTest::addRow("cancel: keeps running") << int(Choice::Cancel);
        QTest::addRow("discard: stops, autosaves") << int(Choice::Discard);
    }
    void closingDuringARunAsksAndAutosaves() {
        QFETCH(int, answer);
        QTemporaryDir dir;
        AutosaveStore store(dir.path());
        MainWindow w;
        w.setAutosaveStore(&store);
        QStringList asked;
        w.setUnsavedPrompt([&](const QString& q) {
            asked << q;
            return Choice(answer);
        });
        w.show();
        // sequential finishes in ~0.2 s; a process per task then takes seconds for 20 000 forks.
        smallSpec(w, 20000, 10);
        w.backendPicker()->setSelectedBackends({"sequential", "process-per-task"});
        QSignalSpy backendFinished(w.controller(), &EngineController::backendFinished);
        QSignalSpy autosaved(&w, &MainWindow::autosaved);
        QString error;
        QVERIFY2(w.startRun(&error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(backendFinished.size(), 1, 30000 * CONLAB_TEST_SLOWDOWN);
        if (!w.controller()->isRunning())
            QSKIP("the second backend finished before the test closed the window");
        QCOMPARE(w.close(), answer == int(Choice::Discard));
        QCOMPARE(asked.size(), 1);
        QVERIFY2(asked.front().contains(QLatin1String("in progress")), qPrintable(asked.front()));
        if (answer == int(Choice::Cancel)) {
            QVERIFY(w.controller()->isRunning());
            QVERIFY(autosaved.isEmpty());
            w.setUnsavedPrompt([](const QString&) { return Choice::Discard; });
            w.controller()->discard();
            return;
        }
        QVERIFY(!w.controller()->isRunning());
        QCOMPARE(autosaved.size(), 1);
        const LoadResult back = loadResultsFile(autosaved.front().front().toString());
        QVERIFY2(back.experiment, qPrintable(back.error));
        QVERIFY(!back.experiment->runs.empty());
        QCOMPARE(back.experiment->runs.front().backend, std::string("sequential"));
        QVERIFY(!back.experiment->runs.front().cancelled);
    }
};

QTEST_MAIN(TestGuiWindow)
#include "tst_gui_window.moc"
