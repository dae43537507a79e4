// py-process-pool:fork: CPython: ProcessPoolExecutor, mp_context fork
// Runs on the user's python3 through resources/python/conlab_driver.py (mode "process-pool:fork"); see
// python_backend.h and docs/python.md.
#include "python_backend.h"

namespace conlab {

std::unique_ptr<Backend> makePyProcessPoolForkBackend() {
    return std::make_unique<python::PythonBackend>(
        BackendInfo{"py-process-pool:fork", "python", "CPython: ProcessPoolExecutor, mp_context fork"},
        "process-pool:fork");
}

} // namespace conlab
