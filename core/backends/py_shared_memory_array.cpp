// py-shared-memory:array: a variant of py-shared-memory moving the same bytes another way (docs/python.md).
// Runs on the user's python3 through resources/python/conlab_driver.py (mode "shared-memory:array"); see
// python_backend.h.
#include "python_backend.h"

namespace conlab {

std::unique_ptr<Backend> makePySharedMemoryArrayBackend() {
    return std::make_unique<python::PythonBackend>(
        BackendInfo{"py-shared-memory:array", "python",
                    "CPython: worker processes exchanging payloads through a multiprocessing.Array "
                    "(lock=False) and Values"},
        "shared-memory:array");
}

} // namespace conlab
