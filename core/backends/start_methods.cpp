// The start methods (start_methods.h): fork, spawn and forkserver.
#include "start_methods.h"

#include "../resource_limits.h"
#include "../system/parent_memory.h"
#include "../wire_protocol.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <csignal>
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

namespace {

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

// A child of this process: waitpid and kill directly.
class DirectChildren : public WorkerStarter {
  public:
    bool reap(pid_t pid, int& status, rusage* usage) override {
        pid_t r;
        while ((r = wait4(pid, &status, 0, usage)) < 0 && errno == EINTR) {
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
            ParentMemory::touchInChild(); // --child-touch: copy-on-write copies, in the spawn phase
            _exit(workerProcessMain(childRead, childWrite, config));
        }
        if (pid < 0)
            throw BackendError(m_name + ": fork failed: " + errnoText(errno) + processLimitHint(errno));
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
        if (e != 0)
            throw BackendError(m_name + ": posix_spawn " + m_path + " failed: " + errnoText(e) +
                               processLimitHint(e));
        wire::FrameHeader h;
        h.type = uint32_t(wire::FrameType::Config);
        h.a = sizeof config;
        h.b = kWorkerConfigVersion;
        h.length = sizeof config;
        if (!wire::writeFrame(toChild, h, wire::asBytes(config))) {
            e = errno;
            ::kill(pid, SIGKILL);
            int status = 0;
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
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
            throw BackendError(m_name + ": fork of the fork server failed: " + errnoText(e) +
                               processLimitHint(e));
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
        ssize_t sent;
        while ((sent = sendmsg(m_sock, &mh, MSG_NOSIGNAL)) < 0 && errno == EINTR) {
        }
        if (sent != ssize_t(sizeof m)) serverGone("start request", errno);
        for (;;) {
            ServerMsg r;
            if (!receive(r, true)) serverGone("start reply", errno);
            if (r.op == ServerMsg::Started) {
                if (r.pid < 0)
                    throw BackendError(m_name + ": the fork server could not fork: " + errnoText(r.status) +
                                       processLimitHint(r.status));
                return r.pid;
            }
        }
    }
    bool childUsageMeasured() const override { return false; }
    bool reap(pid_t pid, int& status, rusage*) override {
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
        while (send(m_sock, &m, sizeof m, MSG_NOSIGNAL) < 0 && errno == EINTR) {
        }
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

} // namespace

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

} // namespace conlab
