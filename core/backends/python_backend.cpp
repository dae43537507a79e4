#include "python_backend.h"

#include "../calibration.h"
#include "../clock.h"
#include "../file_io.h"
#include "../machine_info.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <poll.h>
#include <random>
#include <spawn.h>
#include <sstream>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace conlab::python {

namespace {

constexpr int kProtocol = 1;
constexpr size_t kMaxLine = size_t(64) << 20;  // a longer "line" is garbage
constexpr size_t kMaxAnswer = size_t(1) << 20; // probe and calibrate answer in one short line
constexpr size_t kStderrTail = 4096;

std::mutex g_mutex; // guards the override, the probe cache and lastRunInfo
std::string g_override;
LastRunInfo g_lastRun;

std::string describeStatus(int status) {
    if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) {
        const char* name = sigabbrev_np(WTERMSIG(status));
        return "killed by signal " + std::to_string(WTERMSIG(status)) +
               (name ? std::string(" (SIG") + name + ")" : "");
    }
    return "status " + std::to_string(status);
}

std::string clip(const std::string& s, size_t n = 160) {
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
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", (unsigned long long)v);
    return buf;
}

void closeFd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

// ------------------------------------------------------------------ the interpreter process

// One interpreter run in its own process group. The destructor kills and reaps the whole
// group (the interpreter, its worker processes, forkserver, resource tracker) and unlinks
// POSIX shared memory / semaphores named with the run's token. While it lives, conlab is a
// child subreaper so orphaned workers are reparented to it and can be reaped.
class DriverProcess {
  public:
    explicit DriverProcess(std::string token = {}) : m_token(std::move(token)) {}
    DriverProcess(const DriverProcess&) = delete;
    DriverProcess& operator=(const DriverProcess&) = delete;
    ~DriverProcess() {
        killGroup();
        cleanupObjects();
        closeFd(m_out);
        closeFd(m_err);
        if (m_subreaperSet) prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
    }

