# The .deb (packaging/CMakeLists.txt): cpack into a scratch directory, Depends checked against
# the binaries' NEEDED entries, the unpacked package run (~15 s). Not for sanitized builds: their
# binaries need the sanitizer runtimes, which no Debian package of conlab would depend on.
if(NOT CONLAB_SANITIZE)
  conlab_add_test(tst_package SOURCES tst_package.cpp LABELS package cli)
  target_compile_definitions(tst_package PRIVATE
    CONLAB_CPACK_COMMAND="${CMAKE_CPACK_COMMAND}"
    CONLAB_CPACK_CONFIG="${CMAKE_BINARY_DIR}/CPackConfig.cmake")
  add_dependencies(tst_package conlab conlab-worker)
endif()
