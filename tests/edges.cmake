# Issue 13, the edges through the real conlab binary: output paths checked before running, the
# file size limit, planted symlinks, pipes and devices as targets, hostile input files, the
# display fallback. ~20 s.
if(CONLAB_BUILD_GUI) # figures (`conlab plot`) need the GUI library
  conlab_add_test(tst_edges SOURCES tst_edges.cpp edges_util.h TIMEOUT 240 LABELS reliability cli)
  add_dependencies(tst_edges conlab)
endif()
# Items 6 and 7: conlab SIGKILLed at random moments during every process backend (seeded;
# CONLAB_KILL_RUNS, CONLAB_KILL_SEED): nothing of the run survives it by more than 1 s. ~20 s.
conlab_add_test(tst_orphans SOURCES tst_orphans.cpp TIMEOUT 300 LABELS reliability)
add_dependencies(tst_orphans conlab)
# Alone (RUN_SERIAL): its bound is how fast a killed run's processes end (1 s), and beside
# another test's load an orphaned interpreter took longer to notice its parent's death.
set_tests_properties(tst_orphans PROPERTIES RUN_SERIAL TRUE)
# Resource limits through the real conlab binary: every backend under an address-space and an
# fd limit, a flooding --python, py-shared-memory sizing, a hung chunk's message. ~25 s.
conlab_add_test(tst_limits SOURCES tst_limits.cpp edges_util.h TIMEOUT 300 LABELS reliability cli)
add_dependencies(tst_limits conlab)
