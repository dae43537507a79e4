# Issue 13, the edges through the real conlab binary: output paths checked before running, the
# file size limit, planted symlinks, pipes and devices as targets, hostile input files, the
# display fallback. ~20 s.
if(CONLAB_BUILD_GUI) # figures (`conlab plot`) need the GUI library
  conlab_add_test(tst_edges SOURCES tst_edges.cpp edges_util.h TIMEOUT 240 LABELS reliability cli)
  add_dependencies(tst_edges conlab)
  # Writes into /dev/shm (a regular file there is replaced, not appended to): not beside the tests that
  # compare /dev/shm before and after.
  set_tests_properties(tst_edges PROPERTIES RESOURCE_LOCK dev_shm)
endif()
# Items 6 and 7: conlab SIGKILLed at random moments during every process backend (seeded;
# CONLAB_KILL_RUNS, CONLAB_KILL_SEED): nothing of the run survives it by more than 1 s. ~20 s.
conlab_add_test(tst_orphans SOURCES tst_orphans.cpp TIMEOUT 300 LABELS reliability)
add_dependencies(tst_orphans conlab)
set_tests_properties(tst_orphans PROPERTIES RESOURCE_LOCK dev_shm) # its runs create /dev/shm objects
# Resource limits through the real conlab binary: every backend under an address-space and an
# fd limit, a flooding --python, py-shared-memory sizing, a hung chunk's message. ~25 s.
conlab_add_test(tst_limits SOURCES tst_limits.cpp edges_util.h TIMEOUT 300 LABELS reliability cli)
add_dependencies(tst_limits conlab)
set_tests_properties(tst_limits PROPERTIES RESOURCE_LOCK dev_shm) # runs shm-pool, py-shared-memory
