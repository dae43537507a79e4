// `workers` long-lived forked processes whose inputs, messages and results travel through
// POSIX shared memory instead of pipes: the native counterpart of multiprocessing's
// Value/Array/shared_memory. One shm object holds, per worker, an inbox and an outbox (a
// one-slot ring each way: the protocol has one message outstanding per direction). Wake-ups
// are futexes on the boxes' sequence words; the coordinator sleeps on one shared doorbell.
// The object is created O_EXCL, mode 0600, with an unpredictable name, and unlinked as soon
// as it is mapped, before any worker exists (workers inherit the mapping through fork), so
// nothing can be left in /dev/shm whatever happens later.
#include "../backend.h"
#include "../resource_limits.h"
#include "../task_runner.h"
#include "../wire_protocol.h"
#include "process_workers.h"
#include "worker_ledger.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace conlab {
namespace {

constexpr const char* kShmPoolName = "shm-pool";
constexpr const char* kSpinName = "shm-pool:spin";
// shm-pool:spin spins this long for a peer's post before it sleeps in the kernel. Long enough
// to catch a peer that is running on another CPU (a cross-CPU futex wake-up costs ~60 µs on
// these VMs, a spin hand-off ~0.1 µs), short enough that a waiter whose peer is busy computing
// or not running gives its CPU back soon: at most 50 µs of CPU burnt per wait.
constexpr int64_t kSpinNs = 50'000;
using wire::FrameType;

// Waits while *word == expected (or until timeoutNs, < 0 = forever); shared between processes.
void futexWait(std::atomic<uint32_t>& word, uint32_t expected, int64_t timeoutNs) {
    timespec ts{timeoutNs / 1'000'000'000, timeoutNs % 1'000'000'000};
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAIT, expected,
            timeoutNs < 0 ? nullptr : &ts, nullptr, 0);
}
void futexWake(std::atomic<uint32_t>& word) {
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAKE, INT_MAX, nullptr, nullptr, 0);
}
static_assert(sizeof(std::atomic<uint32_t>) == 4 && std::atomic<uint32_t>::is_always_lock_free);

// Wake-ups only where the peer sleeps (a futex syscall costs ~1 µs even with nobody waiting):
// the sleeper raises its flag, re-checks the word, then waits; the poster bumps the word, then
// looks at the flag. Both sides sequentially consistent (Dekker): either the sleeper sees the
// new word, or the poster sees the flag; FUTEX_WAIT itself re-checks the word in the kernel.
void sleepWhile(std::atomic<uint32_t>& word, uint32_t seen, std::atomic<uint32_t>& sleeping,
                int64_t timeoutNs) {
    sleeping.store(1, std::memory_order_seq_cst);
    if (word.load(std::memory_order_seq_cst) == seen) futexWait(word, seen, timeoutNs);
    sleeping.store(0, std::memory_order_relaxed);
}
void wakeIfSleeping(std::atomic<uint32_t>& word, const std::atomic<uint32_t>& sleeping) {
    if (sleeping.load(std::memory_order_seq_cst)) futexWake(word);
}

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
}

// shm-pool:spin: up to spinNs of polling for word to move on from seen (the clock read every
// 64 polls). True: it moved; false: the waiter should sleep (sleepWhile), as shm-pool does.
bool spinWhile(const std::atomic<uint32_t>& word, uint32_t seen, int64_t spinNs) {
    if (spinNs <= 0) return false;
    const int64_t until = nowNs() + spinNs;
    for (;;) {
        for (int i = 0; i < 64; ++i) {
            if (word.load(std::memory_order_acquire) != seen) return true;
            cpuRelax();
        }
        if (nowNs() >= until) return false;
    }
}

// One direction of one worker's mailbox: header, then `capacity` data bytes.
struct alignas(64) BoxHeader {
    std::atomic<uint32_t> seq{0};      // bumped (seq_cst) by the writer once per message
    std::atomic<uint32_t> sleeping{0}; // the reader is (about to be) in FUTEX_WAIT on seq
    uint32_t type = 0;                 // a wire::FrameType
    int64_t taskId = 0;
    uint64_t a = 0, b = 0;
    uint32_t count = 0;
    uint64_t length = 0;
};
constexpr size_t kHeaderRoom = 64;
static_assert(sizeof(BoxHeader) <= kHeaderRoom);