    // Throws BackendError with `who` when the process cannot be started.
    void start(const std::string& who, const std::vector<std::string>& argv, const std::string& input) {
        int was = 0;
        if (prctl(PR_GET_CHILD_SUBREAPER, &was, 0, 0, 0) == 0 && !was)
            m_subreaperSet = prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
        int in[2], out[2], err[2];
        if (pipe2(in, O_CLOEXEC) != 0) throw BackendError(who + ": pipe: " + std::strerror(errno));
        if (pipe2(out, O_CLOEXEC) != 0) {
            int e = errno;
            ::close(in[0]);
            ::close(in[1]);
            throw BackendError(who + ": pipe: " + std::strerror(e));
        }
        if (pipe2(err, O_CLOEXEC) != 0) {
            int e = errno;
            for (int fd : {in[0], in[1], out[0], out[1]})
                ::close(fd);
            throw BackendError(who + ": pipe: " + std::strerror(e));
        }
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, in[0], 0);
        posix_spawn_file_actions_adddup2(&fa, out[1], 1);
        posix_spawn_file_actions_adddup2(&fa, err[1], 2);
        posix_spawnattr_t at;
        posix_spawnattr_init(&at);
        posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
        posix_spawnattr_setpgroup(&at, 0);
        sigset_t none, defaults;
        sigemptyset(&none);
        posix_spawnattr_setsigmask(&at, &none);
        sigemptyset(&defaults);
        for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGCHLD})
            sigaddset(&defaults, s);
        posix_spawnattr_setsigdefault(&at, &defaults);
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        pid_t pid = -1;
        int rc = posix_spawn(&pid, argv[0].c_str(), &fa, &at, args.data(), environ);
        posix_spawn_file_actions_destroy(&fa);
        posix_spawnattr_destroy(&at);
        ::close(in[0]);
        ::close(out[1]);
        ::close(err[1]);
        m_out = out[0];
        m_err = err[0];
        if (rc != 0) {
            ::close(in[1]);
            throw BackendError(who + ": cannot start " + argv[0] + ": " + std::strerror(rc));
        }
        m_pid = pid;
        m_pgid = pid;
        fcntl(m_out, F_SETFL, O_NONBLOCK);
        fcntl(m_err, F_SETFL, O_NONBLOCK);
        // The spec is far below PIPE_BUF: one write, then EOF for the driver's readline().
        if (!input.empty()) {
            fcntl(in[1], F_SETFL, O_NONBLOCK);
            [[maybe_unused]] ssize_t n = ::write(in[1], input.data(), input.size());
        }
        ::close(in[1]);
    }

    int pid() const { return m_pid; }
    int pgid() const { return m_pgid; }
    int outFd() const { return m_out; }
    int errFd() const { return m_err; }

    // Reads what is available on stdout; returns false at EOF.
    bool readOut(std::string& buf) {
        char tmp[65536];
        for (;;) {
            ssize_t n = ::read(m_out, tmp, sizeof tmp);
            if (n > 0) {
                buf.append(tmp, size_t(n));
                // Bounded: a child that writes without newlines (exec cat /dev/zero) is stopped
                // by the caller's line limit, not by bad_alloc.
                if (size_t(n) < sizeof tmp || buf.size() > kMaxLine) return true;
                continue;
            }
            if (n == 0) return false;
            if (errno == EINTR) continue;
            return errno == EAGAIN || errno == EWOULDBLOCK;
        }
    }
    bool readErr() {
        char tmp[8192];
        for (;;) {
            ssize_t n = ::read(m_err, tmp, sizeof tmp);
            if (n > 0) {
                m_errTail.append(tmp, size_t(n));
                if (m_errTail.size() > 4 * kStderrTail) m_errTail.erase(0, m_errTail.size() - kStderrTail);
                continue;
            }
            if (n == 0) return false;
            if (errno == EINTR) continue;
            return errno == EAGAIN || errno == EWOULDBLOCK;
        }
    }
    void closeErr() { closeFd(m_err); }
    void closeOut() { closeFd(m_out); }
    // The last non-empty stderr line(s), for error messages.
    std::string stderrTail() const {
        std::string t =
            m_errTail.size() > kStderrTail ? m_errTail.substr(m_errTail.size() - kStderrTail) : m_errTail;
        while (!t.empty() && (t.back() == '\n' || t.back() == ' '))
            t.pop_back();
        auto nl = t.rfind('\n');
        std::string last = nl == std::string::npos ? t : t.substr(nl + 1);
        return clip(last, 300);
    }

    // Waits up to timeoutMs for the interpreter itself to exit. Returns its status if it did.
    std::optional<int> waitExit(int timeoutMs) {
        if (m_reaped) return m_status;
        const int64_t deadline = nowNs() + int64_t(timeoutMs) * 1'000'000;
        for (;;) {
            int st = 0;
            pid_t r = waitpid(m_pid, &st, WNOHANG);
            if (r == m_pid) {
                m_reaped = true;
                m_status = st;
                return st;
            }
            if (r < 0 && errno != EINTR) return std::nullopt;
            if (nowNs() >= deadline) return std::nullopt;
            if (m_err >= 0 && !readErr()) closeErr();
            usleep(1000);
        }
    }

    // Lets the rest of the group (forkserver, resource tracker: they exit once the
    // interpreter is gone) end on its own for up to graceMs, then kills what is left, and
    // reaps every member that was reparented to conlab.
    void finishGroup(int graceMs) { reapGroup(graceMs, /*kill=*/false); }
    void killGroup() { reapGroup(0, /*kill=*/true); }

    int removedObjects() const { return m_removedObjects; }

    void cleanupObjects() {
        if (m_token.empty()) return;
        const std::string shmPrefix = "conlab-" + m_token, semPrefix = "sem.conlab-" + m_token;
        DIR* d = opendir("/dev/shm");
        if (!d) return;
        std::vector<std::string> names;
        while (dirent* e = readdir(d)) {
            std::string n = e->d_name;
            if (n.rfind(shmPrefix, 0) == 0 || n.rfind(semPrefix, 0) == 0) names.push_back(n);
        }
        closedir(d);
        for (const auto& n : names)
            if (::unlink(("/dev/shm/" + n).c_str()) == 0) ++m_removedObjects;
    }

  private:
    void reapGroup(int graceMs, bool kill) {
        if (m_pgid <= 0) return;
        const int64_t grace = nowNs() + int64_t(graceMs) * 1'000'000;
        const int64_t giveUp = nowNs() + 5'000'000'000;
        bool killing = kill;
        for (;;) {
            if (killing) ::kill(-m_pgid, SIGKILL);
            int st = 0;
            pid_t r;
            while ((r = waitpid(-m_pgid, &st, WNOHANG)) > 0)
                if (r == m_pid) {
                    m_reaped = true;
                    m_status = st;
                }
            if (!m_reaped) { // the leader may have left the group's wait set already
                r = waitpid(m_pid, &st, WNOHANG);
                if (r == m_pid) {
                    m_reaped = true;
                    m_status = st;
                }
            }
            if (::kill(-m_pgid, 0) < 0 && errno == ESRCH && m_reaped) break;
            if (!killing && nowNs() >= grace) killing = true;
            if (nowNs() >= giveUp) break; // never hang the app (should not happen)
            usleep(killing ? 500 : 2000);
        }
        m_pgid = -1;
    }

    std::string m_token;
    int m_pid = -1, m_pgid = -1;
    int m_out = -1, m_err = -1;
    bool m_reaped = false, m_subreaperSet = false;
    int m_status = 0;
    int m_removedObjects = 0;
    std::string m_errTail;
};

