// `workers` long-lived forked processes whose inputs, messages and results travel through
// POSIX shared memory instead of pipes: the native counterpart of multiprocessing's
// Value/Array/shared_memory. One shm object holds, per worker, rings in both directions: tasks
// (chunks queued ahead, up to queueDepthFor), results, and one slot each for a message and its
// reply. Wake-ups are futexes on the rings' counts, made only when the peer sleeps; the
// coordinator sleeps on one shared doorbell, which a worker rings for results only when its
// queue runs low (as a real pool's feeder is woken, not per result).
// The object is created O_EXCL, mode 0600, with an unpredictable name, and unlinked as soon
// as it is mapped, before any worker exists (workers inherit the mapping through fork), so
// nothing can be left in /dev/shm whatever happens later.
#include "../backend.h"
#include "../resource_limits.h"
#include "../system/parent_memory.h"
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
#include <sys/resource.h>
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

// One direction of one worker's lane: a ring of `depth` slots (header, then `capacity` data
// bytes each) and the count of slots written so far. Slot n is n % depth. The writer fills the
// slot, then publishes the new count; the reader reads in place. Slots are reused only when the
// protocol says the reader is done with them (see ShmCoordinator::fill), so no read index is
// shared: the coordinator counts what is in flight.
struct alignas(64) ShmRingControl {
    std::atomic<uint32_t> head{0};     // slots published (seq_cst, by the writer)
    std::atomic<uint32_t> sleeping{0}; // the reader is (about to be) in FUTEX_WAIT on head
};
struct ShmSlotHeader {
    uint32_t type = 0; // a wire::FrameType
    uint32_t count = 0;
    int64_t taskId = 0;
    uint64_t a = 0, b = 0;
    uint64_t length = 0;
};
constexpr size_t kHeaderRoom = 64;
static_assert(sizeof(ShmRingControl) == 64 && sizeof(ShmSlotHeader) <= kHeaderRoom);

struct ShmRing {
    ShmRingControl* ctl = nullptr;
    std::byte* slotBase = nullptr;
    size_t stride = 0, capacity = 0;
    uint32_t depth = 1;
    int64_t spinNs = 0; // the reader's spin before it sleeps (shm-pool:spin)

    static size_t bytesFor(uint32_t depth, size_t capacity) {
        return kHeaderRoom + size_t(depth) * (kHeaderRoom + capacity);
    }
    // Lays the ring out at p (64-byte aligned, bytesFor() bytes).
    static ShmRing at(std::byte* p, uint32_t depth, size_t capacity, int64_t spinNs) {
        ShmRing r;
        r.ctl = new (p) ShmRingControl();
        r.slotBase = p + kHeaderRoom;
        r.stride = kHeaderRoom + capacity;
        r.capacity = capacity;
        r.depth = depth;
        r.spinNs = spinNs;
        for (uint32_t i = 0; i < depth; ++i)
            new (r.slotBase + i * r.stride) ShmSlotHeader();
        return r;
    }
    ShmSlotHeader& header(uint32_t n) const {
        return *std::launder(reinterpret_cast<ShmSlotHeader*>(slotBase + size_t(n % depth) * stride));
    }
    std::byte* data(uint32_t n) const { return slotBase + size_t(n % depth) * stride + kHeaderRoom; }
    uint32_t published() const { return ctl->head.load(std::memory_order_acquire); }

    // Writer side: slot n's header (its data written before), then publish and wake the reader.
    void post(uint32_t& n, FrameType type, int64_t taskId, uint64_t a, uint64_t b, uint32_t count,
              uint64_t length) {
        ShmSlotHeader& h = header(n);
        h.type = uint32_t(type);
        h.taskId = taskId;
        h.a = a;
        h.b = b;
        h.count = count;
        h.length = length;
        ctl->head.store(++n, std::memory_order_seq_cst);
        wakeIfSleeping(ctl->head, ctl->sleeping);
    }
    // Reader side: waits until a slot past `seen` is published.
    void await(uint32_t seen) const {
        if (spinWhile(ctl->head, seen, spinNs)) return;
        while (ctl->head.load(std::memory_order_acquire) == seen)
            sleepWhile(ctl->head, seen, ctl->sleeping, -1);
    }
};

