// The worker-process side of the process backends: the loop a forked, forkserver-forked or
// exec'd (conlab-worker) process runs. Qt-free, so conlab-worker links only what it needs.
#include "process_workers.h"

#include "../wire_protocol.h"

#include <algorithm>
#include <sched.h>
#include <unistd.h>
#include <vector>

namespace conlab {

using namespace wire;

// ---------------------------------------------------------------- worker process side

namespace {

class PipeChannel final : public MessageChannel {
  public:
    PipeChannel(int readFd, int writeFd, FrameReader& reader, std::vector<std::byte>& batch)
        : m_read(readFd), m_write(writeFd), m_reader(reader), m_batch(batch) {}
    std::span<const std::byte> exchange(int64_t taskId, uint64_t index,
                                        std::span<const std::byte> out) override {
        FrameHeader h;
        h.type = uint32_t(FrameType::Message);
        h.taskId = taskId;
        h.a = index;
        h.length = out.size();
        // Results batched so far go first, in the same write (the coordinator has no tasks
        // queued ahead for chatty tasks: its reply is the next frame this worker reads).
        std::span<const std::byte> parts[] = {out};
        appendFrame(m_batch, h, parts);
        if (!writeBatch(m_write, m_batch)) _exit(4);
        FrameHeader r;
        if (!readFrame(m_read, m_reader, r, m_reply) || r.type != uint32_t(FrameType::Reply)) _exit(5);
        return m_reply;
    }

  private:
    int m_read, m_write;
    FrameReader& m_reader;
    std::vector<std::byte>& m_batch;
    std::vector<std::byte> m_reply;
};

} // namespace

int workerProcessMain(int readFd, int writeFd, const WorkerProcessConfig& config) {
    const int64_t tReady = nowNs();
    PhaseRecorder rec(config.intervalBudget, CpuWaitMode::Measure, config.params.probing);
    rec.start(Phase::Ipc, tReady);
    FrameHeader hello;
    hello.type = uint32_t(FrameType::Hello);
    hello.a = uint64_t(tReady);
    hello.b = uint64_t(int64_t(sched_getcpu()));
    hello.taskId = std::max<int64_t>(0, rec.runDelayAtStartNs()); // since fork/exec: waiting for a CPU
    if (!writeFrame(writeFd, hello)) return 2;

    FrameReader reader;
    // Results wait here while the coordinator's next chunk is already buffered, until half the
    // depth it queues ahead (the Task frame's b) has gathered: one write per batch, and the
    // coordinator refills while this worker still has work.
    std::vector<std::byte> batch;
    uint32_t batched = 0;
    PipeChannel channel(readFd, writeFd, reader, batch);
    WorkerScratch scratch;
    std::vector<std::byte> payload, result, out;
    std::vector<uint64_t> checksums;
    ResultTrailer trailer;
    int64_t tasks = 0;
    for (;;) {
        FrameHeader h;
        // Waiting for the first byte of the next frame is idle; the rest of the frame is ipc. A
        // chunk queued ahead is already buffered: no wait, so no idle (and no clock reading).
        for (;;) {
            auto st = reader.next(h, payload);
            if (st == FrameReader::Status::Frame) break;
            if (st == FrameReader::Status::Error) return 6;
            if (reader.buffered() == 0) rec.enter(Phase::Idle); // between frames: waiting for work
            long n = reader.readOnce(readFd);
            if (n <= 0) return 3; // coordinator gone
            if (rec.current() == Phase::Idle) rec.switchTo(Phase::Ipc);
        }
        rec.enter(Phase::Ipc);
        if (h.type == uint32_t(FrameType::Exit)) break;
        if (h.type != uint32_t(FrameType::Task)) return 7;
        // Never trust a frame's claims: a chunk is 1 … maxChunksize tasks of inputBytes each.
        if (h.count == 0 || h.count > uint32_t(SpecLimits::maxChunksize) ||
            payload.size() != uint64_t(h.count) * uint64_t(config.params.inputBytes))
            return 8;
        const size_t inBytes = payload.size() / std::max<uint32_t>(1, h.count);
        const uint32_t depth = uint32_t(std::clamp<uint64_t>(h.b, 1, 64));
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
        rec.switchTo(Phase::Ipc); // sending the result
        trailer.phases = rec.totals();
        trailer.cpu = sched_getcpu();
        FrameHeader rh;
        rh.type = uint32_t(FrameType::Result);
        rh.taskId = h.taskId;
        rh.count = h.count;
        std::span<const std::byte> parts[] = {asBytes(trailer), std::as_bytes(std::span(checksums)), out};
        rh.length = sizeof trailer + checksums.size() * 8 + out.size();
        // Recorded before the write so the trailer's totals cover everything up to here.
        appendFrame(batch, rh, parts);
        if (++batched >= std::max<uint32_t>(1, depth / 2) || !reader.hasFrame()) {
            if (!writeBatch(writeFd, batch)) return 4;
            batched = 0;
        }
    }
    ByeTrailer bye;
    rec.finishRecord(bye);
    bye.tReadyNs = tReady;
    bye.tasks = tasks;
    const auto& iv = rec.timeline().segments();
    bye.segmentCount = uint32_t(iv.size());
    FrameHeader bh;
    bh.type = uint32_t(FrameType::Bye);
    bh.length = sizeof bye + iv.size() * sizeof(TimelineSegment);
    std::span<const std::byte> parts[] = {asBytes(bye), std::as_bytes(std::span(iv))};
    appendFrame(batch, bh, parts); // after any results still batched
    writeBatch(writeFd, batch);
    return 0;
}

} // namespace conlab
