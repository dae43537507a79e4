# Desktop app tests (Qt Test, offscreen platform): form, run, table model, exports, save/load,
# validation, stop, event-loop latency, `conlab plot`. Small specs: ~1 min on 2 cores.
if(CONLAB_BUILD_GUI)
  conlab_add_test(tst_gui SOURCES tst_gui.cpp LIBS conlab_ui TIMEOUT 240 LABELS gui)
  add_dependencies(tst_gui conlab) # the CLI test runs bin/conlab
  # Sweeps, lessons, the advisor, sweep exports and `conlab sweep|plot` figures: ~30 s.
  conlab_add_test(tst_gui_sweep SOURCES tst_gui_sweep.cpp LIBS conlab_ui TIMEOUT 480 LABELS gui)
  add_dependencies(tst_gui_sweep conlab)
  # The window as a new user meets it: wheel, unsaved prompts, layout, help: ~15 s.
  conlab_add_test(tst_gui_window SOURCES tst_gui_window.cpp LIBS conlab_ui TIMEOUT 240 LABELS gui)
  # The window's document: results, file, modified flag, title name and noun: < 1 s.
  conlab_add_test(tst_document SOURCES tst_document.cpp LIBS conlab_ui LABELS gui)
  # The shape of ui/: no include loops, no file over 700 lines (reads the sources): < 1 s.
  conlab_add_test(tst_ui_structure SOURCES tst_ui_structure.cpp LABELS gui)
  # The window's parts on their own: the restore bar, the export actions, the run presenter: < 5 s.
  conlab_add_test(tst_restore_bar SOURCES tst_restore_bar.cpp LIBS conlab_ui LABELS gui)
  conlab_add_test(tst_export_actions SOURCES tst_export_actions.cpp LIBS conlab_ui LABELS gui)
  conlab_add_test(tst_run_presenter SOURCES tst_run_presenter.cpp LIBS conlab_ui LABELS gui)
  # The warning banner over loaded results (noise, baseline, spread): < 5 s.
  conlab_add_test(tst_warning_banner SOURCES tst_warning_banner.cpp LIBS conlab_ui LABELS gui)
  # File → Compare with baseline…: ratio and verdict columns, ghosted bars, the bar: < 10 s.
  conlab_add_test(tst_gui_compare SOURCES tst_gui_compare.cpp LIBS conlab_ui LABELS gui)
  # Backend and phase colours, also under simulated colour blindness: < 1 s.
  conlab_add_test(tst_colors SOURCES tst_colors.cpp LIBS conlab_ui LABELS gui)
endif()
