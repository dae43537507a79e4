#pragma once
// Resource counters for leak checks: open fds, live children, /dev/shm entries.
#include <QDir>
#include <QRegularExpression>
#include <QStringList>
#include <cerrno>
#include <sys/wait.h>
#include <unistd.h>

namespace conlab::test {

inline int openFdCount() {
    return int(QDir(QStringLiteral("/proc/self/fd"))
                   .entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::System)
                   .size());
}

// Children of this process that are alive or unreaped, from /proc/<pid>/task/*/children.
inline int childProcessCount() {
    int n = 0;
    const QString base = QStringLiteral("/proc/self/task");
    for (const QString& tid : QDir(base).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile f(base + "/" + tid + "/children");
        if (f.open(QIODevice::ReadOnly))
            n += int(QString::fromLatin1(f.readAll()).split(' ', Qt::SkipEmptyParts).size());
    }
    return n;
}

inline bool noUnreapedChild() {
    int status;
    pid_t r = waitpid(-1, &status, WNOHANG);
    return r == -1 && errno == ECHILD;
}

inline QStringList shmEntries() {
    return QDir(QStringLiteral("/dev/shm")).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::System);
}

// /dev/shm is machine-wide, and CTest runs two tests at once: the objects of another conlab
// process — shm-pool's conlab-<its pid>-<random> (core/backends/shm_pool.cpp), its Python runs'
// conlab-<its pid>-<token>… and sem.conlab-<its pid>-<token>… (driver_process.cpp) — and the
// tests' own scratch files (tst-…) are not this test's. Neither is glibc's sem_open
// temporary, sem.<6 random characters>: sem_open creates the semaphore under it and links it to
// its real name at once, so a snapshot can catch one of any process creating a semaphore (the
// Python runs of the other test create many: every multiprocessing Lock, Queue, Value, Array).
// Everything else is kept, this process's own objects first of all, and any object of an
// unknown name.
inline QStringList shmEntriesNotOfOtherConlabs() {
    static const QRegularExpression conlabObject(QStringLiteral("^(sem\\.)?conlab-([0-9]{1,10})-"));
    static const QRegularExpression semOpenTemporary(QStringLiteral("^sem\\.[A-Za-z0-9]{6}$"));
    const QString self = QString::number(getpid());
    QStringList out;
    for (const QString& e : shmEntries()) {
        if (e.startsWith(QLatin1String("tst-")) || semOpenTemporary.match(e).hasMatch()) continue;
        const auto m = conlabObject.match(e);
        if (!m.hasMatch() || m.captured(2) == self) out << e;
    }
    return out;
}

} // namespace conlab::test