// Runs `driver <command>` and returns its first stdout line parsed as a JSON object of type
// `expect`; throws BackendError(who: cause) otherwise.
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
        if (auto st = proc.waitExit(2000)) status = " (" + describeStatus(*st) + ")";
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
        throw BackendError(who + ": driver reported: " + o.value("msg").toString().toStdString());
    if (o.value("t").toString() != QLatin1String(expect))
        throw BackendError(who + ": " + command + ": unexpected answer '" + clip(line) + "'");
    return o;
}

std::map<std::string, Interpreter>& probeCache() {
    static std::map<std::string, Interpreter> cache;
    return cache;
}

std::string pythonCalibrationPath(const std::string& interp, const std::string& version) {
    std::string nativePath = calibrationCachePath();
    if (nativePath.empty()) return {};
    // FNV-1a of the key: one small file per interpreter.
    uint64_t h = 1469598103934665603ull;
    for (char c : interp + "\n" + version + "\n" + cpuModelName())
        h = (h ^ uint8_t(c)) * 1099511628211ull;
    char buf[32];
    std::snprintf(buf, sizeof buf, "python-%016llx", (unsigned long long)h);
    return (std::filesystem::path(nativePath).parent_path() / buf).string();
}

std::mutex g_calibrationMutex;

// ------------------------------------------------------------------ JSON helpers

int64_t asInt(const QJsonValue& v) {
    return int64_t(std::llround(v.toDouble()));
}

[[noreturn]] void malformed(const std::string& who, const char* type, const std::string& line) {
    throw BackendError(who + ": driver sent a malformed '" + type + "' line: '" + clip(line) + "'");
}

PhaseTotals phasesOf(const QJsonValue& v, bool& ok) {
    PhaseTotals t;
    QJsonArray a = v.toArray();
    ok = v.isArray() && a.size() == kPhaseCount;
    if (ok)
        for (int i = 0; i < kPhaseCount; ++i) {
            if (!a[i].isDouble()) ok = false;
            t.ns[size_t(i)] = asInt(a[i]);
        }
    return t;
}

} // namespace

// ------------------------------------------------------------------ configuration

void setInterpreterOverride(const std::string& pathOrName) {
    std::lock_guard lock(g_mutex);
    g_override = pathOrName;
}

