// conlab-worker: the worker process of the `spawn` start method. It starts from nothing (a
// fresh exec, no inherited state), reads its configuration as the first frame on fd 3 and
// then runs the same loop as a forked worker: fd 3 from the coordinator, fd 4 to it.
#include "backends/process_workers.h"
#include "wire_protocol.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/prctl.h>
#include <unistd.h>

namespace {
bool readExactly(int fd, void* out, size_t n) {
    auto* p = static_cast<char*>(out);
    while (n > 0) {
        ssize_t r = ::read(fd, p, n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return false;
        p += r;
        n -= size_t(r);
    }
    return true;
}
} // namespace

int main(int argc, char** argv) {
    using namespace conlab;
    // Die with the coordinator (set here: an exec'd process cannot inherit it reliably).
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (argc != 3 || std::strcmp(argv[1], "--parent") != 0) {
        std::fprintf(stderr,
                     "conlab-worker: started by conlab (spawn start method); not for interactive use\n");
        return 2;
    }
    if (getppid() != pid_t(std::atoll(argv[2]))) return 9; // the coordinator died before prctl
    // Exactly the Config frame: what follows (the first TASK) belongs to the worker loop.
    wire::FrameHeader h;
    WorkerProcessConfig config;
    if (!readExactly(kSpawnedReadFd, &h, sizeof h)) {
        std::fprintf(stderr, "conlab-worker: no configuration on fd %d\n", kSpawnedReadFd);
        return 2;
    }
    if (wire::validateHeader(h) || h.type != uint32_t(wire::FrameType::Config) ||
        h.b != kWorkerConfigVersion || h.a != sizeof config || h.length != sizeof config ||
        !readExactly(kSpawnedReadFd, &config, sizeof config)) {
        std::fprintf(stderr, "conlab-worker: configuration frame does not match this build\n");
        return 2;
    }
    return workerProcessMain(kSpawnedReadFd, kSpawnedWriteFd, config);
}
