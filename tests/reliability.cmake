# Reliability (docs/reliability.md): faults, cancel, resource limits, bad input, soak.
# tst_faults is labelled engine too, so the TSan job covers faults and cancels.
conlab_add_test(tst_faults SOURCES tst_faults.cpp test_util.h LABELS reliability engine)
# 2,000 consecutive short runs (CONLAB_SOAK_RUNS overrides the count).
conlab_add_test(tst_soak SOURCES tst_soak.cpp test_util.h LABELS reliability soak)
# Bad input through the conlab binary: flags, damaged results files, the fault hook.
conlab_add_test(tst_cli_errors SOURCES tst_cli_errors.cpp LABELS reliability cli)
add_dependencies(tst_cli_errors conlab)
