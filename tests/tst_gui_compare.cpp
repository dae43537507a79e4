// File → Compare with baseline… (issue 15 item 5): a saved run as the baseline of what the
// window shows — ratio and verdict columns in the results table (the statistics of
// `conlab compare`), ghosted bars in the breakdown (on screen and exported), a bar above the
// table saying what is compared and how it differs; clearing it removes all of that; a file
// that cannot be a baseline changes nothing. Real runs of the engine, small specs: < 10 s.
#include "baseline_compare.h"
#include "engine.h"
#include "engine_controller.h"
#include "main_window.h"
#include "plot_views.h"
#include "results_json.h"
#include "results_model.h"
#include "sweep.h"
#include "sweep_views.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonDocument>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <qcustomplot.h>

using namespace conlab;
using namespace conlab::ui;

namespace {

Experiment runOf(double taskUs) {
    WorkloadSpec spec;
    spec.tasks = 200;
    spec.taskUs = taskUs;
    spec.workers = 2;
    spec.repeat = 6;
    spec.interleave = true;
    Engine engine(loadOrMeasureCalibration());
    return engine.run(spec, {"sequential", "thread-pool"}, {});
}

int row(const ResultsModel* m, const QString& backend) {
    for (int r = 0; r < m->rowCount(); ++r)
        if (m->index(r, ResultsModel::Backend).data().toString() == backend) return r;
    return -1;
}

} // namespace

