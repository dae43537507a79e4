# The pools' dispatch path (issue 12): the queue-ahead bound, batched results arriving during
# the run. ~3 s.
conlab_add_test(tst_dispatch SOURCES tst_dispatch.cpp LABELS core engine)
