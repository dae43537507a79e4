# Real CPython backends (family "python"); skips only when no usable python3 exists.
conlab_add_test(tst_python_backends SOURCES tst_python_backends.cpp TIMEOUT 240 LABELS python)