class TestGuiCompare : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_base, m_next, m_sweep, m_sweep2, m_workersSweep, m_garbage;

    static bool writeSweep(const QString& path, SweepParam param, const std::vector<double>& values) {
        WorkloadSpec base;
        base.tasks = 50;
        base.taskUs = 10;
        base.workers = 2;
        base.repeat = 2;
        Engine engine(loadOrMeasureCalibration());
        const SweepResult sw =
            runSweep(engine, base, param, values, false, {"sequential", "thread-pool"}, {});
        QFile f(path);
        return f.open(QIODevice::WriteOnly) &&
               f.write(QJsonDocument(sweepToJson(sw, breakEvenPoints(sw))).toJson()) > 0;
    }

  private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("conlab-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_gui_compare"));
        QSettings().clear();
        qunsetenv("CONLAB_AUTOSAVE_DIR");
        QVERIFY(m_dir.isValid());
        // BASE; NEW is BASE with sequential's run replaced by one of three times the task size:
        // sequential is slower, thread-pool (the same samples) has no significant difference.
        const Experiment base = runOf(50);
        Experiment next = base;
        const Experiment slow = runOf(150);
        QCOMPARE(int(base.runs.size()), 2);
        next.runs[0] = slow.runs[0];
        m_base = m_dir.filePath(QStringLiteral("base.json"));
        m_next = m_dir.filePath(QStringLiteral("new.json"));
        QString error;
        QVERIFY2(saveResultsFile(m_base, base, &error), qPrintable(error));
        QVERIFY2(saveResultsFile(m_next, next, &error), qPrintable(error));
        // Two small task-us sweeps (as `conlab sweep` writes them) and one over workers.
        m_sweep = m_dir.filePath(QStringLiteral("sweep.json"));
        m_sweep2 = m_dir.filePath(QStringLiteral("sweep2.json"));
        m_workersSweep = m_dir.filePath(QStringLiteral("workers.json"));
        QVERIFY(writeSweep(m_sweep, SweepParam::TaskUs, {5, 20}));
        QVERIFY(writeSweep(m_sweep2, SweepParam::TaskUs, {5, 20}));
        QVERIFY(writeSweep(m_workersSweep, SweepParam::Workers, {1, 2}));
        m_garbage = m_dir.filePath(QStringLiteral("garbage.json"));
        QFile g(m_garbage);
        QVERIFY(g.open(QIODevice::WriteOnly));
        g.write("{ not json");
    }

    void baselineAddsColumnsBarAndGhosts() {
        MainWindow w;
        w.resize(1280, 720);
        QString error;
        QVERIFY2(w.openFile(m_next, &error), qPrintable(error));
        ResultsModel* m = w.resultsModel();
        QAbstractItemModelTester tester(m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(m->columnCount(), int(ResultsModel::VsBaseline)); // no baseline: no columns
        QVERIFY(w.baselineBar()->isHidden());
        const int phases = int(kWorkerPhases.size());
        QCOMPARE(w.breakdownView()->plot()->plottableCount(), phases);

        QVERIFY2(w.compareWithBaseline(m_base, &error), qPrintable(error));
        QCOMPARE(m->columnCount(), int(ResultsModel::ColumnCount));
        const int seq = row(m, QStringLiteral("sequential")), tp = row(m, QStringLiteral("thread-pool"));
        QVERIFY(seq >= 0 && tp >= 0);
        QVERIFY2(m->index(seq, ResultsModel::BaselineVerdict).data().toString().startsWith("slower (p "),
                 qPrintable(m->index(seq, ResultsModel::BaselineVerdict).data().toString()));
        QVERIFY(m->index(seq, ResultsModel::VsBaseline).data(ResultsModel::SortRole).toDouble() < 0.75);
        QVERIFY(m->index(seq, ResultsModel::VsBaseline).data().toString().contains(QStringLiteral("× [")));
        QCOMPARE(m->index(tp, ResultsModel::BaselineVerdict).data().toString(),
                 QStringLiteral("no significant difference (p 1.0000)"));
        QCOMPARE(m->index(tp, ResultsModel::VsBaseline).data(ResultsModel::SortRole).toDouble(), 1.0);
        QVERIFY(
            m->index(seq, ResultsModel::VsBaseline).data(Qt::ToolTipRole).toString().contains("base.json"));
        QCOMPARE(m->headerData(ResultsModel::VsBaseline, Qt::Horizontal).toString(),
                 QStringLiteral("vs baseline"));

        QVERIFY(!w.baselineBar()->isHidden());
        const QString bar = w.baselineBar()->text();
        QVERIFY2(bar.contains(QStringLiteral("base.json: 0 faster, 1 slower, 1 without")), qPrintable(bar));
        QVERIFY(!bar.contains(QStringLiteral("differs"))); // the same workload and machine

        // The breakdown: every phase twice, the baseline's half marked, its bars under each one.
        QCustomPlot* plot = w.breakdownView()->plot();
        QCOMPARE(plot->plottableCount(), 2 * phases);
        int ghosts = 0;
        for (int i = 0; i < plot->plottableCount(); ++i)
            if (plot->plottable(i)->property("baseline").toBool()) {
                ++ghosts;
                QCOMPARE(qobject_cast<QCPBars*>(plot->plottable(i))->data()->size(), 2);
            }
        QCOMPARE(ghosts, phases);
        // … also in an exported figure.
        const QString png = m_dir.filePath(QStringLiteral("breakdown.png"));
        QVERIFY2(w.exportFigure(FigureKind::Breakdown, png, QSize(900, 500), 1.0, &error), qPrintable(error));
        QVERIFY(!QImage(png).isNull());

        // The baseline stays for the next results: a file of another workload is compared too,
        // and the bar names the difference.
        Experiment other = loadResultsFile(m_next).experiment.value();
        other.spec.chunksize = 4;
        const QString otherPath = m_dir.filePath(QStringLiteral("other.json"));
        QVERIFY(saveResultsFile(otherPath, other, &error));
        QVERIFY2(w.openFile(otherPath, &error), qPrintable(error));
        QCOMPARE(m->columnCount(), int(ResultsModel::ColumnCount));
        QVERIFY2(w.baselineBar()->text().contains(QStringLiteral("differs: workload chunksize: 1 → 4")),
                 qPrintable(w.baselineBar()->text()));

        // A new run is compared as its backends finish, and when it is done.
        QVERIFY2(w.openFile(m_next, &error), qPrintable(error)); // its spec and backends in the form
        QSignalSpy finished(w.controller(), &EngineController::finished);
        QVERIFY2(w.startRun(&error), qPrintable(error));
        QVERIFY(finished.wait(60000 * CONLAB_TEST_SLOWDOWN));
        QCOMPARE(m->rowCount(), 2);
        QCOMPARE(m->columnCount(), int(ResultsModel::ColumnCount));
        for (int r = 0; r < 2; ++r)
            QVERIFY2(m->index(r, ResultsModel::VsBaseline).data().toString().contains(QStringLiteral("×")),
                     qPrintable(m->index(r, ResultsModel::VsBaseline).data().toString()));

        // Clear: the columns, the bar and the ghosts go.
        auto* clear = w.findChild<QAction*>(QStringLiteral("clearBaselineAction"));
        QVERIFY(clear && clear->isEnabled());
        clear->trigger();
        QCOMPARE(m->columnCount(), int(ResultsModel::VsBaseline));
        QVERIFY(w.baselineBar()->isHidden());
        QCOMPARE(w.breakdownView()->plot()->plottableCount(), phases);
        QVERIFY(!w.baseline()->isSet());
        QVERIFY(!clear->isEnabled());
    }

    void badBaselineChangesNothing_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("message");
        QTest::addRow("not json") << QStringLiteral("garbage.json") << QStringLiteral("garbage.json");
        QTest::addRow("missing") << QStringLiteral("missing.json") << QStringLiteral("missing.json");
    }
    void badBaselineChangesNothing() {
        QFETCH(QString, file);
        QFETCH(QString, message);
        MainWindow w;
        QString error;
        QVERIFY2(w.openFile(m_next, &error), qPrintable(error));
        QVERIFY(w.compareWithBaseline(m_base, &error));
        QVERIFY(!w.compareWithBaseline(m_dir.filePath(file), &error));
        QVERIFY2(error.contains(message), qPrintable(error));
        QCOMPARE(w.baseline()->path(), QFileInfo(m_base).absoluteFilePath()); // the old one stays
        QCOMPARE(w.resultsModel()->columnCount(), int(ResultsModel::ColumnCount));
    }

    // A sweep baseline: its curves dashed beside the shown sweep's (same parameter), named
    // "ID (baseline)"; another parameter draws none and says why; kinds that do not match say so.
    void sweepBaselineDrawsDashedCurves() {
        MainWindow w;
        QString error;
        QVERIFY2(w.openFile(m_sweep2, &error), qPrintable(error));
        QVERIFY(!w.speedupView()->graphNames().contains(QStringLiteral("thread-pool (baseline)")));
        QVERIFY2(w.compareWithBaseline(m_sweep, &error), qPrintable(error));
        QVERIFY(w.baseline()->sweep() && !w.baseline()->experiment());
        for (SweepView* v : {w.speedupView(), w.sweepThroughputView()}) {
            QVERIFY2(v->graphNames().contains(QStringLiteral("thread-pool (baseline)")),
                     qPrintable(v->graphNames().join(QLatin1Char(','))));
            QCOMPARE(v->pointCount(QStringLiteral("thread-pool (baseline)")), 2);
            QCOMPARE(v->pointCount(QStringLiteral("thread-pool")), 2);
        }
        QVERIFY2(w.baselineBar()->text().contains(QStringLiteral("its curves dashed")),
                 qPrintable(w.baselineBar()->text()));
        QCOMPARE(w.resultsModel()->columnCount(), int(ResultsModel::VsBaseline)); // no run table compared
        const QString png = m_dir.filePath(QStringLiteral("speedup.png"));
        QVERIFY2(w.exportFigure(FigureKind::SweepSpeedup, png, QSize(900, 500), 1.0, &error),
                 qPrintable(error));
        QVERIFY(!QImage(png).isNull());

        QVERIFY2(w.compareWithBaseline(m_workersSweep, &error), qPrintable(error));
        QVERIFY(!w.speedupView()->graphNames().contains(QStringLiteral("thread-pool (baseline)")));
        QVERIFY2(w.baselineBar()->text().contains(QStringLiteral("its curves are not drawn")),
                 qPrintable(w.baselineBar()->text()));
        QVERIFY(w.baselineBar()->toolTip().contains(QStringLiteral("swept parameter: workers → task-us")));

        QVERIFY2(w.compareWithBaseline(m_base, &error), qPrintable(error)); // a run, with a sweep shown
        QVERIFY2(w.baselineBar()->text().contains(QStringLiteral("is a run")),
                 qPrintable(w.baselineBar()->text()));
        QVERIFY(!w.speedupView()->graphNames().contains(QStringLiteral("thread-pool (baseline)")));

        QVERIFY2(w.compareWithBaseline(m_sweep, &error), qPrintable(error)); // a sweep, with a run shown
        QVERIFY2(w.openFile(m_next, &error), qPrintable(error));
        QVERIFY2(w.baselineBar()->text().contains(QStringLiteral("is a sweep")),
                 qPrintable(w.baselineBar()->text()));
        QCOMPARE(w.resultsModel()->columnCount(), int(ResultsModel::VsBaseline));
        QCOMPARE(w.breakdownView()->plot()->plottableCount(), int(kWorkerPhases.size()));
    }
};

QTEST_MAIN(TestGuiCompare)
#include "tst_gui_compare.moc"
