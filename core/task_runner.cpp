#include "task_runner.h"

#include "task_cursor.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <poll.h>
#include <string>
#include <sys/resource.h>
#include <thread>

namespace conlab {

bool injectFault(const TaskParams& p, int64_t taskId, const std::atomic<bool>* cancelFlag, int cancelFd) {
    const bool workerProcess = p.coordinatorPid > 0 && getpid() != p.coordinatorPid;
    const std::string task = "task " + std::to_string(taskId);
    if (workerProcess) {
        switch (p.faultKind) {
        case FaultKind::Crash: {
            rlimit none{0, 0}; // no core file for a deliberate crash
            setrlimit(RLIMIT_CORE, &none);
            std::signal(SIGSEGV, SIG_DFL);
            std::raise(SIGSEGV);
            break;
        }
        case FaultKind::Kill:
            std::raise(SIGKILL);
            break;
        case FaultKind::Exit:
            _exit(3);
        case FaultKind::Hang:
            for (;;) // until the coordinator's timeout kills us (or PR_SET_PDEATHSIG does)
                pause();
        case FaultKind::None:
            break;
        }
        return false;
    }
    switch (p.faultKind) {
    case FaultKind::Crash:
        throw WorkerFault("crashed in " + task +
                          " (injected; a thread cannot really segfault without "
                          "taking the app down, so this is reported as a worker failure)");
    case FaultKind::Kill:
        throw WorkerFault("was killed in " + task + " (injected)");
    case FaultKind::Exit:
        throw WorkerFault("exited early in " + task + " (injected)");
    case FaultKind::Hang:
        // Blocks like a stuck task until the run is cancelled: the coordinator's
        // --task-timeout check cancels it, which is what frees a hung thread.
        for (;;) {
            if (cancelFlag && cancelFlag->load(std::memory_order_relaxed)) return true;
            if (cancelFd >= 0) {
                pollfd pfd{cancelFd, POLLIN, 0};
                if (poll(&pfd, 1, 50) > 0) return true;
            } else {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
        }
    case FaultKind::None:
        break;
    }
    return false;
}

TaskOutcome runTask(const TaskParams& p, int64_t taskId, uint64_t seed, std::span<const std::byte> input,
                    MessageChannel* channel, PhaseRecorder& rec, WorkerScratch& scratch,
                    std::vector<std::byte>& result, const std::atomic<bool>* cancelFlag, int cancelFd) {
    TaskOutcome out;
    // Ipc only where bytes move: a task without input starts computing at once.
    if (p.inputBytes > 0) rec.switchTo(Phase::Ipc);
    if (p.faultKind != FaultKind::None && p.faultTaskId == taskId &&
        injectFault(p, taskId, cancelFlag, cancelFd)) {
        out.cancelled = true;
        return out;
    }
    if (p.inputBytes > 0 || !input.empty()) out.inputOk = verifyPattern(input, inputSeed(seed));

    std::vector<std::byte> message(size_t(p.messages > 0 ? p.payload : 0));

    rec.enter(Phase::Compute); // a caller that starts the task in compute has read the clock
    TaskCursor cursor(p.work, p.messages, seed, scratch.buffer());
    for (;;) {
        const int64_t waitNs = cursor.runSegment(cancelFlag);
        if (waitNs > 0 && !runIoWait(waitNs, scratch, cancelFd)) out.cancelled = true;
        if (cancelFlag && cancelFlag->load(std::memory_order_relaxed)) {
            out.cancelled = true;
            break;
        }
        if (!cursor.messageAfterSegment()) break;
        const int64_t t0 = rec.switchTo(Phase::Ipc);
        const uint64_t mseed = cursor.messageSeed();
        fillPattern(message, mseed);
        auto reply = channel->exchange(taskId, cursor.segment(), message);
        out.replyOk = out.replyOk && verifyPattern(reply, mseed);
        // The round trip ends with its reply verified (docs/measurement.md): one clock read
        // ends both it and the ipc interval (~40 ns each on a 2-vCPU VM, 1% of a pipe round trip).
        const int64_t t1 = rec.switchTo(Phase::Compute);
        ++out.roundTrips;
        out.roundTripNs += t1 - t0;
        cursor.nextSegment();
    }
    out.checksum = cursor.checksum();
    result.resize(size_t(p.resultBytes));
    if (p.resultBytes > 0) {
        rec.switchTo(Phase::Ipc);
        fillPattern(result, resultSeed(out.checksum));
    }
    return out;
}

} // namespace conlab
