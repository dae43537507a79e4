// `conlab fidelity` through the real binary (like tst_cli): every row present, measured values
// finite and positive with ratio = conlab / raw, the same rows in JSON and CSV, Python rows
// skipped with the reason when the interpreter is missing, and bad options refused. No ratio
// goals here: they are the benchmark's (docs/fidelity.md), on an idle machine.
#include "cli_runner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <vector>

namespace {

using Result = cli_test::CliResult;
Result conlab(const QStringList& args, int timeoutMs = 180000 * CONLAB_TEST_SLOWDOWN) {
    return cli_test::runConlab(args, timeoutMs);
}

// The rows every run prints, in order (docs/fidelity.md).
const QStringList kRowIds = {
    "fork", "fork-parent-memory", "spawn-exec",          "pthread",        "pipe",    "futex",
    "spin", "py-start-fork",      "py-start-forkserver", "py-start-spawn", "py-pool", "py-threads"};

// A minimal RFC 4180 reader: quoted fields with "" and embedded commas.
QList<QStringList> parseCsv(const QString& text) {
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            row << field;
            field.clear();
        } else if (c == '\n') {
            row << field;
            rows << row;
            row.clear();
            field.clear();
        } else {
            field += c;
        }
    }
    return rows;
}

bool isPythonRow(const QString& id) {
    return id.startsWith("py-");
}

} // namespace