std::string configuredInterpreter() {
    {
        std::lock_guard lock(g_mutex);
        if (!g_override.empty()) return g_override;
    }
    if (const char* e = std::getenv("CONLAB_PYTHON"); e && *e) return e;
    return "python3";
}

std::string driverPath(std::string& error) {
    std::vector<std::string> tried;
    auto ok = [](const std::string& p) { return !p.empty() && ::access(p.c_str(), R_OK) == 0; };
    if (const char* e = std::getenv("CONLAB_PYTHON_DRIVER"); e && *e) {
        if (ok(e)) return e;
        error = std::string("CONLAB_PYTHON_DRIVER=") + e + " is not readable";
        return {};
    }
    if (std::string dir = exeDir(); !dir.empty()) {
        std::string p = dir + "/../share/conlab/python/conlab_driver.py";
        if (ok(p)) return std::filesystem::weakly_canonical(p).string();
        tried.push_back(p);
    }
#ifdef CONLAB_PYTHON_DRIVER_SOURCE
    if (ok(CONLAB_PYTHON_DRIVER_SOURCE)) return CONLAB_PYTHON_DRIVER_SOURCE;
    tried.push_back(CONLAB_PYTHON_DRIVER_SOURCE);
#endif
    error = "python driver conlab_driver.py not found (looked in";
    for (const auto& t : tried)
        error += " " + t;
    error += "; set CONLAB_PYTHON_DRIVER)";
    return {};
}

Interpreter probeInterpreter() {
    Interpreter r;
    const std::string configured = configuredInterpreter();
    r.path = resolveExecutable(configured, r.reason);
    if (r.path.empty()) return r;
    r.driver = driverPath(r.reason);
    if (r.driver.empty()) return r;
    const std::string key = r.path + "\n" + r.driver;
    {
        std::lock_guard lock(g_mutex);
        if (auto it = probeCache().find(key); it != probeCache().end()) return it->second;
    }
    try {
        QJsonObject o = runDriverCommand("python", r.path, r.driver, "probe", "probe", 15000);
        r.version = o.value("version").toString().toStdString();
        r.startMethod = o.value("start_method").toString().toStdString();
        int major = 0, minor = 0;
        std::sscanf(r.version.c_str(), "%d.%d", &major, &minor);
        if (o.value("protocol").toInt() != kProtocol)
            r.reason = r.path + ": driver protocol " + std::to_string(o.value("protocol").toInt()) +
                       ", expected " + std::to_string(kProtocol);
        else if (major < 3 || (major == 3 && minor < 8))
            r.reason = r.path + " is Python " + r.version + "; conlab needs Python >= 3.8";
        else
            r.ok = true;
        // Run what the command resolves to (sys.executable): wrappers such as pyenv shims
        // cost ~0.3 s per launch and multiprocessing's spawn children use it anyway.
        std::string exe = o.value("executable").toString().toStdString();
        if (r.ok && !exe.empty() && exe.front() == '/' && isExecutable(exe)) r.path = exe;
    } catch (const BackendError& e) {
        std::string msg = e.what();
        if (msg.rfind("python: ", 0) == 0) msg = msg.substr(8);
        r.reason = "probe of " + r.path + " failed: " + msg;
    }
    std::lock_guard lock(g_mutex);
    probeCache()[key] = r;
    return r;
}

LastRunInfo lastRunInfo() {
    std::lock_guard lock(g_mutex);
    return g_lastRun;
}

// ------------------------------------------------------------------ calibration

TaskWork PythonCalibration::workFor(const WorkloadSpec& spec) const {
    Calibration c;
    c.cpuStepsPerUs = cpuStepsPerUs;
    c.memoryVisitsPerUs = memoryVisitsPerUs;
    return c.workFor(spec);
}

