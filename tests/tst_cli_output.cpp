// What the real `conlab` binary prints around its tables: break-even lines only where they
// apply, warnings for options the rest of the command line makes meaningless, counts in the
// singular for one, each error once, and no Qt noise from figures.
#include "cli_runner.h"

#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

namespace {
using Result = cli_test::CliResult;
Result conlab(const QStringList& args, int timeoutMs = 120000 * CONLAB_TEST_SLOWDOWN) {
    return cli_test::runConlab(args, timeoutMs);
}
// A tiny workload: every row below runs in well under a second.
const QStringList kTiny = {"--tasks", "2", "--task-us", "1"};
} // namespace

class TestCliOutput : public QObject {
    Q_OBJECT
  private slots:
    // Break-even needs sequential and two values; otherwise no line at all, not one per backend.
    void breakEvenOnlyWhereItApplies_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<bool>("breakEven");
        QTest::addRow("no sequential")
            << QStringList{"--backends", "thread-pool,process-pool", "--param", "workers", "--values", "1,2"}
            << false;
        QTest::addRow("one value") << QStringList{"--backends", "sequential,thread-pool",
                                                  "--param",    "workers",
                                                  "--values",   "2"}
                                   << false;
        QTest::addRow("sequential, two values")
            << QStringList{"--backends", "sequential,thread-pool", "--param", "workers", "--values", "1,2"}
            << true;
    }
    void breakEvenOnlyWhereItApplies() {
        QFETCH(QStringList, args);
        QFETCH(bool, breakEven);
        const Result r = conlab(QStringList{"sweep"} + args + kTiny);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("sweep of workers"), qPrintable(r.out));
        QCOMPARE(r.out.contains("break-even"), breakEven);
        QVERIFY2(!r.out.contains("no speedup measured") && !r.out.contains("too few points"),
                 qPrintable(r.out));
        if (breakEven) QVERIFY2(r.out.contains("  thread-pool: "), qPrintable(r.out));
    }

    // An option that has no effect is run anyway, with one warning naming it and why.
    void ignoredOptionsWarn_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("warning"); // empty: no warning
        const QStringList run = {"run", "--backends", "sequential"};
        const QStringList sweep = {"sweep",   "--backends", "sequential", "--param",
                                   "payload", "--values",   "64,128"};
        QTest::addRow("payload without messages")
            << run + QStringList{"--payload", "4K"} << "--payload has no effect with --messages 0";
        QTest::addRow("payload with messages")
            << run + QStringList{"--payload", "4K", "--messages", "1"} << "";
        QTest::addRow("working-set, kind cpu")
            << run + QStringList{"--working-set", "4K"} << "--working-set has no effect with --kind cpu";
        QTest::addRow("working-set, kind io") << run + QStringList{"--working-set", "4K", "--kind", "io"}
                                              << "--working-set has no effect with --kind io";
        QTest::addRow("working-set, kind memory")
            << run + QStringList{"--working-set", "4K", "--kind", "memory"} << "";
        QTest::addRow("sweeping payload without messages") << sweep << "sweeping payload has no effect";
        QTest::addRow("sweeping payload with messages") << sweep + QStringList{"--messages", "1"} << "";
        QTest::addRow("figure without plot") << sweep + QStringList{"--messages", "1", "--figure", "phases"}
                                             << "--figure has no effect without --plot";
        QTest::addRow("size without plot") << sweep + QStringList{"--messages", "1", "--size", "800x600"}
                                           << "--size has no effect without --plot";
    }
    void ignoredOptionsWarn() {
        QFETCH(QStringList, args);
        QFETCH(QString, warning);
        const Result r = conlab(args + kTiny);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("sequential"), qPrintable(r.out)); // it ran
        if (warning.isEmpty()) {
            QVERIFY2(!r.err.contains("warning"), qPrintable(r.err));
        } else {
            QVERIFY2(r.err.contains("conlab: warning: " + warning), qPrintable(r.err));
            QCOMPARE(r.err.count("conlab: warning: "), 1);
        }
    }

    // One task, worker and message are singular wherever a count is printed.
    void countsAgreeWithTheirNumber_data() {
        QTest::addColumn<QString>("n");
        QTest::addColumn<QStringList>("expected");
        QTest::addColumn<QStringList>("wrong");
        QTest::addRow("one") << "1"
                             << QStringList{"1 cpu task ×", "1 worker,", "1 message × 64 B",
                                            "At 1 message per task"}
                             << QStringList{"1 cpu tasks", "1 workers", "1 messages"};
        QTest::addRow("two") << "2"
                             << QStringList{"2 cpu tasks ×", "2 workers,", "2 messages × 64 B",
                                            "At 2 messages per task"}
                             << QStringList{"2 cpu task ", "2 worker,", "2 message "};
    }
    void countsAgreeWithTheirNumber() {
        QFETCH(QString, n);
        QFETCH(QStringList, expected);
        QFETCH(QStringList, wrong);
        const QStringList spec = {"--tasks", n, "--workers", n, "--task-us", "1"};
        const Result run = conlab(QStringList{"run", "--backends", "sequential", "--messages", n} + spec);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        // The sweep's advice names the value of its first and last point ("At 1 message per task").
        const Result sweep = conlab(QStringList{"sweep", "--backends", "sequential", "--param", "messages",
                                                "--values", n + "," + n, "--advise"} +
                                    spec);
        QVERIFY2(sweep.exitCode == 0, qPrintable(sweep.err));
        const QString all = run.out + sweep.out;
        for (const QString& e : expected)
            QVERIFY2(all.contains(e), qPrintable(e + "\n" + all));
        for (const QString& w : wrong)
            QVERIFY2(!all.contains(w), qPrintable(w + "\n" + all));
    }

    // A failed backend is reported once, on stderr: a table on stdout shows its row without
    // repeating the error (a table in --output keeps it: the file is read alone).
    void errorPrintedOnce_data() {
        QTest::addColumn<QStringList>("format");
        QTest::addColumn<bool>("tableOnStdout");
        QTest::addRow("table") << QStringList{} << true;
        QTest::addRow("json") << QStringList{"--format", "json"} << false;
        QTest::addRow("csv") << QStringList{"--format", "csv"} << false;
    }
    void errorPrintedOnce() {
        QFETCH(QStringList, format);
        QFETCH(bool, tableOnStdout);
        const Result r = conlab(
            QStringList{"run", "--backends", "py-sequential", "--python", "/nonexistent"} + kTiny + format);
        QCOMPARE(r.exitCode, 1);
        const QString message = "py-sequential: unavailable";
        QVERIFY2(r.err.count(message) == 1 && r.err.contains("conlab: " + message), qPrintable(r.err));
        // json and csv carry the error in their data: that is the file's, not a message.
        if (tableOnStdout)
            QVERIFY2(r.out.contains("py-sequential ") && !r.out.contains(message), qPrintable(r.out));
    }

    // Qt's XDG_RUNTIME_DIR warning is not printed by a figure (ssh and cron sessions lack it).
    void plotWithoutRuntimeDirIsQuiet() {
#ifndef CONLAB_HAVE_GUI
        QSKIP("built without the GUI library: no figures");
#endif
        QTemporaryDir dir;
        const QString results = dir.filePath("r.json"), figure = dir.filePath("p.png");
        const Result run = conlab(
            QStringList{"run", "--backends", "sequential", "--format", "json", "--output", results} + kTiny);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char* var : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_RUNTIME_DIR"})
            env.remove(var);
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(CONLAB_BIN_DIR "/conlab"), {"plot", results, "--out", figure});
        QVERIFY(p.waitForFinished(60000 * CONLAB_TEST_SLOWDOWN));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitCode(), 0);
        QVERIFY2(QFileInfo(figure).size() > 0, qPrintable(err));
        QVERIFY2(!err.contains("XDG_RUNTIME_DIR") && !err.contains("QStandardPaths"), qPrintable(err));
        QVERIFY2(err.contains("conlab: wrote"), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestCliOutput)
#include "tst_cli_output.moc"