struct Box {
    BoxHeader* h = nullptr;
    std::byte* data = nullptr;
    size_t capacity = 0;
    int64_t spinNs = 0; // the reader's spin before it sleeps (shm-pool:spin)

    // Writer side: header fields, then publish and wake the reader.
    void post(FrameType type, int64_t taskId, uint64_t a, uint64_t b, uint32_t count, uint64_t length) {
        h->type = uint32_t(type);
        h->taskId = taskId;
        h->a = a;
        h->b = b;
        h->count = count;
        h->length = length;
        h->seq.fetch_add(1, std::memory_order_seq_cst);
        wakeIfSleeping(h->seq, h->sleeping);
    }
    // Reader side: waits for the message after `seen`; returns the new sequence number.
    uint32_t await(uint32_t seen) const {
        uint32_t s;
        if (spinWhile(h->seq, seen, spinNs)) return h->seq.load(std::memory_order_acquire);
        while ((s = h->seq.load(std::memory_order_acquire)) == seen)
            sleepWhile(h->seq, seen, h->sleeping, -1);
        return s;
    }
};

// The coordinator's doorbell: bumped by every worker post; the coordinator sleeps on it.
struct Doorbell {
    std::atomic<uint32_t>* word = nullptr;
    std::atomic<uint32_t>* sleeping = nullptr; // on its own cache line
    int64_t spinNs = 0;                        // the coordinator's spin before it sleeps
    void ring() {
        word->fetch_add(1, std::memory_order_seq_cst);
        wakeIfSleeping(*word, *sleeping);
    }
};

struct Lanes {
    Doorbell doorbell;
    std::vector<Box> in, out; // per worker: coordinator → worker, worker → coordinator
};

// ---------------------------------------------------------------- worker process side

class ShmChannel final : public MessageChannel {
  public:
    ShmChannel(Box& in, Box& out, Doorbell& doorbell, uint32_t& inSeen)
        : m_in(in), m_out(out), m_doorbell(doorbell), m_inSeen(inSeen) {}
    // Where messages go in the outbox (after the chunk's results), set per chunk.
    size_t messageOffset = 0;
    std::span<const std::byte> exchange(int64_t taskId, uint64_t index,
                                        std::span<const std::byte> out) override {
        if (!out.empty()) std::memcpy(m_out.data + messageOffset, out.data(), out.size());
        m_out.post(FrameType::Message, taskId, index, messageOffset, 0, out.size());
        m_doorbell.ring();
        m_inSeen = m_in.await(m_inSeen);
        if (m_in.h->type != uint32_t(FrameType::Reply)) _exit(5);
        return {m_in.data + m_in.h->b, size_t(m_in.h->length)}; // read in place, after the chunk's input
    }

  private:
    Box &m_in, &m_out;
    Doorbell& m_doorbell;
    uint32_t& m_inSeen;
};

