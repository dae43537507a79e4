// Runs the real `conlab` binary: exit codes, messages, and the results file it writes.
#include "cli_runner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {
using Result = cli_test::CliResult;
Result conlab(const QStringList& args, int timeoutMs = 120000 * CONLAB_TEST_SLOWDOWN) {
    return cli_test::runConlab(args, timeoutMs);
}
} // namespace

class TestCli : public QObject {
    Q_OBJECT
  private slots:
    void versionAndHelp() {
        auto v = conlab({"--version"});
        QCOMPARE(v.exitCode, 0);
        QVERIFY(v.out.startsWith("conlab "));
        auto h = conlab({"--help"});
        QCOMPARE(h.exitCode, 0);
        QVERIFY(h.out.contains("--task-us"));
    }

    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::addRow("unknown command") << QStringList{"frobnicate"} << "frobnicate";
        QTest::addRow("unknown flag") << QStringList{"run", "--fast"} << "--fast";
        QTest::addRow("missing value") << QStringList{"run", "--tasks"} << "--tasks";
        QTest::addRow("tasks zero") << QStringList{"run", "--tasks", "0"} << "--tasks";
        QTest::addRow("tasks not a number") << QStringList{"run", "--tasks", "many"} << "--tasks";
        QTest::addRow("workers too many") << QStringList{"run", "--workers", "5000"} << "1 … 1024";
        QTest::addRow("task-us negative") << QStringList{"run", "--task-us", "-3"} << "--task-us";
        QTest::addRow("bad size") << QStringList{"run", "--payload", "4Q"} << "--payload";
        QTest::addRow("bad kind") << QStringList{"run", "--kind", "gpu"} << "cpu, memory, io";
        QTest::addRow("unknown backend") << QStringList{"run", "--backends", "nope"} << "nope";
        QTest::addRow("bad format") << QStringList{"run", "--format", "xml"} << "table, json, csv";
        QTest::addRow("bad cpus") << QStringList{"run", "--cpus", "x"} << "--cpus";
        QTest::addRow("flag twice") << QStringList{"run", "--tasks", "1", "--tasks", "2"} << "twice";
    }
    void usageErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        auto r = conlab(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(mentions), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    void backendsJson() {
        auto r = conlab({"backends", "--format", "json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray arr = QJsonDocument::fromJson(r.out.toUtf8()).object().value("backends").toArray();
        QVERIFY(arr.size() >= 5);
        for (const auto& b : arr) {
            const QJsonObject o = b.toObject();
            QVERIFY(!o.value("id").toString().isEmpty());
            QVERIFY(!o.value("family").toString().isEmpty());
            QVERIFY(!o.value("description").toString().isEmpty());
            QVERIFY(o.value("available").isBool());
        }
    }

    void runWritesResultsFile() {
        QTemporaryDir dir;
        const QString path = dir.filePath("out.json");
        auto r =
            conlab({"run", "--backends", "sequential,thread-pool,process-pool", "--tasks", "50", "--task-us",
                    "20", "--messages", "1", "--payload", "4K", "--format", "json", "--output", path});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject root = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(root.value("schema").toString(), QString("conlab.results/2"));
        const QJsonArray runs = root.value("runs").toArray();
        QCOMPARE(runs.size(), 3);
        QCOMPARE(runs[2].toObject().value("backend").toString(), QString("process-pool"));
        QVERIFY(runs[2].toObject().value("summary").toObject().value("throughput").toDouble() > 0);
    }

    void tableAndCsv() {
        auto t = conlab({"run", "--backends", "sequential,thread-pool", "--tasks", "20", "--task-us", "10"});
        QCOMPARE(t.exitCode, 0);
        QVERIFY(t.out.contains("sequential") && t.out.contains("thread-pool") && t.out.contains("speedup"));
        auto c = conlab(
            {"run", "--backends", "sequential", "--tasks", "20", "--task-us", "10", "--format", "csv"});
        QCOMPARE(c.exitCode, 0);
        const QStringList lines = c.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines[0].split(',').size(), lines[1].split(',').size());
    }

    void noDisplayRunsHeadless() {
        // The default comparison forks 2,000 processes (process-per-task and its start
        // methods): ~15 s in release, ~160 s under ASan, whose fork copies the shadow's page tables.
        // The release suite runs it; the sanitizers check the same run path in tst_backends.
        if (CONLAB_TEST_SLOWDOWN > 1) QSKIP("the default comparison: release builds only (2,000 forks)");
        auto r = conlab({}, 120000 * CONLAB_TEST_SLOWDOWN); // the default comparison: 14 backends
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.err.contains("no display"));
        QVERIFY(r.out.contains("process-pool"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
