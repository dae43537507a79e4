#include "file_io.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace conlab {

namespace {

QString sizeText(qint64 bytes) {
    if (bytes >= (qint64(1) << 30) && bytes % (qint64(1) << 30) == 0)
        return QStringLiteral("%1 GiB").arg(bytes >> 30);
    if (bytes >= (qint64(1) << 20) && bytes % (qint64(1) << 20) == 0)
        return QStringLiteral("%1 MiB").arg(bytes >> 20);
    return QStringLiteral("%1 bytes").arg(bytes);
}

QString errnoQString(int e) {
    return QString::fromLocal8Bit(std::strerror(e));
}

const char* kindOf(mode_t m) {
    if (S_ISDIR(m)) return "a directory";
    if (S_ISFIFO(m)) return "a FIFO";
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISSOCK(m)) return "a socket";
    return "not a regular file";
}

// /dev/stdout, /dev/fd/N, /proc/self/fd/N: whatever they point to is written in place (a
// rename would replace the symlink's target in the shell's folder, and lose `>>` appends).
bool isDescriptorAlias(const QString& path) {
    static const QRegularExpression alias(
        QStringLiteral("^(/dev/(stdout|stderr|fd/[0-9]+)|/proc/(self|thread-self|[0-9]+)/fd/[0-9]+)$"));
    return alias.match(path).hasMatch();
}

bool writeInPlace(const QString& path, const QByteArray& bytes, QString* error) {
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (error) *error = QStringLiteral("cannot write %1: %2").arg(path, errnoQString(errno));
        return false;
    }
    qint64 done = 0;
    int failure = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            failure = n < 0 ? errno : ENOSPC;
            break;
        }
        done += n;
    }
    if (::close(fd) != 0 && failure == 0 && errno != EINTR) failure = errno;
    if (failure != 0) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2 (%3 of %4 bytes written)")
                         .arg(path, errnoQString(failure))
                         .arg(done)
                         .arg(bytes.size());
        return false;
    }
    return true;
}

} // namespace

bool readRegularFile(const QString& path, qint64 maxBytes, QByteArray* out, QString* error) {
    auto fail = [&](const QString& why) {
        if (error) *error = QStringLiteral("%1: %2").arg(path, why);
        return false;
    };
    const QByteArray native = QFile::encodeName(path);
    // O_NONBLOCK: opening a FIFO without a writer must not wait for one.
    const int fd = ::open(native.constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return fail(QStringLiteral("cannot open: %1").arg(errnoQString(errno)));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int e = errno;
        ::close(fd);
        return fail(QStringLiteral("cannot open: %1").arg(errnoQString(e)));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        return fail(
            QStringLiteral("is %1, not a regular file: refused").arg(QLatin1String(kindOf(st.st_mode))));
    }
    if (st.st_size > maxBytes) {
        ::close(fd);
        return fail(QStringLiteral("is %1 bytes, larger than the %2 allowed")
                        .arg(qint64(st.st_size))
                        .arg(sizeText(maxBytes)));
    }
    QByteArray bytes;
    bytes.resize(qsizetype(std::max<qint64>(st.st_size, 0)) + 1);
    qint64 done = 0;
    for (;;) {
        if (done == bytes.size()) {
            if (done > maxBytes) break; // grew while read, or a /proc file: over the cap
            bytes.resize(qsizetype(std::min<qint64>(maxBytes + 1, std::max<qint64>(done * 2, 4096))));
        }
        const ssize_t n = ::read(fd, bytes.data() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int e = errno;
            ::close(fd);
            return fail(QStringLiteral("cannot read: %1").arg(errnoQString(e)));
        }
        if (n == 0) break;
        done += n;
    }
    ::close(fd);
    if (done > maxBytes) return fail(QStringLiteral("is larger than the %1 allowed").arg(sizeText(maxBytes)));
    bytes.resize(qsizetype(done));
    *out = std::move(bytes);
    return true;
}

QString outputTargetProblem(const QString& path) {
    if (path.isEmpty()) return QStringLiteral("cannot write '': no file name given");
    auto problem = [&](const QString& why) { return QStringLiteral("cannot write %1: %2").arg(path, why); };
    const QByteArray native = QFile::encodeName(path);
    struct stat st {};
    if (::stat(native.constData(), &st) == 0) {
        if (S_ISDIR(st.st_mode)) return problem(QStringLiteral("it is a directory"));
        if (::access(native.constData(), W_OK) != 0) return problem(errnoQString(errno));
        if (!S_ISREG(st.st_mode) || isDescriptorAlias(path)) return {}; // written in place
    } else if (errno != ENOENT) {
        return problem(errnoQString(errno));
    }
    // A regular file is replaced by a rename: its folder must exist and be writable.
    const QString dir = QFileInfo(path).absolutePath();
    const QByteArray nativeDir = QFile::encodeName(dir);
    if (::stat(nativeDir.constData(), &st) != 0)
        return problem(QStringLiteral("folder %1: %2").arg(dir, errnoQString(errno)));
    if (!S_ISDIR(st.st_mode)) return problem(QStringLiteral("%1 is not a folder").arg(dir));
    if (::access(nativeDir.constData(), W_OK | X_OK) != 0)
        return problem(QStringLiteral("folder %1: %2").arg(dir, errnoQString(errno)));
    return {};
}

bool writeFileAtomically(const QString& path, const QByteArray& bytes, QString* error) {
    struct stat st {};
    const QByteArray native = QFile::encodeName(path);
    if (!path.isEmpty() && ::stat(native.constData(), &st) == 0 && !S_ISDIR(st.st_mode) &&
        (!S_ISREG(st.st_mode) || isDescriptorAlias(path)))
        return writeInPlace(path, bytes, error);
    // QSaveFile writes an unnamed temporary file (O_TMPFILE) in the target's folder, or one
    // created with O_EXCL under a random name, and renames it over the target: it never opens
    // a pre-existing name other than the target's folder.
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Unbuffered)) {
        if (error) *error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    qint64 done = 0;
    while (done < bytes.size()) { // a short write (e.g. at the file size limit) is followed by the error
        const qint64 n = f.write(bytes.constData() + done, bytes.size() - done);
        if (n <= 0) break;
        done += n;
    }
    if (done != bytes.size()) {
        const QString why = f.error() != QFileDevice::NoError
                                ? f.errorString()
                                : QStringLiteral("only %1 of %2 bytes written").arg(done).arg(bytes.size());
        f.cancelWriting(); // the temporary file is discarded; `path` stays as it was
        if (error) *error = QStringLiteral("cannot write %1: %2").arg(path, why);
        return false;
    }
    if (!f.commit()) {
        if (error) *error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

} // namespace conlab
