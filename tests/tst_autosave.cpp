// AutosaveStore (core/autosave.h): atomic autosaves, pruning, session markers, crash detection
// and what is offered for restore. Real files in a temporary directory, real crashes (a forked
// child killed with SIGKILL), a real write failure (RLIMIT_FSIZE). The GUI side is in
// tst_gui_autosave.
#include "autosave.h"
#include "engine.h"
#include "results_json.h"
#include "sweep.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <cstdio>
#include <functional>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace conlab;

namespace {

Experiment smallExperiment() {
    WorkloadSpec spec;
    spec.tasks = 40;
    spec.workers = 2;
    spec.taskUs = 20;
    spec.messages = 1;
    spec.repeat = 2;
    Engine engine(loadOrMeasureCalibration());
    Experiment ex = engine.run(spec, {"sequential", "thread-pool", "process-pool"}, {});
    ex.conlabVersion = "test";
    return ex;
}

// A two-point task-us sweep built from the experiment's runs (the values differ, the runs are
// real); `lesson` adds the fields a lesson's file has.
QByteArray sweepJson(const Experiment& ex, const QString& lesson) {
    SweepResult sw;
    sw.base = ex.spec;
    sw.param = SweepParam::TaskUs;
    sw.values = {20, 40};
    for (const BackendRun& r : ex.runs)
        sw.backends.push_back(r.backend);
    for (double v : sw.values) {
        SweepPoint p;
        p.value = v;
        p.spec = ex.spec;
        p.spec.taskUs = v;
        p.runs = ex.runs;
        sw.points.push_back(p);
    }
    sw.machine = ex.machine;
    sw.calibration = ex.calibration;
    sw.createdUtc = ex.createdUtc;
    QJsonObject extra;
    if (!lesson.isEmpty()) extra = {{"lesson", lesson}, {"verdict", "test"}, {"holds", true}};
    return QJsonDocument(sweepToJson(sw, breakEvenPoints(sw), extra)).toJson(QJsonDocument::Compact);
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

QStringList listing(const QString& dir) {
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                               QDir::Name);
}

// Runs `body` in a forked child. With `crash` the child then dies by SIGKILL, as a crashed or
// killed app does (no destructor, no clean exit); otherwise it exits with body's code.
// Returns the wait status. The child does file work only (no threads, no Qt event loop).
int inChild(const std::function<int()>& body, bool crash) {
    std::fflush(stdout);
    std::fflush(stderr);
    const pid_t pid = fork();
    if (pid == 0) {
        const int code = body();
        if (code != 0) _exit(code);
        if (crash) std::raise(SIGKILL);
        _exit(0);
    }
    int status = -1;
    if (pid > 0) waitpid(pid, &status, 0);
    return status;
}

bool killedBySigkill(int status) {
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

} // namespace

class TestAutosave : public QObject {
    Q_OBJECT
    Experiment m_ex;

