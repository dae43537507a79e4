// Two-parameter maps (core/sweep_map/, `conlab sweep --param2`): the best backend per cell and
// the break-even contour on cells with known speedups, the map file's round trip and its
// refusals, and the CLI end to end (table, CSV, JSON, show, plot, usage errors).
#include "cli_runner.h"

#include "calibration.h"
#include "results_json.h"
#include "sweep_map/sweep_map.h"
#include "sweep_map/sweep_map_format.h"
#include "sweep_map/sweep_map_json.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

using namespace conlab;

namespace {

BackendRun measuredRun(const std::string& backend, double throughput, std::optional<double> speedup) {
    BackendRun r;
    r.backend = backend;
    r.summary.repetitions = 3;
    r.summary.throughput.median = throughput;
    r.summary.speedup = speedup;
    return r;
}

// A map whose cells have the given speedups of "x" over sequential (sequential: 1000 tasks/s).
SweepMap knownMap(const std::vector<double>& values, const std::vector<std::vector<double>>& speedups) {
    SweepMap m;
    m.param2 = SweepParam::Payload;
    for (size_t j = 0; j < speedups.size(); ++j) {
        m.values2.push_back(double(64 << (4 * j)));
        SweepResult row;
        row.param = SweepParam::TaskUs;
        row.logScale = true;
        row.values = values;
        row.backends = {"sequential", "x"};
        for (size_t i = 0; i < values.size(); ++i) {
            SweepPoint p;
            p.value = values[i];
            p.runs = {measuredRun("sequential", 1000, 1.0),
                      measuredRun("x", 1000 * speedups[j][i], speedups[j][i])};
            row.points.push_back(p);
        }
        m.rows.push_back(row);
    }
    return m;
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

cli_test::CliResult runCli(const QStringList& args) {
    return cli_test::runConlab(args, 180000 * CONLAB_TEST_SLOWDOWN);
}

const QStringList kTinyMap = {"sweep",    "--backends", "sequential,thread-pool",
                              "--tasks",  "4",          "--param",
                              "task-us",  "--values",   "5,50",
                              "--param2", "workers",    "--values",
                              "1,2"};

} // namespace

class TestSweepMap : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

  private slots:
    void bestBackendPerCell() {
        const SweepMap m = knownMap({1, 10, 100}, {{0.5, 2, 4}});
        QCOMPARE(*bestBackendAt(m.rows[0].points[0]), std::string("sequential"));
        QCOMPARE(*bestBackendAt(m.rows[0].points[1]), std::string("x"));
        SweepPoint failed = m.rows[0].points[2];
        failed.runs[1].error = "x: crashed";
        failed.runs[0].error = "sequential: crashed";
        QVERIFY(!bestBackendAt(failed)); // nothing finished: no best
    }

    void contourPerRow() {
        // Row 1 crosses between 1 and 10 µs: at 10^(1/3) on the log scale (0.5 → 2).
        // Row 2 never reaches 1; row 3 starts above 1 and falls below between 10 and 100.
        const SweepMap m = knownMap({1, 10, 100}, {{0.5, 2, 4}, {0.2, 0.5, 0.8}, {3, 2, 0.5}});
        const auto c = breakEvenContour(m, "x");
        QCOMPARE(int(c.size()), 3);
        QVERIFY(c[0].breakEven.value && c[0].breakEven.paysOffAbove);
        QVERIFY2(std::abs(*c[0].breakEven.value - std::cbrt(10.0)) < 1e-9,
                 qPrintable(QString::number(*c[0].breakEven.value)));
        QVERIFY(!c[1].breakEven.value);
        QVERIFY2(!c[1].breakEven.note.empty(), "a row without a crossing says why");
        QVERIFY(c[2].breakEven.value && !c[2].breakEven.paysOffAbove);
        QVERIFY(*c[2].breakEven.value > 10 && *c[2].breakEven.value < 100);
        QCOMPARE(c[1].value2, m.values2[1]);
        QCOMPARE(defaultMapBackend(m), std::string("x"));
        const std::string table = formatSweepMapTable(m);
        QVERIFY2(table.find("breaks even at task-us = 2.15 µs (faster above)") != std::string::npos,
                 table.c_str());
        QVERIFY2(table.find("best backend per cell") != std::string::npos, table.c_str());
        // CSV: one row per cell and backend, the best flagged.
        const std::string csv = formatSweepMapCsv(m);
        QCOMPARE(int(std::count(csv.begin(), csv.end(), '\n')), 1 + 3 * 3 * 2);
    }

