#include "process_workers.h"

#include "../wire_protocol.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <initializer_list>
#include <map>
#include <poll.h>
#include <sched.h>
#include <set>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace conlab {

using namespace wire;

std::string describeWaitStatus(int status) {
    if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        const char* name = sigabbrev_np(sig);
        return "killed by signal " + std::to_string(sig) + (name ? std::string(" (SIG") + name + ")" : "");
    }
    return "status " + std::to_string(status);
}

const char* startMethodName(StartMethod m) {
    switch (m) {
    case StartMethod::Fork:
        return "fork";
    case StartMethod::Spawn:
        return "spawn";
    case StartMethod::ForkServer:
        return "forkserver";
    }
    return "?";
}

std::string workerExecutablePath(std::string* why) {
    auto fail = [&](std::string reason) {
        if (why) *why = std::move(reason);
        return std::string();
    };
    if (const char* env = std::getenv("CONLAB_WORKER"); env && *env) {
        if (::access(env, X_OK) != 0)
            return fail(std::string("CONLAB_WORKER=") + env + " is not an executable file (" +
                        std::strerror(errno) + ")");
        return env;
    }
    char buf[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return fail(std::string("cannot read /proc/self/exe: ") + std::strerror(errno));
    std::string self(buf, size_t(n));
    std::string path = self.substr(0, self.rfind('/') + 1) + "conlab-worker";
    if (::access(path.c_str(), X_OK) != 0)
        return fail("conlab-worker not found beside " + self + " (looked for " + path +
                    "; set CONLAB_WORKER to its path)");
    return path;
}

Availability startMethodAvailability(StartMethod m) {
    if (m != StartMethod::Spawn) return {};
    std::string why;
    if (workerExecutablePath(&why).empty()) return {false, why};
    return {};
}

// ---------------------------------------------------------------- start methods

namespace {

// "timed out: task 8 still running after 0.31 s (--task-timeout 0.3 s)"; for a chunk the
// whole chunk is named with the limit that applied to it (the coordinator does not know which
// of its tasks hangs), as the thread backends do.
std::string chunkTimeoutText(int64_t first, int count, double limitS, double elapsedS) {
    char buf[200];
    if (count <= 1)
        std::snprintf(buf, sizeof buf,
                      "timed out: task %lld still running after %.3g s (--task-timeout %g s)",
                      (long long)first, elapsedS, limitS);
    else
        std::snprintf(
            buf, sizeof buf,
            "timed out: the chunk of tasks %lld-%lld still running after %.3g s (--task-timeout %g s x %d "
            "tasks)",
            (long long)first, (long long)(first + count - 1), elapsedS, limitS, count);
    return buf;
}

void closeFd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

// In a freshly forked child: closes every fd ≥ 3 except `keep`.
void closeAllExcept(std::initializer_list<int> keep) {
    std::vector<int> k(keep);
    std::sort(k.begin(), k.end());
    unsigned from = 3;
    for (int fd : k) {
        if (fd < int(from)) continue;
        if (unsigned(fd) > from) close_range(from, unsigned(fd) - 1, 0);
        from = unsigned(fd) + 1;
    }
    close_range(from, ~0u, 0);
}

std::string errnoText(int e) {
    return std::strerror(e);
}

// How a worker process comes to exist, and how its exit status comes back.
class WorkerStarter {
  public:
    virtual ~WorkerStarter() = default;
    // Starts a worker whose ends are childRead/childWrite (closed by the caller afterwards).
    // `toChild` is the coordinator's end, for methods that send the config over the pipe.
    virtual pid_t start(int childRead, int childWrite, int toChild, const WorkerProcessConfig& config) = 0;
    // Blocks until the worker has exited; false when its status cannot be learned.
    virtual bool reap(pid_t pid, int& status) = 0;
    // Does not block: true once reaped.
    virtual bool tryReap(pid_t pid, int& status) = 0;
    virtual void kill(pid_t pid) = 0;
};

// A child of this process: waitpid and kill directly.
class DirectChildren : public WorkerStarter {
  public:
    bool reap(pid_t pid, int& status) override {
        pid_t r;
        while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
        }
        return r == pid;
    }
    bool tryReap(pid_t pid, int& status) override { return waitpid(pid, &status, WNOHANG) == pid; }
    void kill(pid_t pid) override { ::kill(pid, SIGKILL); }
};

class ForkStarter final : public DirectChildren {
  public:
    explicit ForkStarter(std::string name) : m_name(std::move(name)) {}
    pid_t start(int childRead, int childWrite, int, const WorkerProcessConfig& config) override {
        pid_t pid = fork();
        if (pid == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            // Keep only this worker's two pipe ends: other workers' fds would hide their EOFs.
            closeAllExcept({childRead, childWrite});
            _exit(workerProcessMain(childRead, childWrite, config));
        }
        if (pid < 0)
            throw BackendError(m_name + ": fork failed: " + errnoText(errno) +
                               (errno == EAGAIN ? " (process limit reached: lower --workers)" : ""));
        return pid;
    }

  private:
    std::string m_name;
};

// posix_spawn + exec of conlab-worker: a process that starts from nothing. Its pipe ends
// become fds 3 and 4; the config is the first frame on its pipe.
class SpawnStarter final : public DirectChildren {
  public:
    explicit SpawnStarter(std::string name) : m_name(std::move(name)) {
        std::string why;
        m_path = workerExecutablePath(&why);
        if (m_path.empty()) throw BackendError(m_name + ": unavailable: " + why);
    }
    pid_t start(int childRead, int childWrite, int toChild, const WorkerProcessConfig& config) override {
        // dup2 onto 3 and 4 must not clobber a source: move low sources out of the way.
        int r = childRead, w = childWrite;
        int movedR = -1, movedW = -1;
        if (r < 5) r = movedR = fcntl(childRead, F_DUPFD_CLOEXEC, 5);
        if (w < 5) w = movedW = fcntl(childWrite, F_DUPFD_CLOEXEC, 5);
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, r, kSpawnedReadFd);
        posix_spawn_file_actions_adddup2(&fa, w, kSpawnedWriteFd);
        posix_spawn_file_actions_addclosefrom_np(&fa, kSpawnedWriteFd + 1);
        posix_spawnattr_t attr;
        posix_spawnattr_init(&attr);
        sigset_t none, dflt;
        sigemptyset(&none);
        sigemptyset(&dflt);
        sigaddset(&dflt, SIGPIPE); // the engine ignores SIGPIPE; an exec'd worker starts clean
        posix_spawnattr_setsigmask(&attr, &none);
        posix_spawnattr_setsigdefault(&attr, &dflt);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
        std::string parent = std::to_string(getpid());
        char* argv[] = {m_path.data(), const_cast<char*>("--parent"), parent.data(), nullptr};
        pid_t pid = -1;
        int e = (r < 0 || w < 0) ? errno : posix_spawn(&pid, m_path.c_str(), &fa, &attr, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        posix_spawnattr_destroy(&attr);
        closeFd(movedR);
        closeFd(movedW);
        if (e != 0) throw BackendError(m_name + ": posix_spawn " + m_path + " failed: " + errnoText(e));
        wire::FrameHeader h;
        h.type = uint32_t(wire::FrameType::Config);
        h.a = sizeof config;
        h.b = kWorkerConfigVersion;
        h.length = sizeof config;
        if (!wire::writeFrame(toChild, h, wire::asBytes(config))) {
            e = errno;
            ::kill(pid, SIGKILL);
            int status = 0;
            waitpid(pid, &status, 0);
            throw BackendError(m_name + ": worker pid " + std::to_string(pid) +
                               " could not be sent its config (" + errnoText(e) + "; " +
                               describeWaitStatus(status) + ")");
        }
        return pid;
    }

  private:
    std::string m_name, m_path;
};

// Messages on the forkserver's SOCK_SEQPACKET socket.
struct ServerMsg {
    enum Op : uint32_t { Start = 1, Kill = 2, Started = 3, Exited = 4 } op = Start;
    int32_t pid = -1;
    int32_t status = 0; // Exited: wait status; Started: errno when pid < 0
    WorkerProcessConfig config;
};

[[noreturn]] void forkServerMain(int sock) {
    // SIGCHLD arrives through a signalfd so one poll() serves requests and exits alike.
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, nullptr);
    int sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
    if (sfd < 0) _exit(20);
    std::set<pid_t> children;
    auto reapSome = [&](bool block) {
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, block ? 0 : WNOHANG)) > 0) {
            children.erase(pid);
            ServerMsg m;
            m.op = ServerMsg::Exited;
            m.pid = pid;
            m.status = status;
            send(sock, &m, sizeof m, MSG_NOSIGNAL);
        }
    };
    for (;;) {
        pollfd p[2] = {{sock, POLLIN, 0}, {sfd, POLLIN, 0}};
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (p[1].revents) {
            signalfd_siginfo si;
            while (read(sfd, &si, sizeof si) == ssize_t(sizeof si)) {
            }
            reapSome(false);
        }
        if (!p[0].revents) continue;
        ServerMsg m;
        alignas(cmsghdr) char ctrl[CMSG_SPACE(2 * sizeof(int))];
        iovec iov{&m, sizeof m};
        msghdr mh{};
        mh.msg_iov = &iov;
        mh.msg_iovlen = 1;
        mh.msg_control = ctrl;
        mh.msg_controllen = sizeof ctrl;
        ssize_t n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break; // the coordinator is gone or done
        int fds[2] = {-1, -1};
        for (cmsghdr* c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
                c->cmsg_len == CMSG_LEN(2 * sizeof(int)))
                std::memcpy(fds, CMSG_DATA(c), sizeof fds);
        if (n != ssize_t(sizeof m)) {
            for (int& fd : fds)
                closeFd(fd);
            continue;
        }
        if (m.op == ServerMsg::Kill) {
            if (children.count(m.pid)) ::kill(m.pid, SIGKILL);
            continue;
        }
        if (m.op != ServerMsg::Start) continue;
        ServerMsg reply;
        reply.op = ServerMsg::Started;
        if (fds[0] < 0 || fds[1] < 0) {
            reply.status = EBADF;
        } else {
            pid_t pid = fork();
            if (pid == 0) {
                sigprocmask(SIG_UNBLOCK, &chld, nullptr);
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                closeAllExcept({fds[0], fds[1]});
                _exit(workerProcessMain(fds[0], fds[1], m.config));
            }
            if (pid > 0) children.insert(pid);
            reply.pid = pid;
            reply.status = pid < 0 ? errno : 0;
        }
        for (int& fd : fds)
            closeFd(fd);
        send(sock, &reply, sizeof reply, MSG_NOSIGNAL);
    }
    for (pid_t pid : children)
        ::kill(pid, SIGKILL);
    while (!children.empty()) {
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) break;
        children.erase(pid);
    }
    _exit(0);
}

