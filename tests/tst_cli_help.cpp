// `conlab COMMAND --help`: every subcommand prints its own help on stdout and exits 0 (the real
// binary; no run starts).
#include "cli_runner.h"

#include <QProcess>
#include <QTest>

namespace {
using Result = cli_test::CliResult;
Result conlab(const QStringList& args) {
    return cli_test::runConlab(args, 30000 * CONLAB_TEST_SLOWDOWN);
}
} // namespace

class TestCliHelp : public QObject {
    Q_OBJECT
  private slots:
    void subcommandHelp_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("usage");    // the first line starts with this
        QTest::addColumn<QString>("mentions"); // an option only this command has
        QTest::addRow("run") << QStringList{"run", "--help"} << "usage: conlab run"
                             << "--advise";
        QTest::addRow("run -h") << QStringList{"run", "-h"} << "usage: conlab run"
                                << "--task-us";
        QTest::addRow("run, other flags before")
            << QStringList{"run", "--tasks", "5", "--help"} << "usage: conlab run"
            << "--backends";
        QTest::addRow("sweep") << QStringList{"sweep", "--help"} << "usage: conlab sweep"
                               << "--steps";
        QTest::addRow("lesson") << QStringList{"lesson", "--help"} << "usage: conlab lesson"
                                << "lesson run NAME";
        QTest::addRow("lesson run") << QStringList{"lesson", "run", "--help"} << "usage: conlab lesson"
                                    << "verdict";
        QTest::addRow("plot") << QStringList{"plot", "--help"} << "usage: conlab plot"
                              << "--out";
        QTest::addRow("trace") << QStringList{"trace", "--help"} << "usage: conlab trace"
                               << "ui.perfetto.dev";
        QTest::addRow("show") << QStringList{"show", "--help"} << "usage: conlab show"
                              << "--format";
        QTest::addRow("backends") << QStringList{"backends", "--help"} << "usage: conlab backends"
                                  << "--python";
        QTest::addRow("calibrate") << QStringList{"calibrate", "--help"} << "usage: conlab calibrate"
                                   << "--python";
        QTest::addRow("pingpong") << QStringList{"pingpong", "--help"} << "usage: conlab pingpong"
                                  << "--iterations";
        QTest::addRow("fidelity") << QStringList{"fidelity", "--help"} << "usage: conlab fidelity"
                                  << "--quick";
        QTest::addRow("help COMMAND") << QStringList{"help", "sweep"} << "usage: conlab sweep"
                                      << "--param";
    }
    void subcommandHelp() {
        QFETCH(QStringList, args);
        QFETCH(QString, usage);
        QFETCH(QString, mentions);
        const Result r = conlab(args);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(usage), qPrintable(r.out.left(200)));
        QVERIFY2(r.out.contains(mentions), qPrintable(r.out));
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err)); // nothing ran: no calibration, no progress
    }

    // The help of one command is not another's, and the top-level help points to it.
    void helpsDiffer() {
        QVERIFY(conlab({"run", "--help"}).out != conlab({"sweep", "--help"}).out);
        QVERIFY(!conlab({"show", "--help"}).out.contains("--task-us"));
        QVERIFY(conlab({"--help"}).out.contains("COMMAND --help"));
    }

    // An unknown command is still a usage error, also with --help.
    void unknownCommand() {
        const Result r = conlab({"frobnicate", "--help"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("frobnicate"));
    }
};

QTEST_GUILESS_MAIN(TestCliHelp)
#include "tst_cli_help.moc"
