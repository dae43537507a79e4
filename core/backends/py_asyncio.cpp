// py-asyncio: CPython: asyncio event loop, workers = tasks in flight (io waits are asyncio.sleep)
// Runs on the user's python3 through resources/python/conlab_driver.py (mode "asyncio"); see
// python_backend.h and docs/python.md.
#include "python_backend.h"

namespace conlab {

std::unique_ptr<Backend> makePyAsyncioBackend() {
    return std::make_unique<python::PythonBackend>(
        BackendInfo{"py-asyncio", "python",
                    "CPython: asyncio event loop, workers = tasks in flight (io waits are asyncio.sleep)"},
        "asyncio");
}

} // namespace conlab
