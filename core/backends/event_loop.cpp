// One thread runs every task as a non-blocking state machine on an epoll loop, like asyncio:
// `workers` is the number of tasks in flight. An io wait arms the task's own timerfd and
// yields to the loop; cpu and memory segments run inline (no speedup, by design). Messages go
// to a coordinator mailbox served by the same loop (like an asyncio.Queue between coroutines).
//
// Faults and --task-timeout (docs/reliability.md): every task stamps a TaskWatch slot of its
// in-flight position from its start to its completion (so its time includes waiting for the
// loop, like asyncio.wait_for); as the loop itself may be the one stuck (a long inline
// segment, an injected hang), a TaskWatchdog thread checks the stamps and cancels the run's
// token, which stops kernels, wakes epoll_wait and releases the hang. An injected crash, kill
// or exit surfaces as a worker failure (one thread cannot really crash alone); an injected
// hang blocks the loop thread (a coroutine stuck in a blocking call).
#include "../backend.h"
#include "../task_cursor.h"
#include "../task_runner.h"
#include "../task_watch.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <optional>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

namespace conlab {
namespace {

constexpr const char* kEventLoopName = "event-loop";

// One in-flight position: runs the tasks of its chunk one after the other.
struct Flight {
    enum class State { Free, Ready, WaitTimer, WaitReply } state = State::Free;
    int64_t first = 0;
    int count = 0, k = 0; // chunk and position in it
    int64_t id = 0;
    uint64_t seed = 0;
    std::optional<TaskCursor> cursor; // the running task's work, resumed segment by segment
    bool started = false;             // the current task has passed its input stage
    int64_t tStart = 0;               // latency: since the task was taken
    int64_t tMessage = 0;
    int timerFd = -1;
    TaskOutcome outcome;
    std::vector<uint64_t> memory; // memory tasks: own buffer (tasks interleave)
    std::vector<std::byte> input, message, reply, result;
};

class EventLoopBackend final : public Backend {
  public:
    BackendInfo info() const override {
        return {
            kEventLoopName, "async",
            "one thread runs every task as a state machine on epoll (timers for io), like asyncio; workers = "
            "tasks in flight"};
    }

    void run(RunContext& ctx) override {
        Loop loop(ctx);
        loop.run();
    }

  private:
    class Loop {
      public:
        explicit Loop(RunContext& ctx)
            : m_ctx(ctx), m_params(TaskParams::from(ctx.spec(), ctx.work())),
              m_rec(ctx.intervalBudget(), CpuWaitMode::Measure, ctx.probing()),
              m_flights(size_t(ctx.workers())), m_watch(ctx.workers()) {
            m_epoll = epoll_create1(EPOLL_CLOEXEC);
            if (m_epoll < 0)
                throw BackendError(std::string(kEventLoopName) + ": epoll_create1: " + std::strerror(errno));
            epoll_event ev{};
            ev.events = EPOLLIN;
            ev.data.u64 = kCancelKey;
            epoll_ctl(m_epoll, EPOLL_CTL_ADD, ctx.cancel().fd(), &ev);
        }
        ~Loop() {
            for (auto& f : m_flights)
                if (f.timerFd >= 0) ::close(f.timerFd);
            ::close(m_epoll);
        }

        void run() {
            WorkerRecord w;
            w.tRequestNs = w.tReadyNs = nowNs();
            w.cpuFirst = sched_getcpu();
            m_rec.attachLane(&m_ctx.lane(0));
            m_rec.start(Phase::Ipc, w.tReadyNs);
            m_ctx.coordinator().switchTo(Phase::Idle, w.tReadyNs); // the loop is the worker
            try {
                TaskWatchdog watchdog(m_ctx, m_watch); // --task-timeout: the loop may be what is stuck
                loop();
                if (auto late = watchdog.fired()) {
                    const double limit = m_ctx.spec().taskTimeoutS;
                    // Every task in flight waits while one blocks the loop, so the watchdog's pick
                    // may be a victim: a task whose step held the loop for at least half the limit
                    // when the run was stopped is named as the one that blocked it.
                    auto own = m_watch.running(m_stoppedIn);
                    if (own && own->lane != late->lane && m_stoppedStepS >= limit / 2) {
                        char what[240];
                        std::snprintf(
                            what, sizeof what,
                            " timed out: task %lld blocked the loop for %.3g s, so task %lld (in-flight "
                            "slot %d) was still running after %.3g s (--task-timeout %g s)",
                            static_cast<long long>(own->taskId), m_stoppedStepS,
                            static_cast<long long>(late->taskId), late->lane, late->ranS, limit);
                        throw BackendError(who(size_t(own->lane)) + what);
                    }
                    throw BackendError(who(size_t(late->lane)) + " " + TaskWatch::describe(*late, limit));
                }
            } catch (...) {
                finishRecord(w, m_tasks);
                throw;
            }
            finishRecord(w, m_tasks);
        }

