#include "task_runner.h"

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

    const uint64_t segments = uint64_t(p.messages) + 1;
    const TaskWork& w = p.work;
    uint64_t cpuState = seed;
    uint64_t memSum = 0;
    std::vector<std::byte> message(size_t(p.messages > 0 ? p.payload : 0));

    rec.switchTo(Phase::Compute);
    if (w.kind == TaskKind::Memory) {
        // The init pass: buffer word i = seed + i (part of compute).
        auto& buf = scratch.buffer();
        if (buf.size() < w.words) buf.resize(w.words);
        for (uint64_t i = 0; i < w.words; ++i)
            buf[i] = seed + i;
    }
    uint64_t visited = 0;
    for (uint64_t s = 0; s < segments; ++s) {
        // Segment s covers [s*n/segments, (s+1)*n/segments) of the work.
        auto part = [&](uint64_t n) {
            return (n / segments) * (s + 1) + std::min<uint64_t>(n % segments, s + 1) -
                   ((n / segments) * s + std::min<uint64_t>(n % segments, s));
        };
        switch (w.kind) {
        case TaskKind::Cpu:
            cpuState = runCpu(cpuState, part(w.iterations), cancelFlag);
            break;
        case TaskKind::Memory: {
            uint64_t n = part(w.iterations);
            uint64_t* b = scratch.buffer().data();
            uint64_t idx = w.words ? visited % w.words : 0;
            for (uint64_t k = 0; k < n; ++k) {
                memSum += b[idx];
                b[idx] += 1;
                if (++idx == w.words) {
                    idx = 0;
                    if (cancelFlag && cancelFlag->load(std::memory_order_relaxed)) break;
                }
            }
            visited += n;
            break;
        }
        case TaskKind::Io: {
            int64_t ns = w.waitNs / int64_t(segments) + (uint64_t(w.waitNs % int64_t(segments)) > s ? 1 : 0);
            if (!runIoWait(ns, scratch, cancelFd)) out.cancelled = true;
            break;
        }
        }
        if (cancelFlag && cancelFlag->load(std::memory_order_relaxed)) {
            out.cancelled = true;
            break;
        }
        if (s + 1 < segments) {
            int64_t t0 = rec.switchTo(Phase::Ipc);
            uint64_t mseed = messageSeed(seed, s);
            fillPattern(message, mseed);
            auto reply = channel->exchange(taskId, s, message);
            int64_t t1 = nowNs();
            out.replyOk = out.replyOk && verifyPattern(reply, mseed);
            ++out.roundTrips;
            out.roundTripNs += t1 - t0;
            rec.switchTo(Phase::Compute);
        }
    }
    switch (w.kind) {
    case TaskKind::Cpu:
        out.checksum = cpuState;
        break;
    case TaskKind::Memory:
        out.checksum = memSum;
        break;
    case TaskKind::Io:
        out.checksum = splitmix64(seed ^ 0x10);
        break;
    }
    result.resize(size_t(p.resultBytes));
    if (p.resultBytes > 0) {
        rec.switchTo(Phase::Ipc);
        fillPattern(result, resultSeed(out.checksum));
    }
    return out;
}

} // namespace conlab