// A server process, forked before the first worker is requested (while the coordinator holds
// no worker fds or buffers), forks every worker on request: the pipe ends travel over a unix
// socket (SCM_RIGHTS), the config in the request. The workers are the server's children, so
// exit statuses come back as messages.
class ForkServerStarter final : public WorkerStarter {
  public:
    explicit ForkServerStarter(std::string name) : m_name(std::move(name)) {
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
            throw BackendError(m_name + ": socketpair: " + errnoText(errno));
        m_server = fork();
        if (m_server == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            closeAllExcept({sv[1]});
            forkServerMain(sv[1]);
        }
        int e = errno;
        ::close(sv[1]);
        m_sock = sv[0];
        if (m_server < 0) {
            closeFd(m_sock);
            throw BackendError(m_name + ": fork of the fork server failed: " + errnoText(e));
        }
    }
    ~ForkServerStarter() override {
        // EOF tells the server to kill and reap whatever is left, then exit.
        closeFd(m_sock);
        int status;
        while (waitpid(m_server, &status, 0) < 0 && errno == EINTR) {
        }
    }

    pid_t start(int childRead, int childWrite, int, const WorkerProcessConfig& config) override {
        ServerMsg m;
        m.op = ServerMsg::Start;
        m.config = config;
        alignas(cmsghdr) char ctrl[CMSG_SPACE(2 * sizeof(int))] = {};
        iovec iov{&m, sizeof m};
        msghdr mh{};
        mh.msg_iov = &iov;
        mh.msg_iovlen = 1;
        mh.msg_control = ctrl;
        mh.msg_controllen = sizeof ctrl;
        cmsghdr* c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(2 * sizeof(int));
        int fds[2] = {childRead, childWrite};
        std::memcpy(CMSG_DATA(c), fds, sizeof fds);
        if (sendmsg(m_sock, &mh, MSG_NOSIGNAL) != ssize_t(sizeof m)) serverGone("start request", errno);
        for (;;) {
            ServerMsg r;
            if (!receive(r, true)) serverGone("start reply", errno);
            if (r.op == ServerMsg::Started) {
                if (r.pid < 0)
                    throw BackendError(
                        m_name + ": the fork server could not fork: " + errnoText(r.status) +
                        (r.status == EAGAIN ? " (process limit reached: lower --workers)" : ""));
                return r.pid;
            }
        }
    }
    bool reap(pid_t pid, int& status) override {
        for (;;) {
            if (auto it = m_exited.find(pid); it != m_exited.end()) {
                status = it->second;
                m_exited.erase(it);
                return true;
            }
            ServerMsg r;
            if (!receive(r, true)) return false;
        }
    }
    bool tryReap(pid_t pid, int& status) override {
        ServerMsg r;
        while (receive(r, false)) {
        }
        auto it = m_exited.find(pid);
        if (it == m_exited.end()) return false;
        status = it->second;
        m_exited.erase(it);
        return true;
    }
    void kill(pid_t pid) override {
        ServerMsg m;
        m.op = ServerMsg::Kill;
        m.pid = pid;
        send(m_sock, &m, sizeof m, MSG_NOSIGNAL);
    }