int shmWorkerMain(Box in, Box out, Doorbell doorbell, const WorkerProcessConfig& config) {
    const int64_t tReady = nowNs();
    PhaseRecorder rec(config.intervalBudget, CpuWaitMode::Measure, config.params.probing);
    rec.start(Phase::Ipc, tReady);
    auto send = [&](FrameType t, int64_t taskId, uint64_t a, uint64_t b, uint32_t count, uint64_t length) {
        out.post(t, taskId, a, b, count, length);
        doorbell.ring();
    };
    uint32_t inSeen = in.h->seq.load(std::memory_order_acquire);
    send(FrameType::Hello, std::max<int64_t>(0, rec.runDelayAtStartNs()), uint64_t(tReady),
         uint64_t(int64_t(sched_getcpu())), 0, 0);
    ShmChannel channel(in, out, doorbell, inSeen);
    WorkerScratch scratch;
    std::vector<std::byte> result;
    wire::ResultTrailer trailer;
    int64_t tasks = 0;
    for (;;) {
        rec.switchTo(Phase::Idle);
        inSeen = in.await(inSeen);
        rec.switchTo(Phase::Ipc);
        if (in.h->type == uint32_t(FrameType::Exit)) break;
        if (in.h->type != uint32_t(FrameType::Task)) return 7;
        const uint32_t count = in.h->count;
        const int64_t first = in.h->taskId;
        const size_t inBytes = size_t(in.h->length) / std::max<uint32_t>(1, count);
        const std::byte* input = in.data; // read in place: replies land after it (offset b)
        channel.messageOffset = size_t(in.h->a);
        const size_t resBytes = size_t(config.params.resultBytes);
        std::byte* sums = out.data + sizeof trailer;
        std::byte* results = sums + size_t(count) * 8;
        trailer.inputOk = 1;
        trailer.replyOk = 1;
        for (uint32_t k = 0; k < count; ++k) {
            int64_t id = first + k;
            std::span<const std::byte> taskInput(input + k * inBytes, inBytes);
            TaskOutcome o = runTask(config.params, id, taskSeed(config.salt, uint64_t(id)), taskInput,
                                    &channel, rec, scratch, result, nullptr, -1);
            std::memcpy(sums + size_t(k) * 8, &o.checksum, 8);
            if (resBytes) // result.data() may be null when there are no result bytes
                std::memcpy(results + size_t(k) * resBytes, result.data(), resBytes);
            trailer.inputOk &= o.inputOk ? 1u : 0u;
            trailer.replyOk &= o.replyOk ? 1u : 0u;
            trailer.roundTrips += o.roundTrips;
            trailer.roundTripNs += o.roundTripNs;
            ++tasks;
        }
        rec.switchTo(Phase::Ipc); // sending the result
        trailer.phases = rec.totals();
        trailer.cpu = sched_getcpu();
        std::memcpy(out.data, &trailer, sizeof trailer);
        send(FrameType::Result, first, 0, 0, count, sizeof trailer + size_t(count) * (8 + resBytes));
    }
    wire::ByeTrailer bye;
    rec.finishRecord(bye);
    bye.tReadyNs = tReady;
    bye.tasks = tasks;
    const auto& iv = rec.timeline().segments();
    bye.segmentCount = uint32_t(iv.size());
    std::memcpy(out.data, &bye, sizeof bye);
    if (!iv.empty()) std::memcpy(out.data + sizeof bye, iv.data(), iv.size() * sizeof(TimelineSegment));
    send(FrameType::Bye, 0, 0, 0, 0, sizeof bye + iv.size() * sizeof(TimelineSegment));
    return 0;
}

// ---------------------------------------------------------------- the shared memory object

// Creates, sizes and maps a fresh object, then unlinks its name at once.
class SharedRegion {
  public:
    SharedRegion(size_t bytes, const std::string& backend) : m_size(bytes) {
        int fd = -1;
        std::string name;
        for (int attempt = 0; attempt < 8 && fd < 0; ++attempt) {
            uint64_t r[2] = {0, 0};
            if (getrandom(r, sizeof r, 0) != ssize_t(sizeof r))
                throw BackendError(backend + ": getrandom: " + std::strerror(errno));
            char buf[64];
            std::snprintf(buf, sizeof buf, "/conlab-%d-%016llx%016llx", int(getpid()),
                          (unsigned long long)r[0], (unsigned long long)r[1]);
            name = buf;
            fd = shm_open(name.c_str(), O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0600);
            if (fd < 0 && errno != EEXIST)
                throw BackendError(backend + ": shm_open: " + std::strerror(errno));
        }
        if (fd < 0) throw BackendError(backend + ": shm_open: no free name");
        // Unlinked at once, before it is sized: the fd (then the mapping) keeps it alive, and a
        // conlab killed while it reserves a big region leaves no /dev/shm object behind.
        shm_unlink(name.c_str());
        auto fail = [&](const char* what, int e) {
            ::close(fd);
            throw BackendError(backend + ": " + what + " (" + std::to_string(m_size) +
                               " bytes): " + std::strerror(e) +
                               (e == ENOSPC || e == ENOMEM ? " (/dev/shm too small: lower --input, --result, "
                                                             "--payload or --chunksize)"
                                                           : ""));
        };
        if (ftruncate(fd, off_t(m_size)) != 0) fail("ftruncate", errno);
        // Reserve the pages now: a full /dev/shm is an error here, not a SIGBUS later.
        if (int e = posix_fallocate(fd, 0, off_t(m_size)); e != 0) fail("posix_fallocate", e);
        void* p = mmap(nullptr, m_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED) fail("mmap", errno);
        ::close(fd);
        m_base = static_cast<std::byte*>(p);
    }
    ~SharedRegion() { munmap(m_base, m_size); }
    SharedRegion(const SharedRegion&) = delete;
    SharedRegion& operator=(const SharedRegion&) = delete;
    std::byte* base() const { return m_base; }