// The coordinator's doorbell: rung by worker posts it must see soon; the coordinator sleeps on it.
struct Doorbell {
    std::atomic<uint32_t>* word = nullptr;
    std::atomic<uint32_t>* sleeping = nullptr; // on its own cache line
    int64_t spinNs = 0;                        // the coordinator's spin before it sleeps
    void ring() {
        word->fetch_add(1, std::memory_order_seq_cst);
        wakeIfSleeping(*word, *sleeping);
    }
};

// One worker's rings. tasks: chunks (queued ahead up to its depth) and the exit; results: hello,
// results, goodbye; message and reply: one message outstanding each way (a task waits for its
// reply), so one slot each; bye: the goodbye's payload (the timeline), too big for a slot.
struct ShmLane {
    ShmRing tasks, results, message, reply;
    std::byte* bye = nullptr;
    size_t byeCapacity = 0;
};

// ---------------------------------------------------------------- worker process side

class ShmChannel final : public MessageChannel {
  public:
    ShmChannel(ShmLane& lane, Doorbell& doorbell) : m_lane(lane), m_doorbell(doorbell) {}
    std::span<const std::byte> exchange(int64_t taskId, uint64_t index,
                                        std::span<const std::byte> out) override {
        ShmRing& msg = m_lane.message;
        if (!out.empty()) std::memcpy(msg.data(m_sent), out.data(), out.size());
        msg.post(m_sent, FrameType::Message, taskId, index, 0, 0, out.size());
        m_doorbell.ring(); // the worker waits for the answer: always wake the coordinator
        m_lane.reply.await(m_replies);
        const uint32_t n = m_replies++;
        if (m_lane.reply.header(n).type != uint32_t(FrameType::Reply)) _exit(5);
        return {m_lane.reply.data(n), size_t(m_lane.reply.header(n).length)}; // read in place
    }

  private:
    ShmLane& m_lane;
    Doorbell& m_doorbell;
    uint32_t m_sent = 0, m_replies = 0;
};

