#include "engine.h"
#include "results_json.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace conlab;

namespace {
Experiment smallExperiment() {
    WorkloadSpec spec;
    spec.tasks = 30;
    spec.workers = 2;
    spec.taskUs = 20;
    spec.messages = 1;
    spec.repeat = 2;
    spec.warmup = 1;
    Engine engine(loadOrMeasureCalibration());
    Experiment ex = engine.run(spec, {"sequential", "process-pool"}, {});
    ex.conlabVersion = "test";
    return ex;
}

QJsonObject mutate(QJsonObject root, const std::function<void(QJsonObject&)>& f) {
    f(root);
    return root;
}
} // namespace

class TestResults : public QObject {
    Q_OBJECT
    Experiment m_ex;
    QJsonObject m_json;

  private slots:
    void initTestCase() {
        m_ex = smallExperiment();
        m_json = toJson(m_ex);
    }

    void followsTheDocumentedSchema() {
        QCOMPARE(m_json.value("schema").toString(), QString("conlab.results/2"));
        for (const char* key : {"spec", "machine", "calibration", "runs", "created_utc", "conlab_version"})
            QVERIFY2(m_json.contains(key), key);
        const QJsonArray runs = m_json.value("runs").toArray();
        QCOMPARE(runs.size(), 2);
        for (const auto& r : runs) {
            QJsonObject s = r.toObject().value("summary").toObject();
            QVERIFY(s.value("throughput").isDouble());
            QVERIFY(s.value("wall_s").isDouble());
            QVERIFY(s.contains("speedup"));
            QVERIFY(s.value("cores_busy").toDouble() > 0);
            for (const auto& rep : r.toObject().value("repetitions").toArray())
                QVERIFY(rep.toObject().value("cpu_s").toDouble() > 0);
            QJsonObject p = s.value("phases").toObject();
            for (const char* k : {"spawn_s", "ipc_s", "compute_s", "idle_s"})
                QVERIFY2(p.value(k).isDouble(), k);
            QCOMPARE(r.toObject().value("repetitions").toArray().size(), 3); // 1 warmup + 2
        }
    }

    void roundTripsExactly() {
        LoadResult back = fromJsonBytes(toJsonBytes(m_ex));
        QVERIFY2(back.experiment, qPrintable(back.error));
        QCOMPARE(back.experiment->spec, m_ex.spec);
        QCOMPARE(int(back.experiment->runs.size()), 2);
        // Writing what was read gives the same document.
        QCOMPARE(toJson(*back.experiment), m_json);
    }

    void saveIsAtomicAndLoads() {
        QTemporaryDir dir;
        const QString path = dir.filePath("r.json");
        QString err;
        QVERIFY2(saveResultsFile(path, m_ex, &err), qPrintable(err));
        LoadResult r = loadResultsFile(path);
        QVERIFY2(r.experiment, qPrintable(r.error));
        QCOMPARE(r.experiment->runs[1].backend, std::string("process-pool"));
        // An unwritable target reports an error and leaves nothing half-written.
        QVERIFY(!saveResultsFile(dir.filePath("missing-dir/r.json"), m_ex, &err));
        QVERIFY(!err.isEmpty());
    }

    // What the loader accepts, it can save and load again (the fuzz target's property, here on
    // the inputs the fuzzer once found breaking it).
    void acceptedDocumentsSaveAndLoadAgain_data() {
        QTest::addColumn<QByteArray>("bytes");
        QFile seed(QStringLiteral(CONLAB_SOURCE_DIR "/tests/fuzz/results/two-backends.json"));
        QVERIFY2(seed.open(QIODevice::ReadOnly), qPrintable(seed.fileName()));
        const QJsonObject v1 = QJsonDocument::fromJson(seed.readAll()).object();
        QCOMPARE(v1.value("schema").toString(), QString("conlab.results/1"));
        auto doc = [](const QJsonObject& o) { return QJsonDocument(o).toJson(); };
        auto editFirstWorker = [&](const std::function<void(QJsonObject&)>& f) {
            return doc(mutate(v1, [&](QJsonObject& o) {
                QJsonArray runs = o["runs"].toArray();
                QJsonObject r = runs[0].toObject();
                QJsonArray reps = r["repetitions"].toArray();
                QJsonObject rep = reps[0].toObject();
                QJsonArray ws = rep["workers"].toArray();
                QJsonObject w = ws[0].toObject();
                f(w);
                ws[0] = w;
                rep["workers"] = ws;
                reps[0] = rep;
                r["repetitions"] = reps;
                runs[0] = r;
                o["runs"] = runs;
            }));
        };
        QTest::addRow("schema 1 as written") << doc(v1);
        // Schema 1 allowed worker times before the repetition's start and pieces out of order;
        // the lane timeline made from them must still be one a schema-2 file may hold.
        QTest::addRow("schema 1, worker requested before the start")
            << editFirstWorker([](QJsonObject& w) { w["t_request_s"] = -0.5; });
        QTest::addRow("schema 1, pieces out of order") << editFirstWorker([](QJsonObject& w) {
            QJsonArray iv = w["intervals"].toArray();
            QVERIFY(iv.size() >= 2);
            const QJsonValue first = iv[0];
            iv[0] = iv[iv.size() - 1];
            iv[iv.size() - 1] = first;
            w["intervals"] = iv;
        });
        QTest::addRow("schema 2 as written") << doc(m_json);
    }
    void acceptedDocumentsSaveAndLoadAgain() {
        QFETCH(QByteArray, bytes);
        LoadResult once = fromJsonBytes(bytes);
        QVERIFY2(once.experiment, qPrintable(once.error));
        LoadResult again = fromJsonBytes(toJsonBytes(*once.experiment, false));
        QVERIFY2(again.experiment, qPrintable(again.error));
        QCOMPARE(toJson(*again.experiment), toJson(*once.experiment));
    }

