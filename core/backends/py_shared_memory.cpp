// py-shared-memory: CPython: worker processes exchanging payloads through multiprocessing.shared_memory
// Runs on the user's python3 through resources/python/conlab_driver.py (mode "shared-memory"); see
// python_backend.h and docs/python.md.
#include "python_backend.h"

namespace conlab {

std::unique_ptr<Backend> makePySharedMemoryBackend() {
    return std::make_unique<python::PythonBackend>(
        BackendInfo{"py-shared-memory", "python",
                    "CPython: worker processes exchanging payloads through multiprocessing.shared_memory"},
        "shared-memory");
}

} // namespace conlab
