# Autosave and crash recovery (core/autosave.h, docs/gui.md): the store on its own (core, also
# without the GUI), then the app's side and a real crash of the `conlab` binary.
conlab_add_test(tst_autosave SOURCES tst_autosave.cpp LABELS core)
if(CONLAB_BUILD_GUI)
  conlab_add_test(tst_gui_autosave SOURCES tst_gui_autosave.cpp LIBS conlab_ui TIMEOUT 300 LABELS gui)
  add_dependencies(tst_gui_autosave conlab) # the end-to-end test runs bin/conlab
  # Runs real backends, whose workers create /dev/shm objects for a moment: it must not overlap the
  # tests that check /dev/shm is unchanged (they take the same lock).
  set_tests_properties(tst_gui_autosave PROPERTIES RESOURCE_LOCK dev_shm)
endif()
