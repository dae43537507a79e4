# Autosave and crash recovery (core/autosave.h, docs/gui.md): the store on its own (core, also
# without the GUI), then the app's side and a real crash of the main window's process
# (bin/conlab-screenshots, tools/screenshots/).
conlab_add_test(tst_autosave SOURCES tst_autosave.cpp LABELS core)
if(CONLAB_BUILD_GUI)
  conlab_add_test(tst_gui_autosave SOURCES tst_gui_autosave.cpp LIBS conlab_ui TIMEOUT 300 LABELS gui)
  add_dependencies(tst_gui_autosave conlab-screenshots) # the end-to-end test runs it
endif()
