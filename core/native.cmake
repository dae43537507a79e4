# Issue 3, native and library backends: start methods, shm-pool, event-loop, library peers.
target_sources(conlab_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/backends/worker_process.cpp
  ${CMAKE_CURRENT_LIST_DIR}/backends/event_loop.cpp
  ${CMAKE_CURRENT_LIST_DIR}/backends/shm_pool.cpp
  ${CMAKE_CURRENT_LIST_DIR}/backends/worker_ledger.cpp
  ${CMAKE_CURRENT_LIST_DIR}/backends/library_pool.cpp
  ${CMAKE_CURRENT_LIST_DIR}/backends/openmp.cpp
  ${CMAKE_CURRENT_LIST_DIR}/backends/tbb.cpp
  ${CMAKE_CURRENT_LIST_DIR}/backends/qt_threadpool.cpp
)

# Library peers: a library missing at configure time leaves its backend registered but
# unavailable, with the reason (see availability() in each backend).
find_package(OpenMP COMPONENTS CXX)
if(OpenMP_CXX_FOUND)
  set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/backends/openmp.cpp PROPERTIES
    COMPILE_OPTIONS "${OpenMP_CXX_FLAGS}" COMPILE_DEFINITIONS CONLAB_HAVE_OPENMP)
  target_link_libraries(conlab_core PRIVATE OpenMP::OpenMP_CXX)
else()
  message(STATUS "conlab: OpenMP not found: the openmp backend will be unavailable")
endif()
find_package(TBB CONFIG QUIET)
if(TBB_FOUND)
  set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/backends/tbb.cpp PROPERTIES
    COMPILE_DEFINITIONS CONLAB_HAVE_TBB)
  target_link_libraries(conlab_core PRIVATE TBB::tbb)
else()
  message(STATUS "conlab: oneTBB not found (libtbb-dev): the tbb backend will be unavailable")
endif()
