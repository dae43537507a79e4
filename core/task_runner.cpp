#include "task_runner.h"

#include <algorithm>

namespace conlab {

TaskOutcome runTask(const TaskParams& p, int64_t taskId, uint64_t seed, std::span<const std::byte> input,
                    MessageChannel* channel, PhaseRecorder& rec, WorkerScratch& scratch,
                    std::vector<std::byte>& result, const std::atomic<bool>* cancelFlag, int cancelFd) {
    TaskOutcome out;
    rec.switchTo(Phase::Ipc);
    out.inputOk = verifyPattern(input, inputSeed(seed));

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
    rec.switchTo(Phase::Ipc);
    result.resize(size_t(p.resultBytes));
    fillPattern(result, resultSeed(out.checksum));
    return out;
}

} // namespace conlab
