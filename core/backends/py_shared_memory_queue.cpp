// py-shared-memory:queue: a variant of py-shared-memory moving the same bytes another way (docs/python.md).
// Runs on the user's python3 through resources/python/conlab_driver.py (mode "shared-memory:queue"); see
// python_backend.h.
#include "python_backend.h"

namespace conlab {

std::unique_ptr<Backend> makePySharedMemoryQueueBackend() {
    return std::make_unique<python::PythonBackend>(
        BackendInfo{
            "py-shared-memory:queue", "python",
            "CPython: worker processes exchanging the same payloads pickled through multiprocessing.Queues"},
        "shared-memory:queue");
}

} // namespace conlab
