#pragma once
// The real `conlab` binary run with resource limits, for tst_edges and tst_limits (issue 13).
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
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
};

// Runs bin/conlab; fsizeLimit > 0 sets RLIMIT_FSIZE in the child (also as root), asLimit > 0
// RLIMIT_AS, nofileLimit > 0 RLIMIT_NOFILE.
Result conlab(const QStringList& args, qint64 fsizeLimit = 0, int timeoutMs = 60000 * CONLAB_TEST_SLOWDOWN,
              qint64 asLimit = 0, qint64 nofileLimit = 0) {
    QProcess p;
    if (fsizeLimit > 0 || asLimit > 0 || nofileLimit > 0)
        p.setChildProcessModifier([fsizeLimit, asLimit, nofileLimit] {
            if (nofileLimit > 0) {
                const rlimit lim{rlim_t(nofileLimit), rlim_t(nofileLimit)};
                setrlimit(RLIMIT_NOFILE, &lim);
            }
            if (fsizeLimit > 0) {
                const rlimit lim{rlim_t(fsizeLimit), rlim_t(fsizeLimit)};
                setrlimit(RLIMIT_FSIZE, &lim);
            }
            if (asLimit > 0) {
                const rlimit lim{rlim_t(asLimit), rlim_t(asLimit)};
                setrlimit(RLIMIT_AS, &lim);
            }
        });
    p.start(QStringLiteral(CONLAB_BIN_DIR "/conlab"), args);
    Result r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.timedOut = true;
    } else if (p.exitStatus() == QProcess::NormalExit) {
        r.exitCode = p.exitCode();
    } else {
        r.signal = p.exitCode();
    }
    r.out = p.readAllStandardOutput();
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
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
