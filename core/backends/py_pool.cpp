// py-pool: CPython: multiprocessing.Pool.imap_unordered with --chunksize (default start method)
// Runs on the user's python3 through resources/python/conlab_driver.py (mode "pool"); see
// python_backend.h and docs/python.md.
#include "python_backend.h"

namespace conlab {

std::unique_ptr<Backend> makePyPoolBackend() {
    return std::make_unique<python::PythonBackend>(
        BackendInfo{"py-pool", "python",
                    "CPython: multiprocessing.Pool.imap_unordered with --chunksize (default start method)"},
        "pool");
}

} // namespace conlab
