# Reliability (docs/reliability.md): faults, cancel, resource limits, bad input, soak.
# tst_faults is labelled engine too, so the TSan job covers faults and cancels.
conlab_add_test(tst_faults SOURCES tst_faults.cpp test_util.h LABELS reliability engine)
# 1,000 consecutive short runs (CONLAB_SOAK_RUNS overrides the count); 900 s timeout: ~2 min idle,
# 2,000 runs once timed out at 300 s beside other tests in CI.
conlab_add_test(tst_soak SOURCES tst_soak.cpp test_util.h TIMEOUT 900 LABELS reliability soak)
# The longest test (~2 min of interpreter starts): scheduled first, so the others run beside it
# instead of after it (a fresh clone has no timing data for CTest to order by).
set_tests_properties(tst_soak PROPERTIES COST 10000)
# Bad input through the conlab binary: flags, damaged results files, the fault hook.
conlab_add_test(tst_cli_errors SOURCES tst_cli_errors.cpp LABELS reliability cli)
add_dependencies(tst_cli_errors conlab)