  private:
    // One message; Exited ones are filed. False on EOF/error (or nothing, when not blocking).
    bool receive(ServerMsg& r, bool block) {
        ssize_t n;
        while ((n = recv(m_sock, &r, sizeof r, block ? 0 : MSG_DONTWAIT)) < 0 && errno == EINTR) {
        }
        if (n != ssize_t(sizeof r)) {
            if (n == 0) errno = ECONNRESET;
            return false;
        }
        if (r.op == ServerMsg::Exited) m_exited[r.pid] = r.status;
        return true;
    }
    [[noreturn]] void serverGone(const char* what, int e) {
        int status = 0;
        std::string how = waitpid(m_server, &status, WNOHANG) == m_server ? describeWaitStatus(status) : "";
        throw BackendError(m_name + ": fork server pid " + std::to_string(m_server) + " failed (" + what +
                           ": " + errnoText(e) + (how.empty() ? "" : "; " + how) + ")");
    }

    std::string m_name;
    pid_t m_server = -1;
    int m_sock = -1;
    std::map<pid_t, int> m_exited;
};

std::unique_ptr<WorkerStarter> makeStarter(const ProcessPoolOptions& opt) {
    switch (opt.start) {
    case StartMethod::Fork:
        return std::make_unique<ForkStarter>(opt.name);
    case StartMethod::Spawn:
        return std::make_unique<SpawnStarter>(opt.name);
    case StartMethod::ForkServer:
        return std::make_unique<ForkServerStarter>(opt.name);
    }
    return nullptr;
}

} // namespace

