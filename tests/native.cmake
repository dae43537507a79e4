# Issue 3: native and library backends (start methods, shm-pool, event-loop, library peers).
conlab_add_test(tst_native_backends SOURCES tst_native_backends.cpp TIMEOUT 180 LABELS native)
add_dependencies(tst_native_backends conlab-worker)