int shmWorkerMain(ShmLane lane, Doorbell doorbell, const WorkerProcessConfig& config) {
    const int64_t tReady = nowNs();
    PhaseRecorder rec(config.intervalBudget, CpuWaitMode::Measure, config.params.probing);
    rec.start(Phase::Ipc, tReady);
    uint32_t taken = 0, posted = 0;
    // The coordinator is woken for what it must answer (hello, goodbye, messages) and for
    // results only when this worker's queue runs low: as it falls to half its depth, and when
    // it is empty. With tasks queued ahead it has no reason to be woken per result, as a real
    // pool's feeder is not.
    // A coordinator that is awake sees every result as it is posted (and at least every 20 ms).
    auto send = [&](FrameType t, int64_t taskId, uint64_t a, uint64_t b, uint32_t count, uint64_t length,
                    bool wake) {
        lane.results.post(posted, t, taskId, a, b, count, length);
        if (wake) doorbell.ring();
    };
    send(FrameType::Hello, std::max<int64_t>(0, rec.runDelayAtStartNs()), uint64_t(tReady),
         uint64_t(int64_t(sched_getcpu())), 0, 0, true);
    ShmChannel channel(lane, doorbell);
    WorkerScratch scratch;
    std::vector<std::byte> result;
    wire::ResultTrailer trailer;
    int64_t tasks = 0;
    const size_t resBytes = size_t(config.params.resultBytes);
    for (;;) {
        if (lane.tasks.published() == taken) { // nothing queued ahead: waiting for work is idle
            rec.switchTo(Phase::Idle);
            lane.tasks.await(taken);
            rec.switchTo(Phase::Ipc);
        } // else: the next chunk is there, no wait and no clock reading
        const uint32_t n = taken++;
        const ShmSlotHeader& h = lane.tasks.header(n);
        if (h.type == uint32_t(FrameType::Exit)) break;
        if (h.type != uint32_t(FrameType::Task)) return 7;
        const uint32_t count = h.count;
        const int64_t first = h.taskId;
        const size_t inBytes = size_t(h.length) / std::max<uint32_t>(1, count);
        const std::byte* input = lane.tasks.data(n); // read in place: the slot stays ours until the result
        std::byte* out = lane.results.data(posted);  // free: see ShmCoordinator::fill
        std::byte* sums = out + sizeof trailer;
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
        std::memcpy(out, &trailer, sizeof trailer);
        const uint32_t queued = lane.tasks.published() - taken;
        send(FrameType::Result, first, 0, 0, count, sizeof trailer + size_t(count) * (8 + resBytes),
             queued == lane.tasks.depth / 2 || queued == 0);
    }
    wire::ByeTrailer bye;
    rec.finishRecord(bye);
    bye.tReadyNs = tReady;
    bye.tasks = tasks;
    const auto& iv = rec.timeline().segments();
    bye.segmentCount = uint32_t(iv.size());
    std::memcpy(lane.bye, &bye, sizeof bye);
    if (!iv.empty()) std::memcpy(lane.bye + sizeof bye, iv.data(), iv.size() * sizeof(TimelineSegment));
    send(FrameType::Bye, 0, 0, 0, 0, sizeof bye + iv.size() * sizeof(TimelineSegment), true);
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

// A worker process as the ledger books it, plus its lane positions.
struct ShmChild : WorkerEntry {
    uint32_t tasksPosted = 0, resultsSeen = 0, messagesSeen = 0, repliesPosted = 0;
    // Reaped by the periodic check after a clean exit, before its goodbye was read.
    bool reaped = false;
    int reapedStatus = 0;
    int64_t reapedNs = 0;
    rusage usage{}; // of the reaped child (wait4): page faults and RSS per spawn
};

// How many chunks the coordinator queues ahead per worker: enough that a worker finds its next
// chunk waiting while the coordinator sleeps (a wake-up costs tens of µs here: ~100 µs of work
// ahead), few enough that the run's end stays balanced — one chunk for chunks of 1 ms or more,
// where a wake-up is lost in the work — and at most ~64 MiB of slots per worker.
uint32_t queueDepthFor(const WorkloadSpec& spec, size_t slotBytes) {
    constexpr uint32_t kMaxDepth = 32;
    const double chunkUs = std::max(0.0, spec.taskUs) * double(spec.chunksize);
    uint32_t depth =
        chunkUs >= 1000 ? 1 : std::min<uint32_t>(kMaxDepth, 2 + uint32_t(100.0 / std::max(chunkUs, 1.0)));
    const size_t budget = size_t(64) << 20;
    while (depth > 1 && size_t(depth) * slotBytes > budget)
        --depth;
    return depth;
}

class ShmCoordinator {
  public:
    ShmCoordinator(RunContext& ctx, std::string name, int64_t spinNs)
        : m_ctx(ctx), m_rec(ctx.coordinator()), m_name(std::move(name)), m_ledger(ctx, m_name),
          m_children(size_t(ctx.workers())) {
        const auto& spec = ctx.spec();
        const size_t chunk = size_t(spec.chunksize);
        const size_t payload = roundUp(size_t(spec.messages > 0 ? spec.payload : 0), 64);
        const size_t taskBytes = roundUp(std::max<size_t>(1, chunk * size_t(spec.inputBytes)), 64);
        const size_t resultBytes =
            roundUp(sizeof(wire::ResultTrailer) + chunk * (8 + size_t(spec.resultBytes)), 64);
        const size_t byeBytes =
            roundUp(sizeof(wire::ByeTrailer) + ctx.intervalBudget() * sizeof(TimelineSegment), 64);
        m_depth = queueDepthFor(spec, taskBytes + resultBytes);
        // The results ring holds one more slot than there can be chunks in flight: a worker
        // writes a chunk's results into its next slot while running it (fill keeps at most
        // m_depth chunks or the exit in flight, so at most m_depth - 1 other posts are unread).
        const uint32_t resultSlots = m_depth + 1;
        auto page = [](size_t n) { return roundUp(n, 4096); }; // each ring on its own pages
        const size_t laneBytes =
            page(ShmRing::bytesFor(m_depth, taskBytes)) + page(ShmRing::bytesFor(resultSlots, resultBytes)) +
            2 * page(ShmRing::bytesFor(1, std::max<size_t>(payload, 64))) + page(byeBytes);
        m_rec.switchTo(Phase::Spawn); // creating the shared object is part of starting the pool
        m_region = std::make_unique<SharedRegion>(4096 + size_t(ctx.workers()) * laneBytes, m_name);
        m_rec.switchTo(Phase::Other);
        std::byte* p = m_region->base();
        m_doorbell.word = new (p) std::atomic<uint32_t>(0);
        m_doorbell.sleeping = new (p + 64) std::atomic<uint32_t>(0);
        m_doorbell.spinNs = spinNs;
        p += 4096;
        for (int i = 0; i < ctx.workers(); ++i) {
            ShmLane lane;
            lane.tasks = ShmRing::at(p, m_depth, taskBytes, spinNs);
            p += page(ShmRing::bytesFor(m_depth, taskBytes));
            lane.results = ShmRing::at(p, resultSlots, resultBytes, spinNs);
            p += page(ShmRing::bytesFor(resultSlots, resultBytes));
            lane.message = ShmRing::at(p, 1, std::max<size_t>(payload, 64), spinNs);
            p += page(ShmRing::bytesFor(1, std::max<size_t>(payload, 64)));
            lane.reply = ShmRing::at(p, 1, std::max<size_t>(payload, 64), spinNs);
            p += page(ShmRing::bytesFor(1, std::max<size_t>(payload, 64)));
            lane.bye = p;
            lane.byeCapacity = byeBytes;
            p += page(byeBytes);
            m_lanes.push_back(lane);
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
        unsigned busyLooks = 0;
        while (m_alive > 0) {
            if (m_ctx.cancelled()) {
                for (auto& c : m_children)
                    killAndReap(c, true);
                return;
            }
            const uint32_t bell = m_doorbell.word->load(std::memory_order_acquire);
            bool any = false;
            for (auto& c : m_children)
                if (c.pid > 0) any |= poll(c);
            // The clock for the 20 ms check is read before sleeping and every 64th busy look
            // (a look with results takes ≥ 100 ns: the check is late by far less than 20 ms).
            if (any && m_alive > 0 && (++busyLooks & 63) != 0) continue;
            int64_t now = nowNs();
            if (now - lastCheck > 20'000'000) {
                lastCheck = now;
                checkChildren(now);
                now = nowNs(); // the check may have switched phases since
            }
            if (any || m_alive == 0) continue;
            m_rec.switchTo(Phase::Idle, now);
            // The timeout bounds cancel and crash detection, and how late an unrung result is seen.
            if (!spinWhile(*m_doorbell.word, bell, m_doorbell.spinNs))
                sleepWhile(*m_doorbell.word, bell, *m_doorbell.sleeping, 20'000'000);
            m_rec.switchTo(Phase::Ipc);
        }
    }

  private:
    void startChild(int lane) {
        ShmChild& c = m_children[size_t(lane)];
        c = ShmChild{};
        c.lane = lane;
        m_rec.switchTo(Phase::Spawn);
        c.tRequest = nowNs();
        pid_t pid = fork();
        if (pid == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            close_range(3, ~0u, 0);       // the mapping is all a worker needs
            ParentMemory::touchInChild(); // --child-touch: copy-on-write copies, in the spawn phase
            _exit(shmWorkerMain(m_lanes[size_t(lane)], m_doorbell, m_config));
        }
        if (pid < 0)
            throw BackendError(m_name + ": fork failed: " + std::strerror(errno) + processLimitHint(errno));
        c.pid = pid;
        ++m_alive;
        m_rec.switchTo(Phase::Ipc);
    }

    // Handles what c has posted since the last look. Returns true when there was something.
    bool poll(ShmChild& c) {
        ShmLane& lane = m_lanes[size_t(c.lane)];
        bool any = false;
        if (const uint32_t m = lane.message.published(); m != c.messagesSeen) {
            m_rec.switchTo(Phase::Ipc);
            const ShmSlotHeader& h = lane.message.header(c.messagesSeen++);
            if (m != c.messagesSeen || h.length != uint64_t(m_ctx.spec().payload))
                failChild(c, "sent a malformed message");
            // The echo: one copy, shared memory to shared memory.
            std::memcpy(lane.reply.data(c.repliesPosted), lane.message.data(c.messagesSeen - 1), h.length);
            lane.reply.post(c.repliesPosted, FrameType::Reply, h.taskId, h.a, 0, 0, h.length);
            any = true;
        }
        const uint32_t posted = lane.results.published();
        if (posted == c.resultsSeen) return any;
        // What c posted is read in place (no copy): checking it is the coordinator's other, and
        // the results of this look were all seen now (one clock reading for the batch).
        const int64_t tSeen = m_rec.switchTo(Phase::Other);
        while (c.pid > 0 && c.resultsSeen != posted) {
            const uint32_t n = c.resultsSeen++;
            const ShmSlotHeader& h = lane.results.header(n);
            switch (FrameType(h.type)) {
            case FrameType::Hello:
                m_ledger.hello(c, int64_t(h.a), int(int64_t(h.b)), h.taskId);
                break;
            case FrameType::Result: {
                if (h.length > lane.results.capacity) failChild(c, "sent a malformed result");
                const std::span<const std::byte> payload(lane.results.data(n), size_t(h.length));
                if (std::string bad = m_ledger.result(c, h.taskId, h.count, payload, tSeen); !bad.empty())
                    failChild(c, bad);
                break;
            }
            case FrameType::Bye:
                onBye(c, lane, h);
                break;
            default:
                failChild(c, "sent unexpected message type " + std::to_string(h.type));
            }
        }
        if (c.pid > 0) fill(c, lane, m_rec.switchTo(Phase::Ipc));
        return true;
    }

    // Queues chunks for c up to the depth, then its exit when the tasks run out. A tasks slot is
    // reused only once the chunk that had it is reported (at most m_depth chunks, or chunks and
    // the exit, are in flight), so the worker may read its input in place while it runs.
    // tFill: when the refill began (the dispatch time of chunks without input bytes to make).
    void fill(ShmChild& c, ShmLane& lane, int64_t tFill) {
        const size_t inBytes = size_t(m_ctx.spec().inputBytes);
        while (!c.exiting && c.inFlight.size() < m_depth) {
            auto [first, count] =
                m_ctx.cancelled() ? std::pair<int64_t, int>{0, 0} : m_ctx.takeChunk(m_ctx.spec().chunksize);
            if (count <= 0) {
                c.exiting = true;
                lane.tasks.post(c.tasksPosted, FrameType::Exit, 0, 0, 0, 0, 0);
                return;
            }
            // The input is written straight into the worker's slot: no intermediate copy.
            std::byte* in = lane.tasks.data(c.tasksPosted);
            for (int k = 0; k < count; ++k)
                fillPattern(std::span(in + size_t(k) * inBytes, inBytes),
                            inputSeed(m_ctx.seedOf(uint64_t(first + k))));
            m_ledger.dispatched(c, first, count, inBytes ? nowNs() : tFill);
            lane.tasks.post(c.tasksPosted, FrameType::Task, first, 0, 0, uint32_t(count),
                            size_t(count) * inBytes);
        }
    }

    void onBye(ShmChild& c, ShmLane& lane, const ShmSlotHeader& h) {
        if (!c.exiting || !c.inFlight.empty() || h.length > lane.byeCapacity)
            failChild(c, "sent a malformed goodbye");
        const std::span<const std::byte> payload(lane.bye, size_t(h.length));
        if (std::string bad = m_ledger.checkBye(c, payload); !bad.empty()) failChild(c, bad);
        const int64_t tReapStart = m_rec.switchTo(Phase::Spawn);
        int status = c.reapedStatus;
        pid_t r = c.pid;
        if (!c.reaped)
            while ((r = wait4(c.pid, &status, 0, &c.usage)) < 0 && errno == EINTR) {
            }
        if (r == c.pid || c.reaped) m_ctx.addChildUsage(c.usage);
        const int64_t tReaped = c.reaped ? c.reapedNs : nowNs();
        m_rec.switchTo(Phase::Other);
        // A worker reaped early (seen dead while polling) was reaped at reapedNs.
        m_ledger.ended(c, payload, c.reaped ? std::min(c.reapedNs, tReapStart) : tReapStart, tReaped);
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
            if (wait4(c.pid, &status, WNOHANG, &c.usage) == c.pid) {
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
    uint32_t m_depth = 1;                   // chunks queued ahead per worker (queueDepthFor)
    std::unique_ptr<SharedRegion> m_region; // outlives the children (destructor order)
    Doorbell m_doorbell;
    std::vector<ShmLane> m_lanes;
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
