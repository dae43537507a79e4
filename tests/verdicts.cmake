# Three-valued lesson verdicts (tst_verdicts): the decision rule's rows take milliseconds; the
# busy-machine rows run two lessons under load (~1–3 min), so the label keeps them out of the
# fast dev preset, and RUN_SERIAL keeps other tests from adding their own load.
conlab_add_test(tst_verdicts SOURCES tst_verdicts.cpp busy_load.h TIMEOUT 600 LABELS lessons)
set_tests_properties(tst_verdicts PROPERTIES RUN_SERIAL TRUE)
# Interleaved repetitions (--interleave): order, shape, observer calls, results files. ~5 s.
conlab_add_test(tst_interleave SOURCES tst_interleave.cpp LABELS core engine)
