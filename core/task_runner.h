#pragma once
// The worker side of one task, shared by every native backend: verify the input, compute in
// (messages + 1) even segments, exchange a message with the coordinator between segments,
// and produce the result bytes. Phases are recorded as it goes: ipc around the bytes,
// compute around the kernel.
#include "cancel_token.h"
#include "phase_recorder.h"
#include "task_kernel.h"

#include <cstddef>
#include <span>
#include <stdexcept>
#include <sys/types.h>
#include <unistd.h>
#include <vector>

namespace conlab {

// The worker's end of a message exchange. exchange() sends `out` and returns the reply; the
// whole round trip counts as ipc (the worker is blocked on communication).
class MessageChannel {
  public:
    virtual ~MessageChannel() = default;
    virtual std::span<const std::byte> exchange(int64_t taskId, uint64_t index,
                                                std::span<const std::byte> out) = 0;
};

struct TaskOutcome {
    uint64_t checksum = 0;
    bool inputOk = true;
    bool replyOk = true;
    bool cancelled = false;
    int64_t roundTrips = 0;
    int64_t roundTripNs = 0;
};

struct TaskParams {
    static TaskParams from(const WorkloadSpec& spec, const TaskWork& work) {
        TaskParams p;
        p.work = work;
        p.messages = spec.messages;
        p.payload = spec.payload;
        p.resultBytes = spec.resultBytes;
        p.inputBytes = spec.inputBytes;
        p.faultKind = spec.fault.kind; // the engine already dropped faults meant for other backends
        p.faultTaskId = spec.fault.taskId;
        p.coordinatorPid = getpid();
        p.probing = spec.probes == Probes::Off ? Probing::Bare : Probing::On;
        return p;
    }
    TaskWork work;
    int64_t messages = 0;
    int64_t payload = 0;
    int64_t resultBytes = 0;
    int64_t inputBytes = 0;
    // Testing only (--inject-fault). Plain fields: TaskParams travels as bytes to exec'd workers.
    FaultKind faultKind = FaultKind::None;
    int64_t faultTaskId = -1;
    pid_t coordinatorPid = -1;     // a task running in another process is in a worker process
    Probing probing = Probing::On; // bare: the worker's recorder records nothing
};

// An injected fault in a worker that shares the app's process (threads, sequential): what
// would be a signal or an exit in a worker process surfaces as this exception.
class WorkerFault : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// The --inject-fault hook (testing only, docs/reliability.md), called by runTask before a
// task's input is checked when p.faultTaskId == taskId; backends that do not go through
// runTask (event-loop) call it themselves. In a worker process: a real SIGSEGV, SIGKILL,
// _exit(3) or a pause() until killed. In the app's process: throws WorkerFault for crash,
// kill and exit; a hang blocks until cancelFlag/cancelFd is set and then returns true (the
// task must stop as cancelled). Returns false when nothing was injected.
bool injectFault(const TaskParams& p, int64_t taskId, const std::atomic<bool>* cancelFlag, int cancelFd);

// Runs task `taskId`. Expects the recorder in any phase; leaves it in Ipc when the task has
// result bytes, else in Compute (callers switch to Ipc for their own hand-off of the result). `result` is
// resized to resultBytes and filled. Messages go through `channel` (may be null if messages == 0).
TaskOutcome runTask(const TaskParams& p, int64_t taskId, uint64_t seed, std::span<const std::byte> input,
                    MessageChannel* channel, PhaseRecorder& rec, WorkerScratch& scratch,
                    std::vector<std::byte>& result, const std::atomic<bool>* cancelFlag, int cancelFd);

} // namespace conlab