      private:
        static std::string who(size_t flight) {
            return std::string(kEventLoopName) + ": worker (in-flight slot " + std::to_string(flight) +
                   " of the loop thread)";
        }

        void finishRecord(WorkerRecord& w, int64_t tasks) {
            m_rec.finishRecord(w);
            w.tReapedNs = w.tDoneNs;
            w.tasks = tasks;
            w.timeline = m_rec.timeline();
            m_ctx.addRoundTrips(m_roundTrips, m_roundTripNs);
            m_ctx.addWorker(std::move(w));
        }

        void loop() {
            for (size_t i = 0; i < m_flights.size(); ++i)
                if (!admit(i)) break;
            while (m_active > 0 && !m_ctx.cancelled()) {
                if (!m_mailbox.empty()) serveMailbox();
                if (!m_ready.empty()) {
                    size_t i = m_ready.front();
                    m_ready.pop_front();
                    const int64_t stepStart = nowNs();
                    m_tasks += step(i);
                    if (m_stoppedIn < 0 && m_ctx.cancelled()) {
                        m_stoppedIn = int(i);
                        m_stoppedStepS = double(nowNs() - stepStart) * 1e-9;
                    }
                    continue;
                }
                m_rec.switchTo(Phase::Idle);
                epoll_event events[64];
                int n = epoll_wait(m_epoll, events, 64, -1);
                m_rec.switchTo(Phase::Ipc);
                if (n < 0 && errno != EINTR)
                    throw BackendError(std::string(kEventLoopName) + ": epoll_wait: " + std::strerror(errno));
                for (int e = 0; e < n; ++e) {
                    if (events[e].data.u64 == kCancelKey) continue;
                    Flight& f = m_flights[events[e].data.u64];
                    uint64_t expirations;
                    [[maybe_unused]] auto r = ::read(f.timerFd, &expirations, sizeof expirations);
                    if (f.state == Flight::State::WaitTimer) {
                        f.state = Flight::State::Ready;
                        m_ready.push_back(size_t(events[e].data.u64));
                    }
                }
            }
        }

        // Takes the next chunk into flight i; false when no task is left.
        bool admit(size_t i) {
            Flight& f = m_flights[i];
            auto [first, count] = m_ctx.takeChunk(m_ctx.spec().chunksize);
            if (count == 0) {
                f.state = Flight::State::Free;
                return false;
            }
            f.first = first;
            f.count = count;
            f.k = 0;
            f.started = false;
            f.state = Flight::State::Ready;
            ++m_active;
            m_ready.push_back(i);
            return true;
        }

        // The coordinator's side of messages: echo each payload back (ipc of the same thread).
        void serveMailbox() {
            m_rec.switchTo(Phase::Ipc);
            while (!m_mailbox.empty()) {
                Flight& f = m_flights[m_mailbox.front()];
                f.reply.assign(f.message.begin(), f.message.end());
                f.state = Flight::State::Ready;
                m_ready.push_back(m_mailbox.front());
                m_mailbox.pop_front();
            }
        }

        // Runs flight i until it blocks or its chunk is done. Returns tasks completed.
        int step(size_t i) {
            Flight& f = m_flights[i];
            int done = 0;
            for (;;) {
                if (!f.started) {
                    // A task begins: its input is made and checked (ipc when it has bytes),
                    // memory is initialised.
                    m_rec.switchTo(m_ctx.spec().inputBytes > 0 ? Phase::Ipc : Phase::Compute);
                    f.id = f.first + f.k;
                    f.seed = m_ctx.seedOf(uint64_t(f.id));
                    f.tStart = nowNs();
                    m_watch.begin(int(i), f.id, 1);
                    if (m_params.faultKind != FaultKind::None && m_params.faultTaskId == f.id) {
                        try {
                            if (injectFault(m_params, f.id, m_ctx.cancel().flag(), m_ctx.cancel().fd()))
                                return done; // a hang, released by the watchdog's cancel
                        } catch (const WorkerFault& e) {
                            throw BackendError(who(i) + " " + e.what());
                        }
                    }
                    f.input.resize(size_t(m_ctx.spec().inputBytes));
                    fillPattern(f.input, inputSeed(f.seed));
                    f.outcome = TaskOutcome{};
                    f.outcome.inputOk = verifyPattern(f.input, inputSeed(f.seed));
                    f.started = true;
                    m_rec.switchTo(Phase::Compute);
                    f.cursor.emplace(m_params.work, m_params.messages, f.seed, f.memory);
                    if (!runSegment(i)) return done; // waiting on its timer
                } else if (f.state == Flight::State::Ready && f.tMessage != 0) {
                    // Back from the mailbox: check the reply, go on with the next segment.
                    m_rec.switchTo(Phase::Ipc);
                    f.outcome.replyOk = f.outcome.replyOk && verifyPattern(f.reply, f.cursor->messageSeed());
                    m_roundTrips += 1;
                    m_roundTripNs += nowNs() - f.tMessage;
                    f.tMessage = 0;
                    f.cursor->nextSegment();
                    m_rec.switchTo(Phase::Compute);
                    if (!runSegment(i)) return done;
                }
                // Segment f.segment finished (inline, or its timer fired).
                if (f.cursor->messageAfterSegment()) {
                    m_rec.switchTo(Phase::Ipc);
                    f.message.resize(size_t(m_params.payload));
                    fillPattern(f.message, f.cursor->messageSeed());
                    f.tMessage = nowNs();
                    f.state = Flight::State::WaitReply;
                    m_mailbox.push_back(i);
                    return done;
                }
                if (!finishTask(f)) return done;
                m_watch.end(int(i));
                ++done;
                if (++f.k < f.count) {
                    f.started = false;
                    continue;
                }
                --m_active;
                f.state = Flight::State::Free;
                if (!m_ctx.cancelled() && admit(i)) m_ready.pop_back(); // run it right here
                if (f.state == Flight::State::Free) return done;
                f.started = false;
            }
        }