class TestFidelity : public QObject {
    Q_OBJECT
  private slots:
    // One quick run as JSON: the rows, their values and their verdicts.
    void everyRowMeasuredInJson() {
        const Result r = conlab({"fidelity", "--quick", "--format", "json"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QJsonParseError pe{};
        const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &pe);
        QVERIFY2(pe.error == QJsonParseError::NoError, qPrintable(pe.errorString()));
        const QJsonObject f = doc.object().value("fidelity").toObject();
        QVERIFY(f.value("rounds").toInt() >= 1);
        QVERIFY(f.value("message_rounds").toInt() >= 1);
        QVERIFY(!f.value("python").toString().isEmpty());
        const QJsonArray rows = f.value("rows").toArray();
        QStringList ids;
        for (const auto& v : rows)
            ids << v.toObject().value("id").toString();
        QCOMPARE(ids, kRowIds);
        const bool pythonSkipped = f.value("python").toString().startsWith("skipped");
        for (const auto& v : rows) {
            const QJsonObject row = v.toObject();
            const QString id = row.value("id").toString();
            const QString verdict = row.value("verdict").toString();
            const double conlab = row.value("conlab_s").toDouble(), raw = row.value("raw_s").toDouble();
            const double ratio = row.value("ratio").toDouble();
            qInfo("%-20s conlab %10.3g s  raw %10.3g s  ratio %6.2f  %s", qPrintable(id), conlab, raw, ratio,
                  qPrintable(verdict));
            QVERIFY2(!row.value("figure").toString().isEmpty(), qPrintable(id));
            QVERIFY2(!row.value("primitive").toString().isEmpty(), qPrintable(id));
            if (isPythonRow(id) && pythonSkipped) {
                QCOMPARE(verdict, QString("skipped"));
                QVERIFY2(!row.value("explanation").toString().isEmpty(), qPrintable(id));
                continue;
            }
            QVERIFY2(verdict != "skipped", qPrintable(id + ": " + row.value("explanation").toString()));
            QVERIFY2(std::isfinite(raw) && raw > 0, qPrintable(id));
            if (row.value("backend").toString().isEmpty()) { // the spin hand-off: a reference
                QCOMPARE(verdict, QString("reference only"));
                QCOMPARE(conlab, 0.0);
                QVERIFY(!row.value("explanation").toString().isEmpty());
                continue;
            }
            QVERIFY2(std::isfinite(conlab) && conlab > 0, qPrintable(id));
            // The ratio is the median of the interleaved rounds' own ratios, not of the medians.
            std::vector<double> rounds;
            for (const auto& x : row.value("round_ratios").toArray())
                rounds.push_back(x.toDouble());
            QVERIFY2(!rounds.empty(), qPrintable(id));
            std::sort(rounds.begin(), rounds.end());
            const size_t mid = rounds.size() / 2;
            const double expected = rounds.size() % 2 ? rounds[mid] : (rounds[mid - 1] + rounds[mid]) / 2;
            QVERIFY2(std::abs(ratio - expected) <= 1e-9 * ratio, qPrintable(id));
            QVERIFY2(rounds.front() > 0, qPrintable(id));
            const bool roundTrip = id == "pipe" || id == "futex" || id == "spin";
            const int roundCount = f.value(roundTrip ? "message_rounds" : "rounds").toInt();
            // Native rows keep every round; a Python row may drop one whose difference was ≤ 0.
            if (isPythonRow(id))
                QVERIFY2(int(rounds.size()) <= roundCount, qPrintable(id));
            else
                QCOMPARE(int(rounds.size()), roundCount);
            QVERIFY2(row.value("goal").toDouble() > 1, qPrintable(id));
            QVERIFY2(verdict == "within goal" || verdict == "over goal", qPrintable(id + ": " + verdict));
            QCOMPARE(verdict == "within goal", ratio <= row.value("goal").toDouble());
            QVERIFY2(!row.value("explanation").toString().isEmpty(), qPrintable(id));
        }
    }

    // CSV to a file, without Python: the same rows, the python ones skipped with the reason.
    void sameRowsInCsvAndPythonSkippedWithReason() {
        QTemporaryDir dir;
        const QString path = dir.filePath("fidelity.csv");
        const Result r = conlab({"fidelity", "--quick", "--format", "csv", "--output", path, "--python",
                                 dir.filePath("no-such-python")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QStringList> rows = parseCsv(QString::fromUtf8(f.readAll()));
        QVERIFY(rows.size() == kRowIds.size() + 1);
        const QStringList header = rows[0];
        QCOMPARE(header, QString("id,figure,backend,primitive,placement,conlab_s,raw_s,ratio,goal,verdict,"
                                 "explanation")
                             .split(','));
        for (int i = 1; i < rows.size(); ++i) {
            const QStringList& row = rows[i];
            QCOMPARE(row.size(), header.size());
            QCOMPARE(row[0], kRowIds[i - 1]);
            if (isPythonRow(row[0])) {
                QCOMPARE(row[9], QString("skipped"));
                QVERIFY2(row[10].contains("no-such-python"), qPrintable(row[10]));
                continue;
            }
            QVERIFY2(row[9] != "skipped", qPrintable(row[0] + ": " + row[10]));
            QVERIFY2(row[6].toDouble() > 0, qPrintable(row[0]));
        }
    }

    void badOptionsAreUsageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::addRow("format") << QStringList{"fidelity", "--format", "xml"} << "table, json, csv";
        QTest::addRow("unknown option") << QStringList{"fidelity", "--rounds", "3"} << "--rounds";
        QTest::addRow("switch with value") << QStringList{"fidelity", "--quick=yes"} << "--quick";
        QTest::addRow("stray argument") << QStringList{"fidelity", "now"} << "now";
        QTest::addRow("missing value") << QStringList{"fidelity", "--output"} << "--output";
    }
    void badOptionsAreUsageErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        const Result r = conlab(args, 20000);
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.contains(mentions), qPrintable(r.err));
    }

    // An output that cannot be written is found before anything is measured: exit 1, at once.
    void unwritableOutputFailsBeforeMeasuring() {
        const Result r = conlab({"fidelity", "--output", "/nonexistent-dir/f.json"}, 20000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("nonexistent-dir"), qPrintable(r.err));
    }

    void helpDescribesTheCommand() {
        const Result r = conlab({"fidelity", "--help"}, 20000);
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("usage: conlab fidelity"));
        QVERIFY(r.out.contains("--quick"));
        QVERIFY(conlab({"--help"}, 20000).out.contains("conlab fidelity"));
    }
};

QTEST_GUILESS_MAIN(TestFidelity)
#include "tst_fidelity.moc"
