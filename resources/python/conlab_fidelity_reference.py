"""The bare CPython mechanisms `conlab fidelity` puts beside the python backends (docs/fidelity.md).

conlab runs this with the interpreter its python backends use, pinned like them; nothing here
records anything per task, so these are the floors the backends' figures are compared with.

usage: python3 -I conlab_fidelity_reference.py COMMAND [PARENT_PID]
  process-start:METHOD:N   multiprocessing.get_context(METHOD).Process(target=f).start(); join()
  pool-map:N               Pool(1).map(f, range(N), chunksize=1), the pool already started
  threads-map:N            ThreadPoolExecutor(1).map(f, range(N)), the executor already started
Prints one JSON line: {"t": "reference", "per_op_s": mean seconds per process or per task, …}.
"""
import json
import multiprocessing as mp
import sys
import time
from concurrent.futures import ThreadPoolExecutor


def empty(_=None):
    return None


def process_start(method, n):
    ctx = mp.get_context(method)
    warm = ctx.Process(target=empty)  # forkserver: starts the server, outside the timing
    warm.start()
    warm.join()
    t0 = time.perf_counter()
    for _ in range(n):
        p = ctx.Process(target=empty)
        p.start()
        p.join()
    return (time.perf_counter() - t0) / n


def pool_map(n):
    with mp.Pool(1) as pool:
        pool.map(empty, range(10), chunksize=1)  # the worker is up and warm
        t0 = time.perf_counter()
        pool.map(empty, range(n), chunksize=1)
        return (time.perf_counter() - t0) / n


def threads_map(n):
    with ThreadPoolExecutor(max_workers=1) as ex:
        list(ex.map(empty, range(10)))
        t0 = time.perf_counter()
        list(ex.map(empty, range(n)))
        return (time.perf_counter() - t0) / n


def main(argv):
    # conlab runs it like the driver's one-line commands: SCRIPT COMMAND PARENT_PID, and reads
    # one JSON line back ({"t": "reference", …} or {"t": "error", "msg": …}).
    try:
        parts = argv[0].split(":") if argv else []
        if len(parts) == 3 and parts[0] == "process-start" and parts[1] in ("fork", "forkserver", "spawn"):
            n = int(parts[2])
            run = lambda: process_start(parts[1], n)
        elif len(parts) == 2 and parts[0] in ("pool-map", "threads-map"):
            n = int(parts[1])
            run = lambda: (pool_map if parts[0] == "pool-map" else threads_map)(n)
        else:
            raise ValueError("usage: SCRIPT process-start:fork|forkserver|spawn:N | pool-map:N | threads-map:N")
        if n < 1:
            raise ValueError("N must be at least 1")
        answer = {"t": "reference", "mode": argv[0], "n": n, "per_op_s": run()}
        code = 0
    except Exception as e:  # reported to conlab as the row's error
        answer = {"t": "error", "msg": "%s: %s" % (type(e).__name__, e)}
        code = 2
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
