// GUI tests on the offscreen platform. Real runs of real backends with small specs; timing
// assertions only with wide margins (see /work/shared/MACHINE-NOTES.md).
#include "backend_picker.h"
#include "cli_runner.h"
#include "engine_controller.h"
#include "export.h"
#include "main_window.h"
#include "plot_views.h"
#include "results_json.h"
#include "results_model.h"
#include "workload_panel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QProgressBar>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QStandardPaths>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTest>
#include <qcustomplot.h>

using namespace conlab;
using namespace conlab::ui;

namespace {

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void setInt(WorkloadPanel* panel, const char* field, int value) {
    auto* box = qobject_cast<QSpinBox*>(panel->field(QString::fromLatin1(field)));
    QVERIFY2(box, field);
    box->setValue(value);
}

void setDouble(WorkloadPanel* panel, const char* field, double value) {
    auto* box = qobject_cast<QDoubleSpinBox*>(panel->field(QString::fromLatin1(field)));
    QVERIFY2(box, field);
    box->setValue(value);
}

// Types into a widget like a user (keyboard events), then commits with Enter.
void typeInto(QWidget* w, const QString& text) {
    w->setFocus();
    QTest::keyClick(w, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(w, text);
    QTest::keyClick(w, Qt::Key_Return);
}

int plottablesWithData(QCustomPlot* plot) {
    int n = 0;
    for (int i = 0; i < plot->graphCount(); ++i)
        n += plot->graph(i)->dataCount() > 0;
    return n;
}

} // namespace

class TestGui : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void formRunAndTable();
    void exportsAreValidFiles();
    void saveAndLoadRestoresEverything();
    void bigFileFiguresAreCapped();
    void invalidInputDisablesRun();
    void stopMidRunGivesPartialResult();
    void staleRunIsDropped();
    void eventLoopStaysResponsive();
    void darkPaletteFollowsSystem();
    void cliPlotRendersHeadless();
    void cleanupTestCase();

  private:
    bool runAndWait(MainWindow& w, int timeoutMs);
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    QString m_saved;
};

void TestGui::initTestCase() {
    QVERIFY(m_dir.isValid());
    QStandardPaths::setTestModeEnabled(true); // QSettings and recent files go to a test location
    QCoreApplication::setOrganizationName(QStringLiteral("conlab-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_gui"));
    QSettings().clear();
}

bool TestGui::runAndWait(MainWindow& w, int timeoutMs) {
    QSignalSpy finished(w.controller(), &EngineController::finished);
    QSignalSpy failed(w.controller(), &EngineController::failed);
    if (!w.runAction()->isEnabled()) {
        qWarning() << "Run disabled:" << w.runBlockedLabel()->text();
        return false;
    }
    w.runAction()->trigger(); // what Ctrl+R and the Run button do
    if (!w.controller()->isRunning()) return false;
    QElapsedTimer t;
    t.start();
    while (finished.isEmpty() && failed.isEmpty() && t.elapsed() < timeoutMs)
        QTest::qWait(20);
    if (!failed.isEmpty()) qWarning() << "run failed:" << failed.front().front().toString();
    return finished.size() == 1;
}

