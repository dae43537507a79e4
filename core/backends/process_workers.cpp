#include "process_workers.h"

#include "../wire_protocol.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

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

// ---------------------------------------------------------------- worker process side

namespace {

class PipeChannel final : public MessageChannel {
  public:
    PipeChannel(int readFd, int writeFd, FrameReader& reader)
        : m_read(readFd), m_write(writeFd), m_reader(reader) {}
    std::span<const std::byte> exchange(int64_t taskId, uint64_t index,
                                        std::span<const std::byte> out) override {
        FrameHeader h;
        h.type = uint32_t(FrameType::Message);
        h.taskId = taskId;
        h.a = index;
        h.length = out.size();
        if (!writeFrame(m_write, h, out)) _exit(4);
        FrameHeader r;
        if (!readFrame(m_read, m_reader, r, m_reply) || r.type != uint32_t(FrameType::Reply)) _exit(5);
        return m_reply;
    }

  private:
    int m_read, m_write;
    FrameReader& m_reader;
    std::vector<std::byte> m_reply;
};

} // namespace

int workerProcessMain(int readFd, int writeFd, const WorkerProcessConfig& config) {
    const int64_t tReady = nowNs();
    PhaseRecorder rec(config.intervalBudget);
    rec.start(Phase::Ipc, tReady);
    FrameHeader hello;
    hello.type = uint32_t(FrameType::Hello);
    hello.a = uint64_t(tReady);
    hello.b = uint64_t(int64_t(sched_getcpu()));
    if (!writeFrame(writeFd, hello)) return 2;

    FrameReader reader;
    PipeChannel channel(readFd, writeFd, reader);
    WorkerScratch scratch;
    std::vector<std::byte> payload, result, out;
    std::vector<uint64_t> checksums;
    ResultTrailer trailer;
    int64_t tasks = 0;
    for (;;) {
        rec.switchTo(Phase::Idle);
        FrameHeader h;
        // Waiting for the first byte of the next frame is idle; the rest of the frame is ipc.
        for (;;) {
            auto st = reader.next(h, payload);
            if (st == FrameReader::Status::Frame) break;
            if (st == FrameReader::Status::Error) return 6;
            long n = reader.readOnce(readFd);
            if (n <= 0) return 3; // coordinator gone
            if (rec.current() == Phase::Idle) rec.switchTo(Phase::Ipc);
        }
        rec.switchTo(Phase::Ipc);
        if (h.type == uint32_t(FrameType::Exit)) break;
        if (h.type != uint32_t(FrameType::Task)) return 7;
        // Never trust a frame's claims: a chunk is 1 … maxChunksize tasks of inputBytes each.
        if (h.count == 0 || h.count > uint32_t(SpecLimits::maxChunksize) ||
            payload.size() != uint64_t(h.count) * uint64_t(config.params.inputBytes))
            return 8;
        const size_t inBytes = payload.size() / std::max<uint32_t>(1, h.count);
        checksums.assign(h.count, 0);
        out.clear();
        trailer.inputOk = 1;
        trailer.replyOk = 1;
        trailer.cancelled = 0;
        for (uint32_t k = 0; k < h.count; ++k) {
            int64_t id = h.taskId + k;
            std::span<const std::byte> input(payload.data() + k * inBytes, inBytes);
            TaskOutcome o = runTask(config.params, id, taskSeed(config.salt, uint64_t(id)), input, &channel,
                                    rec, scratch, result, nullptr, -1);
            checksums[k] = o.checksum;
            trailer.inputOk &= o.inputOk ? 1u : 0u;
            trailer.replyOk &= o.replyOk ? 1u : 0u;
            trailer.roundTrips += o.roundTrips;
            trailer.roundTripNs += o.roundTripNs;
            out.insert(out.end(), result.begin(), result.end());
            ++tasks;
        }
        trailer.phases = rec.totals();
        trailer.cpu = sched_getcpu();
        FrameHeader rh;
        rh.type = uint32_t(FrameType::Result);
        rh.taskId = h.taskId;
        rh.count = h.count;
        std::span<const std::byte> parts[] = {asBytes(trailer), std::as_bytes(std::span(checksums)), out};
        rh.length = sizeof trailer + checksums.size() * 8 + out.size();
        // Recorded before the write so the trailer's totals cover everything up to here.
        if (!writeFrame(writeFd, rh, parts)) return 4;
    }
    ByeTrailer bye;
    bye.tDoneNs = rec.stop();
    bye.phases = rec.totals();
    bye.tReadyNs = tReady;
    bye.cpuLast = sched_getcpu();
    bye.tasks = tasks;
    const auto& iv = rec.intervals();
    bye.intervalCount = uint32_t(iv.size());
    FrameHeader bh;
    bh.type = uint32_t(FrameType::Bye);
    bh.length = sizeof bye + iv.size() * sizeof(PhaseInterval);
    std::span<const std::byte> parts[] = {asBytes(bye), std::as_bytes(std::span(iv))};
    writeFrame(writeFd, bh, parts);
    return 0;
}

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

