#pragma once
// Files at the edges (docs/reliability.md, "Hostile files and paths"): every file conlab reads
// is a regular file read with a size cap in bounded time; every file it writes is checked
// before any work is done, written atomically when it is a regular file (unnamed temporary
// file + rename, never through a pre-existing name) and in place when it is not (a pipe,
// /dev/stdout, a device), and every byte is checked.
#include <QByteArray>
#include <QString>

namespace conlab {

// Reads `path` whole. Refuses what is not a regular file (a FIFO, /dev/zero, a directory —
// also through a symbolic link) and files larger than maxBytes; never blocks on a FIFO and
// never reads more than maxBytes + 1 bytes (/proc files report size 0). On failure returns
// false and sets *error to "PATH: reason".
bool readRegularFile(const QString& path, qint64 maxBytes, QByteArray* out, QString* error);

// Why `path` cannot be written, or an empty string when writeFileAtomically can try: checked
// before a run so that its results are not lost afterwards. Empty name, a directory, a
// missing or unwritable folder, an unwritable file.
QString outputTargetProblem(const QString& path);

// The write behind every file conlab saves. A regular file (or a new one): QSaveFile,
// unbuffered, every byte checked, so an existing file is never half-written (buffered, Qt
// 6.4's QSaveFile::commit() renames a truncated file into place when the write fails only
// while the buffer is flushed — disk full, RLIMIT_FSIZE — so a short write cancels). Anything
// else that exists (a pipe, a character device, /dev/stdout) is written in place, since it
// cannot be replaced by a rename. Errors: "cannot write PATH: reason".
bool writeFileAtomically(const QString& path, const QByteArray& bytes, QString* error);

} // namespace conlab