void TestGui::formRunAndTable() {
    m_window = std::make_unique<MainWindow>();
    MainWindow& w = *m_window;
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QAbstractItemModelTester sourceTester(w.resultsModel(),
                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(w.resultsProxy(),
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);

    WorkloadPanel* panel = w.workloadPanel();
    typeInto(panel->field(QStringLiteral("tasks")), QStringLiteral("400"));
    QCOMPARE(panel->spec().tasks, 400);
    setDouble(panel, "task-us", 100);
    setInt(panel, "workers", 2);
    setInt(panel, "repeat", 2);
    typeInto(panel->field(QStringLiteral("input")), QStringLiteral("4K"));
    QCOMPARE(panel->spec().inputBytes, 4096);
    w.backendPicker()->setSelectedBackends({"sequential", "thread-pool", "process-pool"});
    QCOMPARE(w.backendPicker()->selectedBackends(),
             QStringList({"sequential", "thread-pool", "process-pool"}));
    QVERIFY(w.runAction()->isEnabled());
    QVERIFY(w.runBlockedLabel()->isHidden());

    QSignalSpy snapshots(w.controller(), &EngineController::snapshotAvailable);
    QSignalSpy progress(w.controller(), &EngineController::progress);
    QVERIFY(runAndWait(w, 60000 * CONLAB_TEST_SLOWDOWN));
    QVERIFY(!snapshots.isEmpty());
    QVERIFY(!progress.isEmpty());
    QVERIFY(!w.controller()->isRunning());
    QVERIFY(w.runAction()->isEnabled());
    QCOMPARE(w.progressBar()->value(), w.progressBar()->maximum());

    // Table: one row per backend, numbers in the sort role, speedup relative to sequential.
    ResultsModel* m = w.resultsModel();
    QCOMPARE(m->rowCount(), 3);
    QCOMPARE(m->columnCount(), int(ResultsModel::VsBaseline)); // the baseline columns only with one
    for (int r = 0; r < 3; ++r) {
        QCOMPARE(m->index(r, ResultsModel::Status).data().toString(), QStringLiteral("ok"));
        QVERIFY(m->index(r, ResultsModel::Throughput).data(ResultsModel::SortRole).toDouble() > 0);
        QCOMPARE(m->index(r, ResultsModel::Repetitions).data().toInt(), 2);
        double shares = 0;
        for (int c = ResultsModel::SpawnShare; c <= ResultsModel::IdleShare; ++c)
            shares += m->index(r, c).data(ResultsModel::SortRole).toDouble();
        QVERIFY2(std::abs(shares - 1) < 1e-6, qPrintable(QString::number(shares)));
        QVERIFY(m->index(r, ResultsModel::LatencyP99).data(ResultsModel::SortRole).toDouble() >=
                m->index(r, ResultsModel::LatencyP50).data(ResultsModel::SortRole).toDouble());
    }
    QCOMPARE(m->index(0, ResultsModel::Backend).data().toString(), QStringLiteral("sequential"));
    QCOMPARE(m->index(0, ResultsModel::Speedup).data().toString(), QStringLiteral("1.00×"));

    // Sorting by throughput is numeric, through the proxy.
    QSortFilterProxyModel* proxy = w.resultsProxy();
    proxy->sort(ResultsModel::Throughput, Qt::DescendingOrder);
    for (int r = 1; r < proxy->rowCount(); ++r)
        QVERIFY(proxy->index(r - 1, ResultsModel::Throughput).data(ResultsModel::SortRole).toDouble() >=
                proxy->index(r, ResultsModel::Throughput).data(ResultsModel::SortRole).toDouble());

    // Plots: one curve per backend, stacked bars, a timeline.
    QCOMPARE(plottablesWithData(w.throughputView()->plot()), 3);
    QCOMPARE(w.breakdownView()->plot()->plottableCount(), int(kWorkerPhases.size()));
    QVERIFY(w.timelineView()->barCount() > 0);

    // Copy to clipboard: header + one line per backend, tab-separated.
    w.copyTable();
    const QStringList lines = QApplication::clipboard()->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 4);
    QCOMPARE(lines.front().split(QLatin1Char('\t')).size(), int(ResultsModel::VsBaseline));

    QVERIFY(w.isModified());
    QVERIFY(w.windowTitle().contains(QStringLiteral("Untitled")));
}