void closeFd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

class ForkedCoordinator {
  public:
    ForkedCoordinator(RunContext& ctx, const ProcessPoolOptions& opt)
        : m_ctx(ctx), m_opt(opt), m_rec(ctx.coordinator()), m_children(size_t(ctx.workers())) {
        m_config.params = TaskParams::from(ctx.spec(), ctx.work());
        m_config.salt = ctx.salt();
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
        pid_t pid = fork();
        if (pid == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            // Keep only this worker's two pipe ends: other workers' fds would hide their EOFs.
            int keepA = std::min(toChild[0], fromChild[1]), keepB = std::max(toChild[0], fromChild[1]);
            if (keepA > 3) close_range(3, unsigned(keepA - 1), 0);
            if (keepB > keepA + 1) close_range(unsigned(keepA + 1), unsigned(keepB - 1), 0);
            close_range(unsigned(keepB + 1), ~0u, 0);
            _exit(workerProcessMain(toChild[0], fromChild[1], m_config));
        }
        if (pid < 0) {
            int e = errno;
            for (int fd : {toChild[0], toChild[1], fromChild[0], fromChild[1]})
                ::close(fd);
            throw BackendError(std::string(m_opt.name) + ": fork failed: " + std::strerror(e) +
                               (e == EAGAIN ? " (process limit reached: lower --workers)" : ""));
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
        pid_t r;
        while ((r = waitpid(c.pid, &status, 0)) < 0 && errno == EINTR) {
        }
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
        if (r < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            throw BackendError(workerName(c) + " ended badly: " + describeWaitStatus(status));
        if (!m_ctx.cancelled() && m_opt.tasksPerWorker != 0) startChildIfWork(c.lane);
    }

    void checkTimeouts(int64_t now) {
        const double limitNs = m_ctx.spec().taskTimeoutS * 1e9;
        for (auto& c : m_children)
            if (c.pid > 0 && c.busy && double(now - c.dispatchNs) > limitNs * c.chunkCount)
                failChild(c, "timed out: task " + std::to_string(c.chunkFirst) + " ran longer than " +
                                 std::to_string(m_ctx.spec().taskTimeoutS) + " s (--task-timeout)");
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
                pid_t r = waitpid(c.pid, &status, WNOHANG);
                if (r == c.pid) {
                    msg += " (" + describeWaitStatus(status) + ")";
                    c.pid = -1;
                    --m_alive;
                    break;
                }
                if (r < 0) break;
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
            ::kill(c.pid, SIGKILL);
            int status;
            while (waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
            }
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
};

} // namespace

void runForkedWorkers(RunContext& ctx, const ProcessPoolOptions& options) {
    ForkedCoordinator coordinator(ctx, options);
    coordinator.run();
}

} // namespace conlab
