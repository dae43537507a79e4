// libFuzzer target: the worker wire protocol.
// 1. wire::FrameReader + validateHeader on arbitrary bytes, fed in two pieces split at a
//    fuzzer-chosen point: every frame it yields passes validateHeader and has exactly
//    `length` payload bytes; every error has a message.
// 2. The worker process's side of the protocol (workerProcessMain) reading the same bytes as
//    if the coordinator had sent them: it must return an exit code, never crash or hang.
// The coordinator's parsing of RESULT/BYE payloads lives inside ForkedCoordinator
// (core/backends/process_workers.cpp) and is not reachable without a live run; see
// docs/reliability.md.
#include "backends/process_workers.h"
#include "wire_protocol.h"

#include <cstddef>
#include <cstdint>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

using namespace conlab;
using namespace conlab::wire;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto* bytes = reinterpret_cast<const std::byte*>(data);
    {
        FrameReader reader;
        const size_t split = size ? size_t(data[0]) % (size + 1) : 0;
        FrameHeader h;
        std::vector<std::byte> payload;
        bool failed = false;
        for (int piece = 0; piece < 2 && !failed; ++piece) {
            reader.feed(piece == 0 ? std::span(bytes, split) : std::span(bytes + split, size - split));
            for (;;) {
                auto st = reader.next(h, payload);
                if (st == FrameReader::Status::NeedMore) break;
                if (st == FrameReader::Status::Error) {
                    if (reader.error().empty()) __builtin_trap();
                    failed = true;
                    break;
                }
                if (validateHeader(h) || payload.size() != h.length) __builtin_trap();
            }
        }
    }
    {
        static const int in = memfd_create("fuzz-wire", MFD_CLOEXEC);
        static const int out = open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (in < 0 || out < 0) __builtin_trap();
        if (ftruncate(in, 0) != 0 || pwrite(in, data, size, 0) != ssize_t(size) ||
            lseek(in, 0, SEEK_SET) != 0)
            __builtin_trap();
        WorkerProcessConfig config;
        config.params.work.kind = TaskKind::Cpu;
        config.params.work.iterations = 16;
        config.params.inputBytes = 8;
        config.params.resultBytes = 8;
        config.params.messages = 0; // a MESSAGE exchange would wait for a REPLY from a real peer
        config.salt = 1;
        config.intervalBudget = 16;
        const int rc = workerProcessMain(in, out, config);
        if (rc < 0 || rc > 8) __builtin_trap();
    }
    return 0;
}
