#pragma once
// The raw mechanisms conlab's figures are checked against (docs/fidelity.md): process and
// thread creation, and one-message round trips over a pipe, a futex and a spinning shared
// word. Independent microbenchmarks that share no code with the backends, so they can check
// what the backends report. Each runs in the calling process, with its memory, mappings and
// CPU affinity (pin the caller to place them). Plain C++: no Qt.
#include <cstdint>
#include <string>
#include <vector>

namespace conlab {

struct PingPongResult {
    double medianRoundTripS = 0;
    double meanRoundTripS = 0;
    int64_t iterations = 0;
};

// Parent and a forked child bounce `payload` bytes over two pipes with plain blocking
// read/write. Throws std::runtime_error when a pipe or the child cannot be made.
PingPongResult pipePingPong(int64_t payload, int64_t iterations);
// Parent and a forked child hand one shared word back and forth, sleeping in FUTEX_WAIT and
// waking each other with FUTEX_WAKE (the wake-up shm-pool uses). No payload.
PingPongResult futexPingPong(int64_t iterations);
// The same hand-off, both sides spinning on the shared word (with a yield after a while, so
// that on one CPU the other side gets to run): the floor of any cross-process hand-off.
PingPongResult spinPingPong(int64_t iterations);

namespace raw {

// Mean seconds per fork + _exit(0) in the child + waitpid in the parent, over n.
double forkExitWaitS(int n);
// Mean seconds per posix_spawn + exec of `path` with `args` (argv[1…]) + waitpid, over n; the
// child's stdin, stdout and stderr are /dev/null. Throws std::runtime_error when it fails.
double spawnExecWaitS(const std::string& path, const std::vector<std::string>& args, int n);
// Mean seconds per pthread_create of an empty function + pthread_join, over n.
double pthreadCreateJoinS(int n);
// Mean seconds per std::thread of an empty lambda + join, over n.
double stdThreadCreateJoinS(int n);

} // namespace raw

} // namespace conlab