    void rejectsBadDocuments_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expectedError");
        auto doc = [](const QJsonObject& o) { return QJsonDocument(o).toJson(); };
        QByteArray good = doc(m_json);
        QTest::addRow("empty") << QByteArray() << "not valid JSON";
        QTest::addRow("truncated") << good.left(good.size() / 2) << "not valid JSON";
        QTest::addRow("array") << QByteArray("[]") << "top level";
        QTest::addRow("no schema") << doc(mutate(m_json, [](QJsonObject& o) { o.remove("schema"); }))
                                   << "schema";
        QTest::addRow("newer schema")
            << doc(mutate(m_json, [](QJsonObject& o) { o["schema"] = "conlab.results/3"; })) << "newer";
        QTest::addRow("negative tasks") << doc(mutate(m_json, [](QJsonObject& o) {
            QJsonObject s = o["spec"].toObject();
            s["tasks"] = -5;
            o["spec"] = s;
        })) << "tasks";
        QTest::addRow("string where number") << doc(mutate(m_json, [](QJsonObject& o) {
            QJsonArray runs = o["runs"].toArray();
            QJsonObject r = runs[0].toObject();
            r["workers"] = "two";
            runs[0] = r;
            o["runs"] = runs;
        })) << "workers";
        QTest::addRow("NaN literal") << QByteArray(good).replace("\"wall_s\": ", "\"wall_s\": NaN, \"x\": ")
                                     << "not valid JSON";
        QTest::addRow("no runs") << doc(mutate(m_json, [](QJsonObject& o) { o.remove("runs"); })) << "runs";
        QTest::addRow("hostile phase value") << doc(mutate(m_json, [](QJsonObject& o) {
            QJsonArray runs = o["runs"].toArray();
            QJsonObject r = runs[0].toObject();
            QJsonObject s = r["summary"].toObject();
            QJsonObject p = s["phases"].toObject();
            p["idle_s"] = -1;
            s["phases"] = p;
            r["summary"] = s;
            runs[0] = r;
            o["runs"] = runs;
        })) << "idle_s";
        QTest::addRow("negative phase estimate") << doc(mutate(m_json, [](QJsonObject& o) {
            QJsonArray runs = o["runs"].toArray();
            QJsonObject r = runs[0].toObject();
            QJsonObject s = r["summary"].toObject();
            QJsonObject pe = s["phase_estimates"].toObject();
            QJsonObject spawn = pe["spawn"].toObject();
            spawn["median"] = -0.0077; // a time is never negative (the fuzzer once found it accepted)
            pe["spawn"] = spawn;
            s["phase_estimates"] = pe;
            r["summary"] = s;
            runs[0] = r;
            o["runs"] = runs;
        })) << "median";
        QTest::addRow("negative cpu time") << doc(mutate(m_json, [](QJsonObject& o) {
            QJsonArray runs = o["runs"].toArray();
            QJsonObject r = runs[0].toObject();
            QJsonArray reps = r["repetitions"].toArray();
            QJsonObject rep = reps[0].toObject();
            rep["cpu_s"] = -0.5;
            reps[0] = rep;
            r["repetitions"] = reps;
            runs[0] = r;
            o["runs"] = runs;
        })) << "cpu_s";
    }
    void rejectsBadDocuments() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expectedError);
        LoadResult r = fromJsonBytes(bytes);
        QVERIFY(!r.experiment);
        QVERIFY2(r.error.contains(expectedError, Qt::CaseInsensitive), qPrintable(r.error));
    }
};

QTEST_GUILESS_MAIN(TestResults)
#include "tst_results.moc"
