# Issue 11, `conlab fidelity`: every row measured and the same rows in every format, through the
# real binary (~30 s on 2 loaded cores, --quick); the GUI's "Check measurements" dialog (~15 s).
conlab_add_test(tst_fidelity SOURCES tst_fidelity.cpp TIMEOUT 240 LABELS native)
add_dependencies(tst_fidelity conlab conlab-worker)
if(CONLAB_BUILD_GUI)
  conlab_add_test(tst_gui_fidelity SOURCES tst_gui_fidelity.cpp LIBS conlab_ui TIMEOUT 240 LABELS gui)
  add_dependencies(tst_gui_fidelity conlab-worker)
endif()
