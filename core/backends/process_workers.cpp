#include "process_workers.h"

#include "../wire_protocol.h"
#include "start_methods.h"
#include "thread_tick.h"
#include "worker_ledger.h"

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
#include <optional>
#include <poll.h>
#include <sched.h>
#include <set>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace conlab {

using namespace wire;

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

// ---------------------------------------------------------------- coordinator side

namespace {

// A worker process as the ledger books it, plus its pipes.
struct Child : WorkerEntry {
    int toChild = -1, fromChild = -1;
    FrameReader reader;
};

// How many chunks the coordinator queues ahead per worker (issue 12: as Pool.imap feeds its
// task queue): enough that a worker finds its next chunk waiting while the coordinator sleeps
// (~100 µs of work ahead, at most 8 chunks), none for chunks of 1 ms or more (a wake-up is lost
// in the work and the run's end stays balanced), none for chatty tasks (a reply must be the
// next frame a worker reads) or a process per task. Bounded so the frames in flight each way fit
// a pipe of one page (a user over fs.pipe-user-pages-soft gets such pipes): neither side's
// write can then block while the other writes, so queueing ahead cannot deadlock.
uint32_t processQueueDepth(const WorkloadSpec& spec, const ProcessPoolOptions& opt) {
    if (opt.tasksPerWorker != 0 || spec.messages > 0) return 1;
    const double chunkUs = std::max(0.0, spec.taskUs) * double(spec.chunksize);
    if (chunkUs >= 1000) return 1;
    uint32_t depth = std::min<uint32_t>(32, 2 + uint32_t(100.0 / std::max(chunkUs, 1.0)));
    constexpr size_t kBudget = 2048; // bytes in flight per direction, of a 4 KiB pipe
    const size_t chunk = size_t(spec.chunksize);
    const size_t taskFrame = sizeof(FrameHeader) + chunk * size_t(spec.inputBytes);
    const size_t resultFrame =
        sizeof(FrameHeader) + sizeof(ResultTrailer) + chunk * (8 + size_t(spec.resultBytes));
    while (depth > 1 && depth * std::max(taskFrame, resultFrame) > kBudget)
        --depth;
    return depth;
}

class ForkedCoordinator {
  public:
    ForkedCoordinator(RunContext& ctx, const ProcessPoolOptions& opt)
        : m_ctx(ctx), m_opt(opt), m_rec(ctx.coordinator()), m_ledger(ctx, opt.name),
          m_children(size_t(ctx.workers())) {
        m_config.params = TaskParams::from(ctx.spec(), ctx.work());
        m_config.salt = ctx.salt();
        // Starting the method's machinery (the fork server) is the coordinator's spawn time;
        // first, so the server is forked from the smallest state (no worker fds or buffers).
        m_rec.switchTo(Phase::Spawn);
        m_starter = makeStarter(opt);
        m_rec.switchTo(Phase::Other);
        m_epoll = epoll_create1(EPOLL_CLOEXEC);
        if (m_epoll < 0)
            throw BackendError(std::string(opt.name) + ": epoll_create1: " + std::strerror(errno));
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = ~uint64_t(0);
        epoll_ctl(m_epoll, EPOLL_CTL_ADD, ctx.cancel().fd(), &ev);
        // Cancel and deadline checks ride on a periodic signal to this thread, so the waits
        // block without a timeout (arming one on every wait costs ~0.5 µs per message round
        // trip) and a wait on the only worker's pipe can be a plain read (waitOn). After the
        // starter: the fork server is forked without it.
        m_tick.emplace(kTickNs);
        m_input.resize(size_t(ctx.spec().inputBytes));
        m_depth = processQueueDepth(ctx.spec(), opt);
    }

    ~ForkedCoordinator() {
        m_tick.reset(); // no more interruptions while tearing down
        // Whatever happened, nothing outlives the run.
        for (auto& c : m_children)
            killAndReap(c);
        closeFd(m_epoll);
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
            // Without the tick, epoll_wait's timeout paces the checks.
            if (!m_tick->armed() || m_tick->consume()) checkTimeouts(nowNs());
            m_rec.switchTo(Phase::Idle);
            if (Child* only = soleChild())
                waitOn(*only);
            else
                waitAny();
        }
    }

