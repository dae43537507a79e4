// py-shared-memory:array-lock: a variant of py-shared-memory moving the same bytes another way
// (docs/python.md).
// Runs on the user's python3 through resources/python/conlab_driver.py (mode "shared-memory:array-lock"); see
// python_backend.h.
#include "python_backend.h"

namespace conlab {

std::unique_ptr<Backend> makePySharedMemoryArrayLockBackend() {
    return std::make_unique<python::PythonBackend>(
        BackendInfo{"py-shared-memory:array-lock", "python",
                    "CPython: worker processes exchanging payloads through a multiprocessing.Array with its "
                    "lock held at every access"},
        "shared-memory:array-lock");
}

} // namespace conlab
