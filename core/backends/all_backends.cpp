#include "../backend_registry.h"

namespace conlab {

std::unique_ptr<Backend> makeSequentialBackend();
std::unique_ptr<Backend> makeThreadPerTaskBackend();
std::unique_ptr<Backend> makeThreadPoolBackend();
std::unique_ptr<Backend> makeProcessPerTaskBackend();
std::unique_ptr<Backend> makeProcessPoolBackend();
// python family (core/python.cmake)
std::unique_ptr<Backend> makePySequentialBackend();
std::unique_ptr<Backend> makePyThreadsBackend();
std::unique_ptr<Backend> makePyProcessPerTaskBackend();
std::unique_ptr<Backend> makePyPoolBackend();
std::unique_ptr<Backend> makePyProcessPoolForkBackend();
std::unique_ptr<Backend> makePyProcessPoolSpawnBackend();
std::unique_ptr<Backend> makePyProcessPoolForkserverBackend();
std::unique_ptr<Backend> makePySharedMemoryBackend();
std::unique_ptr<Backend> makePyAsyncioBackend();

void registerBuiltinBackends(BackendRegistry& r) {
    r.add(makeSequentialBackend);
    r.add(makeThreadPerTaskBackend);
    r.add(makeThreadPoolBackend);
    r.add(makeProcessPerTaskBackend);
    r.add(makeProcessPoolBackend);
    r.add(makePySequentialBackend);
    r.add(makePyThreadsBackend);
    r.add(makePyProcessPerTaskBackend);
    r.add(makePyPoolBackend);
    r.add(makePyProcessPoolForkBackend);
    r.add(makePyProcessPoolSpawnBackend);
    r.add(makePyProcessPoolForkserverBackend);
    r.add(makePySharedMemoryBackend);
    r.add(makePyAsyncioBackend);
}

} // namespace conlab
