# Issue 13, files at the edges: bounded reads of regular files only, output targets checked
# before a run, atomic writes of regular files and in-place writes of pipes and devices.
target_sources(conlab_core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/file_io.cpp)