  private:
    size_t m_size;
    std::byte* m_base = nullptr;
};

size_t roundUp(size_t n, size_t to) {
    return (n + to - 1) / to * to;
}

// ---------------------------------------------------------------- coordinator side

// A worker process as the ledger books it, plus its mailbox position.
struct ShmChild : WorkerEntry {
    uint32_t outSeen = 0;
    // Reaped by the periodic check after a clean exit, before its goodbye was read.
    bool reaped = false;
    int reapedStatus = 0;
    int64_t reapedNs = 0;
};

class ShmCoordinator {
  public:
    ShmCoordinator(RunContext& ctx, std::string name, int64_t spinNs)
        : m_ctx(ctx), m_rec(ctx.coordinator()), m_name(std::move(name)), m_ledger(ctx, m_name),
          m_children(size_t(ctx.workers())) {
        const auto& spec = ctx.spec();
        const size_t chunk = size_t(spec.chunksize);
        // Inbox: the chunk's input, then the message reply. Outbox: trailer, checksums and
        // results, then the message (a chunk's results stay put while its later tasks talk).
        const size_t payload = size_t(spec.messages > 0 ? spec.payload : 0);
        m_replyOffset = roundUp(chunk * size_t(spec.inputBytes), 64);
        m_messageOffset = roundUp(sizeof(wire::ResultTrailer) + chunk * (8 + size_t(spec.resultBytes)), 64);
        const size_t need =
            std::max({m_replyOffset + payload, m_messageOffset + payload,
                      sizeof(wire::ByeTrailer) + ctx.intervalBudget() * sizeof(TimelineSegment)});
        m_capacity = roundUp(need, 4096);
        const size_t boxBytes = kHeaderRoom + m_capacity;
        m_rec.switchTo(Phase::Spawn); // creating the shared object is part of starting the pool
        m_region = std::make_unique<SharedRegion>(4096 + 2 * size_t(ctx.workers()) * roundUp(boxBytes, 4096),
                                                  m_name);
        m_rec.switchTo(Phase::Other);
        std::byte* p = m_region->base();
        m_lanes.doorbell.word = new (p) std::atomic<uint32_t>(0);
        m_lanes.doorbell.sleeping = new (p + 64) std::atomic<uint32_t>(0);
        m_lanes.doorbell.spinNs = spinNs;
        p += 4096;
        for (int i = 0; i < ctx.workers(); ++i)
            for (auto* v : {&m_lanes.in, &m_lanes.out}) {
                Box b;
                b.h = new (p) BoxHeader();
                b.data = p + kHeaderRoom;
                b.capacity = m_capacity;
                b.spinNs = spinNs;
                v->push_back(b);
                p += roundUp(boxBytes, 4096);
            }
        m_config.params = TaskParams::from(spec, ctx.work());
        m_config.salt = ctx.salt();
        m_config.intervalBudget = ctx.intervalBudget();
    }

    ~ShmCoordinator() {
        for (auto& c : m_children)
            killAndReap(c);
    }

    void run() {
        for (int lane = 0; lane < m_ctx.workers(); ++lane) {
            if (m_ctx.tasksTotal() <= int64_t(lane) * m_ctx.spec().chunksize) break; // no work for it
            startChild(lane);
        }
        int64_t lastCheck = nowNs();
        while (m_alive > 0) {
            if (m_ctx.cancelled()) {
                for (auto& c : m_children)
                    killAndReap(c, true);
                return;
            }
            const uint32_t bell = m_lanes.doorbell.word->load(std::memory_order_acquire);
            bool any = false;
            for (auto& c : m_children)
                if (c.pid > 0) any |= poll(c);
            const int64_t now = nowNs();
            if (now - lastCheck > 20'000'000) {
                lastCheck = now;
                checkChildren(now);
            }
            if (any || m_alive == 0) continue;
            m_rec.switchTo(Phase::Idle);
            // The timeout bounds cancel and crash detection.
            if (!spinWhile(*m_lanes.doorbell.word, bell, m_lanes.doorbell.spinNs))
                sleepWhile(*m_lanes.doorbell.word, bell, *m_lanes.doorbell.sleeping, 20'000'000);
            m_rec.switchTo(Phase::Ipc);
        }
    }