PythonCalibration loadOrMeasurePythonCalibration(bool forceMeasure) {
    std::lock_guard calLock(g_calibrationMutex);
    Interpreter in = probeInterpreter();
    if (!in.ok) throw BackendError("python: unavailable: " + in.reason);
    const std::string path = pythonCalibrationPath(in.path, in.version);
    const std::string model = cpuModelName();
    if (!forceMeasure && !path.empty()) {
        std::ifstream f(path);
        PythonCalibration c;
        std::string line;
        while (std::getline(f, line)) {
            auto eq = line.find('=');
            if (eq == std::string::npos) continue;
            std::string k = line.substr(0, eq), v = line.substr(eq + 1);
            try {
                if (k == "cpu_steps_per_us")
                    c.cpuStepsPerUs = std::stod(v);
                else if (k == "memory_visits_per_us")
                    c.memoryVisitsPerUs = std::stod(v);
                else if (k == "interpreter")
                    c.interpreter = v;
                else if (k == "version")
                    c.version = v;
                else if (k == "cpu_model")
                    c.cpuModel = v;
                else if (k == "measured_at")
                    c.measuredAtUnix = std::stoll(v);
            } catch (...) {
                c = {};
                break;
            }
        }
        if (c.valid() && std::isfinite(c.cpuStepsPerUs) && std::isfinite(c.memoryVisitsPerUs) &&
            c.interpreter == in.path && c.version == in.version && c.cpuModel == model) {
            c.fromCache = true;
            return c;
        }
    }
    QJsonObject o = runDriverCommand("python", in.path, in.driver, "calibrate", "calibration", 60000);
    PythonCalibration c;
    c.cpuStepsPerUs = o.value("cpu_steps_per_us").toDouble();
    c.memoryVisitsPerUs = o.value("memory_visits_per_us").toDouble();
    c.interpreter = in.path;
    c.version = in.version;
    c.cpuModel = model;
    c.measuredAtUnix = int64_t(std::time(nullptr));
    if (!c.valid() || !std::isfinite(c.cpuStepsPerUs) || !std::isfinite(c.memoryVisitsPerUs))
        throw BackendError("python: calibration of " + in.path + " returned no usable speed");
    if (!path.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
        // Atomic through an unnamed temporary file (no "<path>.tmp.<pid>" to plant a symlink at).
        std::ostringstream out;
        out.precision(17);
        out << "cpu_steps_per_us=" << c.cpuStepsPerUs << "\nmemory_visits_per_us=" << c.memoryVisitsPerUs
            << "\ninterpreter=" << c.interpreter << "\nversion=" << c.version << "\ncpu_model=" << c.cpuModel
            << "\nmeasured_at=" << c.measuredAtUnix << "\n";
        writeFileAtomically(QString::fromStdString(path), QByteArray::fromStdString(out.str()), nullptr);
    }
    return c;
}

// ------------------------------------------------------------------ the backend

Availability PythonBackend::availability() const {
    Interpreter in = probeInterpreter();
    if (!in.ok) return {false, in.reason};
    return {};
}

void PythonBackend::prepare(const WorkloadSpec&) {
    try {
        loadOrMeasurePythonCalibration();
    } catch (const BackendError& e) {
        std::string msg = e.what();
        if (msg.rfind("python: ", 0) == 0) msg = msg.substr(8);
        throw BackendError(m_info.id + ": " + msg);
    }
}

int PythonBackend::effectiveWorkers(const WorkloadSpec& spec) const {
    return m_mode == "sequential" ? 1 : spec.resolvedWorkers();
}

namespace {

// Reads the driver's JSON lines and feeds the RunContext.
class Session {
  public:
    // tasksInDriver: the mode runs its tasks in the driver process itself (sequential, threads,
    // asyncio), so the driver is the worker that crashes, is killed or exits.
    Session(RunContext& ctx, std::string id, DriverProcess& proc, bool tasksInDriver)
        : m_ctx(ctx), m_id(std::move(id)), m_proc(proc), m_lastLane(size_t(ctx.workers())),
          m_lastLaneTasks(size_t(ctx.workers()), 0) {
        m_who = m_id + ": python driver pid " + std::to_string(proc.pid());
        m_workerWho = m_who;
        if (tasksInDriver) m_who += " (it runs the tasks itself)";
    }

    bool ended() const { return m_ended; }
    bool helloSeen() const { return m_hello; }
    const std::string& who() const { return m_who; }

