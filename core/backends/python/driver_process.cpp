#include "driver_process.h"

#include "../../clock.h"

#include <QByteArray>
#include <QJsonDocument>

extern char** environ;

namespace conlab::python::detail {

std::string clip(const std::string& s, size_t n) {
    std::string out;
    for (char c : s.substr(0, n))
        out += (c >= 32 && c < 127) ? c : '?';
    return s.size() > n ? out + "…" : out;
}

bool isExecutable(const std::string& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
}

// Looks a name up on PATH like execvp would; a name with '/' is taken as a path.
std::string resolveExecutable(const std::string& name, std::string& error) {
    if (name.empty()) {
        error = "empty interpreter path";
        return {};
    }
    if (name.find('/') != std::string::npos) {
        if (isExecutable(name)) return name;
        error = "python interpreter '" + name + "' does not exist or is not executable";
        return {};
    }
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
    size_t start = 0;
    while (start <= dirs.size()) {
        size_t end = dirs.find(':', start);
        if (end == std::string::npos) end = dirs.size();
        std::string dir = dirs.substr(start, end - start);
        std::string cand = (dir.empty() ? std::string(".") : dir) + "/" + name;
        if (isExecutable(cand)) return cand;
        start = end + 1;
    }
    error = "no " + name + " found on PATH (install python3 >= 3.8, or give --python PATH or CONLAB_PYTHON)";
    return {};
}

std::string exeDir() {
    std::error_code ec;
    auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : p.parent_path().string();
}

std::string randomToken() {
    std::random_device rd;
    uint64_t v = (uint64_t(rd()) << 32) ^ rd() ^ uint64_t(nowNs());
    // The coordinator's pid first, as in shm-pool's names (conlab-<pid>-…): /dev/shm is
    // machine-wide, and a leak check can tell this process's objects from another conlab's.
    char buf[40];
    std::snprintf(buf, sizeof buf, "%d-%016llx", int(getpid()), (unsigned long long)v);
    return buf;
}

QJsonObject runDriverCommand(const std::string& who, const std::string& python, const std::string& driver,
                             const std::string& command, const char* expect, int timeoutMs) {
    DriverProcess proc;
    proc.start(who, {python, "-I", driver, command, std::to_string(getpid())}, {});
    std::string out;
    bool outOpen = true, errOpen = true;
    const int64_t deadline = nowNs() + int64_t(timeoutMs) * 1'000'000;
    while (outOpen && out.find('\n') == std::string::npos) {
        int64_t left = (deadline - nowNs()) / 1'000'000;
        if (left <= 0)
            throw BackendError(who + ": " + python + " " + command + " timed out after " +
                               std::to_string(timeoutMs) + " ms");
        pollfd fds[2] = {{proc.outFd(), POLLIN, 0}, {errOpen ? proc.errFd() : -1, POLLIN, 0}};
        poll(fds, 2, int(std::min<int64_t>(left, 100)));
        if (!proc.readOut(out)) outOpen = false;
        if (errOpen && !proc.readErr()) errOpen = false;
        if (out.size() > kMaxAnswer && out.find('\n') == std::string::npos)
            throw BackendError(who + ": " + python + " " + command + " printed more than " +
                               std::to_string(kMaxAnswer >> 20) + " MiB without a newline: '" + clip(out) +
                               "' (is it a Python interpreter?)");
    }
    auto nl = out.find('\n');
    std::string line = nl == std::string::npos ? out : out.substr(0, nl);
    std::string status;
    if (nl == std::string::npos) {
        if (auto st = proc.waitExit(2000)) status = " (" + describeWaitStatus(*st) + ")";
    }
    QJsonParseError pe{};
    auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(line), &pe);
    QJsonObject o = doc.object();
    if (line.empty() || pe.error != QJsonParseError::NoError || !doc.isObject()) {
        std::string err = proc.stderrTail();
        throw BackendError(who + ": " + python + " " + command + " failed" + status +
                           (line.empty() ? ": no output" : ": printed '" + clip(line) + "'") +
                           (err.empty() ? "" : "; stderr: " + err));
    }
    if (o.value("t").toString() == "error")
        throw BackendError(who + ": driver reported: " + o.value("msg").toString().toStdString() +
                           pythonErrorHint(o.value("msg").toString().toStdString()));
    if (o.value("t").toString() != QLatin1String(expect))
        throw BackendError(who + ": " + command + ": unexpected answer '" + clip(line) + "'");
    return o;
}

} // namespace conlab::python::detail