        // Runs the current segment: inline for cpu/memory; io arms the timer. False when waiting.
        bool runSegment(size_t i) {
            Flight& f = m_flights[i];
            const int64_t waitNs = f.cursor->runSegment(m_ctx.cancel().flag());
            if (waitNs > 0) {
                armTimer(i, waitNs);
                f.state = Flight::State::WaitTimer;
                return false;
            }
            f.state = Flight::State::Ready;
            return true;
        }

        void armTimer(size_t i, int64_t ns) {
            Flight& f = m_flights[i];
            if (f.timerFd < 0) {
                f.timerFd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
                if (f.timerFd < 0)
                    throw BackendError(
                        std::string(kEventLoopName) + ": timerfd_create: " + std::strerror(errno) +
                        (errno == EMFILE ? " (one timer per task in flight: lower --workers or raise "
                                           "ulimit -n)"
                                         : ""));
                epoll_event ev{};
                ev.events = EPOLLIN;
                ev.data.u64 = i;
                epoll_ctl(m_epoll, EPOLL_CTL_ADD, f.timerFd, &ev);
            }
            itimerspec its{};
            its.it_value.tv_sec = ns / 1'000'000'000;
            its.it_value.tv_nsec = ns % 1'000'000'000;
            timerfd_settime(f.timerFd, 0, &its, nullptr);
        }

        // False when cancelled: a cut-short kernel has no valid checksum to report.
        bool finishTask(Flight& f) {
            if (m_ctx.cancelled()) return false;
            const uint64_t checksum = f.cursor->checksum();
            if (m_params.resultBytes > 0) {
                m_rec.switchTo(Phase::Ipc);
                f.result.resize(size_t(m_params.resultBytes));
                fillPattern(f.result, resultSeed(checksum));
            }
            // Verifying and counting is conlab's bookkeeping, not the loop's work: the loop
            // thread is the coordinator's other meanwhile, its worker record idle.
            const int64_t t = m_rec.switchTo(Phase::Idle);
            m_ctx.coordinator().switchTo(Phase::Other, t);
            if (!f.outcome.inputOk || !f.outcome.replyOk)
                throw BackendError(std::string(kEventLoopName) + ": payload bytes corrupted in task " +
                                   std::to_string(f.id));
            m_ctx.verifyResultBytes(f.id, f.result, kEventLoopName);
            m_ctx.completeTask(f.id, checksum, nowNs() - f.tStart, kEventLoopName);
            m_ctx.lane(0).tasksDone.fetch_add(1, std::memory_order_relaxed);
            m_ctx.coordinator().switchTo(Phase::Idle, m_rec.switchTo(Phase::Ipc));
            m_rec.publish();
            return true;
        }

        static constexpr uint64_t kCancelKey = ~uint64_t(0);
        RunContext& m_ctx;
        TaskParams m_params;
        PhaseRecorder m_rec;
        std::vector<Flight> m_flights;
        TaskWatch m_watch; // per in-flight slot: the running task's start
        int64_t m_tasks = 0;
        int m_stoppedIn = -1;      // the flight the loop was running when the run was cancelled
        double m_stoppedStepS = 0; // and for how long that step had held the loop
        std::deque<size_t> m_ready, m_mailbox;
        int m_epoll = -1;
        int m_active = 0;
        int64_t m_roundTrips = 0, m_roundTripNs = 0;
    };
};

} // namespace

std::unique_ptr<Backend> makeEventLoopBackend() {
    return std::make_unique<EventLoopBackend>();
}

} // namespace conlab
