#pragma once
// The python driver as a process (docs/python.md): one interpreter run in its own process
// group, owned — killed, reaped and its shared-memory objects unlinked — by DriverProcess;
// the POSIX helpers the python backends share; and runDriverCommand for one-line answers
// (probe, calibrate).
#include "../../resource_limits.h"
#include "../../run_context.h"
#include "../../system/posix.h"
#include "../python_backend.h"

#include <QJsonObject>

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
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace conlab::python::detail {

inline constexpr int kProtocol = 1;
inline constexpr size_t kMaxLine = size_t(64) << 20;  // a longer "line" is garbage
inline constexpr size_t kMaxAnswer = size_t(1) << 20; // probe and calibrate answer in one short line
inline constexpr size_t kStderrTail = 4096;

// The first n bytes, printable (a child's output in an error message).
std::string clip(const std::string& s, size_t n = 160);
bool isExecutable(const std::string& p);
// Looks a name up on PATH like execvp would; a name with '/' is taken as a path.
std::string resolveExecutable(const std::string& name, std::string& error);
std::string exeDir();
std::string randomToken();

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
        if (pipe2(in, O_CLOEXEC) != 0)
            throw BackendError(who + ": pipe: " + std::strerror(errno) + fdLimitHint(errno));
        if (pipe2(out, O_CLOEXEC) != 0) {
            int e = errno;
            ::close(in[0]);
            ::close(in[1]);
            throw BackendError(who + ": pipe: " + std::strerror(e) + fdLimitHint(e));
        }
        if (pipe2(err, O_CLOEXEC) != 0) {
            int e = errno;
            for (int fd : {in[0], in[1], out[0], out[1]})
                ::close(fd);
            throw BackendError(who + ": pipe: " + std::strerror(e) + fdLimitHint(e));
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
            throw BackendError(who + ": cannot start " + argv[0] + ": " + std::strerror(rc) +
                               processLimitHint(rc));
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

// For tests and diagnostics (lastRunInfo): the process group and token of the last run.
void setLastRun(const LastRunInfo& info);

// Runs `driver <command>` and returns its first stdout line parsed as a JSON object of type
// `expect`; throws BackendError(who: cause) otherwise.
QJsonObject runDriverCommand(const std::string& who, const std::string& python, const std::string& driver,
                             const std::string& command, const char* expect, int timeoutMs);

} // namespace conlab::python::detail