// ---------------------------------------------------------------- coordinator side

namespace {

struct Child {
    int lane = -1;
    pid_t pid = -1;
    int toChild = -1, fromChild = -1;
    FrameReader reader;
    int64_t tRequest = 0, tReady = 0;
    int cpuFirst = -1;
    bool busy = false, exiting = false;
    int64_t chunkFirst = 0;
    int chunkCount = 0;
    int64_t dispatchNs = 0;
    int tasksTaken = 0;
    PhaseTotals reported; // last cumulative totals published to the lane
};

class ForkedCoordinator {
  public:
    ForkedCoordinator(RunContext& ctx, const ProcessPoolOptions& opt)
        : m_ctx(ctx), m_opt(opt), m_rec(ctx.coordinator()), m_children(size_t(ctx.workers())) {
        m_config.params = TaskParams::from(ctx.spec(), ctx.work());
        m_config.salt = ctx.salt();
        // Starting the method's machinery (the fork server) is the coordinator's spawn time;
        // first, so the server is forked from the smallest state (no worker fds or buffers).
        m_rec.switchTo(Phase::Spawn);
        m_starter = makeStarter(opt);
        m_rec.switchTo(Phase::Compute);
        m_epoll = epoll_create1(EPOLL_CLOEXEC);
        if (m_epoll < 0)
            throw BackendError(std::string(opt.name) + ": epoll_create1: " + std::strerror(errno));
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = ~uint64_t(0);
        epoll_ctl(m_epoll, EPOLL_CTL_ADD, ctx.cancel().fd(), &ev);
        // Deadline checks ride on a periodic timerfd so epoll_wait can block without a
        // timeout: arming a timeout on every wait costs ~0.5 µs per message round trip.
        m_tick = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
        if (m_tick >= 0) {
            itimerspec its{{0, 50'000'000}, {0, 50'000'000}};
            timerfd_settime(m_tick, 0, &its, nullptr);
            ev.data.u64 = kTickKey;
            epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_tick, &ev);
        }
        m_input.resize(size_t(ctx.spec().inputBytes));
    }

