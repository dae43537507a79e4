# `conlab compare` (issue 15 item 5): exact rank statistics and the command on real files (~10 s).
conlab_add_test(tst_compare SOURCES tst_compare.cpp LABELS core cli)
add_dependencies(tst_compare conlab)
