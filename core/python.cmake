# Real CPython backends (family "python"): docs/python.md.
target_sources(conlab_core PRIVATE
  backends/python_backend.cpp
  backends/python/driver_process.cpp
  backends/python/interpreter.cpp
  backends/python/line_protocol.cpp
  backends/py_sequential.cpp
  backends/py_threads.cpp
  backends/py_process_per_task.cpp
  backends/py_pool.cpp
  backends/py_process_pool_fork.cpp
  backends/py_process_pool_spawn.cpp
  backends/py_process_pool_forkserver.cpp
  backends/py_shared_memory.cpp
  backends/py_shared_memory_array.cpp
  backends/py_shared_memory_array_lock.cpp
  backends/py_shared_memory_queue.cpp
  backends/py_asyncio.cpp
)
# The driver script: copied into the build tree where the executables find it
# (bin/../share/conlab/python), installed beside the app, and the source copy as a last resort.
set(CONLAB_PYTHON_DRIVER_SRC ${PROJECT_SOURCE_DIR}/resources/python/conlab_driver.py)
configure_file(${CONLAB_PYTHON_DRIVER_SRC} ${CMAKE_BINARY_DIR}/share/conlab/python/conlab_driver.py COPYONLY)
target_compile_definitions(conlab_core PRIVATE CONLAB_PYTHON_DRIVER_SOURCE="${CONLAB_PYTHON_DRIVER_SRC}")
install(FILES ${CONLAB_PYTHON_DRIVER_SRC} DESTINATION ${CMAKE_INSTALL_DATADIR}/conlab/python)
