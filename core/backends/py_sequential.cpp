// py-sequential: CPython: one interpreter runs every task in order (the python baseline for speedup)
// Runs on the user's python3 through resources/python/conlab_driver.py (mode "sequential"); see
// python_backend.h and docs/python.md.
#include "python_backend.h"

namespace conlab {

std::unique_ptr<Backend> makePySequentialBackend() {
    return std::make_unique<python::PythonBackend>(
        BackendInfo{"py-sequential", "python",
                    "CPython: one interpreter runs every task in order (the python baseline for speedup)"},
        "sequential");
}

} // namespace conlab
