# Autosave and crash recovery (core/autosave.h, docs/gui.md): the store on its own (core, also
# without the GUI), then the app's side and a real crash of the `conlab` binary.
conlab_add_test(tst_autosave SOURCES tst_autosave.cpp LABELS core)