void TestGui::exportsAreValidFiles() {
    QVERIFY(m_window && m_window->experiment());
    MainWindow& w = *m_window;
    const QString png = m_dir.filePath("fig.png"), pdf = m_dir.filePath("fig.pdf"),
                  svg = m_dir.filePath("fig.svg");
    QString error;
    for (FigureKind kind : {FigureKind::Throughput, FigureKind::Breakdown, FigureKind::Timeline}) {
        QVERIFY2(w.exportFigure(kind, png, QSize(800, 500), 2.0, &error), qPrintable(error));
        QVERIFY(readAll(png).startsWith("\x89PNG\r\n\x1a\n"));
        QImage image(png);
        QCOMPARE(image.size(), QSize(1600, 1000));
        // Not blank: a figure has many colours.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7)
            for (int x = 0; x < image.width(); x += 7)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 5, qPrintable(figureName(kind)));

        QVERIFY2(w.exportFigure(kind, pdf, QSize(800, 500), 1.0, &error), qPrintable(error));
        const QByteArray pdfBytes = readAll(pdf);
        QVERIFY(pdfBytes.startsWith("%PDF-"));
        QVERIFY(pdfBytes.trimmed().endsWith("%%EOF"));

        QVERIFY2(w.exportFigure(kind, svg, QSize(800, 500), 1.0, &error), qPrintable(error));
        const QByteArray svgBytes = readAll(svg);
        QVERIFY(svgBytes.startsWith("<?xml"));
        QVERIFY(svgBytes.contains("<svg"));
        QVERIFY(QSvgRenderer(svg).isValid());
    }
    QVERIFY(!w.exportFigure(FigureKind::Breakdown, m_dir.filePath("fig.bmp"), QSize(800, 500), 1.0, &error));
    QVERIFY(error.contains(QStringLiteral("unknown figure format")));

    // Data: CSV with a constant column count, JSON that loads back.
    const QString csv = m_dir.filePath("results.csv");
    QVERIFY2(w.exportData(csv, &error), qPrintable(error));
    const QList<QByteArray> rows = readAll(csv).trimmed().split('\n');
    QCOMPARE(rows.size(), 1 + 3);
    for (const QByteArray& row : rows)
        QCOMPARE(row.count(','), rows.front().count(','));
    QVERIFY(rows.front().startsWith("backend"));
    const QString json = m_dir.filePath("results.json");
    QVERIFY2(w.exportData(json, &error), qPrintable(error));
    LoadResult loaded = loadResultsFile(json);
    QVERIFY2(loaded.experiment, qPrintable(loaded.error));
    QCOMPARE(loaded.experiment->runs.size(), size_t(3));

    // Timeline: Chrome trace events.
    const QString trace = m_dir.filePath("trace.json");
    QVERIFY2(w.exportTrace(trace, &error), qPrintable(error));
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(readAll(trace), &pe);
    QCOMPARE(pe.error, QJsonParseError::NoError);
    int complete = 0;
    for (const QJsonValue& e : doc.object().value("traceEvents").toArray())
        if (e.toObject().value("ph").toString() == QLatin1String("X")) {
            ++complete;
            QVERIFY(e.toObject().value("dur").toDouble() >= 0);
        }
    QVERIFY(complete > 0);

    // The one-click report.
    const QString report = m_dir.filePath("report");
    QVERIFY2(w.exportReportTo(report, &error), qPrintable(error));
    for (const char* f : {"breakdown.png", "breakdown.svg", "breakdown.pdf", "throughput.png", "timeline.pdf",
                          "results.csv", "results.json", "trace.json", "README.md"})
        QVERIFY2(QFileInfo(QDir(report).filePath(QLatin1String(f))).size() > 0, f);
    const QByteArray md = readAll(QDir(report).filePath("README.md"));
    QVERIFY(md.contains("| backend |"));
    QVERIFY(md.contains("process-pool"));
    QVERIFY(md.contains("![breakdown](breakdown.png)"));
}

