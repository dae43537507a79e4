// `conlab trace`: a real run with a thread backend and a process backend, traced through the
// real binary: valid Chrome trace JSON on the OS pids and tids that ran the work, every one
// named by metadata, and bad input refused with a clear message.
#include "cli_runner.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

namespace {
using Result = cli_test::CliResult;
Result conlab(const QStringList& args) {
    return cli_test::runConlab(args, 120000 * CONLAB_TEST_SLOWDOWN);
}
constexpr qint64 kStandInIdBase = qint64(1) << 23; // core/files/trace_json.h
bool isInteger(const QJsonValue& v) {
    return v.isDouble() && std::floor(v.toDouble()) == v.toDouble();
}
} // namespace

class TestTrace : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    qint64 m_runPid = 0; // the `conlab run` that measured: thread backends' process
    QJsonArray m_events;

  private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        const QString results = m_dir.filePath("run.json"), trace = m_dir.filePath("trace.json");
        // cli_runner's environment, and the run's pid: the thread backend's threads are in it.
        QProcess run;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char* var : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
            env.remove(var);
        run.setProcessEnvironment(env);
        run.start(QStringLiteral(CONLAB_BIN_DIR "/conlab"),
                  {"run", "--backends", "thread-pool,process-pool", "--workers", "2", "--tasks", "20",
                   "--task-us", "200", "--format", "json", "--output", results});
        QVERIFY(run.waitForStarted());
        m_runPid = run.processId();
        QVERIFY(run.waitForFinished(120000 * CONLAB_TEST_SLOWDOWN));
        QVERIFY2(run.exitCode() == 0, run.readAllStandardError().constData());
        const Result r = conlab({"trace", results, "--out", trace});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains("wrote " + trace), qPrintable(r.err));
        QFile f(trace);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        QVERIFY(doc.object().value("traceEvents").isArray());
        m_events = doc.object().value("traceEvents").toArray();
        QVERIFY(!m_events.isEmpty());
    }

    // Every complete event has integer ids and a place on the time axis.
    void completeEventsAreWellFormed() {
        int complete = 0;
        for (const auto& v : m_events) {
            const QJsonObject e = v.toObject();
            if (e.value("ph").toString() != "X") continue;
            ++complete;
            QVERIFY(isInteger(e.value("pid")) && isInteger(e.value("tid")));
            QVERIFY(e.value("ts").isDouble() && e.value("ts").toDouble() >= 0);
            QVERIFY(e.value("dur").isDouble() && e.value("dur").toDouble() >= 0);
            QVERIFY(!e.value("name").toString().isEmpty());
        }
        QVERIFY(complete > 0);
    }

    // The thread backend runs in conlab's process on threads of its own; the process backend's
    // two workers are two other processes: real ids, not stand-ins.
    void eventsCarryRealIds() {
        QMap<QString, QSet<qint64>> pids, tids;
        for (const auto& v : m_events) {
            const QJsonObject e = v.toObject();
            if (e.value("ph").toString() != "X") continue;
            const QString backend = e.value("args").toObject().value("backend").toString();
            pids[backend].insert(e.value("pid").toInteger());
            tids[backend].insert(e.value("tid").toInteger());
        }
        QCOMPARE(pids.value("thread-pool"), QSet<qint64>{m_runPid});
        QCOMPARE(tids.value("thread-pool").size(), 2);
        for (qint64 tid : tids.value("thread-pool"))
            QVERIFY(tid != m_runPid && tid > 0 && tid < kStandInIdBase); // worker threads, not main
        const QSet<qint64> workers = pids.value("process-pool");
        QCOMPARE(workers.size(), 2);
        for (qint64 pid : workers) {
            QVERIFY(pid != m_runPid && pid > 0 && pid < kStandInIdBase);
            QVERIFY(tids.value("process-pool").contains(pid)); // a worker's tasks run on its main thread
        }
    }

    // Perfetto names what the metadata names: every pid and every (pid, tid) of an event.
    void metadataNamesEveryId() {
        QSet<qint64> namedPids;
        QSet<QPair<qint64, qint64>> namedThreads;
        for (const auto& v : m_events) {
            const QJsonObject e = v.toObject();
            if (e.value("ph").toString() != "M") continue;
            const QString name = e.value("args").toObject().value("name").toString();
            if (e.value("name").toString() == "process_name" && !name.isEmpty())
                namedPids.insert(e.value("pid").toInteger());
            if (e.value("name").toString() == "thread_name" && !name.isEmpty())
                namedThreads.insert({e.value("pid").toInteger(), e.value("tid").toInteger()});
        }
        for (const auto& v : m_events) {
            const QJsonObject e = v.toObject();
            if (e.value("ph").toString() != "X") continue;
            const qint64 pid = e.value("pid").toInteger(), tid = e.value("tid").toInteger();
            QVERIFY2(namedPids.contains(pid), qPrintable(QString::number(pid)));
            QVERIFY2(namedThreads.contains({pid, tid}), qPrintable(QString::number(tid)));
        }
    }

    void badInput_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString results = m_dir.filePath("run.json"), out = m_dir.filePath("t.json");
        QFile notResults(m_dir.filePath("notes.json"));
        if (notResults.open(QIODevice::WriteOnly)) notResults.write("{\"hello\": 1}\n");
        QTest::addRow("missing file")
            << QStringList{"trace", m_dir.filePath("nope.json"), "--out", out} << 2 << "cannot load results";
        QTest::addRow("not a results file")
            << QStringList{"trace", notResults.fileName(), "--out", out} << 2 << "not a conlab results file";
        QTest::addRow("no --out") << QStringList{"trace", results} << 2 << "--out TRACE.json is required";
        QTest::addRow("no file") << QStringList{"trace"} << 2 << "which results file?";
        QTest::addRow("unknown option")
            << QStringList{"trace", results, "--out", out, "--fast"} << 2 << "unknown option --fast";
        QTest::addRow("--out in a missing folder")
            << QStringList{"trace", results, "--out", m_dir.filePath("no/such/t.json")} << 1 << "t.json";
    }
    void badInput() {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const Result r = conlab(args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        QVERIFY(!QFile::exists(m_dir.filePath("t.json")));
    }
};

QTEST_GUILESS_MAIN(TestTrace)
#include "tst_trace.moc"
