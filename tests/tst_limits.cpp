// Issue 13, resource limits and children through the real `conlab` binary (docs/reliability.md,
// "Resource limits"): every registered backend under a thread/process limit, an address-space
// limit and an fd limit fails alone with the limit named, within 10 s, leaving no process or
// /dev/shm object behind; a flooding --python; py-shared-memory sized for all workers; a hung
// chunk named with the limit that applied.
#include "edges_util.h"

using namespace edges;

QStringList runArgs(const QString& backend, int taskUs = 10) {
    return {"run", "--backends", "sequential," + backend, "--tasks",
            "50",  "--task-us",  QString::number(taskUs), "--workers",
            "16"};
}

// Threads of user `uid` now (RLIMIT_NPROC counts a user's threads, by real uid).
qint64 threadsOfUser(uid_t uid) {
    qint64 n = 0;
    for (const QString& e : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile status(QStringLiteral("/proc/%1/status").arg(e));
        if (!status.open(QIODevice::ReadOnly)) continue;
        bool mine = false;
        for (const QByteArray& line : status.readAll().split('\n')) {
            if (line.startsWith("Uid:")) mine = line.mid(4).simplified().split(' ').value(0).toUInt() == uid;
            if (mine && line.startsWith("Threads:")) n += line.mid(8).trimmed().toLongLong();
        }
    }
    return n;
}

// The backends that run on one thread of conlab's or one Python interpreter: no limit of
// 16 workers' threads or processes applies to them.
const QStringList kSingleThreaded = {"event-loop", "py-sequential", "py-asyncio"};

// The matrix's acceptance (issue 13) for one run of sequential + `backend` under a limit: no
// crash, no hang, done in < 10 s, the sequential result printed, exit 1 with the backend and
// the limit (any of `limitNamed`) named when the backend failed, and nothing of the run left.
void checkLimitedRun(const Result& r, const QString& backend, const QStringList& limitNamed, bool mustFail) {
    QVERIFY2(!r.timedOut && r.signal == 0, qPrintable(describe(r)));
    QVERIFY2(r.exitCode == 0 || r.exitCode == 1, qPrintable(describe(r)));
    QVERIFY2(r.elapsedMs < 10000 * CONLAB_TEST_SLOWDOWN,
             qPrintable(QStringLiteral("took %1 ms; %2").arg(r.elapsedMs).arg(describe(r))));
    QVERIFY2(r.out.contains("sequential ") && r.out.contains("1.00×"), r.out.constData());
    if (mustFail) QCOMPARE(r.exitCode, 1);
    if (r.exitCode == 1) {
        QVERIFY2(r.err.contains("conlab: " + backend + ": "), qPrintable(r.err));
        QVERIFY2(std::any_of(limitNamed.begin(), limitNamed.end(),
                             [&r](const QString& w) { return r.err.contains(w); }),
                 qPrintable(QStringLiteral("none of '%1' in: %2").arg(limitNamed.join("', '"), r.err)));
    }
    const QStringList left = leftBehind(r);
    QVERIFY2(left.isEmpty(), qPrintable("left behind: " + left.join(", ")));
}

class TestLimits : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }

  private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // The matrix's leak check sees what a run leaves: a process carrying the run's tag and a
    // /dev/shm object named for its pid; and nothing once they are gone.
    void leftBehindSeesTheRunsDebris() {
        Result run;
        run.tag = QStringLiteral("leak-check-%1").arg(getpid()).toUtf8();
        run.pid = 999999999; // no conlab has this pid: the object below is the test's own
        QProcess sleeper;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("CONLAB_TEST_RUN_TAG"), QString::fromUtf8(run.tag));
        sleeper.setProcessEnvironment(env);
        sleeper.start(QStringLiteral("sleep"), {"30"});
        QVERIFY(sleeper.waitForStarted());
        const qint64 sleeperPid = sleeper.processId();
        const QString shm = QStringLiteral("/dev/shm/conlab-%1-leak-check").arg(run.pid);
        QFile object(shm);
        QVERIFY(object.open(QIODevice::WriteOnly));
        object.close();
        const QStringList left = leftBehind(run, 100);
        sleeper.kill();
        sleeper.waitForFinished();
        QFile::remove(shm);
        QVERIFY2(left.contains(QStringLiteral("process %1 (sleep)").arg(sleeperPid)),
                 qPrintable(left.join(", ")));
        QVERIFY2(left.contains(shm), qPrintable(left.join(", ")));
        QCOMPARE(leftBehind(run, 100), QStringList());
    }

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
        Limits limits;
        limits.addressSpace = qint64(100) << 20;
        auto r = conlab(runArgs(backend), limits, 120000 * CONLAB_TEST_SLOWDOWN);
        checkLimitedRun(r, backend, {"ulimit -v"}, threaded.contains(backend));
        if (QTest::currentTestFailed()) return;
        if (threaded.contains(backend) &&
            geteuid() == 0) // the process limit does not apply to root: not named
            QVERIFY2(!r.err.contains("ulimit -u"), qPrintable(r.err));
    }

    // The matrix's thread limit: every registered backend with 16 workers under RLIMIT_NPROC
    // (ulimit -u) that leaves room for conlab and a few threads of its own; as root (whom the
    // limit does not bind) the run is made as `nobody`. Each backend that needs its 16 threads or
    // processes fails alone with "ulimit -u" named: the native ones, libgomp, oneTBB, Qt, and
    // the Python driver's threads and pools (can't start new thread, fork's [Errno 11]).
    void processLimitFailsOnlyThatBackend_data() { addressSpaceLimitFailsOnlyThatBackend_data(); }
    void processLimitFailsOnlyThatBackend() {
        QFETCH(QString, backend);
        // Like the other two limits, sized for conlab's own threads, not a sanitizer runtime's
        // (LeakSanitizer stops the process with a thread of its own at exit): not tried there.
        if (kSanitized) QSKIP("a thread/process limit: not under ASan/TSan");
        Limits limits;
        // The user's threads and processes already running count against the limit too.
        limits.processes = threadsOfUser(geteuid() == 0 ? kNobody : geteuid()) + 8;
        // 5 ms tasks: a process per task lives long enough for 16 to be alive at once.
        auto r = conlab(runArgs(backend, 5000), limits, 120000 * CONLAB_TEST_SLOWDOWN);
        QVERIFY2(r.exitCode != 126, "could not become the user nobody");
        if (r.err.contains("Permission denied") && !r.out.contains("sequential "))
            QSKIP("the build directory is not readable by the user nobody");
        checkLimitedRun(r, backend, {"ulimit -u " + QString::number(limits.processes)},
                        !kSingleThreaded.contains(backend));
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
        Limits limits;
        limits.files = 20;
        auto r = conlab(runArgs(backend), limits, 120000 * CONLAB_TEST_SLOWDOWN);
        checkLimitedRun(r, backend, {"Too many open files", "ulimit -n"}, backend == "qt-threadpool");
        if (QTest::currentTestFailed()) return;
        if (backend == "qt-threadpool") QVERIFY2(r.err.contains("ulimit -n 20"), qPrintable(r.err));
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