  private slots:
    void initTestCase();
    void defaultDirectoryIsOverridableAndTestSafe();
    void savedRunLoadsBackEqual();
    void crashedSessionIsOffered();
    void cleanExitOffersNothing();
    void liveSessionIsNotACrash();
    void acknowledgeMeansOnlyNewerAreOffered();
    void sweepsAndLessons();
    void pruningKeepsN();
    void damagedAutosaveIsReportedNotFatal();
    void failedWriteLeavesNoPartialFile();
    void folderPathTakenByAFileIsAClearError();
    void readOnlyFolderIsAClearError();
};

void TestAutosave::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("conlab-test"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_autosave"));
    m_ex = smallExperiment();
    QCOMPARE(int(m_ex.runs.size()), 3);
    for (const BackendRun& r : m_ex.runs)
        QVERIFY2(r.error.empty(), r.error.c_str());
}

void TestAutosave::defaultDirectoryIsOverridableAndTestSafe() {
    qunsetenv("CONLAB_AUTOSAVE_DIR");
    const QString def = AutosaveStore::defaultDirectory();
    QVERIFY(def.endsWith(QLatin1String("/autosave")));
    QVERIFY2(def.contains(QLatin1String(".qttest")), qPrintable(def)); // test mode: never the user's folder
    QTemporaryDir dir;
    qputenv("CONLAB_AUTOSAVE_DIR", dir.path().toLocal8Bit());
    QCOMPARE(AutosaveStore::defaultDirectory(), QDir(dir.path()).absolutePath());
    QCOMPARE(AutosaveStore().directory(), QDir(dir.path()).absolutePath());
    qunsetenv("CONLAB_AUTOSAVE_DIR");
}

void TestAutosave::savedRunLoadsBackEqual() {
    QTemporaryDir dir;
    AutosaveStore store(dir.path());
    QString error;
    const auto entry = store.save(m_ex, &error);
    QVERIFY2(entry, qPrintable(error));
    QVERIFY(QFileInfo(entry->path).isFile());
    QCOMPARE(QFileInfo(entry->path).absolutePath(), QDir(dir.path()).absolutePath());
    QCOMPARE(entry->kind, QStringLiteral("run"));
    QCOMPARE(entry->session, store.sessionToken());
    QCOMPARE(entry->sequence, 1);
    QVERIFY(qAbs(entry->savedUtc.msecsTo(QDateTime::currentDateTimeUtc())) < 60000);
    QVERIFY(QFileInfo(entry->path).fileName().startsWith(QLatin1String("autosave-")));
    QCOMPARE(int(store.entries().size()), 1);
    QCOMPARE(store.entries().front().path, entry->path);

    // The file is exactly the results document (same SHA-256 as serialising the experiment)…
    QCOMPARE(QCryptographicHash::hash(readAll(entry->path), QCryptographicHash::Sha256),
             QCryptographicHash::hash(toJsonBytes(m_ex, false), QCryptographicHash::Sha256));
    // …and loads back equal: backend ids, task counts per repetition, the whole document.
    const LoadResult back = loadResultsFile(entry->path);
    QVERIFY2(back.experiment, qPrintable(back.error));
    QCOMPARE(back.experiment->spec, m_ex.spec);
    QCOMPARE(back.experiment->runs.size(), m_ex.runs.size());
    for (size_t i = 0; i < m_ex.runs.size(); ++i) {
        QCOMPARE(back.experiment->runs[i].backend, m_ex.runs[i].backend);
        QCOMPARE(back.experiment->runs[i].repetitions.size(), m_ex.runs[i].repetitions.size());
        for (size_t k = 0; k < m_ex.runs[i].repetitions.size(); ++k)
            QCOMPARE(back.experiment->runs[i].repetitions[k].tasksDone,
                     m_ex.runs[i].repetitions[k].tasksDone);
    }
    QCOMPARE(toJson(*back.experiment), toJson(m_ex));

    const auto second = store.save(m_ex, &error);
    QVERIFY2(second, qPrintable(error));
    QCOMPARE(second->sequence, 2);
    QVERIFY(second->path != entry->path);
    QCOMPARE(store.entries().front().path, second->path); // newest first
}

void TestAutosave::crashedSessionIsOffered() {
    QTemporaryDir dir;
    // The previous session: marks itself, autosaves a run, then is killed (a real crash).
    const int status = inChild(
        [&] {
            AutosaveStore previous(dir.path());
            if (!previous.beginSession()) return 3;
            return previous.save(m_ex) ? 0 : 4;
        },
        true);
    QVERIFY2(killedBySigkill(status), qPrintable(QString::number(status)));
    QCOMPARE(int(AutosaveStore(dir.path()).entries().size()), 1);

    AutosaveStore next(dir.path()); // the next start
    QVERIFY(next.beginSession());
    const QStringList crashed = next.crashedSessions();
    QCOMPARE(crashed.size(), 1);
    QVERIFY(QFile::exists(QDir(dir.path()).filePath(QStringLiteral("session-%1.json").arg(crashed.front()))));
    const PendingRestore pending = next.pendingRestore();
    QVERIFY(!pending.empty());
    QCOMPARE(int(pending.entries.size()), 1);
    QVERIFY(pending.problems.isEmpty());
    const AutosaveEntry& e = pending.entries.front();
    QCOMPARE(e.session, crashed.front());
    QCOMPARE(e.path, next.entries().front().path);
    QVERIFY2(e.summary.contains(
                 QLatin1String("run of 3 backends (sequential, thread-pool, process-pool), 40 tasks")),
             qPrintable(e.summary));
    QVERIFY2(e.summary.contains(QLatin1String("process-pool")), qPrintable(e.summary));
    const LoadResult back = loadResultsFile(e.path);
    QVERIFY2(back.experiment, qPrintable(back.error));
    QCOMPARE(toJson(*back.experiment), toJson(m_ex));

    // Restore or Discard acknowledges: not offered again, the stale marker is gone, the file stays.
    QVERIFY(next.acknowledge());
    QVERIFY(next.crashedSessions().isEmpty());
    QVERIFY(next.pendingRestore().empty());
    QCOMPARE(int(next.entries().size()), 1);
    // And this session's own marker is still there until it quits cleanly.
    QVERIFY(QFile::exists(next.markerPath()));
    next.markCleanExit();
    QVERIFY(!QFile::exists(next.markerPath()));
}

void TestAutosave::cleanExitOffersNothing() {
    QTemporaryDir dir;
    const int status = inChild(
        [&] {
            AutosaveStore previous(dir.path());
            if (!previous.beginSession() || !previous.save(m_ex)) return 3;
            previous.markCleanExit();
            return 0;
        },
        false);
    QVERIFY(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    AutosaveStore next(dir.path());
    QVERIFY(next.beginSession());
    QVERIFY(next.crashedSessions().isEmpty());
    QVERIFY(next.pendingRestore().empty());
    QCOMPARE(int(next.entries().size()), 1); // still listed under File → Open autosaved
    // Only this session's marker exists.
    QCOMPARE(QDir(dir.path()).entryList({QStringLiteral("session-*.json")}),
             QStringList{QFileInfo(next.markerPath()).fileName()});
}

void TestAutosave::liveSessionIsNotACrash() {
    QTemporaryDir dir;
    AutosaveStore running(dir.path()); // another instance, still running (this process)
    QVERIFY(running.beginSession());
    QVERIFY(running.save(m_ex));
    AutosaveStore next(dir.path());
    QVERIFY(next.beginSession());
    QVERIFY(next.crashedSessions().isEmpty());
    QVERIFY(next.pendingRestore().empty());

    // A reused pid: same pid, another process start time → the marker's process is gone.
    QJsonObject marker = QJsonDocument::fromJson(readAll(running.markerPath())).object();
    QCOMPARE(marker.value("pid").toInteger(), qint64(getpid()));
    QVERIFY(marker.contains("start_ticks"));
    QVERIFY(!marker.value("boot_id").toString().isEmpty());
    marker["start_ticks"] = marker.value("start_ticks").toInteger() + 1;
    QVERIFY(writeFile(running.markerPath(), QJsonDocument(marker).toJson()));
    QCOMPARE(next.crashedSessions(), QStringList{running.sessionToken()});
    QCOMPARE(int(next.pendingRestore().entries.size()), 1);

    // Written before a reboot (another boot id) → gone.
    marker["start_ticks"] = marker.value("start_ticks").toInteger() - 1;
    marker["boot_id"] = QStringLiteral("00000000-0000-0000-0000-000000000000");
    QVERIFY(writeFile(running.markerPath(), QJsonDocument(marker).toJson()));
    QCOMPARE(next.crashedSessions(), QStringList{running.sessionToken()});

    // A damaged marker has no owner to find: counted as crashed, not an error.
    QVERIFY(writeFile(running.markerPath(), "{\"pid\": 12"));
    QCOMPARE(next.crashedSessions(), QStringList{running.sessionToken()});
}

void TestAutosave::acknowledgeMeansOnlyNewerAreOffered() {
    QTemporaryDir dir;
    // Run A autosaved, the user saves (acknowledges), run B autosaved, then a crash.
    const int status = inChild(
        [&] {
            AutosaveStore previous(dir.path());
            if (!previous.beginSession() || !previous.save(m_ex)) return 3;
            if (!previous.acknowledge()) return 4;
            return previous.save(m_ex) ? 0 : 5;
        },
        true);
    QVERIFY(killedBySigkill(status));
    AutosaveStore next(dir.path());
    QVERIFY(next.beginSession());
    const auto all = next.entries();
    QCOMPARE(int(all.size()), 2);
    const PendingRestore pending = next.pendingRestore();
    QCOMPARE(int(pending.entries.size()), 1);
    QCOMPARE(pending.entries.front().path, all.front().path); // B, the newer one
    QCOMPARE(pending.entries.front().sequence, 2);

    // After Discard, another crashed session offers only its own autosave.
    QVERIFY(next.acknowledge());
    QVERIFY(next.pendingRestore().empty());
    const int status2 = inChild(
        [&] {
            AutosaveStore third(dir.path());
            return third.beginSession() && third.save(m_ex) ? 0 : 3;
        },
        true);
    QVERIFY(killedBySigkill(status2));
    const PendingRestore p2 = next.pendingRestore();
    QCOMPARE(int(p2.entries.size()), 1);
    QCOMPARE(p2.entries.front().path, next.entries().front().path);
    QVERIFY(p2.entries.front().session != all.front().session);
}

void TestAutosave::sweepsAndLessons() {
    QTemporaryDir dir;
    const int status = inChild(
        [&] {
            AutosaveStore previous(dir.path());
            if (!previous.beginSession()) return 3;
            if (!previous.saveSweep(sweepJson(m_ex, QString()), QString())) return 4;
            return previous.saveSweep(sweepJson(m_ex, "tiny-tasks"), "tiny-tasks") ? 0 : 5;
        },
        true);
    QVERIFY(killedBySigkill(status));
    AutosaveStore next(dir.path());
    const PendingRestore pending = next.pendingRestore();
    QCOMPARE(int(pending.entries.size()), 2);
    QVERIFY(pending.problems.isEmpty());
    const AutosaveEntry& lesson = pending.entries[0];
    const AutosaveEntry& sweep = pending.entries[1];
    QCOMPARE(lesson.kind, QStringLiteral("lesson"));
    QCOMPARE(lesson.lesson, QStringLiteral("tiny-tasks"));
    QVERIFY(QFileInfo(lesson.path).fileName().endsWith(QLatin1String("-lesson-tiny-tasks.json")));
    QVERIFY2(lesson.summary.startsWith(QLatin1String("lesson tiny-tasks: 2 of 2 points, 3 backends (")),
             qPrintable(lesson.summary));
    QVERIFY(lesson.label().endsWith(QStringLiteral("— lesson tiny-tasks")));
    QCOMPARE(sweep.kind, QStringLiteral("sweep"));
    QVERIFY2(sweep.summary.startsWith(QLatin1String(
                 "sweep of task-us: 2 of 2 points, 3 backends (sequential, thread-pool, process-pool)")),
             qPrintable(sweep.summary));
    const SweepLoad sl = sweepFromJsonBytes(readAll(lesson.path));
    QVERIFY2(sl.sweep, qPrintable(sl.error));
    QCOMPARE(int(sl.sweep->points.size()), 2);
    QCOMPARE(sl.extra.value("lesson").toString(), QStringLiteral("tiny-tasks"));
    // A hostile lesson name cannot leave the folder or break the name pattern.
    QVERIFY(next.saveSweep(sweepJson(m_ex, QString()), QStringLiteral("../../Evil Name!")));
    QVERIFY(
        QFileInfo(next.entries().front().path).fileName().endsWith(QLatin1String("-lesson-evilname.json")));
    QCOMPARE(QFileInfo(next.entries().front().path).absolutePath(), QDir(dir.path()).absolutePath());
}

void TestAutosave::pruningKeepsN() {
    QTemporaryDir dir;
    AutosaveStore store(dir.path()); // the default: keep 20
    QCOMPARE(store.keep(), 20);
    const QByteArray bytes = toJsonBytes(m_ex, false);
    for (int i = 0; i < 25; ++i)
        QVERIFY(store.save(m_ex));
    const auto all = store.entries();
    QCOMPARE(int(all.size()), 20);
    // The newest 20 stay: sequence 25 down to 6.
    for (int i = 0; i < 20; ++i)
        QCOMPARE(all[size_t(i)].sequence, 25 - i);
    // Other files in the folder are never touched by pruning.
    QVERIFY(writeFile(dir.filePath("notes.txt"), "mine"));
    AutosaveStore small(dir.path(), 3);
    QCOMPARE(small.prune(), 17);
    QCOMPARE(int(small.entries().size()), 3);
    QVERIFY(QFile::exists(dir.filePath("notes.txt")));
    QCOMPARE(readAll(small.entries().front().path), bytes);
}

void TestAutosave::damagedAutosaveIsReportedNotFatal() {
    QTemporaryDir dir;
    const int status = inChild(
        [&] {
            AutosaveStore previous(dir.path());
            if (!previous.beginSession()) return 3;
            for (int i = 0; i < 4; ++i)
                if (!previous.save(m_ex)) return 4;
            return 0;
        },
        true);
    QVERIFY(killedBySigkill(status));
    AutosaveStore next(dir.path());
    const auto all = next.entries(); // newest first
    QCOMPARE(int(all.size()), 4);
    const QByteArray good = readAll(all[0].path);
    QVERIFY(writeFile(all[0].path, good.left(good.size() * 2 / 3))); // truncated (e.g. disk full elsewhere)
    QVERIFY(writeFile(all[1].path, QByteArray(5000, '\xff')));       // garbage
    QVERIFY(writeFile(all[2].path, QByteArray()));                   // empty
    const PendingRestore pending = next.pendingRestore();
    QCOMPARE(int(pending.entries.size()), 1);
    QCOMPARE(pending.entries.front().path, all[3].path); // the one intact file is still offered
    QCOMPARE(pending.problems.size(), 3);
    for (int i = 0; i < 3; ++i)
        QVERIFY2(pending.problems[i].contains(QFileInfo(all[size_t(i)].path).fileName()),
                 qPrintable(pending.problems[i]));
    // An autosave with a valid document but a broken sweep object is a problem too.
    QJsonObject doc = QJsonDocument::fromJson(sweepJson(m_ex, QString())).object();
    QJsonObject so = doc.value("sweep").toObject();
    so["param"] = QStringLiteral("no-such-param");
    doc["sweep"] = so;
    const QString sweepName =
        QFileInfo(all[3].path).fileName().replace(QLatin1String("-run.json"), QLatin1String("-sweep.json"));
    QVERIFY(writeFile(dir.filePath(sweepName), QJsonDocument(doc).toJson()));
    const PendingRestore p2 = next.pendingRestore();
    QCOMPARE(p2.problems.size(), 4);
    QVERIFY(p2.problems.join('\n').contains(QLatin1String("no-such-param")));
}

void TestAutosave::failedWriteLeavesNoPartialFile() {
    QTemporaryDir dir;
    AutosaveStore store(dir.path());
    const auto existing = store.save(m_ex);
    QVERIFY(existing);
    QVERIFY(store.acknowledge());
    const QString ackPath = dir.filePath("acknowledged.json");
    const QByteArray ackBefore = readAll(ackPath), existingBefore = readAll(existing->path);
    QVERIFY(ackBefore.size() > 40);
    QVERIFY(toJsonBytes(m_ex, false).size() > 8192);
    const QString saved = dir.filePath("saved.json"), small = dir.filePath("small.txt");
    QVERIFY(saveResultsFile(saved, m_ex, nullptr));
    QVERIFY(writeFile(small, "old small file\n"));
    const QByteArray savedBefore = readAll(saved);
    const QStringList before = listing(dir.path());

    // In a child, files may not grow beyond 32 bytes (RLIMIT_FSIZE; works as root too): every
    // write below fails part-way — the autosave (KiB), the acknowledgement (~100 bytes), the
    // user's save over an existing file, and a small file (which QSaveFile, buffered, would
    // have committed truncated).
    const int status = inChild(
        [&] {
            std::signal(SIGXFSZ, SIG_IGN); // fail with EFBIG instead of dying
            const rlimit lim{32, 32};
            if (setrlimit(RLIMIT_FSIZE, &lim) != 0) return 10;
            QString error;
            if (store.save(m_ex, &error)) return 11;
            if (!error.contains(QLatin1String("cannot write"))) return 12;
            if (store.acknowledge(&error)) return 13;
            if (saveResultsFile(saved, m_ex, &error)) return 14;
            if (writeFileAtomically(small, QByteArray(100, 'x'), &error)) return 15;
            if (!error.contains(QLatin1String("File too large"))) return 16;
            return 0;
        },
        false);
    QVERIFY2(WIFEXITED(status) && WEXITSTATUS(status) == 0, qPrintable(QString::number(status)));
    // No partial or temporary file is visible, and the old files are byte-for-byte intact.
    QCOMPARE(listing(dir.path()), before);
    QCOMPARE(readAll(ackPath), ackBefore);
    QCOMPARE(readAll(existing->path), existingBefore);
    QCOMPARE(readAll(saved), savedBefore);
    QCOMPARE(readAll(small), QByteArray("old small file\n"));
    QVERIFY(store.pendingRestore().empty());
}

void TestAutosave::folderPathTakenByAFileIsAClearError() {
    QTemporaryDir dir;
    // The autosave folder's path is taken by a regular file.
    const QString blocked = dir.filePath("autosave");
    QVERIFY(writeFile(blocked, "not a folder"));
    AutosaveStore store(blocked);
    QString error;
    QVERIFY(!store.beginSession(&error));
    QVERIFY2(error.contains(QLatin1String("cannot create the autosave folder")), qPrintable(error));
    error.clear();
    QVERIFY(!store.save(m_ex, &error));
    QVERIFY(error.contains(blocked));
    QVERIFY(store.entries().empty());
    QVERIFY(store.pendingRestore().empty());
    QCOMPARE(readAll(blocked), QByteArray("not a folder"));
}

void TestAutosave::readOnlyFolderIsAClearError() {
    // Root ignores directory permissions: this case needs another user (failedWriteLeavesNoPartialFile
    // covers failing writes as root).
    if (geteuid() == 0) QSKIP("running as root: directory permissions do not apply");
    QTemporaryDir dir;
    QString error;
    const QString ro = dir.filePath("ro");
    QVERIFY(QDir().mkpath(ro));
    AutosaveStore roStore(ro);
    QVERIFY(roStore.save(m_ex));
    const QStringList before = listing(ro);
    QVERIFY(QFile::setPermissions(ro, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
    error.clear();
    QVERIFY(!roStore.save(m_ex, &error));
    QVERIFY2(error.contains(QLatin1String("cannot write")), qPrintable(error));
    QVERIFY(!roStore.beginSession(&error));
    QVERIFY(
        QFile::setPermissions(ro, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
    QCOMPARE(listing(ro), before);
}

QTEST_GUILESS_MAIN(TestAutosave)
#include "tst_autosave.moc"