void TestGui::saveAndLoadRestoresEverything() {
    QVERIFY(m_window && m_window->experiment());
    MainWindow& w = *m_window;
    m_saved = m_dir.filePath("experiment.json");
    QString error;
    QVERIFY2(w.saveFile(m_saved, &error), qPrintable(error));
    QVERIFY(!w.isModified());
    QVERIFY(w.windowTitle().startsWith(QStringLiteral("experiment.json")));
    QVERIFY(QSettings().value("recentFiles").toStringList().contains(QFileInfo(m_saved).absoluteFilePath()));

    MainWindow other; // a fresh start, as after quitting
    QVERIFY2(other.openFile(m_saved, &error), qPrintable(error));
    QVERIFY(!other.isModified());
    QCOMPARE(other.workloadPanel()->spec(), w.experiment()->spec);
    QCOMPARE(other.backendPicker()->selectedBackends(),
             QStringList({"sequential", "thread-pool", "process-pool"}));
    QCOMPARE(other.resultsModel()->rowCount(), 3);
    for (int r = 0; r < 3; ++r)
        for (int c :
             {int(ResultsModel::Backend), int(ResultsModel::Throughput), int(ResultsModel::Wall),
              int(ResultsModel::Speedup), int(ResultsModel::ComputeShare), int(ResultsModel::LatencyP95)})
            QCOMPARE(other.resultsModel()->index(r, c).data().toString(),
                     w.resultsModel()->index(r, c).data().toString());
    for (const char* b : {"sequential", "thread-pool", "process-pool"}) {
        QVERIFY(other.throughputView()->pointCount(QLatin1String(b)) > 0);
        QCOMPARE(other.throughputView()->pointCount(QLatin1String(b)),
                 w.throughputView()->pointCount(QLatin1String(b)));
    }
    QCOMPARE(other.breakdownView()->plot()->plottableCount(), int(kWorkerPhases.size()));
    QCOMPARE(other.timelineView()->barCount(), w.timelineView()->barCount());

    // A broken file is refused with a message, and the window keeps what it had.
    const QString bad = m_dir.filePath("bad.json");
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\"schema\": \"something else\"}");
    f.close();
    QVERIFY(!other.openFile(bad, &error));
    QVERIFY(!error.isEmpty());
    QCOMPARE(other.resultsModel()->rowCount(), 3);
}

// Issue 13, item 10: a file of thousands of backends opens with every run in the table and its
// figures drawing the first 100 runs (a figure of 2,000 took 12 s to draw), which the status says.
void TestGui::bigFileFiguresAreCapped() {
    QVERIFY(!m_saved.isEmpty());
    QFile in(m_saved);
    QVERIFY(in.open(QIODevice::ReadOnly));
    QJsonObject root = QJsonDocument::fromJson(in.readAll()).object();
    const QJsonObject one = root.value("runs").toArray().at(1).toObject(); // thread-pool
    QJsonArray runs;
    for (int i = 0; i < 150; ++i) {
        QJsonObject r = one;
        r["backend"] = QStringLiteral("b%1").arg(i);
        runs.append(r);
    }
    root["runs"] = runs;
    const QString path = m_dir.filePath("many-runs.json");
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(QJsonDocument(root).toJson());
    out.close();

    MainWindow w;
    QString error;
    QVERIFY2(w.openFile(path, &error), qPrintable(error));
    QCOMPARE(w.resultsModel()->rowCount(), 150);
    const QString status = w.findChild<QLabel*>(QStringLiteral("runStatus"))->text();
    QVERIFY2(status.contains(QStringLiteral("the first 100 of 150 runs")), qPrintable(status));
    auto* bars = qobject_cast<QCPBars*>(w.breakdownView()->plot()->plottable(0));
    QVERIFY(bars);
    QCOMPARE(bars->data()->size(), 100);
    QVERIFY(w.throughputView()->pointCount(QStringLiteral("b99")) > 0);
    QCOMPARE(w.throughputView()->pointCount(QStringLiteral("b100")), 0);
}