    // Consumes every complete line in buf.
    void consume(std::string& buf) {
        size_t pos = 0;
        for (;;) {
            size_t nl = buf.find('\n', pos);
            if (nl == std::string::npos) break;
            handleLine(buf.substr(pos, nl - pos));
            pos = nl + 1;
        }
        buf.erase(0, pos);
        if (buf.size() > kMaxLine) fail("printed a line longer than 64 MiB: '" + clip(buf) + "'");
    }

    [[noreturn]] void fail(const std::string& cause) {
        std::string err = m_proc.stderrTail();
        throw BackendError(m_who + " " + cause + (err.empty() ? "" : "; stderr: " + err));
    }

    int64_t lastProgressNs = nowNs();

  private:
    void handleLine(const std::string& line) {
        if (m_ended) fail("printed after its end line: '" + clip(line) + "'");
        QJsonParseError pe{};
        QJsonDocument doc =
            QJsonDocument::fromJson(QByteArray::fromRawData(line.data(), qsizetype(line.size())), &pe);
        if (pe.error != QJsonParseError::NoError || !doc.isObject())
            fail("printed something that is not a protocol line: '" + clip(line) + "'");
        QJsonObject o = doc.object();
        const QString t = o.value("t").toString();
        if (!m_hello && t != "hello" && t != "error")
            fail("did not start with a hello line: '" + clip(line) + "'");
        if (t == "hello")
            onHello(o, line);
        else if (t == "done")
            onDone(o, line);
        else if (t == "lanes")
            onLanes(o, line);
        else if (t == "worker")
            onWorker(o, line);
        else if (t == "rtt")
            m_ctx.addRoundTrips(asInt(o.value("n")), asInt(o.value("ns")));
        else if (t == "end")
            m_ended = true;
        else if (t == "error")
            fail("reported: " + o.value("msg").toString().toStdString());
        else
            fail("sent an unknown line type: '" + clip(line) + "'");
    }

    void onHello(const QJsonObject& o, const std::string& line) {
        if (m_hello || o.value("protocol").toInt() != kProtocol) malformed(m_who, "hello", line);
        bool ok = false;
        m_base = o.value("base").toString().toLongLong(&ok);
        if (!ok) malformed(m_who, "hello", line);
        m_hello = true;
        lastProgressNs = nowNs(); // --task-timeout counts from the driver's start, not conlab's
    }

    void onDone(const QJsonObject& o, const std::string& line) {
        const QJsonArray d = o.value("d").toArray();
        for (const QJsonValue& v : d) {
            const QJsonArray e = v.toArray();
            if (e.size() != 4 || !e[0].isDouble() || !e[1].isString()) malformed(m_who, "done", line);
            bool ok = false;
            uint64_t sum = e[1].toString().toULongLong(&ok);
            int64_t lane = asInt(e[3]);
            if (!ok || lane < 0 || lane >= m_ctx.workers()) malformed(m_who, "done", line);
            m_ctx.completeTask(asInt(e[0]), sum, asInt(e[2]), m_workerWho.c_str());
        }
        if (!d.isEmpty()) lastProgressNs = nowNs();
    }

    void onLanes(const QJsonObject& o, const std::string& line) {
        const QJsonArray ph = o.value("ph").toArray(), n = o.value("n").toArray();
        if (ph.size() != m_ctx.workers() || n.size() != m_ctx.workers()) malformed(m_who, "lanes", line);
        for (int i = 0; i < m_ctx.workers(); ++i) {
            bool ok = false;
            PhaseTotals t = phasesOf(ph[i], ok);
            if (!ok) malformed(m_who, "lanes", line);
            m_ctx.lane(i).add(t - m_lastLane[size_t(i)]);
            m_lastLane[size_t(i)] = t;
            int64_t k = asInt(n[i]);
            m_ctx.lane(i).tasksDone.fetch_add(k - m_lastLaneTasks[size_t(i)], std::memory_order_relaxed);
            m_lastLaneTasks[size_t(i)] = k;
        }
    }

