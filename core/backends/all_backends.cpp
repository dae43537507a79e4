#include "../backend_registry.h"
#include "process_workers.h"

namespace conlab {

std::unique_ptr<Backend> makeSequentialBackend();
std::unique_ptr<Backend> makeThreadPerTaskBackend();
std::unique_ptr<Backend> makeThreadPoolBackend();
std::unique_ptr<Backend> makeProcessPerTaskBackend(StartMethod m);
std::unique_ptr<Backend> makeEventLoopBackend();
std::unique_ptr<Backend> makeShmPoolBackend(bool spin);
std::unique_ptr<Backend> makeOpenMpBackend();
std::unique_ptr<Backend> makeTbbBackend();
std::unique_ptr<Backend> makeQtThreadPoolBackend();
std::unique_ptr<Backend> makeProcessPoolBackend(StartMethod m);
// python family (core/python.cmake)
std::unique_ptr<Backend> makePySequentialBackend();
std::unique_ptr<Backend> makePyThreadsBackend();
std::unique_ptr<Backend> makePyProcessPerTaskBackend();
std::unique_ptr<Backend> makePyPoolBackend();
std::unique_ptr<Backend> makePyProcessPoolForkBackend();
std::unique_ptr<Backend> makePyProcessPoolSpawnBackend();
std::unique_ptr<Backend> makePyProcessPoolForkserverBackend();
std::unique_ptr<Backend> makePySharedMemoryBackend();
std::unique_ptr<Backend> makePySharedMemoryArrayBackend();
std::unique_ptr<Backend> makePySharedMemoryArrayLockBackend();
std::unique_ptr<Backend> makePySharedMemoryQueueBackend();
std::unique_ptr<Backend> makePyAsyncioBackend();

void registerBuiltinBackends(BackendRegistry& r) {
    r.add(makeSequentialBackend);
    r.add(makeThreadPerTaskBackend);
    r.add(makeThreadPoolBackend);
    // Plain ids are the fork start method; `<id>:fork` resolves to them (resolveBackendList).
    for (StartMethod m : {StartMethod::Fork, StartMethod::ForkServer, StartMethod::Spawn})
        r.add([m] { return makeProcessPerTaskBackend(m); });
    for (StartMethod m : {StartMethod::Fork, StartMethod::ForkServer, StartMethod::Spawn})
        r.add([m] { return makeProcessPoolBackend(m); });
    r.add([] { return makeShmPoolBackend(false); });
    r.add([] { return makeShmPoolBackend(true); });
    r.add(makeEventLoopBackend);
    r.add(makeOpenMpBackend);
    r.add(makeTbbBackend);
    r.add(makeQtThreadPoolBackend);
    r.add(makePySequentialBackend);
    r.add(makePyThreadsBackend);
    r.add(makePyProcessPerTaskBackend);
    r.add(makePyPoolBackend);
    r.add(makePyProcessPoolForkBackend);
    r.add(makePyProcessPoolSpawnBackend);
    r.add(makePyProcessPoolForkserverBackend);
    r.add(makePySharedMemoryBackend);
    r.add(makePySharedMemoryArrayBackend);
    r.add(makePySharedMemoryArrayLockBackend);
    r.add(makePySharedMemoryQueueBackend);
    r.add(makePyAsyncioBackend);
}

} // namespace conlab