void TestGui::invalidInputDisablesRun() {
    MainWindow w;
    w.show();
    WorkloadPanel* panel = w.workloadPanel();
    QVERIFY(w.runAction()->isEnabled());
    // messages × payload > 1 TiB per task: each field is in range, the combination is not.
    setInt(panel, "messages", 1'000'000);
    typeInto(panel->field(QStringLiteral("payload")), QStringLiteral("1G"));
    QCOMPARE(panel->spec().payload, int64_t(1) << 30);
    QVERIFY(!w.runAction()->isEnabled());
    QVERIFY(!w.findChild<QPushButton*>("runButton")->isEnabled());
    QVERIFY(!w.runBlockedLabel()->isHidden());
    QVERIFY2(w.runBlockedLabel()->text().contains(QStringLiteral("1 TiB")),
             qPrintable(w.runBlockedLabel()->text()));
    QVERIFY(w.findChild<QLabel*>("specErrors")->text().contains(QStringLiteral("Message payload")));
    QString error;
    QVERIFY(!w.startRun(&error));
    QVERIFY(error.contains(QStringLiteral("1 TiB")));
    setInt(panel, "messages", 0);
    QVERIFY(w.runAction()->isEnabled());

    // A malformed CPU list.
    auto* cpus = qobject_cast<QLineEdit*>(panel->field(QStringLiteral("cpus")));
    QTest::keyClicks(cpus, QStringLiteral("0-x"));
    QVERIFY(!w.runAction()->isEnabled());
    QVERIFY(w.runBlockedLabel()->text().contains(QStringLiteral("not a CPU list")));
    cpus->clear();
    QVERIFY(w.runAction()->isEnabled());

    // No backend selected.
    w.backendPicker()->setSelectedBackends({});
    QVERIFY(!w.runAction()->isEnabled());
    QVERIFY(w.runBlockedLabel()->text().contains(QStringLiteral("backend")));
    w.backendPicker()->selectNative();
    QVERIFY(w.runAction()->isEnabled());
}

void TestGui::stopMidRunGivesPartialResult() {
    MainWindow w;
    w.show();
    WorkloadPanel* panel = w.workloadPanel();
    setInt(panel, "tasks", 2'000'000); // far more than the test waits for
    setDouble(panel, "task-us", 50);
    setInt(panel, "repeat", 1);
    w.backendPicker()->setSelectedBackends({"thread-pool", "process-pool"});
    QSignalSpy finished(w.controller(), &EngineController::finished);
    QSignalSpy progress(w.controller(), &EngineController::progress);
    w.runAction()->trigger();
    QVERIFY(w.controller()->isRunning());
    QVERIFY(w.stopAction()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() &&
                                 progress.back().front().value<RunProgress>().overallDone > 100,
                             20000 * CONLAB_TEST_SLOWDOWN);
    QElapsedTimer t;
    t.start();
    QTest::keyClick(&w, Qt::Key_Escape); // the Stop shortcut
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000 * CONLAB_TEST_SLOWDOWN);
    qInfo("stop → result delivered in %lld ms", t.elapsed());
    QVERIFY2(t.elapsed() < 3000, "the engine cancels within ~200 ms; 3 s is a wide margin");
    const Experiment ex = finished.front().front().value<Experiment>();
    QCOMPARE(ex.runs.size(), size_t(1)); // the second backend never started
    const BackendRun& run = ex.runs.front();
    QVERIFY(run.cancelled);
    QVERIFY2(run.error.empty(), run.error.c_str());
    QCOMPARE(run.repetitions.size(), size_t(1));
    QVERIFY(run.repetitions.front().tasksDone > 0);
    QVERIFY(run.repetitions.front().tasksDone < 2'000'000);
    QCOMPARE(w.resultsModel()->rowCount(), 1);
    QCOMPARE(w.resultsModel()->index(0, ResultsModel::Status).data().toString(), QStringLiteral("partial"));
    QVERIFY(w.resultsModel()->index(0, ResultsModel::Throughput).data(ResultsModel::SortRole).toDouble() > 0);
    QVERIFY(w.progressBar()->text().contains(QStringLiteral("partial")));
    QVERIFY(w.runAction()->isEnabled());
    QVERIFY(!w.stopAction()->isEnabled());
    QString error;
    QVERIFY2(w.exportFigure(FigureKind::Breakdown, m_dir.filePath("partial.svg"), QSize(600, 400), 1, &error),
             qPrintable(error));
}