  private:
    // The one worker alive, when a tick can interrupt a plain read of its pipe.
    Child* soleChild() {
        if (m_alive != 1 || !m_tick->armed()) return nullptr;
        for (auto& c : m_children)
            if (c.pid > 0) return &c;
        return nullptr;
    }

    // One worker: a blocking read(2) of its pipe, as a dedicated peer would do, instead of
    // epoll_wait + read (fidelity's pipe row: one system call and one wake-up less per message).
    // A tick interrupts it (EINTR) to look at the cancel and the deadlines.
    void waitOn(Child& c) {
        const long n = c.reader.readOnce(c.fromChild, /*retryInterrupted=*/false);
        if (n < 0 && errno == EINTR) return;
        m_rec.switchTo(Phase::Ipc);
        afterRead(c, n);
    }

    // Several workers (or no tick): whichever pipe is readable, or the cancel.
    void waitAny() {
        epoll_event events[16];
        int n = epoll_wait(m_epoll, events, 16, m_tick->armed() ? -1 : int(kTickNs / 1'000'000));
        m_rec.switchTo(Phase::Ipc);
        if (n < 0 && errno != EINTR)
            throw BackendError(std::string(m_opt.name) + ": epoll_wait: " + std::strerror(errno));
        for (int i = 0; i < n; ++i) {
            const uint64_t key = events[i].data.u64;
            if (key == ~uint64_t(0)) continue; // cancel: seen at the top of the loop
            Child& c = m_children[key];
            if (c.pid > 0) afterRead(c, c.reader.readOnce(c.fromChild));
        }
    }

