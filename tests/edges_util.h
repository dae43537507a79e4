#pragma once
// The real `conlab` binary run with resource limits, for tst_edges and tst_limits (issue 13).
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <grp.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace edges {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true; // their shadow memory needs terabytes of address space
#else
constexpr bool kSanitized = false;
#endif

struct Result {
    int exitCode = -1; // -1: crashed (signal in `signal`) or timed out
    int signal = 0;
    bool timedOut = false;
    QByteArray out;
    QString err;
    qint64 pid = 0;       // conlab's pid: names its /dev/shm objects
    qint64 elapsedMs = 0; // start to exit
    QByteArray tag;       // CONLAB_TEST_RUN_TAG of the run's processes
};

// Resource limits for one conlab run (0: unchanged). processes sets RLIMIT_NPROC; as root,
// which the limit does not bind, the run then drops to the unprivileged user `nobody`.
struct Limits {
    qint64 fileSize = 0, addressSpace = 0, files = 0, processes = 0;
};

constexpr uid_t kNobody = 65534;

// Runs bin/conlab with `limits`. Its environment carries a tag of its own, so that every
// process of the run (workers, the Python driver and its pool) can be found afterwards.
Result conlab(const QStringList& args, const Limits& limits, int timeoutMs = 60000 * CONLAB_TEST_SLOWDOWN) {
    QProcess p;
    static int runs = 0;
    Result r;
    r.tag = QStringLiteral("%1-%2").arg(getpid()).arg(++runs).toUtf8();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("CONLAB_TEST_RUN_TAG"), QString::fromUtf8(r.tag));
    p.setProcessEnvironment(env);
    p.setChildProcessModifier([limits] {
        auto set = [](int resource, qint64 value) {
            if (value <= 0) return;
            const rlimit lim{rlim_t(value), rlim_t(value)};
            setrlimit(resource, &lim);
        };
        set(RLIMIT_NOFILE, limits.files);
        set(RLIMIT_FSIZE, limits.fileSize);
        set(RLIMIT_AS, limits.addressSpace);
        set(RLIMIT_NPROC, limits.processes);
        if (limits.processes > 0 && geteuid() == 0 &&
            (setgroups(0, nullptr) != 0 || setgid(kNobody) != 0 || setuid(kNobody) != 0))
            _exit(126);
    });
    QElapsedTimer clock;
    clock.start();
    p.start(QStringLiteral(CONLAB_BIN_DIR "/conlab"), args);
    r.pid = p.processId();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.timedOut = true;
    } else if (p.exitStatus() == QProcess::NormalExit) {
        r.exitCode = p.exitCode();
    } else {
        r.signal = p.exitCode();
    }
    r.elapsedMs = clock.elapsed();
    r.out = p.readAllStandardOutput();
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

// Runs bin/conlab; fsizeLimit > 0 sets RLIMIT_FSIZE in the child (also as root), asLimit > 0
// RLIMIT_AS, nofileLimit > 0 RLIMIT_NOFILE.
Result conlab(const QStringList& args, qint64 fsizeLimit = 0, int timeoutMs = 60000 * CONLAB_TEST_SLOWDOWN,
              qint64 asLimit = 0, qint64 nofileLimit = 0) {
    return conlab(args, Limits{fsizeLimit, asLimit, nofileLimit, 0}, timeoutMs);
}

// What a finished run left behind: the processes whose environment carries its tag (after up
// to `graceMs` for them to exit) and the /dev/shm objects named for its pid
// (conlab-<pid>-…, sem.conlab-<pid>-…: shm_pool.cpp, driver_process.cpp).
QStringList leftBehind(const Result& r, int graceMs = 1000 * CONLAB_TEST_SLOWDOWN) {
    const QByteArray needle = "CONLAB_TEST_RUN_TAG=" + r.tag;
    QStringList left;
    QElapsedTimer waited;
    waited.start();
    do {
        left.clear();
        for (const QString& e : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            bool ok = false;
            e.toInt(&ok);
            if (!ok) continue;
            QFile envFile(QStringLiteral("/proc/%1/environ").arg(e));
            if (!envFile.open(QIODevice::ReadOnly)) continue;
            for (const QByteArray& var : envFile.readAll().split('\0'))
                if (var == needle) {
                    QFile comm(QStringLiteral("/proc/%1/comm").arg(e));
                    const QByteArray name = comm.open(QIODevice::ReadOnly) ? comm.readAll().trimmed() : "?";
                    left << QStringLiteral("process %1 (%2)").arg(e, QString::fromLocal8Bit(name));
                }
        }
        const QString own = QStringLiteral("conlab-%1-").arg(r.pid);
        for (const QString& e : QDir(QStringLiteral("/dev/shm")).entryList(QDir::Files | QDir::System))
            if (e.startsWith(own) || e.startsWith("sem." + own)) left << "/dev/shm/" + e;
        if (left.isEmpty()) break;
        QThread::msleep(50);
    } while (waited.elapsed() < graceMs);
    return left;
}

QByteArray fileHash(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return h.result();
}

QStringList listing(const QString& dir) {
    return QDir(dir).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::Hidden | QDir::System,
                               QDir::Name);
}

QString describe(const Result& r) {
    return QStringLiteral("exit %1 signal %2 timed out %3; stderr: %4")
        .arg(r.exitCode)
        .arg(r.signal)
        .arg(r.timedOut)
        .arg(r.err);
}

} // namespace edges