  private:
    void startChild(int lane) {
        ShmChild& c = m_children[size_t(lane)];
        c = ShmChild{};
        c.lane = lane;
        c.outSeen = m_lanes.out[size_t(lane)].h->seq.load(std::memory_order_acquire);
        m_rec.switchTo(Phase::Spawn);
        c.tRequest = nowNs();
        pid_t pid = fork();
        if (pid == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            close_range(3, ~0u, 0); // the mapping is all a worker needs
            _exit(shmWorkerMain(m_lanes.in[size_t(lane)], m_lanes.out[size_t(lane)], m_lanes.doorbell,
                                m_config));
        }
        if (pid < 0)
            throw BackendError(m_name + ": fork failed: " + std::strerror(errno) + processLimitHint(errno));
        c.pid = pid;
        ++m_alive;
        m_rec.switchTo(Phase::Ipc);
    }

    // Handles a new message from c, if any. Returns true when there was one.
    bool poll(ShmChild& c) {
        Box& out = m_lanes.out[size_t(c.lane)];
        const uint32_t s = out.h->seq.load(std::memory_order_acquire);
        if (s == c.outSeen) return false;
        c.outSeen = s;
        m_rec.switchTo(Phase::Ipc);
        switch (FrameType(out.h->type)) {
        case FrameType::Hello:
            m_ledger.hello(c, int64_t(out.h->a), int(int64_t(out.h->b)), out.h->taskId);
            dispatchOrExit(c);
            break;
        case FrameType::Message: {
            Box& in = m_lanes.in[size_t(c.lane)];
            if (out.h->b != m_messageOffset || out.h->length != uint64_t(m_ctx.spec().payload))
                failChild(c, "sent a malformed message");
            // The echo: one copy, shared memory to shared memory.
            std::memcpy(in.data + m_replyOffset, out.data + m_messageOffset, out.h->length);
            in.post(FrameType::Reply, out.h->taskId, out.h->a, m_replyOffset, 0, out.h->length);
            break;
        }
        case FrameType::Result:
            onResult(c, out);
            break;
        case FrameType::Bye:
            onBye(c, out);
            break;
        default:
            failChild(c, "sent unexpected message type " + std::to_string(out.h->type));
        }
        return true;
    }

    void dispatchOrExit(ShmChild& c) {
        Box& in = m_lanes.in[size_t(c.lane)];
        if (!m_ctx.cancelled()) {
            auto [first, count] = m_ctx.takeChunk(m_ctx.spec().chunksize);
            if (count > 0) {
                const size_t inBytes = size_t(m_ctx.spec().inputBytes);
                // The input is written straight into the worker's inbox: no intermediate copy.
                for (int k = 0; k < count; ++k)
                    fillPattern(std::span(in.data + size_t(k) * inBytes, inBytes),
                                inputSeed(m_ctx.seedOf(uint64_t(first + k))));
                m_ledger.dispatched(c, first, count);
                in.post(FrameType::Task, first, m_messageOffset, m_replyOffset, uint32_t(count),
                        size_t(count) * inBytes);
                return;
            }
        }
        c.exiting = true;
        in.post(FrameType::Exit, 0, 0, 0, 0, 0);
    }

    // Results and goodbyes are read in place, in the worker's outbox.
    static std::span<const std::byte> payloadOf(const Box& out) {
        return {out.data, std::min<size_t>(size_t(out.h->length), out.capacity)};
    }

    void onResult(ShmChild& c, Box& out) {
        if (out.h->length > out.capacity) failChild(c, "sent a malformed result");
        if (std::string bad = m_ledger.result(c, out.h->taskId, out.h->count, payloadOf(out)); !bad.empty())
            failChild(c, bad);
        dispatchOrExit(c);
    }

