// Issue 13, items 6 and 7 (docs/reliability.md): conlab SIGKILLed at random moments during
// every process backend, native and Python. No process of the run (its workers, the Python
// driver, its pool, forkserver, resource tracker) survives it by more than 1 s, and no
// /dev/shm object of the run is left. The seed is printed first; CONLAB_KILL_SEED replays
// it, CONLAB_KILL_RUNS sets the number of kills (default 28, 4 per backend),
// CONLAB_KILL_BACKENDS=ID,ID limits them to those backends.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QTest>
#include <csignal>
#include <unistd.h>

namespace {

struct ProcInfo {
    int ppid = 0, pgid = 0;
    char state = '?';
};

// /proc/PID/stat: "pid (comm) state ppid pgrp …"; comm may contain spaces and parentheses.
std::optional<ProcInfo> procInfo(int pid) {
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly)) return std::nullopt;
    const QByteArray s = f.readAll();
    const int close = s.lastIndexOf(')');
    if (close < 0) return std::nullopt;
    const QList<QByteArray> rest = s.mid(close + 2).split(' ');
    if (rest.size() < 3) return std::nullopt;
    return ProcInfo{rest[1].toInt(), rest[2].toInt(), rest[0].isEmpty() ? '?' : rest[0][0]};
}

QList<int> allPids() {
    QList<int> out;
    for (const QString& e : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        bool ok = false;
        const int pid = e.toInt(&ok);
        if (ok) out << pid;
    }
    return out;
}

bool alive(int pid) {
    auto i = procInfo(pid);
    return i && i->state != 'Z' && i->state != 'X';
}

// Every descendant of root, and the /dev/shm names any of them has mapped or open.
void collect(int root, QSet<int>& descendants, QSet<QString>& shmNames) {
    QHash<int, QList<int>> children;
    for (int pid : allPids())
        if (auto i = procInfo(pid)) children[i->ppid] << pid;
    QList<int> todo{root};
    while (!todo.isEmpty()) {
        const int p = todo.takeLast();
        for (int c : children.value(p)) {
            descendants << c;
            todo << c;
        }
    }
    for (int pid : descendants + QSet<int>{root}) {
        QFile maps(QStringLiteral("/proc/%1/maps").arg(pid));
        if (maps.open(QIODevice::ReadOnly))
            for (const QByteArray& line : maps.readAll().split('\n')) {
                const int at = line.indexOf("/dev/shm/");
                if (at >= 0 && !line.endsWith("(deleted)"))
                    shmNames << QString::fromLocal8Bit(line.mid(at + 9));
            }
        const QString fdDir = QStringLiteral("/proc/%1/fd").arg(pid);
        for (const QString& fd : QDir(fdDir).entryList(QDir::System | QDir::NoDotAndDotDot)) {
            const QString target = QFileInfo(fdDir + "/" + fd).symLinkTarget();
            if (target.startsWith("/dev/shm/") && !target.endsWith("(deleted)")) shmNames << target.mid(9);
        }
    }
}

} // namespace

class TestOrphans : public QObject {
    Q_OBJECT

