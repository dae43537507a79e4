// py-process-pool:forkserver: CPython: ProcessPoolExecutor, mp_context forkserver
// Runs on the user's python3 through resources/python/conlab_driver.py (mode "process-pool:forkserver"); see
// python_backend.h and docs/python.md.
#include "python_backend.h"

namespace conlab {

std::unique_ptr<Backend> makePyProcessPoolForkserverBackend() {
    return std::make_unique<python::PythonBackend>(
        BackendInfo{"py-process-pool:forkserver", "python",
                    "CPython: ProcessPoolExecutor, mp_context forkserver"},
        "process-pool:forkserver");
}

} // namespace conlab
