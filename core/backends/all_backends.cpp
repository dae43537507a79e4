#include "../backend_registry.h"

namespace conlab {

std::unique_ptr<Backend> makeSequentialBackend();
std::unique_ptr<Backend> makeThreadPerTaskBackend();
std::unique_ptr<Backend> makeThreadPoolBackend();
std::unique_ptr<Backend> makeProcessPerTaskBackend();
std::unique_ptr<Backend> makeProcessPoolBackend();

void registerBuiltinBackends(BackendRegistry& r) {
    r.add(makeSequentialBackend);
    r.add(makeThreadPerTaskBackend);
    r.add(makeThreadPoolBackend);
    r.add(makeProcessPerTaskBackend);
    r.add(makeProcessPoolBackend);
}

} // namespace conlab