    void onBye(ShmChild& c, Box& out) {
        if (!c.exiting || out.h->length > out.capacity) failChild(c, "sent a malformed goodbye");
        if (std::string bad = m_ledger.checkBye(c, payloadOf(out)); !bad.empty()) failChild(c, bad);
        const int64_t tReapStart = m_rec.switchTo(Phase::Spawn);
        int status = c.reapedStatus;
        pid_t r = c.pid;
        if (!c.reaped)
            while ((r = waitpid(c.pid, &status, 0)) < 0 && errno == EINTR) {
            }
        const int64_t tReaped = c.reaped ? c.reapedNs : nowNs();
        m_rec.switchTo(Phase::Other);
        // A worker reaped early (seen dead while polling) was reaped at reapedNs.
        m_ledger.ended(c, payloadOf(out), c.reaped ? std::min(c.reapedNs, tReapStart) : tReapStart, tReaped);
        const std::string name = workerName(c);
        c.pid = -1;
        --m_alive;
        m_rec.switchTo(Phase::Ipc);
        if (r < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            throw BackendError(name + " ended badly: " + describeWaitStatus(status));
    }

    // A worker that died without saying goodbye, or a task past its deadline, fails the run.
    void checkChildren(int64_t now) {
        for (auto& c : m_children) {
            if (c.pid <= 0) continue;
            if (c.reaped) {
                // Exited cleanly a whole check ago and still no goodbye: it never sent one.
                const std::string name = workerName(c);
                c.pid = -1;
                --m_alive;
                throw BackendError(name + " exited without reporting its results");
            }
            int status;
            if (waitpid(c.pid, &status, WNOHANG) == c.pid) {
                if (c.exiting && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
                    // A worker exits right after writing its goodbye: this check can win the
                    // race against reading it. Keep the status; the goodbye comes next.
                    c.reaped = true;
                    c.reapedStatus = status;
                    c.reapedNs = now;
                    continue;
                }
                const std::string name = workerName(c);
                c.pid = -1;
                --m_alive;
                throw BackendError(name + " died: " + describeWaitStatus(status));
            }
            if (std::string late = m_ledger.overdue(c, now); !late.empty()) failChild(c, late);
        }
    }

    std::string workerName(const ShmChild& c) const { return m_ledger.who(c); }

    [[noreturn]] void failChild(ShmChild& c, const std::string& what) {
        throw BackendError(workerName(c) + " " + what);
    }

    void killAndReap(ShmChild& c, bool record = false) {
        if (c.pid <= 0) return;
        const int64_t tKill = nowNs();
        if (!c.reaped) { // a reaped pid may already belong to someone else
            ::kill(c.pid, SIGKILL);
            int status;
            while (waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
            }
        }
        if (record) m_ledger.killed(c, tKill, nowNs());
        c.pid = -1;
        --m_alive;
    }

    RunContext& m_ctx;
    PhaseRecorder& m_rec;
    std::string m_name;
    WorkerLedger m_ledger;
    std::vector<ShmChild> m_children;
    WorkerProcessConfig m_config;
    size_t m_capacity = 0, m_replyOffset = 0, m_messageOffset = 0;
    std::unique_ptr<SharedRegion> m_region; // outlives the children (destructor order)
    Lanes m_lanes;
    int m_alive = 0;
};

class ShmPoolBackend final : public Backend {
  public:
    explicit ShmPoolBackend(bool spin) : m_spin(spin) {}
    BackendInfo info() const override {
        if (m_spin)
            return {kSpinName, "processes",
                    "shm-pool whose waiters (workers and coordinator) spin up to 50 us for the peer's post "
                    "before they sleep on the futex: faster hand-offs between running peers, paid for in CPU "
                    "(see cores busy)"};
        return {
            kShmPoolName, "processes",
            "long-lived forked processes exchanging inputs, messages and results through POSIX shared memory "
            "with futex wake-ups, like multiprocessing.shared_memory"};
    }
    void run(RunContext& ctx) override {
        ShmCoordinator coordinator(ctx, m_spin ? kSpinName : kShmPoolName, m_spin ? kSpinNs : 0);
        coordinator.run();
    }

  private:
    bool m_spin;
};

} // namespace

std::unique_ptr<Backend> makeShmPoolBackend(bool spin) {
    return std::make_unique<ShmPoolBackend>(spin);
}

} // namespace conlab
