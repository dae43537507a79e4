// py-process-per-task: CPython: one multiprocessing.Process per task (default start method)
// Runs on the user's python3 through resources/python/conlab_driver.py (mode "process-per-task"); see
// python_backend.h and docs/python.md.
#include "python_backend.h"

namespace conlab {

std::unique_ptr<Backend> makePyProcessPerTaskBackend() {
    return std::make_unique<python::PythonBackend>(
        BackendInfo{"py-process-per-task", "python",
                    "CPython: one multiprocessing.Process per task (default start method)"},
        "process-per-task");
}

} // namespace conlab
