#pragma once
// Resource counters for leak checks: open fds, live children, /dev/shm entries.
#include <QDir>
#include <QStringList>
#include <cerrno>
#include <sys/wait.h>

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

} // namespace conlab::test
