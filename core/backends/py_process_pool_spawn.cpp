// py-process-pool:spawn: CPython: ProcessPoolExecutor, mp_context spawn (fresh interpreters)
// Runs on the user's python3 through resources/python/conlab_driver.py (mode "process-pool:spawn"); see
// python_backend.h and docs/python.md.
#include "python_backend.h"

namespace conlab {

std::unique_ptr<Backend> makePyProcessPoolSpawnBackend() {
    return std::make_unique<python::PythonBackend>(
        BackendInfo{"py-process-pool:spawn", "python",
                    "CPython: ProcessPoolExecutor, mp_context spawn (fresh interpreters)"},
        "process-pool:spawn");
}

} // namespace conlab
