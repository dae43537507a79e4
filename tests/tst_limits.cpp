// Issue 13, resource limits and children through the real `conlab` binary (docs/reliability.md,
// "Resource limits"): every registered backend under an address-space limit and an fd limit
// fails alone with the limit named; a flooding --python; py-shared-memory sized for all
// workers; a hung chunk named with the limit that applied.
#include "edges_util.h"

using namespace edges;

class TestLimits : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }

  private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // Item 4: a --python that writes without newlines (exec cat /dev/zero) while probed, or
    // once it runs the workload, fails that backend with the reason; the sequential result is
    // printed (it was buffered until bad_alloc: "conlab: std::bad_alloc", no result).
    void childOutputWithoutNewlinesIsBounded_data() {
        QTest::addColumn<QString>("when");
        QTest::addColumn<QString>("message");
        QTest::addRow("probe") << "probe"
                               << "more than 1 MiB without a newline";
        QTest::addRow("run") << "run"
                             << "longer than 64 MiB";
    }
    void childOutputWithoutNewlinesIsBounded() {
        QFETCH(QString, when);
        QFETCH(QString, message);
        if (QStandardPaths::findExecutable("python3").isEmpty()) QSKIP("no python3");
        const QString script = path("flood-" + when + ".sh");
        {
            QFile f(script);
            QVERIFY(f.open(QIODevice::WriteOnly));
            // conlab runs PYTHON -I DRIVER COMMAND PID: only COMMAND `when` floods. The probe's
            // answer names this script as the interpreter (conlab runs sys.executable).
            QByteArray text =
                "#!/bin/sh\n"
                "if [ \"$3\" = WHEN ]; then exec cat /dev/zero; fi\n"
                "if [ \"$3\" = probe ]; then python3 \"$@\" | sed 's|\"executable\": *\"[^\"]*\"|"
                "\"executable\": \"'\"$0\"'\"|'; exit 0; fi\n"
                "exec python3 \"$@\"\n";
            f.write(text.replace("WHEN", when.toUtf8()));
            QVERIFY(f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        }
        auto r =
            conlab({"run", "--backends", "sequential,py-sequential", "--tasks", "2", "--task-us", "5",
                    "--python", script},
                   0, 120000 * CONLAB_TEST_SLOWDOWN,
                   kSanitized ? 0 : qint64(4) << 30); // the limit only guards the machine against the old bug
        QVERIFY2(!r.timedOut && r.signal == 0, qPrintable(describe(r)));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("py-sequential") && r.err.contains(message), qPrintable(r.err));
        QVERIFY2(r.out.contains("sequential ") && r.out.contains("1.00×"), r.out.constData());
    }

    // Items 1 and 2: every registered backend under an address-space limit (ulimit -v 100 MiB,
    // 16 workers: no room for 16 thread stacks). A backend that cannot get its threads fails
    // alone, naming itself and the limit; the sequential result is still printed; nothing
    // aborts (oneTBB: SIGABRT, libgomp: exit), nothing hangs (QThreadPool ignored Ctrl-C).
    void addressSpaceLimitFailsOnlyThatBackend_data() {
        QTest::addColumn<QString>("backend");
        QProcess list;
        list.start(QStringLiteral(CONLAB_BIN_DIR "/conlab"), {"backends", "--format", "json"});
        QVERIFY(list.waitForFinished(60000));
        for (const QJsonValue& b :
             QJsonDocument::fromJson(list.readAllStandardOutput()).object().value("backends").toArray())
            if (b.toObject().value("available").toBool() &&
                b.toObject().value("id").toString() != "sequential")
                QTest::addRow("%s", qPrintable(b.toObject().value("id").toString()))
                    << b.toObject().value("id").toString();
    }
    void addressSpaceLimitFailsOnlyThatBackend() {
        QFETCH(QString, backend);
        if (kSanitized) QSKIP("an address-space limit: not under ASan/TSan");
        // The backends that start threads of conlab's own must name the limit.
        static const QStringList threaded = {"thread-per-task", "thread-pool", "openmp", "tbb",
                                             "qt-threadpool"};
        auto r = conlab({"run", "--backends", "sequential," + backend, "--tasks", "50", "--task-us", "10",
                         "--workers", "16"},
                        0, 120000 * CONLAB_TEST_SLOWDOWN, qint64(100) << 20);
        QVERIFY2(!r.timedOut && r.signal == 0, qPrintable(describe(r)));
        QVERIFY2(r.exitCode == 0 || r.exitCode == 1, qPrintable(describe(r)));
        QVERIFY2(r.out.contains("sequential ") && r.out.contains("1.00×"), r.out.constData());
        if (threaded.contains(backend)) {
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains("conlab: " + backend + ": ") && r.err.contains("ulimit -v"),
                     qPrintable(r.err));
            if (geteuid() == 0) // the process limit does not apply to root: not named
                QVERIFY2(!r.err.contains("ulimit -u"), qPrintable(r.err));
        } else if (r.exitCode == 1) {
            QVERIFY2(r.err.contains("conlab: " + backend + ": "), qPrintable(r.err));
        }
    }

    // Item 8: py-shared-memory's region is sized for all workers together (1 GiB input × 1024
    // workers = 1 TiB): refused at once with the sizes, as shm-pool does, instead of a driver
    // killed by SIGBUS (or a machine out of memory) once the region is written.
    void sharedMemoryIsSizedForAllWorkers() {
        if (QStandardPaths::findExecutable("python3").isEmpty()) QSKIP("no python3");
        auto r = conlab({"run", "--backends", "py-shared-memory", "--input", "1G", "--workers", "1024",
                         "--tasks", "1024", "--task-us", "1"});
        QVERIFY2(!r.timedOut && r.signal == 0, qPrintable(describe(r)));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("py-shared-memory") && r.err.contains("1099511627776 bytes") &&
                     (r.err.contains("does not fit in /dev/shm") || r.err.contains("memory available")),
                 qPrintable(r.err));
    }

    // Item 1: every registered backend with 20 file descriptors (ulimit -n 20), 16 workers:
    // a backend that cannot get its fds fails alone with the reason; qt-threadpool named the
    // limit instead of GLib's SIGTRAP ("Creating pipes for GWakeup: Too many open files").
    void fdLimitFailsOnlyThatBackend_data() { addressSpaceLimitFailsOnlyThatBackend_data(); }
    void fdLimitFailsOnlyThatBackend() {
        QFETCH(QString, backend);
        // With 20 descriptors the sanitizer runtimes themselves run short: UBSan's vptr check
        // then reports a valid ThreadChannel object as invalid (seen in the ASan job only).
        if (kSanitized) QSKIP("a file-descriptor limit of 20: not under ASan/TSan");
        auto r = conlab({"run", "--backends", "sequential," + backend, "--tasks", "50", "--task-us", "10",
                         "--workers", "16"},
                        0, 120000 * CONLAB_TEST_SLOWDOWN, 0, 20);
        QVERIFY2(!r.timedOut && r.signal == 0, qPrintable(describe(r)));
        QVERIFY2(r.exitCode == 0 || r.exitCode == 1, qPrintable(describe(r)));
        QVERIFY2(r.out.contains("sequential ") && r.out.contains("1.00×"), r.out.constData());
        if (r.exitCode == 1)
            QVERIFY2(r.err.contains("conlab: " + backend + ": ") &&
                         (r.err.contains("Too many open files") || r.err.contains("ulimit -n")),
                     qPrintable(r.err));
        if (backend == "qt-threadpool") {
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains("ulimit -n 20"), qPrintable(r.err));
        }
    }

    // Item 18: a hang inside a chunk names the chunk (its tasks) and the limit that applied to
    // it; it said "task 8 ran longer than 0.300000 s" for a hang in task 10 after 1.2 s.
    void chunkHangNamesTheChunkAndItsLimit_data() {
        QTest::addColumn<QString>("backend");
        for (const char* b : {"process-pool", "shm-pool"})
            QTest::addRow("%s", b) << b;
    }
    void chunkHangNamesTheChunkAndItsLimit() {
        QFETCH(QString, backend);
        auto r = conlab({"run", "--backends", backend, "--chunksize", "4", "--tasks", "40", "--task-us",
                         "100", "--inject-fault", "hang:10", "--task-timeout", "0.3"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("the chunk of tasks 8-11") &&
                     r.err.contains("--task-timeout 0.3 s x 4 tasks") && !r.err.contains("0.300000"),
                 qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestLimits)
#include "tst_limits.moc"
