// py-threads: CPython: concurrent.futures.ThreadPoolExecutor (cpu work serialized by the GIL)
// Runs on the user's python3 through resources/python/conlab_driver.py (mode "threads"); see
// python_backend.h and docs/python.md.
#include "python_backend.h"

namespace conlab {

std::unique_ptr<Backend> makePyThreadsBackend() {
    return std::make_unique<python::PythonBackend>(
        BackendInfo{"py-threads", "python",
                    "CPython: concurrent.futures.ThreadPoolExecutor (cpu work serialized by the GIL)"},
        "threads");
}

} // namespace conlab