    ~ForkedCoordinator() {
        // Whatever happened, nothing outlives the run.
        for (auto& c : m_children)
            killAndReap(c);
        closeFd(m_epoll);
        closeFd(m_tick);
    }

    void run() {
        for (int lane = 0; lane < m_ctx.workers(); ++lane)
            if (!startChildIfWork(lane)) break;
        while (m_alive > 0) {
            if (m_ctx.cancelled()) {
                for (auto& c : m_children)
                    killAndReap(c, /*record=*/true);
                return;
            }
            m_rec.switchTo(Phase::Idle);
            epoll_event events[16];
            int n = epoll_wait(m_epoll, events, 16, m_tick >= 0 ? -1 : 50);
            m_rec.switchTo(Phase::Ipc);
            if (n < 0 && errno != EINTR)
                throw BackendError(std::string(m_opt.name) + ": epoll_wait: " + std::strerror(errno));
            bool tick = m_tick < 0;
            for (int i = 0; i < n; ++i) {
                const uint64_t key = events[i].data.u64;
                if (key == ~uint64_t(0)) continue; // cancel: seen at the top of the loop
                if (key == kTickKey) {
                    uint64_t expirations;
                    [[maybe_unused]] auto r = ::read(m_tick, &expirations, sizeof expirations);
                    tick = true;
                    continue;
                }
                Child& c = m_children[key];
                if (c.pid > 0) onReadable(c);
            }
            if (tick) checkTimeouts(nowNs());
        }
    }

  private:
    bool startChildIfWork(int lane) {
        auto [first, count] = m_ctx.takeChunk(m_ctx.spec().chunksize);
        if (count == 0) return false;
        Child& c = m_children[size_t(lane)];
        c = Child{};
        c.lane = lane;
        startChild(c);
        dispatch(c, first, count);
        return true;
    }