void TestGui::staleRunIsDropped() {
    EngineController c;
    QSignalSpy finished(&c, &EngineController::finished);
    QSignalSpy backendFinished(&c, &EngineController::backendFinished);
    WorkloadSpec first;
    first.tasks = 1'000'000;
    first.taskUs = 50;
    QString error;
    QVERIFY2(c.start(first, {"thread-pool"}, &error), qPrintable(error));
    const quint64 firstId = c.currentRunId();
    QVERIFY(!c.start(first, {"thread-pool"}, &error)); // one run at a time
    QTest::qWait(150);
    c.discard(); // e.g. the user opened a file during the run
    QVERIFY(!c.isRunning());
    WorkloadSpec second;
    second.tasks = 123;
    second.taskUs = 10;
    QVERIFY2(c.start(second, {"sequential"}, &error), qPrintable(error));
    QVERIFY(c.currentRunId() != firstId);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000 * CONLAB_TEST_SLOWDOWN);
    QTest::qWait(500); // anything late from the first run would arrive now
    QCOMPARE(finished.size(), 1);
    const Experiment ex = finished.front().front().value<Experiment>();
    QCOMPARE(ex.spec.tasks, 123);
    QCOMPARE(backendFinished.size(), 1);
    QCOMPARE(backendFinished.front().front().value<BackendRun>().backend, std::string("sequential"));
}

void TestGui::eventLoopStaysResponsive() {
    MainWindow w;
    w.show();
    WorkloadPanel* panel = w.workloadPanel();
    setInt(panel, "tasks", 1'000'000);
    setDouble(panel, "task-us", 20);
    setInt(panel, "workers", 4); // more workers than cores: the GUI competes with them
    w.backendPicker()->setSelectedBackends({"thread-pool", "process-pool"});
    QElapsedTimer clock;
    qint64 last = -1, worst = 0;
    int ticks = 0;
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    timer.setInterval(5);
    connect(&timer, &QTimer::timeout, this, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (last >= 0) worst = std::max(worst, now - last - 5'000'000);
        last = now;
        ++ticks;
    });
    QSignalSpy finished(w.controller(), &EngineController::finished);
    w.runAction()->trigger();
    QVERIFY(w.controller()->isRunning());
    clock.start();
    timer.start();
    QTest::qWait(2500); // heavy: 4 workers on 2 cores, live plot and progress updates
    timer.stop();
    w.stopAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000 * CONLAB_TEST_SLOWDOWN);
    qInfo("event loop during a heavy run: %d ticks of 5 ms, worst lateness %.1f ms", ticks,
          double(worst) / 1e6);
    QVERIFY(ticks > 50);
    QVERIFY2(worst < 100'000'000 * CONLAB_TEST_SLOWDOWN,
             qPrintable(QStringLiteral("a 5 ms timer fired %1 ms late").arg(double(worst) / 1e6)));
}

void TestGui::darkPaletteFollowsSystem() {
    MainWindow w;
    QPalette dark;
    dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    dark.setColor(QPalette::Text, QColor(0xee, 0xee, 0xee));
    dark.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
    w.setPalette(dark);
    QApplication::processEvents();
    QVERIFY(w.breakdownView()->theme().dark);
    QCOMPARE(w.breakdownView()->plot()->xAxis->tickLabelColor(), QColor(0xee, 0xee, 0xee));
    // Exports stay on paper whatever the screen theme.
    QVERIFY(!PlotTheme::paper().dark);
}

void TestGui::cliPlotRendersHeadless() {
    QVERIFY(!m_saved.isEmpty());
    const QString out = m_dir.filePath("cli.svg"), outPng = m_dir.filePath("cli.png");
    const int timeoutMs = 60000 * CONLAB_TEST_SLOWDOWN;
    auto r = cli_test::runConlab({"plot", m_saved, "--out", out}, timeoutMs);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(QSvgRenderer(out).isValid());
    r = cli_test::runConlab(
        {"plot", m_saved, "--out", outPng, "--figure", "timeline", "--size", "640x400", "--scale", "1.5"},
        timeoutMs);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(QImage(outPng).size(), QSize(960, 600));
    r = cli_test::runConlab({"plot", m_saved, "--out", m_dir.filePath("x.gif")}, timeoutMs);
    QCOMPARE(r.exitCode, 2); // usage error: unknown format
    QVERIFY(r.err.contains("unknown figure format"));
}

void TestGui::cleanupTestCase() {
    m_window.reset();
}

QTEST_MAIN(TestGui)
#include "tst_gui.moc"