    void onWorker(const QJsonObject& o, const std::string& line) {
        WorkerRecord w;
        bool ok = false;
        w.lane = int(asInt(o.value("lane")));
        w.id = asInt(o.value("id"));
        w.tRequestNs = m_base + asInt(o.value("req"));
        w.tReadyNs = m_base + asInt(o.value("ready"));
        w.tDoneNs = m_base + asInt(o.value("done"));
        w.tReapedNs = m_base + asInt(o.value("reaped"));
        w.phases = phasesOf(o.value("ph"), ok);
        w.tasks = asInt(o.value("tasks"));
        w.cpuFirst = int(asInt(o.value("cpu0")));
        w.cpuLast = int(asInt(o.value("cpu1")));
        if (!ok || w.lane < 0 || w.lane >= m_ctx.workers() || w.tReadyNs < w.tRequestNs ||
            w.tReapedNs < w.tDoneNs)
            malformed(m_who, "worker", line);
        for (int64_t p : w.phases.ns)
            if (p < 0) malformed(m_who, "worker", line);
        if (m_ctx.wantIntervals()) {
            for (const QJsonValue& v : o.value("iv").toArray()) {
                const QJsonArray a = v.toArray();
                int64_t p = a.size() == 3 ? asInt(a[2]) : -1;
                if (p < 0 || p >= kPhaseCount) malformed(m_who, "worker", line);
                if (w.intervals.size() < m_ctx.intervalBudget())
                    w.intervals.push_back({m_base + asInt(a[0]), m_base + asInt(a[1]), Phase(p)});
            }
        }
        m_ctx.addWorker(std::move(w));
    }

    RunContext& m_ctx;
    std::string m_id, m_who, m_workerWho;
    DriverProcess& m_proc;
    bool m_hello = false, m_ended = false;
    int64_t m_base = 0;
    std::vector<PhaseTotals> m_lastLane;
    std::vector<int64_t> m_lastLaneTasks;
};

QByteArray specJson(const RunContext& ctx, const std::string& mode, const std::string& token) {
    const WorkloadSpec& s = ctx.spec();
    const TaskWork& w = ctx.work();
    QJsonObject o{{"mode", QString::fromStdString(mode)},
                  {"tasks", double(s.tasks)},
                  {"workers", ctx.workers()},
                  {"kind", QString::fromStdString(toString(s.kind))},
                  {"iterations", double(w.iterations)},
                  {"words", double(w.words)},
                  {"wait_ns", double(w.waitNs)},
                  {"input_bytes", double(s.inputBytes)},
                  {"result_bytes", double(s.resultBytes)},
                  {"messages", double(s.messages)},
                  {"payload", double(s.payload)},
                  {"chunksize", s.chunksize},
                  {"salt", QString::number(qulonglong(ctx.salt()))},
                  {"token", QString::fromStdString(token)},
                  {"max_intervals", double(RunContext::kIntervalsPerWorker)},
                  {"detailed_workers", double(RunContext::kDetailedWorkers)},
                  {"snapshot_ms", 50},
                  {"task_timeout_s", s.taskTimeoutS}};
    if (s.fault.kind != FaultKind::None) // testing only (--inject-fault), docs/reliability.md
        o.insert("fault", QJsonObject{{"kind", QString::fromStdString(toString(s.fault.kind))},
                                      {"task", double(s.fault.taskId)}});
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + "\n";
}

} // namespace