    void startChild(Child& c) {
        m_rec.switchTo(Phase::Spawn);
        int toChild[2], fromChild[2];
        if (pipe2(toChild, O_CLOEXEC) != 0)
            throw BackendError(std::string(m_opt.name) + ": pipe: " + std::strerror(errno));
        if (pipe2(fromChild, O_CLOEXEC) != 0) {
            int e = errno;
            ::close(toChild[0]);
            ::close(toChild[1]);
            throw BackendError(std::string(m_opt.name) + ": pipe: " + std::strerror(e));
        }
        m_config.intervalBudget = m_ctx.intervalBudget();
        c.tRequest = nowNs();
        pid_t pid = -1;
        try {
            pid = m_starter->start(toChild[0], fromChild[1], toChild[1], m_config);
        } catch (...) {
            for (int fd : {toChild[0], toChild[1], fromChild[0], fromChild[1]})
                ::close(fd);
            throw;
        }
        ::close(toChild[0]);
        ::close(fromChild[1]);
        c.pid = pid;
        c.toChild = toChild[1];
        c.fromChild = fromChild[0];
        ++m_alive;
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = uint64_t(c.lane);
        epoll_ctl(m_epoll, EPOLL_CTL_ADD, c.fromChild, &ev);
        m_rec.switchTo(Phase::Ipc);
    }

    void dispatch(Child& c, int64_t first, int count) {
        m_rec.switchTo(Phase::Ipc);
        const size_t inBytes = m_input.size();
        m_chunkInput.resize(inBytes * size_t(count));
        for (int k = 0; k < count; ++k)
            fillPattern(std::span(m_chunkInput.data() + size_t(k) * inBytes, inBytes),
                        inputSeed(m_ctx.seedOf(uint64_t(first + k))));
        FrameHeader h;
        h.type = uint32_t(FrameType::Task);
        h.taskId = first;
        h.count = uint32_t(count);
        h.length = m_chunkInput.size();
        c.busy = true;
        c.chunkFirst = first;
        c.chunkCount = count;
        c.dispatchNs = nowNs();
        c.tasksTaken += count;
        if (!writeFrame(c.toChild, h, m_chunkInput))
            failChild(c, "could not send task (" + std::string(std::strerror(errno)) + ")");
    }

    void sendExit(Child& c) {
        FrameHeader h;
        h.type = uint32_t(FrameType::Exit);
        c.exiting = true;
        if (!writeFrame(c.toChild, h))
            failChild(c, "could not send exit (" + std::string(std::strerror(errno)) + ")");
    }

    void onReadable(Child& c) {
        long n = c.reader.readOnce(c.fromChild);
        if (n == 0) failChild(c, "closed its pipe unexpectedly");
        if (n < 0) failChild(c, std::string("read error: ") + std::strerror(errno));
        FrameHeader h;
        for (;;) {
            auto st = c.reader.next(h, m_payload);
            if (st == FrameReader::Status::NeedMore) return;
            if (st == FrameReader::Status::Error) failChild(c, "protocol error: " + c.reader.error());
            if (!handleFrame(c, h)) return; // child finished
        }
    }

    // Returns false when the child is gone (reaped).
    bool handleFrame(Child& c, const FrameHeader& h) {
        switch (FrameType(h.type)) {
        case FrameType::Hello: {
            c.tReady = int64_t(h.a);
            c.cpuFirst = int(int64_t(h.b));
            PhaseTotals startup;
            startup[Phase::Spawn] = c.tReady - c.tRequest;
            m_ctx.lane(c.lane).add(startup);
            return true;
        }
        case FrameType::Message: {
            FrameHeader r;
            r.type = uint32_t(FrameType::Reply);
            r.taskId = h.taskId;
            r.a = h.a;
            r.length = m_payload.size();
            if (!writeFrame(c.toChild, r, m_payload))
                failChild(c, "could not reply (" + std::string(std::strerror(errno)) + ")");
            return true;
        }
        case FrameType::Result:
            onResult(c, h);
            return true;
        case FrameType::Bye:
            onBye(c);
            return false;
        case FrameType::Error:
            failChild(c, "reported: " +
                             std::string(reinterpret_cast<const char*>(m_payload.data()), m_payload.size()));
        default:
            failChild(c, "sent unexpected frame type " + std::to_string(h.type));
        }
        return true;
    }

