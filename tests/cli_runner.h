#pragma once
// Runs the real conlab binary headless (without a display, `conlab` alone would open its
// window) and collects its exit code and output; a run past the timeout is killed and reads
// as exit code -1 with no output.
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace cli_test { // not inside conlab:: the tests call their runner conlab(...)

struct CliResult {
    int exitCode = -1;
    QString out, err;
};

inline CliResult runConlab(const QStringList& args, int timeoutMs) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("DISPLAY");
    env.remove("WAYLAND_DISPLAY");
    env.remove("QT_QPA_PLATFORM");
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(CONLAB_BIN_DIR "/conlab"), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

} // namespace cli_test
