// Bad input through the real `conlab` binary (docs/reliability.md): every run flag out of
// range or malformed → exit 2 naming the flag and what is allowed; damaged results files →
// exit 2 with the reason, the file untouched; the hidden --inject-fault hook end to end.
#include "cli_runner.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

namespace {
using Result = cli_test::CliResult;
Result conlab(const QStringList& args, int timeoutMs = 120000 * CONLAB_TEST_SLOWDOWN) {
    return cli_test::runConlab(args, timeoutMs);
}
QByteArray fileHash(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return h.result();
}
} // namespace

class TestCliErrors : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_good; // a valid results file written by conlab itself
    QByteArray m_goodBytes;

  private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_good = m_dir.filePath("good.json");
        auto r = conlab({"run", "--backends", "sequential,process-pool", "--tasks", "8", "--task-us", "5",
                         "--format", "json", "--output", m_good});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QFile f(m_good);
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_goodBytes = f.readAll();
    }

    // Every run flag, out of range and malformed: exit 2, the flag named, the allowed values shown.
    void runFlagErrors_data() {
        QTest::addColumn<QString>("flag");
        QTest::addColumn<QString>("value");
        const QList<QPair<QString, QStringList>> cases = {
            {"tasks", {"0", "10000001", "-1", "1.5", "", "12abc"}},
            {"workers", {"0", "1025", "-2", "two"}},
            {"task-us", {"-1", "10000001", "nan", "inf", "1e999", "fast"}},
            {"kind", {"gpu", "", "CPU "}},
            {"working-set", {"63", "2G", "-4K", "4Q", "1.5.5K", "K"}},
            {"input", {"2G", "-1", "lots", "99999999999999999999"}},
            {"result", {"2G", "-1", "4X"}},
            {"messages", {"-1", "1000001", "many"}},
            {"payload", {"2G", "-64", "1e3e"}},
            {"chunksize", {"0", "1000001", "x"}},
            {"cpus", {"x", "1-", "-3", "3-1", "0,,1", "99999"}},
            {"repeat", {"0", "1001", "r"}},
            {"warmup", {"-1", "101", "w"}},
            {"task-timeout", {"0", "86401", "-1", "nan", "soon"}},
            {"format", {"xml", ""}},
            {"backends", {"nope", "sequential,nope", ","}},
            {"inject-fault", {"boom:3", "crash", "crash:", "crash:x", "crash:-1", "hang:3:"}},
        };
        for (const auto& [flag, values] : cases)
            for (const auto& v : values)
                QTest::addRow("--%s=%s", qPrintable(flag), qPrintable(v)) << flag << v;
    }
    void runFlagErrors() {
        QFETCH(QString, flag);
        QFETCH(QString, value);
        // --tasks/--backends are only added when they are not the flag under test.
        QStringList args{"run", "--" + flag + "=" + value};
        if (flag != "backends") args << "--backends=sequential";
        if (flag != "tasks") args << "--tasks=1";
        auto r = conlab(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
        QVERIFY2(r.err.contains("--" + flag), qPrintable(r.err));
        QVERIFY2(r.err.contains("allowed") || r.err.contains("no backend selected") || r.err.contains("size"),
                 qPrintable(r.err));
    }

    void otherCommandErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::addRow("pingpong payload 0") << QStringList{"pingpong", "--payload", "0"} << "--payload";
        QTest::addRow("pingpong payload huge") << QStringList{"pingpong", "--payload", "1G"} << "--payload";
        QTest::addRow("pingpong iterations")
            << QStringList{"pingpong", "--iterations", "0"} << "--iterations";
        QTest::addRow("pingpong cpus") << QStringList{"pingpong", "--cpus", "zz"} << "--cpus";
        QTest::addRow("backends format") << QStringList{"backends", "--format", "csv"} << "table, json";
        QTest::addRow("calibrate flag") << QStringList{"calibrate", "--now"} << "--now";
        QTest::addRow("run positional") << QStringList{"run", "sequential"} << "sequential";
        QTest::addRow("show without file") << QStringList{"show"} << "which file";
        QTest::addRow("show format") << QStringList{"show", "x.json", "--format", "pdf"} << "--format";
    }
    void otherCommandErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        auto r = conlab(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(mentions), qPrintable(r.err));
    }

    void injectFaultIsHiddenFromHelp() {
        auto h = conlab({"--help"});
        QCOMPARE(h.exitCode, 0);
        QVERIFY(!h.out.contains("inject"));
    }

    // The hook end to end: a crash in one process-pool worker fails that backend with pid and
    // signal; the other backend's results are still printed; exit 1; promptly.
    void injectFaultEndToEnd() {
        QElapsedTimer t;
        t.start();
        auto r = conlab({"run", "--backends", "process-pool,sequential", "--tasks", "40", "--workers", "2",
                         "--task-us", "100", "--inject-fault", "crash:9:process-pool"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QRegularExpression("process-pool: worker pid [0-9]+ .*SIGSEGV")),
                 qPrintable(r.err));
        QVERIFY2(!r.err.contains("sequential:"), qPrintable(r.err));
        QVERIFY2(r.out.contains("sequential"), qPrintable(r.out));
        QVERIFY2(t.elapsed() < 30000, qPrintable(QString::number(t.elapsed())));
        auto hang = conlab({"run", "--backends", "thread-pool", "--tasks", "10", "--task-timeout", "0.2",
                            "--inject-fault", "hang:3"});
        QCOMPARE(hang.exitCode, 1);
        QVERIFY2(hang.err.contains("timed out") && hang.err.contains("task 3"), qPrintable(hang.err));
    }

    void showLoadsAGoodFile() {
        auto r = conlab({"show", m_good});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("process-pool"));
        auto j = conlab({"show", m_good, "--format", "json"});
        QCOMPARE(j.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(j.out.toUtf8()).object().value("schema").toString(),
                 QString("conlab.results/2"));
    }

    // Damaged results files: refused with the reason, exit 2, nothing overwritten.
    void showRefusesDamagedFiles_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("mentions");
        const QJsonObject root = QJsonDocument::fromJson(m_goodBytes).object();
        auto edit = [&](const std::function<void(QJsonObject&)>& f) {
            QJsonObject o = root;
            f(o);
            return QJsonDocument(o).toJson();
        };
        auto editRep = [&](const std::function<void(QJsonObject&)>& f) {
            return edit([&](QJsonObject& o) {
                QJsonArray runs = o["runs"].toArray();
                QJsonObject run = runs[0].toObject();
                QJsonArray reps = run["repetitions"].toArray();
                QJsonObject rep = reps[0].toObject();
                f(rep);
                reps[0] = rep;
                run["repetitions"] = reps;
                runs[0] = run;
                o["runs"] = runs;
            });
        };
        QTest::addRow("empty") << QByteArray() << "not valid JSON";
        QTest::addRow("truncated") << m_goodBytes.left(m_goodBytes.size() * 2 / 3) << "not valid JSON";
        QTest::addRow("binary garbage") << QByteArray("\x00\xff\xfe{\x01", 5) << "not valid JSON";
        QTest::addRow("malformed") << QByteArray("{\"schema\": \"conlab.results/1\", \"runs\": [}")
                                   << "not valid JSON";
        QTest::addRow("scalar top level") << QByteArray("\"conlab\"") << "not valid JSON";
        QTest::addRow("array top level") << QByteArray("[1, 2]") << "top level";
        QTest::addRow("other schema")
            << edit([](QJsonObject& o) { o["schema"] = "acme.results/1"; }) << "schema";
        QTest::addRow("newer schema")
            << edit([](QJsonObject& o) { o["schema"] = "conlab.results/7"; }) << "newer than this conlab";
        QTest::addRow("schema version 0")
            << edit([](QJsonObject& o) { o["schema"] = "conlab.results/0"; }) << "unknown schema version";
        QTest::addRow("NaN") << QByteArray(m_goodBytes).replace("\"wall_s\": ", "\"wall_s\": NaN, \"w\": ")
                             << "not valid JSON";
        QTest::addRow("infinite number")
            << QByteArray(m_goodBytes).replace("\"tasks\": 8", "\"tasks\": 1e999") << "illegal number";
        QTest::addRow("negative count")
            << editRep([](QJsonObject& r) { r["tasks_done"] = -3; }) << "tasks_done";
        QTest::addRow("absurd count")
            << editRep([](QJsonObject& r) { r["worker_count"] = 1e300; }) << "worker_count";
        QTest::addRow("negative time") << editRep([](QJsonObject& r) { r["wall_s"] = -1; }) << "wall_s";
        QTest::addRow("string for number")
            << editRep([](QJsonObject& r) { r["round_trips"] = "7"; }) << "round_trips";
        QTest::addRow("bad interval") << editRep([](QJsonObject& r) {
            QJsonArray ws = r["workers"].toArray();
            QJsonObject w = ws[0].toObject();
            w["intervals"] = QJsonArray{QJsonArray{2.0, 1.0, 0}};
            ws[0] = w;
            r["workers"] = ws;
        }) << "interval";
        QTest::addRow("negative lane segment") << editRep([](QJsonObject& r) {
            QJsonArray lanes = r["lanes"].toArray();
            QJsonObject l = lanes[0].toObject();
            l["segments"] = QJsonArray{QJsonArray{-2.0, -1.0, 0}};
            lanes[0] = l;
            r["lanes"] = lanes;
        }) << "segment";
        QTest::addRow("negative interval (schema 1)") << editRep([](QJsonObject& r) {
            QJsonArray ws = r["workers"].toArray();
            QJsonObject w = ws[0].toObject();
            w["intervals"] = QJsonArray{QJsonArray{-1.0, 0.5, 2}};
            ws[0] = w;
            r["workers"] = ws;
        }) << "interval";
        QTest::addRow("bad lane segment") << editRep([](QJsonObject& r) {
            QJsonArray lanes = r["lanes"].toArray();
            QJsonObject l = lanes[0].toObject();
            l["segments"] = QJsonArray{QJsonArray{2.0, 1.0, 0}};
            lanes[0] = l;
            r["lanes"] = lanes;
        }) << "segment";
        // 10^9 snapshots cannot fit in a file; the parser caps the array it accepts.
        QByteArray manySnaps = QByteArray(m_goodBytes);
        {
            QByteArray zeros = "\"snapshots\": [0";
            zeros.reserve(4'000'010);
            for (int i = 0; i < 2'000'000; ++i)
                zeros += ",0";
            zeros += "], \"x\": ";
            manySnaps.replace(m_goodBytes.indexOf("\"snapshots\": "), qsizetype(strlen("\"snapshots\": ")),
                              zeros);
        }
        QTest::addRow("2M+1 snapshots") << manySnaps << "at most";
        QTest::addRow("spec out of range") << edit([](QJsonObject& o) {
            QJsonObject s = o["spec"].toObject();
            s["workers"] = 100000;
            o["spec"] = s;
        }) << "workers";
        QTest::addRow("runs not an array") << edit([](QJsonObject& o) { o["runs"] = 3; }) << "runs";
        QTest::addRow("deep nesting") << QByteArray(100000, '[') << "not valid JSON";
    }
    void showRefusesDamagedFiles() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, mentions);
        const QString path = m_dir.filePath("bad.json");
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(bytes);
        }
        const QByteArray before = fileHash(path);
        auto r = conlab({"show", path});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("cannot load results") && r.err.contains(mentions, Qt::CaseInsensitive),
                 qPrintable(r.err.left(400)));
        QVERIFY(r.out.isEmpty());
        QCOMPARE(fileHash(path), before);
    }

    void showRefusesMissingAndHugeFiles() {
        auto missing = conlab({"show", m_dir.filePath("nope.json")});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.err.contains("cannot open"), qPrintable(missing.err));
        // A sparse file just over the 1 GiB limit: refused before reading.
        const QString huge = m_dir.filePath("huge.json");
        {
            QFile f(huge);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QVERIFY(f.resize((qint64(1) << 30) + 1));
        }
        QElapsedTimer t;
        t.start();
        auto r = conlab({"show", huge});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("larger than the 1 GiB"), qPrintable(r.err));
        QVERIFY(t.elapsed() < 10000);
        QFile::remove(huge);
    }

    // --output: a usage error writes nothing; an unwritable target leaves no debris.
    void outputIsNeverHalfWritten() {
        const QString path = m_dir.filePath("keep.json");
        QVERIFY(QFile::copy(m_good, path));
        const QByteArray before = fileHash(path);
        auto bad = conlab({"run", "--tasks", "0", "--output", path});
        QCOMPARE(bad.exitCode, 2);
        QCOMPARE(fileHash(path), before);
        QDir sub(m_dir.filePath("sub"));
        QVERIFY(sub.mkpath("."));
        auto r = conlab({"run", "--backends", "sequential", "--tasks", "2", "--output", sub.path()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("cannot write"), qPrintable(r.err));
        QCOMPARE(sub.entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::Hidden).size(), 0);
        QCOMPARE(QDir(m_dir.path()).entryList(QStringList{"*.tmp", ".*"}, QDir::Files | QDir::Hidden).size(),
                 0);
    }
};

QTEST_GUILESS_MAIN(TestCliErrors)
#include "tst_cli_errors.moc"