    void onResult(Child& c, const FrameHeader& h) {
        const int64_t tNow = nowNs();
        const size_t count = h.count;
        const size_t resBytes = size_t(m_ctx.spec().resultBytes);
        if (!c.busy || h.taskId != c.chunkFirst || int(count) != c.chunkCount ||
            m_payload.size() != sizeof(ResultTrailer) + count * 8 + count * resBytes)
            failChild(c, "sent a malformed result");
        ResultTrailer t;
        std::memcpy(&t, m_payload.data(), sizeof t);
        if (!t.inputOk) failChild(c, "received corrupted input bytes");
        if (!t.replyOk) failChild(c, "received corrupted message replies");
        const std::byte* sums = m_payload.data() + sizeof t;
        const std::byte* results = sums + count * 8;
        m_rec.switchTo(Phase::Compute); // bookkeeping and verification
        std::string who = workerName(c);
        for (size_t k = 0; k < count; ++k) {
            uint64_t sum;
            std::memcpy(&sum, sums + k * 8, 8);
            int64_t id = h.taskId + int64_t(k);
            m_ctx.verifyResultBytes(id, std::span(results + k * resBytes, resBytes), who.c_str());
            m_ctx.completeTask(id, sum, tNow - c.dispatchNs, who.c_str());
        }
        m_ctx.lane(c.lane).add(t.phases - c.reported);
        m_ctx.lane(c.lane).tasksDone.fetch_add(int64_t(count), std::memory_order_relaxed);
        c.reported = t.phases;
        c.busy = false;
        m_rec.switchTo(Phase::Ipc);
        bool more = m_opt.tasksPerWorker == 0 || c.tasksTaken < m_opt.tasksPerWorker;
        if (more && !m_ctx.cancelled()) {
            auto [first, n] = m_ctx.takeChunk(m_ctx.spec().chunksize);
            if (n > 0) {
                dispatch(c, first, n);
                return;
            }
        }
        sendExit(c);
        m_lastTrailer[size_t(c.lane)] = t;
    }

