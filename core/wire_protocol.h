#pragma once
// The framed protocol between a coordinator and its worker processes (pipes or sockets).
// A frame is a fixed header followed by `length` payload bytes. Parsing never trusts the
// peer: a bad magic, type or length is a protocol error, not a crash.
#include "measurement/timeline.h"
#include "phase.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace conlab::wire {

enum class FrameType : uint32_t {
    Hello = 1,   // worker → coordinator: a = tReady, b = cpu, taskId = cpu-wait before tReady (ns)
    Task = 2,    // coordinator → worker: taskId = first, count tasks, payload = count × input
    Message = 3, // worker → coordinator: taskId, a = index, payload
    Reply = 4,   // coordinator → worker: payload (echo)
    Result = 5,  // worker → coordinator: taskId = first, count, payload = ResultTrailer, checksums, results
    Exit = 6,    // coordinator → worker: finish and report
    Bye = 7,     // worker → coordinator: payload = ByeTrailer + timeline segments
    Error = 8,   // worker → coordinator: payload = message text
    Config = 9,  // coordinator → exec'd worker, first frame: a = layout size, b = version, payload = config
};

constexpr uint32_t kMagic = 0x434C4142; // "CLAB"
constexpr uint64_t kMaxPayload = (uint64_t(1) << 40);

struct FrameHeader {
    uint32_t magic = kMagic;
    uint32_t type = 0;
    int64_t taskId = 0;
    uint64_t a = 0;
    uint64_t b = 0;
    uint32_t count = 0;
    uint32_t reserved = 0;
    uint64_t length = 0;
};
static_assert(sizeof(FrameHeader) == 48);

struct ResultTrailer {
    PhaseTotals phases; // cumulative since the worker started
    int64_t roundTrips = 0;
    int64_t roundTripNs = 0;
    uint32_t inputOk = 1;
    uint32_t replyOk = 1;
    int32_t cpu = -1;
    uint32_t cancelled = 0;
};

struct ByeTrailer {
    PhaseTotals phases; // final, partitions [tReady, tDone]
    int64_t tReadyNs = 0;
    int64_t tDoneNs = 0;
    int32_t cpuLast = -1;
    uint32_t segmentCount = 0; // TimelineSegments follow
    int64_t tasks = 0;
    int64_t cpuChanges = -1, involuntarySwitches = -1; // WorkerRecord's
};

// Accumulates bytes from reads and yields complete frames.
class FrameReader {
  public:
    enum class Status { NeedMore, Frame, Error };
    // Reads once from fd (blocking fd: returns what is available). Returns bytes read,
    // 0 on EOF, -1 on error (errno set; EINTR only when !retryInterrupted).
    long readOnce(int fd, bool retryInterrupted = true);
    // Appends bytes (for tests and fuzzing).
    void feed(std::span<const std::byte> bytes);
    // Extracts the next complete frame into header/payload.
    Status next(FrameHeader& header, std::vector<std::byte>& payload);
    const std::string& error() const { return m_error; }
    size_t buffered() const { return m_end - m_begin; }
    // A whole frame (header and payload) is buffered: next() returns it without reading.
    bool hasFrame() const;

  private:
    void compact(size_t need);
    std::vector<std::byte> m_buf = std::vector<std::byte>(64 * 1024);
    size_t m_begin = 0, m_end = 0;
    std::string m_error;
};

// Checks a header for sanity (magic, type, size limits).
std::optional<std::string> validateHeader(const FrameHeader& h);

// Writes header + payload parts with writev, retrying on EINTR/partial writes.
// Returns false on error (errno set; EPIPE when the peer is gone).
bool writeFrame(int fd, const FrameHeader& header, std::span<const std::span<const std::byte>> parts);
bool writeFrame(int fd, const FrameHeader& header, std::span<const std::byte> payload = {});
// Frames batched for one write (queue ahead, results in batches): appendFrame adds header +
// parts to `batch`; writeBatch writes it all (retrying on EINTR/partial writes) and clears it.
void appendFrame(std::vector<std::byte>& batch, const FrameHeader& header,
                 std::span<const std::span<const std::byte>> parts);
bool writeBatch(int fd, std::vector<std::byte>& batch);
// Blocking read of one full frame (worker side). Returns false on EOF/error/bad frame.
bool readFrame(int fd, FrameReader& reader, FrameHeader& header, std::vector<std::byte>& payload);

template <typename T> std::span<const std::byte> asBytes(const T& v) {
    return std::as_bytes(std::span<const T>(&v, 1));
}

} // namespace conlab::wire
