# Issue 11, `conlab fidelity`: the raw primitives (also used by bench/ and tests/) and the rows
# that put every figure beside its primitive (docs/fidelity.md).
target_sources(conlab_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/fidelity/raw_primitives.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fidelity/fidelity.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fidelity/fidelity_format.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fidelity/python_references.cpp
)
# The Python reference loops: copied beside the driver (share/conlab/python) and installed.
set(CONLAB_PYTHON_REFERENCE_SRC ${PROJECT_SOURCE_DIR}/resources/python/conlab_fidelity_reference.py)
configure_file(${CONLAB_PYTHON_REFERENCE_SRC} ${CMAKE_BINARY_DIR}/share/conlab/python/conlab_fidelity_reference.py COPYONLY)
target_compile_definitions(conlab_core PRIVATE CONLAB_PYTHON_REFERENCE_SOURCE="${CONLAB_PYTHON_REFERENCE_SRC}")
install(FILES ${CONLAB_PYTHON_REFERENCE_SRC} DESTINATION ${CMAKE_INSTALL_DATADIR}/conlab/python)