    void onBye(Child& c) {
        ByeTrailer b;
        if (m_payload.size() < sizeof b) failChild(c, "sent a malformed goodbye");
        std::memcpy(&b, m_payload.data(), sizeof b);
        if (m_payload.size() != sizeof b + size_t(b.intervalCount) * sizeof(PhaseInterval))
            failChild(c, "sent a malformed goodbye");
        m_rec.switchTo(Phase::Spawn);
        int status = 0;
        const bool reaped = m_starter->reap(c.pid, status);
        const int64_t tReaped = nowNs();
        m_rec.switchTo(Phase::Compute);
        WorkerRecord w;
        w.lane = c.lane;
        w.id = c.pid;
        w.tRequestNs = c.tRequest;
        w.tReadyNs = b.tReadyNs;
        w.tDoneNs = b.tDoneNs;
        w.tReapedNs = tReaped;
        w.phases = b.phases;
        w.phases[Phase::Spawn] += (b.tReadyNs - c.tRequest) + (tReaped - b.tDoneNs);
        w.cpuFirst = c.cpuFirst;
        w.cpuLast = b.cpuLast;
        w.tasks = b.tasks;
        const auto* iv = reinterpret_cast<const PhaseInterval*>(m_payload.data() + sizeof b);
        w.intervals.assign(iv, iv + b.intervalCount);
        // Live lane: what the last RESULT did not cover (final idle/ipc and teardown).
        PhaseTotals rest = b.phases - c.reported;
        rest[Phase::Spawn] += tReaped - b.tDoneNs;
        m_ctx.lane(c.lane).add(rest);
        const auto& t = m_lastTrailer[size_t(c.lane)];
        m_ctx.addRoundTrips(t.roundTrips, t.roundTripNs);
        m_lastTrailer[size_t(c.lane)] = {};
        m_ctx.addWorker(std::move(w));
        epoll_ctl(m_epoll, EPOLL_CTL_DEL, c.fromChild, nullptr);
        closeFd(c.toChild);
        closeFd(c.fromChild);
        c.pid = -1;
        --m_alive;
        if (!reaped || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            throw BackendError(workerName(c) + " ended badly: " + describeWaitStatus(status));
        if (!m_ctx.cancelled() && m_opt.tasksPerWorker != 0) startChildIfWork(c.lane);
    }

    void checkTimeouts(int64_t now) {
        const double limitNs = m_ctx.spec().taskTimeoutS * 1e9;
        for (auto& c : m_children)
            if (c.pid > 0 && c.busy && double(now - c.dispatchNs) > limitNs * c.chunkCount)
                failChild(c, chunkTimeoutText(c.chunkFirst, c.chunkCount, m_ctx.spec().taskTimeoutS,
                                              double(now - c.dispatchNs) * 1e-9));
    }

    std::string workerName(const Child& c) const {
        return std::string(m_opt.name) + ": worker pid " + std::to_string(c.pid);
    }

    // Reaps the child to learn why it stopped talking, then fails the run.
    [[noreturn]] void failChild(Child& c, const std::string& what) {
        std::string msg = workerName(c) + " " + what;
        if (c.pid > 0) {
            int status = 0;
            // Give a dying child a moment to finish dying so the cause is its own.
            for (int i = 0; i < 50; ++i) {
                if (m_starter->tryReap(c.pid, status)) {
                    msg += " (" + describeWaitStatus(status) + ")";
                    c.pid = -1;
                    --m_alive;
                    break;
                }
                usleep(2000);
            }
        }
        throw BackendError(msg);
    }

    // On cancel (record = true) the killed worker still gets a record, so its time does not
    // vanish: what it had not reported yet counts as idle, the kill and reap as spawn.
    void killAndReap(Child& c, bool record = false) {
        if (c.pid > 0) {
            const int64_t tKill = nowNs();
            m_starter->kill(c.pid);
            int status;
            m_starter->reap(c.pid, status);
            if (record) {
                WorkerRecord w;
                w.lane = c.lane;
                w.id = c.pid;
                w.tRequestNs = c.tRequest;
                w.tReadyNs = c.tReady ? c.tReady : tKill;
                w.tDoneNs = tKill;
                w.tReapedNs = nowNs();
                w.phases = c.reported;
                w.phases[Phase::Spawn] += (w.tReadyNs - w.tRequestNs) + (w.tReapedNs - tKill);
                w.phases[Phase::Idle] += std::max<int64_t>(0, (tKill - w.tReadyNs) - c.reported.total());
                w.cpuFirst = c.cpuFirst;
                m_ctx.addWorker(std::move(w));
            }
            c.pid = -1;
            --m_alive;
        }
        closeFd(c.toChild);
        closeFd(c.fromChild);
    }

    RunContext& m_ctx;
    ProcessPoolOptions m_opt;
    PhaseRecorder& m_rec;
    std::vector<Child> m_children;
    std::vector<ResultTrailer> m_lastTrailer = std::vector<ResultTrailer>(m_children.size());
    WorkerProcessConfig m_config;
    static constexpr uint64_t kTickKey = ~uint64_t(0) - 1;
    int m_epoll = -1;
    int m_tick = -1;
    int m_alive = 0;
    std::vector<std::byte> m_input, m_chunkInput, m_payload;
    std::unique_ptr<WorkerStarter> m_starter; // declared last: outlives nothing it must reap
};

} // namespace

void runForkedWorkers(RunContext& ctx, const ProcessPoolOptions& options) {
    ForkedCoordinator coordinator(ctx, options);
    coordinator.run();
}

} // namespace conlab
