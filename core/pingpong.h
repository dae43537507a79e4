#pragma once
// An independent pipe ping-pong microbenchmark: parent and a forked child bounce `payload`
// bytes over two pipes with plain blocking read/write. It shares no code with the backends,
// so it can check the round trip they report.
#include <cstdint>

namespace conlab {

struct PingPongResult {
    double medianRoundTripS = 0;
    double meanRoundTripS = 0;
    int64_t iterations = 0;
};

PingPongResult pipePingPong(int64_t payload, int64_t iterations);

} // namespace conlab
