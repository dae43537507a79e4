# Issue 13, the edges through the real conlab binary: output paths checked before running, the
# file size limit, planted symlinks, pipes and devices as targets, hostile input files. ~15 s.
if(CONLAB_BUILD_GUI) # figures (`conlab plot`) need the GUI library
  conlab_add_test(tst_edges SOURCES tst_edges.cpp TIMEOUT 240 LABELS reliability cli)
  add_dependencies(tst_edges conlab)
endif()
