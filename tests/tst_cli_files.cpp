// Files written by the real `conlab` binary and read back by `conlab show`: a run's, a
// sweep's and a lesson's file print what the command that wrote them printed, and the advice
// of --advise is saved with the results (a JSON "advice" array, the table file's text).
#include "cli_runner.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

namespace {
using Result = cli_test::CliResult;
Result conlab(const QStringList& args, int timeoutMs = 180000 * CONLAB_TEST_SLOWDOWN) {
    return cli_test::runConlab(args, timeoutMs);
}
QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
QJsonObject readJson(const QString& path) {
    return QJsonDocument::fromJson(readAll(path)).object();
}
const QStringList kTiny = {"--tasks", "4", "--task-us", "5"};
} // namespace

class TestCliFiles : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString path(const char* name) const { return m_dir.filePath(QString::fromLatin1(name)); }
    QString m_lessonOut; // what `conlab lesson run` printed beside its file

  private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        const QStringList run = QStringList{"run", "--backends", "sequential,thread-pool"} + kTiny;
        const QStringList sweep =
            QStringList{"sweep",    "--backends", "sequential,thread-pool", "--param", "workers",
                        "--values", "1,2"} +
            kTiny;
        const QList<QPair<QStringList, const char*>> files = {
            {run + QStringList{"--advise", "--format", "json"}, "run.json"},
            {run + QStringList{"--format", "json"}, "plain.json"},
            {run + QStringList{"--advise"}, "run.txt"},
            {sweep + QStringList{"--advise", "--format", "json"}, "sweep.json"},
        };
        for (const auto& [args, name] : files) {
            const Result r = conlab(args + QStringList{"--output", path(name)});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            QVERIFY2(!r.out.contains("advice") && !r.err.contains("advice"), qPrintable(r.out + r.err));
        }
        // pool-reuse has one point: also no break-even lines ("too few points") for its backends.
        const Result lesson = conlab({"lesson", "run", "pool-reuse", "--budget", "1", "--advise", "--format",
                                      "json", "--output", path("lesson.json")});
        QVERIFY2(lesson.exitCode == 0, qPrintable(lesson.err));
        m_lessonOut = lesson.out;
        QVERIFY2(!m_lessonOut.contains("advice"), qPrintable(m_lessonOut)); // it is in the file
        QVERIFY2(m_lessonOut.contains("verdict: "), qPrintable(m_lessonOut));
    }

    // The advice is in the file it was asked for with, in the file's format, and nowhere else.
    void adviceSavedWithResults_data() {
        QTest::addColumn<QString>("file");
        QTest::addRow("run") << "run.json";
        QTest::addRow("sweep") << "sweep.json";
        QTest::addRow("lesson") << "lesson.json";
    }
    void adviceSavedWithResults() {
        QFETCH(QString, file);
        const QJsonArray advice = readJson(m_dir.filePath(file)).value("advice").toArray();
        QVERIFY(!advice.isEmpty());
        for (const auto& line : advice)
            QVERIFY(line.isString() && !line.toString().isEmpty());
        // show prints the advice as the command printed it, and keeps it in --format json.
        const Result table = conlab({"show", m_dir.filePath(file)});
        QVERIFY2(table.exitCode == 0, qPrintable(table.err));
        QVERIFY2(table.out.contains("\nadvice:\n  " + advice.first().toString() + "\n"),
                 qPrintable(table.out));
        const Result json = conlab({"show", m_dir.filePath(file), "--format", "json"});
        QCOMPARE(QJsonDocument::fromJson(json.out.toUtf8()).object().value("advice").toArray(), advice);
    }

    void adviceInTableFile() {
        const QString text = QString::fromUtf8(readAll(path("run.txt")));
        QVERIFY2(text.contains("workload: ") && text.contains("\nadvice:\n  "), qPrintable(text));
    }

    // csv has no place for advice: it goes to stderr, stdout stays data.
    void adviceWithCsvOnStderr() {
        const Result r =
            conlab(QStringList{"run", "--backends", "sequential", "--advise", "--format", "csv"} + kTiny);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith("backend,") && !r.out.contains("advice"), qPrintable(r.out));
        QVERIFY2(r.err.contains("\nadvice:\n  "), qPrintable(r.err));
    }

    // Files without advice load as before; a malformed "advice" is refused with the reason.
    void filesWithoutOrWithBadAdvice() {
        const Result plain = conlab({"show", path("plain.json")});
        QVERIFY2(plain.exitCode == 0, qPrintable(plain.err));
        QVERIFY(plain.out.contains("thread-pool") && !plain.out.contains("advice"));
        QJsonObject root = readJson(path("plain.json"));
        QVERIFY(!root.contains("advice"));
        for (const QJsonValue& bad : {QJsonValue(5), QJsonValue(QJsonArray{1, 2})}) {
            root.insert("advice", bad);
            QFile f(path("bad.json"));
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(QJsonDocument(root).toJson());
            f.close();
            const Result r = conlab({"show", path("bad.json")});
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains("cannot load results") && r.err.contains("'advice'"), qPrintable(r.err));
            QVERIFY(r.out.isEmpty());
        }
    }

    // A sweep file shows its sweep table (every point and backend) and break-even points.
    void showSweep() {
        const Result r = conlab({"show", path("sweep.json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.startsWith("sweep of workers over 2 of 2 points"), qPrintable(r.out));
        for (const char* row : {"1  sequential", "1  thread-pool", "2  sequential", "2  thread-pool"})
            QVERIFY2(r.out.contains(QLatin1String(row)), qPrintable(QString::fromLatin1(row) + "\n" + r.out));
        QVERIFY2(r.out.contains("break-even (speedup over sequential crosses 1):\n  thread-pool: "),
                 qPrintable(r.out));
        QVERIFY(!r.out.contains("verdict"));
        const Result csv = conlab({"show", path("sweep.json"), "--format", "csv"});
        QCOMPARE(csv.out.count("\nworkers,"), 4); // one row per point and backend
    }

    // A lesson file: its title, explanation and verdict around the sweep table, as printed by
    // `conlab lesson run`, and no break-even lines for its one point.
    void showLesson() {
        const QJsonObject sweep = readJson(path("lesson.json")).value("sweep").toObject();
        const QString title = sweep.value("lesson_title").toString(),
                      verdict = sweep.value("verdict").toString();
        QVERIFY(!title.isEmpty() && !verdict.isEmpty());
        const Result r = conlab({"show", path("lesson.json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.startsWith(title + "\n\n"), qPrintable(r.out));
        QVERIFY(r.out.contains(sweep.value("explanation").toString().left(40)));
        QVERIFY2(r.out.contains("sweep of "), qPrintable(r.out));
        // The verdict line (and why/what to do) exactly as the run printed it.
        const QString verdictLine = m_lessonOut.mid(m_lessonOut.indexOf("verdict: ")).section("  (", 0, 0);
        QVERIFY2(r.out.contains(verdictLine), qPrintable(verdictLine + "\n---\n" + r.out));
        QVERIFY2(r.out.contains("measured repetitions per backend and point"), qPrintable(r.out));
        QVERIFY2(!r.out.contains("too few points") && !r.out.contains("break-even"), qPrintable(r.out));
        QVERIFY(!m_lessonOut.contains("too few points"));
    }
};

QTEST_GUILESS_MAIN(TestCliFiles)
#include "tst_cli_files.moc"
