#include "pingpong.h"

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace conlab {

namespace {
int64_t monoNs() {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}
bool writeAll(int fd, const char* p, size_t n) {
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w;
        n -= size_t(w);
    }
    return true;
}
bool readAll(int fd, char* p, size_t n) {
    while (n) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return false;
        p += r;
        n -= size_t(r);
    }
    return true;
}
} // namespace

PingPongResult pipePingPong(int64_t payload, int64_t iterations) {
    int down[2], up[2];
    if (pipe(down) != 0) throw std::runtime_error("pipe failed");
    if (pipe(up) != 0) {
        close(down[0]);
        close(down[1]);
        throw std::runtime_error("pipe failed");
    }
    const size_t n = size_t(std::max<int64_t>(1, payload));
    pid_t pid = fork();
    if (pid == 0) {
        close(down[1]);
        close(up[0]);
        std::vector<char> buf(n);
        while (readAll(down[0], buf.data(), n) && writeAll(up[1], buf.data(), n)) {
        }
        _exit(0);
    }
    close(down[0]);
    close(up[1]);
    if (pid < 0) {
        close(down[1]);
        close(up[0]);
        throw std::runtime_error("fork failed");
    }
    std::vector<char> buf(n, 'x');
    std::vector<double> samples;
    samples.reserve(size_t(iterations));
    for (int64_t i = 0; i < iterations + 100; ++i) {
        int64_t t0 = monoNs();
        if (!writeAll(down[1], buf.data(), n) || !readAll(up[0], buf.data(), n)) break;
        if (i >= 100) samples.push_back(double(monoNs() - t0) * 1e-9); // first 100 are warmup
    }
    close(down[1]);
    close(up[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    PingPongResult r;
    r.iterations = int64_t(samples.size());
    if (samples.empty()) return r;
    double sum = 0;
    for (double s : samples)
        sum += s;
    r.meanRoundTripS = sum / double(samples.size());
    std::nth_element(samples.begin(), samples.begin() + long(samples.size() / 2), samples.end());
    r.medianRoundTripS = samples[samples.size() / 2];
    return r;
}

} // namespace conlab
