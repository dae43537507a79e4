# Engine, statistics, results file, CLI.
conlab_add_test(tst_statistics SOURCES tst_statistics.cpp LABELS core)
conlab_add_test(tst_spec SOURCES tst_spec.cpp LABELS core)
conlab_add_test(tst_kernel SOURCES tst_kernel.cpp LABELS core)
conlab_add_test(tst_measurement SOURCES tst_measurement.cpp LABELS core)
conlab_add_test(tst_wire SOURCES tst_wire.cpp LABELS core)
conlab_add_test(tst_backends SOURCES tst_backends.cpp test_util.h LABELS core engine)
conlab_add_test(tst_results SOURCES tst_results.cpp LABELS core)
# The noise watchdog: ~5 s. Alone (RUN_SERIAL): its idle case needs a machine nobody else uses.
conlab_add_test(tst_noise SOURCES tst_noise.cpp busy_load.h LABELS core TIMEOUT 120)
set_tests_properties(tst_noise PROPERTIES RUN_SERIAL TRUE)
conlab_add_test(tst_cli SOURCES tst_cli.cpp LABELS cli)
add_dependencies(tst_cli conlab)
conlab_add_test(tst_cli_help SOURCES tst_cli_help.cpp LABELS cli)
add_dependencies(tst_cli_help conlab)
conlab_add_test(tst_sweep SOURCES tst_sweep.cpp LABELS core)
conlab_add_test(tst_lessons SOURCES tst_lessons.cpp TIMEOUT 900 LABELS lessons)
# Lessons compare timings: they run alone, never beside another test.
set_tests_properties(tst_lessons PROPERTIES RUN_SERIAL TRUE)
# Results files written and shown (run, sweep, lesson; advice saved with them): ~20 s.
# Runs a real lesson (pool-reuse: ~3,000 forks): 8 s in a release build, ~100 s under ASan, so
# the asan preset leaves it out (label lesson-run); tst_cli_output and the fuzzers cover the
# same file code under ASan.
conlab_add_test(tst_cli_files SOURCES tst_cli_files.cpp LABELS cli lesson-run)
add_dependencies(tst_cli_files conlab)
# `conlab trace` on a real run's thread and process backends: ~5 s.
conlab_add_test(tst_trace SOURCES tst_trace.cpp LABELS cli)
add_dependencies(tst_trace conlab)
# Warnings, counts, errors and break-even lines around the tables; figures need the GUI library.
conlab_add_test(tst_cli_output SOURCES tst_cli_output.cpp LABELS cli)
add_dependencies(tst_cli_output conlab)
if(CONLAB_BUILD_GUI)
  target_compile_definitions(tst_cli_output PRIVATE CONLAB_HAVE_GUI)
endif()
# Two-parameter maps: known cells, the map file, and `conlab sweep --param2` end to end: ~5 s.
conlab_add_test(tst_sweep_map SOURCES tst_sweep_map.cpp LABELS cli)
add_dependencies(tst_sweep_map conlab)
