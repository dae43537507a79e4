# Issue 3, native and library backends: start methods, shm-pool, event-loop, library peers.
target_sources(conlab_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/backends/worker_process.cpp
  ${CMAKE_CURRENT_LIST_DIR}/backends/event_loop.cpp
  ${CMAKE_CURRENT_LIST_DIR}/backends/shm_pool.cpp
)