    void fileRoundTripAndRefusals() {
        Engine engine(loadOrMeasureCalibration());
        WorkloadSpec base;
        base.tasks = 4;
        base.taskUs = 5;
        const SweepMap m = runSweepMap(engine, base, SweepParam::TaskUs, {5, 50}, false, SweepParam::Workers,
                                       {1, 2}, false, {"sequential", "thread-pool"}, {});
        QCOMPARE(int(m.rows.size()), 2);
        QCOMPARE(int(m.finishedCells()), 4);
        QCOMPARE(m.rows[1].base.workers, 2); // each row's base carries its value of param2
        QJsonObject doc = sweepMapToJson(m);
        const QByteArray bytes = QJsonDocument(doc).toJson();
        auto load = sweepMapFromJsonBytes(bytes);
        QVERIFY(load && load->map);
        QCOMPARE(load->map->values2, m.values2);
        QCOMPARE(load->map->rows.size(), m.rows.size());
        QCOMPARE(load->map->values(), m.values());
        QCOMPARE(load->map->rows[1].points[1].runs[1].summary.throughput.median,
                 m.rows[1].points[1].runs[1].summary.throughput.median);
        // Not a map: a plain results file is left to the results loader.
        Experiment ex;
        ex.spec = base;
        QVERIFY(!sweepMapFromJsonBytes(toJsonBytes(ex)));
        // A row whose values differ from the first row's is refused, naming the row.
        QJsonObject mo = doc.value("sweep_map").toObject();
        QJsonArray rows = mo.value("rows").toArray();
        QJsonObject row = rows[1].toObject();
        QJsonObject sweep = row.value("sweep").toObject();
        sweep["values"] = QJsonArray{5, 60};
        QJsonArray points = sweep.value("points").toArray();
        QJsonObject p1 = points[1].toObject();
        p1["value"] = 60;
        points[1] = p1;
        sweep["points"] = points;
        row["sweep"] = sweep;
        rows[1] = row;
        mo["rows"] = rows;
        doc["sweep_map"] = mo;
        load = sweepMapFromJsonBytes(QJsonDocument(doc).toJson());
        QVERIFY(load && !load->map);
        QVERIFY2(load->error.contains("row 2") && load->error.contains("differ"), qPrintable(load->error));
        // More rows than values of param2.
        mo["values2"] = QJsonArray{1};
        doc["sweep_map"] = mo;
        load = sweepMapFromJsonBytes(QJsonDocument(doc).toJson());
        QVERIFY(load && !load->map);
        QVERIFY2(load->error.contains("2 rows for 1 values"), qPrintable(load->error));
    }

    void cliWritesShowsAndPlots() {
        QVERIFY(m_dir.isValid());
        const QString json = m_dir.filePath("map.json"), png = m_dir.filePath("map.png");
        auto r = runCli(kTinyMap + QStringList{"--format", "json", "--output", json});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject mo = QJsonDocument::fromJson(readAll(json)).object().value("sweep_map").toObject();
        QCOMPARE(mo.value("param").toString(), QStringLiteral("task-us"));
        QCOMPARE(mo.value("param2").toString(), QStringLiteral("workers"));
        QCOMPARE(mo.value("rows").toArray().size(), 2);
        r = runCli({"show", json});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("thread-pool: speedup over sequential") &&
                     r.out.contains("best backend per cell") && r.out.contains("4 of 4 cells measured"),
                 qPrintable(r.out));
        r = runCli({"show", json, "--format", "csv"});
        QVERIFY2(r.exitCode == 0 && r.out.startsWith("param,value,param2,value2,backend"),
                 qPrintable(r.out + r.err));
        QCOMPARE(r.out.count('\n'), 1 + 2 * 2 * 2);
        r = runCli({"plot", json, "--out", png, "--map-backend", "thread-pool"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(readAll(png).startsWith("\x89PNG"));
        r = runCli({"plot", json, "--out", png, "--figure", "phases"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("is not a map figure (allowed: map, best, speedup)"), qPrintable(r.err));
        r = runCli({"plot", json, "--out", png, "--map-backend", "tbb"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("'tbb' is not in the map (it has: sequential, thread-pool)"),
                 qPrintable(r.err));
    }

    void cliWarnsOfASecondAxisWithoutEffect() {
        // Payload swept by --param2 without messages changes nothing: said, as for --param.
        const auto r = runCli({"sweep", "--backends", "sequential", "--tasks", "2", "--param", "workers",
                               "--values", "1,2", "--param2", "payload", "--values", "64,1K"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains("warning: sweeping payload has no effect with --messages 0"),
                 qPrintable(r.err));
        const auto quiet =
            runCli({"sweep", "--backends", "sequential", "--tasks", "2", "--param", "workers", "--values",
                    "1,2", "--param2", "payload", "--values", "64,1K", "--messages", "1"});
        QVERIFY2(quiet.exitCode == 0 && !quiet.err.contains("warning"), qPrintable(quiet.err));
    }

    void cliUsageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("same parameter") << QStringList{"sweep",    "--param", "workers",  "--values", "1,2",
                                                       "--param2", "workers", "--values", "1,2"}
                                        << "--param2: 'workers' is already --param";
        QTest::newRow("second axis without --param2")
            << QStringList{"sweep", "--param", "workers", "--values", "1,2", "--values2", "1,2"}
            << "--values2 needs --param2";
        QTest::newRow("unknown parameter")
            << QStringList{"sweep",    "--param", "workers",  "--values", "1,2",
                           "--param2", "colour",  "--values", "1"}
            << "--param2: 'colour' cannot be swept";
        QTest::newRow("bad second value") << QStringList{"sweep",    "--param", "workers",  "--values", "1,2",
                                                         "--param2", "task-us", "--values", "5,-1"}
                                          << "--values2: task-us = -1";
        QTest::newRow("advice") << kTinyMap + QStringList{"--advise"}
                                << "--advise: advice is given for one-parameter";
        QTest::newRow("no second values")
            << QStringList{"sweep", "--param", "workers", "--values", "1,2", "--param2", "task-us"}
            << "give --values2 V,V,… or --from2 A --to2 B";
    }
    void cliUsageErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const auto r = runCli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestSweepMap)
#include "tst_sweep_map.moc"
