# Reliability (docs/reliability.md): faults, cancel, resource limits, bad input, soak.
# Labelled engine too, so the TSan job covers faults and cancels.
conlab_add_test(tst_faults SOURCES tst_faults.cpp test_util.h LABELS reliability engine)
