// The export actions (ui/export_actions.h) on a Document and a tab widget of plot views,
// without the main window: which actions are enabled for which document, and that each write
// exports the document's results (or says there is nothing to export).
#include "document.h"
#include "export_actions.h"
#include "plot_views.h"
#include "sweep_views.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace conlab;
using namespace conlab::ui;

namespace {

Experiment smallExperiment() {
    Experiment ex;
    ex.spec.tasks = 100;
    for (const char* backend : {"sequential", "thread-pool"}) {
        BackendRun run;
        run.backend = backend;
        ex.runs.push_back(run);
    }
    return ex;
}

SweepResult sweepOf(std::vector<double> values) {
    SweepResult sw;
    sw.param = SweepParam::TaskUs;
    sw.values = values;
    sw.backends = {"sequential"};
    for (double v : values) {
        SweepPoint p;
        p.value = v;
        p.spec.taskUs = v;
        BackendRun run;
        run.backend = "sequential";
        p.runs.push_back(run);
        sw.points.push_back(p);
    }
    return sw;
}

// The window's plot tabs: one view per figure kind.
struct Fixture {
    QWidget window;
    QTabWidget tabs;
    Document document;
    QTemporaryDir dir;
    ExportActions actions{document, &tabs, [this] { return dir.path(); }, &window};
    Fixture() {
        for (PlotView* v : std::initializer_list<PlotView*>{
                 new BreakdownView, new ThroughputView, new TimelineView,
                 new SweepView(FigureKind::SweepSpeedup), new SweepView(FigureKind::SweepThroughput),
                 new SweepPhasesView})
            tabs.addTab(v, figureName(v->kind()));
    }
};

} // namespace

class TestExportActions : public QObject {
    Q_OBJECT
  private slots:
    void enabledFollowsTheDocument_data() {
        QTest::addColumn<QString>("document");
        QTest::addColumn<bool>("running");
        QTest::addColumn<bool>("exports"); // report, figure, data
        QTest::addColumn<bool>("trace");
        QTest::addRow("nothing") << "none" << false << false << false;
        QTest::addRow("experiment") << "experiment" << false << true << true;
        QTest::addRow("during a run") << "experiment" << true << false << false;
        QTest::addRow("sweep: no trace") << "sweep" << false << true << false;
        QTest::addRow("comparison: its point has a trace") << "comparison" << false << true << true;
    }
    void enabledFollowsTheDocument() {
        QFETCH(QString, document);
        QFETCH(bool, running);
        QFETCH(bool, exports);
        QFETCH(bool, trace);
        Fixture f;
        if (document == QLatin1String("experiment")) f.document.setExperiment(smallExperiment(), {}, true);
        if (document == QLatin1String("sweep")) f.document.setSweep(sweepOf({1, 10, 100}), {}, {}, true);
        if (document == QLatin1String("comparison")) f.document.setSweep(sweepOf({10}), {}, {}, true);
        f.actions.updateEnabled(running);
        QCOMPARE(f.actions.reportAction()->isEnabled(), exports);
        QCOMPARE(f.actions.currentFigureAction()->isEnabled(), exports);
        QCOMPARE(f.actions.dataAction()->isEnabled(), exports);
        QCOMPARE(f.actions.traceAction()->isEnabled(), trace);
    }

    void exportsTheDocumentsResults() {
        Fixture f;
        QString error;
        QVERIFY(!f.actions.exportData(f.dir.filePath(QStringLiteral("none.csv")), &error));
        QVERIFY2(error.contains(QLatin1String("Nothing to export")), qPrintable(error));
        f.document.setExperiment(smallExperiment(), {}, true);
        const QString csv = f.dir.filePath(QStringLiteral("r.csv"));
        QVERIFY2(f.actions.exportData(csv, &error), qPrintable(error));
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("thread-pool"));
        QVERIFY(!f.actions.exportData(f.dir.filePath(QStringLiteral("r.xls")), &error));
        QVERIFY2(error.contains(QLatin1String("unknown data format")), qPrintable(error));
        QVERIFY2(f.actions.exportTrace(f.dir.filePath(QStringLiteral("t.json")), &error), qPrintable(error));
        const QString svg = f.dir.filePath(QStringLiteral("b.svg"));
        QVERIFY2(f.actions.exportFigure(FigureKind::Breakdown, svg, QSize(600, 400), 1, &error),
                 qPrintable(error));
        QVERIFY(QFile::exists(svg));
        QVERIFY(!f.actions.exportFigure(FigureKind::SweepSpeedup, f.dir.filePath(QStringLiteral("s.svg")),
                                        QSize(600, 400), 1, &error));
        QVERIFY2(error.contains(QLatin1String("run a sweep first")), qPrintable(error));
    }

    void sweepDataIsTheSweepFile() {
        Fixture f;
        f.document.setSweep(sweepOf({1, 10, 100}), QJsonObject{{"lesson", "tiny-tasks"}}, {}, true);
        QString error;
        const QString json = f.dir.filePath(QStringLiteral("s.json"));
        QVERIFY2(f.actions.exportData(json, &error), qPrintable(error));
        QFile file(json);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), f.document.sweepJson());
        QVERIFY(!f.actions.exportTrace(f.dir.filePath(QStringLiteral("t.json")), &error));
    }
};

QTEST_MAIN(TestExportActions)
#include "tst_export_actions.moc"