void PythonBackend::run(RunContext& ctx) {
    const std::string& id = m_info.id;
    Interpreter in = probeInterpreter();
    if (!in.ok) throw BackendError(id + ": unavailable: " + in.reason);
    PythonCalibration cal;
    try {
        cal = loadOrMeasurePythonCalibration();
    } catch (const BackendError& e) {
        throw BackendError(id + ": " + e.what());
    }
    ctx.setWork(cal.workFor(ctx.spec()));

    PhaseRecorder& rec = ctx.coordinator();
    const std::string token = randomToken();
    rec.switchTo(Phase::Spawn);
    DriverProcess proc(token);
    proc.start(id, {in.path, "-I", in.driver, "run", std::to_string(getpid())},
               specJson(ctx, m_mode, token).toStdString());
    {
        std::lock_guard lock(g_mutex);
        g_lastRun = {proc.pgid(), token};
    }
    const bool tasksInDriver = m_mode == "sequential" || m_mode == "threads" || m_mode == "asyncio";
    Session session(ctx, id, proc, tasksInDriver);
    std::string buf;
    bool outOpen = true, errOpen = true;
    const int64_t startNs = nowNs();
    // The backstop of --task-timeout: the driver watches each running task itself where it
    // can tell when a task starts (docs/python.md) and reports which one overstayed; a pool
    // cannot tell, and a driver can be wedged, so conlab also fails the run when no task
    // completes for timeout × chunksize, plus 1 s so that the driver's precise report wins.
    const double taskLimitS = ctx.spec().taskTimeoutS * std::max(1, ctx.spec().chunksize);
    constexpr double kBackstopGraceS = 1.0;
    const int cancelFd = ctx.cancel().fd();
    while (outOpen && !session.ended()) {
        rec.switchTo(session.helloSeen() ? Phase::Idle : Phase::Spawn);
        pollfd fds[3] = {
            {proc.outFd(), POLLIN, 0}, {errOpen ? proc.errFd() : -1, POLLIN, 0}, {cancelFd, POLLIN, 0}};
        int r = poll(fds, 3, 100);
        if (r < 0 && errno != EINTR) throw BackendError(session.who() + ": poll: " + std::strerror(errno));
        if (ctx.cancelled()) {
            rec.switchTo(Phase::Spawn);
            proc.killGroup(); // within milliseconds; the destructor unlinks leftovers
            return;
        }
        rec.switchTo(Phase::Compute);
        if (errOpen && (fds[1].revents & (POLLIN | POLLHUP)) && !proc.readErr()) {
            errOpen = false;
            proc.closeErr();
        }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            if (!proc.readOut(buf)) outOpen = false;
            try {
                session.consume(buf);
            } catch (...) {
                ctx.cancel().cancel();
                throw;
            }
        }
        const int64_t now = nowNs();
        if (!session.helloSeen() && now - startNs > 60'000'000'000)
            session.fail("did not say hello within 60 s of starting");
        if (session.helloSeen() && !ctx.allDone() &&
            double(now - session.lastProgressNs) > (taskLimitS + kBackstopGraceS) * 1e9) {
            char what[200];
            std::snprintf(what, sizeof what,
                          "timed out: completed no task for %.3g s (--task-timeout %g s × chunksize %d, + %g "
                          "s grace): a worker is hung or was lost",
                          double(now - session.lastProgressNs) * 1e-9, ctx.spec().taskTimeoutS,
                          std::max(1, ctx.spec().chunksize), kBackstopGraceS);
            session.fail(what);
        }
    }
    rec.switchTo(Phase::Spawn);
    if (!session.ended()) {
        std::optional<int> st = proc.waitExit(2000);
        if (errOpen) proc.readErr();
        std::string status = st ? describeStatus(*st) : "still running";
        if (!buf.empty())
            session.fail("output ended in the middle of a line (" + status + "): '" + clip(buf) + "'");
        if (st) // it died: say how first (a crash, a kill, an early exit)
            session.fail(std::string(WIFSIGNALED(*st) ? "was " : "") + status + " before finishing");
        session.fail("ended its output before finishing (" + status + ")");
    }
    // Normal end: the interpreter exits by itself; give its helpers a moment, then reap.
    std::optional<int> st = proc.waitExit(10000);
    proc.finishGroup(2000);
    if (!st) session.fail("did not exit after its end line");
    if (!WIFEXITED(*st) || WEXITSTATUS(*st) != 0) session.fail("finished but " + describeStatus(*st));
    rec.switchTo(Phase::Compute);
}

} // namespace conlab::python