    bool startChildIfWork(int lane) {
        auto [first, count] = m_ctx.takeChunk(m_ctx.spec().chunksize);
        if (count == 0) return false;
        Child& c = m_children[size_t(lane)];
        c = Child{};
        c.lane = lane;
        startChild(c);
        queueTask(c, first, count, nowNs());
        fill(c); // the rest of its queue, in the same write
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

    // A Task frame for the chunk, into the batch fill() writes (the coordinator is in ipc since
    // tFill). b: the depth this worker is fed to, so it knows when to send its results batched
    // so far (worker_process.cpp).
    void queueTask(Child& c, int64_t first, int count, int64_t tFill) {
        const size_t inBytes = m_input.size();
        m_chunkInput.resize(inBytes * size_t(count));
        for (int k = 0; k < count; ++k)
            fillPattern(std::span(m_chunkInput.data() + size_t(k) * inBytes, inBytes),
                        inputSeed(m_ctx.seedOf(uint64_t(first + k))));
        FrameHeader h;
        h.type = uint32_t(FrameType::Task);
        h.taskId = first;
        h.count = uint32_t(count);
        h.b = m_depth;
        h.length = m_chunkInput.size();
        m_ledger.dispatched(c, first, count, inBytes ? nowNs() : tFill);
        std::span<const std::byte> parts[] = {m_chunkInput};
        appendFrame(m_batch, h, parts);
    }

    // Queues chunks for c up to the depth (then its exit when the tasks run out, or when a
    // worker per task has had its task) and sends them in one write.
    void fill(Child& c) {
        int64_t tFill = 0; // in ipc from here (one clock reading per refill)
        while (!c.exiting && c.inFlight.size() < m_depth) {
            const bool more = m_opt.tasksPerWorker == 0 || c.tasksTaken < m_opt.tasksPerWorker;
            auto [first, n] = more && !m_ctx.cancelled() ? m_ctx.takeChunk(m_ctx.spec().chunksize)
                                                         : std::pair<int64_t, int>{0, 0};
            if (n > 0) {
                if (tFill == 0) tFill = m_rec.switchTo(Phase::Ipc);
                queueTask(c, first, n, tFill);
                continue;
            }
            FrameHeader h;
            h.type = uint32_t(FrameType::Exit);
            c.exiting = true;
            appendFrame(m_batch, h, {});
        }
        if (!m_batch.empty() && tFill == 0) m_rec.switchTo(Phase::Ipc);
        if (!m_batch.empty() && !writeBatch(c.toChild, m_batch))
            failChild(c, "could not send task (" + std::string(std::strerror(errno)) + ")");
        m_batch.clear();
    }

    // n: what readOnce returned for c's pipe.
    void afterRead(Child& c, long n) {
        if (n == 0) failChild(c, "closed its pipe unexpectedly");
        if (n < 0) failChild(c, std::string("read error: ") + std::strerror(errno));
        FrameHeader h;
        for (;;) {
            auto st = c.reader.next(h, m_payload);
            if (st == FrameReader::Status::NeedMore) break;
            if (st == FrameReader::Status::Error) failChild(c, "protocol error: " + c.reader.error());
            if (!handleFrame(c, h)) return; // child finished
        }
        fill(c); // every result read: refill its queue in one write
    }

    // Returns false when the child is gone (reaped).
    bool handleFrame(Child& c, const FrameHeader& h) {
        switch (FrameType(h.type)) {
        case FrameType::Hello:
            m_ledger.hello(c, int64_t(h.a), int(int64_t(h.b)), h.taskId);
            return true;
        case FrameType::Message: {
            m_rec.enter(Phase::Ipc); // after a result in the same read the coordinator is in other
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

    // The results of one read were all seen when it returned: one clock reading for them all
    // (the coordinator stays in other from the first to the last; wait() always enters ipc).
    void onResult(Child& c, const FrameHeader& h) {
        if (m_rec.current() != Phase::Other) m_resultsSeenNs = m_rec.switchTo(Phase::Other);
        if (std::string bad = m_ledger.result(c, h.taskId, h.count, m_payload, m_resultsSeenNs); !bad.empty())
            failChild(c, bad);
    }

    void onBye(Child& c) {
        if (std::string bad = m_ledger.checkBye(c, m_payload); !bad.empty()) failChild(c, bad);
        const int64_t tReapStart = m_rec.switchTo(Phase::Spawn);
        int status = 0;
        rusage usage{};
        const bool reaped = m_starter->reap(c.pid, status, &usage);
        const int64_t tReaped = nowNs();
        if (reaped && m_starter->childUsageMeasured()) m_ctx.addChildUsage(usage);
        m_rec.switchTo(Phase::Other);
        m_ledger.ended(c, m_payload, tReapStart, tReaped);
        epoll_ctl(m_epoll, EPOLL_CTL_DEL, c.fromChild, nullptr);
        closeFd(c.toChild);
        closeFd(c.fromChild);
        const std::string name = workerName(c);
        c.pid = -1;
        --m_alive;
        if (!reaped || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            throw BackendError(name + " ended badly: " + describeWaitStatus(status));
        if (!m_ctx.cancelled() && m_opt.tasksPerWorker != 0) startChildIfWork(c.lane);
    }

    void checkTimeouts(int64_t now) {
        for (auto& c : m_children)
            if (std::string late = m_ledger.overdue(c, now); !late.empty()) failChild(c, late);
    }

    std::string workerName(const Child& c) const { return m_ledger.who(c); }

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
    // vanish (WorkerLedger::killed).
    void killAndReap(Child& c, bool record = false) {
        if (c.pid > 0) {
            const int64_t tKill = nowNs();
            m_starter->kill(c.pid);
            int status;
            m_starter->reap(c.pid, status);
            if (record) m_ledger.killed(c, tKill, nowNs());
            c.pid = -1;
            --m_alive;
        }
        closeFd(c.toChild);
        closeFd(c.fromChild);
    }

    RunContext& m_ctx;
    ProcessPoolOptions m_opt;
    PhaseRecorder& m_rec;
    WorkerLedger m_ledger;
    int64_t m_resultsSeenNs = 0; // when the coordinator began checking the results of its last read
    std::vector<Child> m_children;
    WorkerProcessConfig m_config;
    static constexpr int64_t kTickNs = 50'000'000;
    int m_epoll = -1;
    std::optional<ThreadTick> m_tick;
    int m_alive = 0;
    uint32_t m_depth = 1; // chunks queued ahead per worker (processQueueDepth)
    std::vector<std::byte> m_input, m_chunkInput, m_payload, m_batch;
    std::unique_ptr<WorkerStarter> m_starter; // declared last: outlives nothing it must reap
};

} // namespace

void runForkedWorkers(RunContext& ctx, const ProcessPoolOptions& options) {
    ForkedCoordinator coordinator(ctx, options);
    coordinator.run();
}

} // namespace conlab
