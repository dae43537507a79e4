# Issue 13, the edges: bounded reads of regular files only, output targets checked before a
# run, atomic writes of regular files and in-place writes of pipes and devices (file_io);
# thread limits named and pre-checked for the library runtimes (resource_limits).
target_sources(conlab_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/file_io.cpp
  ${CMAKE_CURRENT_LIST_DIR}/resource_limits.cpp
)
