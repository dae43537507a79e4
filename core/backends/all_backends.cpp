#include "../backend_registry.h"
#include "process_workers.h"

namespace conlab {

std::unique_ptr<Backend> makeSequentialBackend();
std::unique_ptr<Backend> makeThreadPerTaskBackend();
std::unique_ptr<Backend> makeThreadPoolBackend();
std::unique_ptr<Backend> makeProcessPerTaskBackend(StartMethod m);
std::unique_ptr<Backend> makeEventLoopBackend();
std::unique_ptr<Backend> makeShmPoolBackend();
std::unique_ptr<Backend> makeOpenMpBackend();
std::unique_ptr<Backend> makeTbbBackend();
std::unique_ptr<Backend> makeQtThreadPoolBackend();
std::unique_ptr<Backend> makeProcessPoolBackend(StartMethod m);

void registerBuiltinBackends(BackendRegistry& r) {
    r.add(makeSequentialBackend);
    r.add(makeThreadPerTaskBackend);
    r.add(makeThreadPoolBackend);
    // Plain ids are the fork start method; `<id>:fork` resolves to them (resolveBackendList).
    for (StartMethod m : {StartMethod::Fork, StartMethod::ForkServer, StartMethod::Spawn})
        r.add([m] { return makeProcessPerTaskBackend(m); });
    for (StartMethod m : {StartMethod::Fork, StartMethod::ForkServer, StartMethod::Spawn})
        r.add([m] { return makeProcessPoolBackend(m); });
    r.add(makeShmPoolBackend);
    r.add(makeEventLoopBackend);
    r.add(makeOpenMpBackend);
    r.add(makeTbbBackend);
    r.add(makeQtThreadPoolBackend);
}

} // namespace conlab
