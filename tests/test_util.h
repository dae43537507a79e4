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

// /dev/shm is machine-wide, and CTest runs two tests at once: the shm-pool objects of another
// conlab process (named conlab-<its pid>-<random>, core/backends/shm_pool.cpp) are not this
// test's. Everything else is kept, this process's own objects first of all.
inline QStringList shmEntriesNotOfOtherConlabs() {
    static const QRegularExpression native(QStringLiteral("^conlab-([0-9]{1,7})-"));
    const QString self = QString::number(getpid());
    QStringList out;
    for (const QString& e : shmEntries()) {
        const auto m = native.match(e);
        if (!m.hasMatch() || m.captured(1) == self) out << e;
    }
    return out;
}

} // namespace conlab::test