  private slots:
    void killedConlabLeavesNothing() {
        const quint32 seed = qEnvironmentVariableIsSet("CONLAB_KILL_SEED")
                                 ? quint32(qEnvironmentVariableIntValue("CONLAB_KILL_SEED"))
                                 : QRandomGenerator::system()->generate();
        qInfo("seed %u (CONLAB_KILL_SEED=%u replays it)", seed, seed);
        QRandomGenerator rng(seed);
        const int runs = qEnvironmentVariableIsSet("CONLAB_KILL_RUNS")
                             ? qEnvironmentVariableIntValue("CONLAB_KILL_RUNS")
                             : 28;
        const QString conlab = QStringLiteral(CONLAB_BIN_DIR "/conlab");

        // Which process backends can run here (the Python ones need python3).
        QProcess list;
        list.start(conlab, {"backends", "--format", "json"});
        QVERIFY(list.waitForFinished(60000));
        QSet<QString> available;
        for (const QJsonValue& b :
             QJsonDocument::fromJson(list.readAllStandardOutput()).object().value("backends").toArray())
            if (b.toObject().value("available").toBool()) available << b.toObject().value("id").toString();
        // Runs of seconds, so that an orphan would outlive the 1 s bound by far. Big payloads:
        // the Python driver then builds them for seconds without writing to conlab (a driver
        // that writes dies of EPIPE anyway), and shm-pool sets up a 1 GiB region.
        const QStringList native = {"--tasks", "20000", "--task-us", "200", "--workers", "2"};
        const QStringList python = {"--tasks", "8", "--task-us", "200", "--workers", "2", "--input", "128M"};
        const QList<QPair<QString, QStringList>> all = {
            {"process-per-task", native},
            {"process-pool", native},
            {"shm-pool", {"--tasks", "4", "--workers", "2", "--payload", "256M", "--messages", "1"}},
            {"py-process-per-task", python},
            {"py-pool", python},
            {"py-process-pool:fork", python},
            {"py-shared-memory", python},
        };
        QList<QPair<QString, QStringList>> backends;
        const QStringList only = qEnvironmentVariable("CONLAB_KILL_BACKENDS").split(',', Qt::SkipEmptyParts);
        for (const auto& b : all) {
            if (!only.isEmpty() && !only.contains(b.first)) continue;
            if (available.contains(b.first))
                backends << b;
            else
                qInfo("%s is not available here: not killed", qPrintable(b.first));
        }
        QVERIFY(!backends.isEmpty());

        const int boundMs = 1000 * CONLAB_TEST_SLOWDOWN;
        const int ownGroup = getpgrp();
        qint64 worstMs = 0;
        int kills = 0, withChildren = 0;
        for (int i = 0; i < runs; ++i) {
            const auto& [backend, extra] = backends[i % backends.size()];
            // Python: while the driver starts, builds the payloads and starts its pool.
            const bool py = backend.startsWith("py-");
            const int delayMs = py ? 100 + int(rng.bounded(1400u)) : 5 + int(rng.bounded(400u));
            QProcess p;
            p.start(conlab, QStringList{"run", "--backends", backend} + extra);
            QVERIFY(p.waitForStarted());
            const int pid = int(p.processId());
            QTest::qSleep(delayMs);
            QSet<int> descendants;
            QSet<QString> shm;
            collect(pid, descendants, shm);
            QSet<int> groups; // the Python driver's group: its pool, forkserver, tracker
            for (int d : descendants)
                if (auto info = procInfo(d); info && info->pgid != ownGroup) groups << info->pgid;
            ::kill(pid, SIGKILL);
            QVERIFY(p.waitForFinished(10000));
            ++kills;
            if (!descendants.isEmpty()) ++withChildren;
            QElapsedTimer t;
            t.start();
            QStringList left;
            for (;;) {
                left.clear();
                for (int d : descendants)
                    if (alive(d)) left << QString::number(d);
                for (int other : allPids())
                    if (auto info = procInfo(other);
                        info && groups.contains(info->pgid) && alive(other) && !descendants.contains(other))
                        left << QString::number(other);
                if (left.isEmpty() || t.elapsed() > boundMs) break;
                QTest::qSleep(10);
            }
            worstMs = std::max(worstMs, t.elapsed());
            QVERIFY2(left.isEmpty(),
                     qPrintable(QStringLiteral("%1 killed after %2 ms: pids %3 still alive %4 ms later")
                                    .arg(backend)
                                    .arg(delayMs)
                                    .arg(left.join(','))
                                    .arg(t.elapsed())));
            // No /dev/shm object of the run: neither what its processes had mapped or open, nor
            // a native shm-pool region (conlab-<pid>-…) being set up.
            QStringList leftShm;
            for (const QString& n : shm)
                if (QFileInfo::exists("/dev/shm/" + n)) leftShm << n;
            for (const QString& n :
                 QDir("/dev/shm").entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot))
                if (n.startsWith(QStringLiteral("conlab-%1-").arg(pid))) leftShm << n;
            QVERIFY2(leftShm.isEmpty(), qPrintable(QStringLiteral("%1 killed after %2 ms left /dev/shm/%3")
                                                       .arg(backend)
                                                       .arg(delayMs)
                                                       .arg(leftShm.join(", /dev/shm/"))));
        }
        qInfo("kills: %d (%d with children alive at the kill); slowest end of a run's processes: %lld ms",
              kills, withChildren, worstMs);
    }
};

QTEST_GUILESS_MAIN(TestOrphans)
#include "tst_orphans.moc"
