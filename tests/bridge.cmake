# The engine bridge (EngineController, QtCore only): queued, throttled delivery, stop, discard,
# destruction mid-run. Also run under TSan (label bridge). ~15 s.
conlab_add_test(tst_engine_bridge SOURCES tst_engine_bridge.cpp test_util.h LIBS conlab_bridge LABELS bridge)
