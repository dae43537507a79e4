#!/usr/bin/env python3
"""conlab driver: runs one workload on one real CPython mechanism and streams what it
measured back to conlab as JSON lines (protocol described in docs/python.md).

Usage (by conlab, never through a shell):
    python3 -I conlab_driver.py probe        one line: interpreter facts
    python3 -I conlab_driver.py calibrate    one line: Python kernel speeds
    python3 -I conlab_driver.py run          spec as one JSON object on stdin
An optional last argument, conlab's pid, makes the driver and its process group die with it.

Standard library only; works on CPython >= 3.8. Everything a worker reports uses
time.clock_gettime_ns(CLOCK_MONOTONIC), the clock conlab's C++ side uses, so the two
timelines can be subtracted. Task checksums are bit-identical to core/task_kernel.cpp.
"""
import sys

PROTOCOL = 1

import array
import collections
import contextlib
import functools
import gc
import json
import os
import resource
import signal
import threading
import time
import traceback

import multiprocessing as mp
from multiprocessing import connection as mpc

M64 = 0xFFFFFFFFFFFFFFFF
GOLDEN = 0x9E3779B97F4A7C15
LCG_A = 6364136223846793005
LCG_C = 1442695040888963407
SPAWN, IPC, COMPUTE, IDLE = 0, 1, 2, 3
CPU, MEMORY, IO = 0, 1, 2
_CLOCK = time.CLOCK_MONOTONIC
STATE_EVERY_NS = 50000000  # workers piggy-back their phase totals on results this often
POOL_CHECK_NS = 50000000  # how often a multiprocessing.Pool's workers are checked for deaths


# now() -> int ns. A partial, not a def: it is read several times per task, and a Python
# function's frame costs about half the clock read again (~0.16 vs ~0.11 µs a call in 3.11).
now = functools.partial(time.clock_gettime_ns, _CLOCK)


def involuntary_switches(who=resource.RUSAGE_SELF):
    """ru_nivcsw of this process (or, with RUSAGE_THREAD, this thread); -1 when unknown."""
    try:
        return resource.getrusage(who).ru_nivcsw
    except (ValueError, OSError):
        return -1


def cpu_now():
    try:
        return os.sched_getcpu() if hasattr(os, "sched_getcpu") else -1
    except OSError:
        return -1


# ------------------------------------------------------------------ kernels and checksums
# Ports of core/task_kernel.{h,cpp} with explicit 64-bit masking.

def splitmix64(x):
    x = (x + GOLDEN) & M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


def task_seed(salt, tid):
    return splitmix64(salt ^ ((tid * GOLDEN) & M64))


def input_seed(seed):
    return splitmix64(seed ^ 0x1111)


def result_seed(checksum):
    return splitmix64(checksum ^ 0x2222)


def message_seed(seed, index):
    return splitmix64(seed ^ (0x3333 + index))


_FILL_WORDS = 1 << 16  # words per step
_FILL_BASE = None


def _fill_base():
    """Big-int constants for one step of _FILL_WORDS words, 64 bits a slot: the low and the
    high 32 bits of i*GOLDEN mod 2^64, a 1 in every slot, and 2^32-1 in every slot."""
    global _FILL_BASE
    if _FILL_BASE is None:
        k = _FILL_WORDS
        steps = [(i * GOLDEN) & M64 for i in range(k)]
        lo = array.array("Q", [v & 0xFFFFFFFF for v in steps]).tobytes()
        hi = array.array("Q", [v >> 32 for v in steps]).tobytes()
        ones = array.array("Q", [1]) * k
        m32 = array.array("Q", [0xFFFFFFFF]) * k
        _FILL_BASE = tuple(int.from_bytes(b, "little") for b in (lo, hi, ones.tobytes(), m32.tobytes()))
    return _FILL_BASE


def _fill_words(out, w0, w1, seed):
    """Writes words w0..w1 of the pattern into out. A step of _FILL_WORDS words is computed
    with a few big-int operations (carries kept inside 64-bit slots by adding the low and high
    halves separately), ~100x faster than a Python loop, so verifying a payload costs about what
    copying it does, as in C++, rather than dominating the ipc phase."""
    if sys.byteorder != "little" or w1 - w0 != _FILL_WORDS:
        out[w0 * 8:w1 * 8] = array.array("Q", [(seed + i * GOLDEN) & M64 for i in range(w0, w1)]).tobytes()
        return
    base_lo, base_hi, ones, m32 = _fill_base()
    c = (seed + w0 * GOLDEN) & M64
    s_lo = base_lo + (c & 0xFFFFFFFF) * ones
    carry = (s_lo >> 32) & ones
    hi = (base_hi + (c >> 32) * ones + carry) & m32
    out[w0 * 8:w1 * 8] = ((s_lo & m32) | (hi << 32)).to_bytes(_FILL_WORDS * 8, "little")


def fill_pattern(n, seed):
    """The bytes of fillPattern(span of n bytes, seed): native-endian words seed + i*GOLDEN,
    then the first n % 8 bytes of splitmix64(seed).

    The buffer is allocated in one piece first, so a payload too big for memory fails with
    MemoryError at once and whole instead of eating the address space gradually."""
    if n == 0:
        return b""
    try:
        out = bytearray(n)
    except MemoryError:
        raise MemoryError("cannot allocate a payload of %d bytes" % n) from None
    words = n // 8
    for w0 in range(0, words, _FILL_WORDS):
        _fill_words(out, w0, min(words, w0 + _FILL_WORDS), seed)
    rest = n - words * 8
    if rest:
        out[words * 8:] = splitmix64(seed).to_bytes(8, sys.byteorder)[:rest]
    return bytes(out)


def same_bytes(got, expected):
    """got == expected (bytes) for any bytes-like got, by one memcmp: == on a memoryview of
    shared memory compares element by element, 28 ms against 1.4 ms for 16 MiB here (python3
    3.11), which would be the driver's cost, not the mechanism's."""
    return len(got) == len(expected) and expected.startswith(got)


def lcg_run(x, n):
    """n steps of x' = a*x + c mod 2^64: the Python cpu kernel (pure bytecode, holds the GIL)."""
    a = LCG_A
    c = LCG_C
    m = M64
    for _ in range(n):
        x = (a * x + c) & m
    return x


def memory_visit(buf, start, n):
    """Visits words start, start+1, ... (mod len) n times: sum += w; w += 1. Values are kept
    unmasked; their sum mod 2^64 equals the C++ wrapping sum."""
    words = len(buf)
    idx = start % words
    s = 0
    for _ in range(n):
        v = buf[idx]
        s += v
        buf[idx] = v + 1
        idx += 1
        if idx == words:
            idx = 0
    return s


class Params(object):
    """The per-task work, identical in every worker (picklable)."""

    def __init__(self, spec):
        self.kind = {"cpu": CPU, "memory": MEMORY, "io": IO}[spec["kind"]]
        self.iterations = int(spec["iterations"])
        self.words = max(1, int(spec["words"]))
        self.wait_ns = int(spec["wait_ns"])
        self.input_bytes = int(spec["input_bytes"])
        self.result_bytes = int(spec["result_bytes"])
        self.messages = int(spec["messages"])
        self.payload = int(spec["payload"])
        self.salt = int(spec["salt"])
        self.max_iv = int(spec.get("max_intervals", 512))
        self.bare = spec.get("probes", "on") == "off"
        fault = spec.get("fault") or {}
        self.fault_kind = str(fault.get("kind", ""))
        self.fault_task = int(fault.get("task", -1)) if self.fault_kind else -1


def describe_exit(code):
    """A multiprocessing exit code as conlab words it: 'killed by signal 9 (SIGKILL)',
    'exited with code 3'."""
    if code is None:
        return "still running"
    if code < 0:
        try:
            return "killed by signal %d (%s)" % (-code, signal.Signals(-code).name)
        except ValueError:
            return "killed by signal %d" % -code
    return "exited with code %d" % code


def _died(code):
    """'was killed by signal 11 (SIGSEGV)', 'exited with code 3'."""
    if code is None:
        return "died (exit status unknown)"
    return ("was " if code < 0 else "") + describe_exit(code)


def inject_fault(kind):
    """The --inject-fault hook (testing only, docs/reliability.md), in whichever process runs
    the task: the driver itself (sequential, threads, asyncio) or a worker process."""
    co = _CO
    if co is not None and getattr(co, "pid", None) == os.getpid() and kind != "hang":
        # The driver runs this task itself and is about to die: the completions it has are
        # reported first, as its 50 ms reporter has on a quiet machine by then, so that the
        # fault tests check what conlab keeps of them, not how busy the machine was.
        try:
            co._flush_done()
        except Exception:
            pass
    if kind == "crash":
        try:
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file for a deliberate crash
        except (ValueError, OSError):
            pass
        try:
            signal.signal(signal.SIGSEGV, signal.SIG_DFL)  # the default already, unless faulthandler is on
        except ValueError:  # not the main thread (py-threads): the disposition is process-wide anyway
            pass
        os.kill(os.getpid(), signal.SIGSEGV)
    elif kind == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif kind == "exit":
        os._exit(3)
    elif kind == "hang":
        while True:  # until conlab kills the process group (the task timeout)
            time.sleep(1.0)
    time.sleep(5.0)  # a signal to ourselves is delivered at once; never return as if nothing happened
    raise DriverError("injected fault %r did not take effect" % kind)


def make_input(P, tid):
    if P.input_bytes == 0:
        return b""
    return fill_pattern(P.input_bytes, input_seed(task_seed(P.salt, tid)))


def _absorb(seg, a, b, p):
    """Merges [a, b] of phase p into the segment before it: a reduced segment [start, end, -1,
    [ns per phase]] keeps how long each phase took inside it."""
    if seg[2] != -1:
        sh = [0, 0, 0, 0]
        sh[seg[2]] = seg[1] - seg[0]
        seg[2] = -1
        seg.append(sh)
    seg[3][p] += b - a
    seg[1] = b


def _coarsen(iv):
    """Merges neighbouring segments pairwise (core/measurement/timeline.cpp): half as many,
    the whole time still covered. Returns the new grain (ns)."""
    out = []
    for i in range(0, len(iv), 2):
        a = iv[i]
        if i + 1 < len(iv):
            b = iv[i + 1]
            if b[2] == -1:
                if a[2] != -1:
                    sh = [0, 0, 0, 0]
                    sh[a[2]] = a[1] - a[0]
                    a[2] = -1
                    a.append(sh)
                for k in range(4):
                    a[3][k] += b[3][k]
                a[1] = b[1]
            else:
                _absorb(a, b[0], b[1], b[2])
        out.append(a)
    iv[:] = out
    return max(1, (iv[-1][1] - iv[0][0]) // max(1, len(iv)))


class Rec(object):
    """Phase recorder of one worker: every switch closes one interval, so the totals
    partition [start, last switch] exactly (like core/phase_recorder.h). The timeline covers
    the whole life in at most max_iv segments: past that, detail is reduced, never cut."""

    __slots__ = ("cur", "since", "tot", "iv", "max_iv", "grain")

    def __init__(self, phase, t, max_iv):
        self.cur = phase
        self.since = t
        self.tot = [0, 0, 0, 0]
        self.iv = []
        self.max_iv = max(4, max_iv)
        self.grain = 0

    def switch(self, p, t=None):
        if t is None:
            t = now()
        d = t - self.since
        self.tot[self.cur] += d
        if d > 0:
            iv = self.iv
            if iv and iv[-1][2] == self.cur and iv[-1][1] == self.since:
                iv[-1][1] = t
            elif self.grain and iv and iv[-1][1] == self.since and iv[-1][1] - iv[-1][0] < self.grain:
                _absorb(iv[-1], self.since, t, self.cur)
            else:
                if len(iv) >= self.max_iv:
                    self.grain = max(self.grain * 2, _coarsen(iv))
                iv.append([self.since, t, self.cur])
        self.cur = p
        self.since = t
        return t


class BareRec(Rec):
    """The recorder of a bare run (--probes off): the same calls, nothing recorded and no
    clock read. switch returns the start time (never later than the truth) where a caller
    takes a time from it; a bare run's phases, timelines and latencies are not figures."""

    __slots__ = ()

    def switch(self, p, t=None):
        return self.since if t is None else t


def new_rec(P, phase, t, max_iv):
    return BareRec(phase, t, max_iv) if P.bare else Rec(phase, t, max_iv)


def _task_prologue(P, tid, inp, rec):
    seed = task_seed(P.salt, tid)
    if P.input_bytes:  # ipc only where bytes move (as in core/task_runner.cpp)
        rec.switch(IPC)
    ok_in = len(inp) == P.input_bytes and (P.input_bytes == 0 or same_bytes(inp, fill_pattern(P.input_bytes, input_seed(seed))))
    return seed, ok_in


def _task_epilogue(P, seed, kind, state, msum, rec):
    if kind == CPU:
        checksum = state
    elif kind == MEMORY:
        checksum = msum & M64
    else:
        checksum = splitmix64(seed ^ 0x10)
    if not P.result_bytes:
        return checksum, b""
    rec.switch(IPC)
    return checksum, fill_pattern(P.result_bytes, result_seed(checksum))


def _task_steps(P, tid, inp, rec):
    """One task's work as a generator (mirrors core/task_cursor.cpp and task_runner.cpp),
    shared by the blocking and the asyncio runner: verify input (ipc), compute in messages+1
    segments, produce the result bytes (ipc). It yields what only the runner can do —
    ("sleep", seconds) for an io wait, ("exchange", index, msg) for a message round trip,
    which is sent the reply — and returns (checksum, result, ok_in, ok_reply, rtts, rtt_ns)."""
    seed, ok_in = _task_prologue(P, tid, inp, rec)
    segs = P.messages + 1
    kind = P.kind
    state = seed
    msum = 0
    visited = 0
    buf = None
    rtts = 0
    rtt_ns = 0
    ok_rep = True
    rec.switch(COMPUTE)
    if kind == MEMORY:
        buf = list(range(seed, seed + P.words))
    for s in range(segs):
        if kind == CPU:
            state = lcg_run(state, P.iterations * (s + 1) // segs - P.iterations * s // segs)
        elif kind == MEMORY:
            n = P.iterations * (s + 1) // segs - P.iterations * s // segs
            msum += memory_visit(buf, visited, n)
            visited += n
        else:
            ns = P.wait_ns * (s + 1) // segs - P.wait_ns * s // segs
            if ns > 0:
                yield ("sleep", ns / 1e9)
        if s + 1 < segs:
            t0 = rec.switch(IPC)
            msg = fill_pattern(P.payload, message_seed(seed, s))
            reply = yield ("exchange", s, msg)
            ok_rep = ok_rep and same_bytes(reply, msg)  # verifying the reply is the round trip's (and ipc's), as in C++
            t1 = now()
            rtts += 1
            rtt_ns += t1 - t0
            rec.switch(COMPUTE, t1)
    checksum, result = _task_epilogue(P, seed, kind, state, msum, rec)
    return checksum, result, ok_in, ok_rep, rtts, rtt_ns


def _run_plain_task(P, tid, inp, rec):
    """_task_steps for a task without messages, as straight-line code: the common case, where
    a generator's set-up and its StopIteration cost a third of an empty task's run_task
    (docs/python.md: ~5 vs ~3 µs in CPython 3.11), the driver's overhead, not the mechanism's. It must compute exactly what _task_steps does with one segment."""
    seed, ok_in = _task_prologue(P, tid, inp, rec)
    rec.switch(COMPUTE)
    kind = P.kind
    state = seed
    msum = 0
    if kind == CPU:
        state = lcg_run(seed, P.iterations)
    elif kind == MEMORY:
        msum = memory_visit(list(range(seed, seed + P.words)), 0, P.iterations)
    elif P.wait_ns > 0:
        time.sleep(P.wait_ns / 1e9)
    checksum, result = _task_epilogue(P, seed, kind, state, msum, rec)
    return checksum, result, ok_in, True, 0, 0


def run_task(P, tid, inp, chan, rec):
    """The worker side of one task, blocking: io waits sleep, messages go through chan."""
    if tid == P.fault_task:
        inject_fault(P.fault_kind)
    if not P.messages:
        return _run_plain_task(P, tid, inp, rec)
    steps = _task_steps(P, tid, inp, rec)
    reply = None
    try:
        while True:
            op = steps.send(reply)
            if op[0] == "sleep":
                time.sleep(op[1])
                reply = None
            else:
                reply = chan.exchange(tid, op[1], op[2])
    except StopIteration as done:
        return done.value


async def run_task_async(P, tid, inp, chan, rec):
    """run_task for asyncio: io waits are asyncio.sleep, messages go to an echo coroutine."""
    import asyncio

    if tid == P.fault_task:
        inject_fault(P.fault_kind)  # a hang blocks the loop, like a coroutine stuck in a blocking call
    steps = _task_steps(P, tid, inp, rec)
    reply = None
    try:
        while True:
            op = steps.send(reply)
            if op[0] == "sleep":
                await asyncio.sleep(op[1])
                reply = None
            else:
                reply = await chan.exchange(tid, op[1], op[2])
    except StopIteration as done:
        return done.value


# ------------------------------------------------------------------ output stream
# Lines go to a private duplicate of fd 1 with os.write (no Python buffer a forked child
# could flush a second time); fd 1 itself is pointed at stderr so stray prints cannot
# corrupt the stream.

_OUT_FD = None
_OUT_LOCK = threading.Lock()


def _setup_output():
    global _OUT_FD
    _OUT_FD = os.dup(1)  # not inheritable across exec
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_close_output_in_child)


def _die_with_parent(parent):
    """A SIGKILLed conlab must not leave the driver and its pool running (with big payloads
    they held ~1 GB each for up to 40 s). conlab passes its pid; the kernel sends the driver
    SIGUSR1 when its parent dies (PR_SET_PDEATHSIG) and a thread checks every 50 ms that
    neither its parent nor conlab is gone.
    Either takes the whole process group down: the driver leads it (conlab starts it with its
    own group), and the pool workers, forkserver and resource tracker are in it."""
    me = os.getpid()

    def take_down(*_):
        if os.getpid() != me:  # a forked worker inherited the handler: not its business
            return
        try:
            if _TOKEN:  # what conlab would have unlinked (the resource tracker dies with the group)
                for n in os.listdir("/dev/shm"):
                    if n.startswith("conlab-" + _TOKEN) or n.startswith("sem.conlab-" + _TOKEN):
                        try:
                            os.unlink("/dev/shm/" + n)
                        except OSError:
                            pass
        except OSError:
            pass
        try:
            if os.getpgrp() == me:
                os.killpg(me, signal.SIGKILL)
        finally:
            os._exit(1)

    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGUSR1), 0, 0, 0)  # PR_SET_PDEATHSIG
    except Exception:
        pass  # the watching thread still works
    signal.signal(signal.SIGUSR1, take_down)
    first = os.getppid()  # conlab, or a wrapper script that runs python as its child

    def gone():
        if os.getppid() != first:
            return True
        try:
            os.kill(parent, 0)
        except ProcessLookupError:  # conlab died (also before the death signal was set)
            return True
        except OSError:
            pass
        return False

    if gone():
        take_down()

    def watch():
        while True:
            time.sleep(0.05)
            if gone():
                take_down()

    threading.Thread(target=watch, name="conlab-parent-watch", daemon=True).start()


def _close_output_in_child():
    global _OUT_FD
    if _OUT_FD is not None:
        try:
            os.close(_OUT_FD)
        except OSError:
            pass
        _OUT_FD = None


def emit(obj, then_exit=None):
    """Writes one protocol line. then_exit: exit the process with that code while still
    holding the stream, so that this is the last line (an error from any thread)."""
    data = (json.dumps(obj, separators=(",", ":")) + "\n").encode()
    with _OUT_LOCK:
        view = memoryview(data)
        while view:
            n = os.write(_OUT_FD, view)
            view = view[n:]
        if then_exit is not None:
            sys.stderr.flush()
            os._exit(then_exit)


class DriverError(Exception):
    pass


def _error_text(e):
    return str(e) if isinstance(e, DriverError) else "%s: %s" % (type(e).__name__, e)


# ------------------------------------------------------------------ coordinator bookkeeping

class Coordinator(object):
    """The driver's main process: hands out tasks, verifies results, and reports
    completions, live lane totals and worker records to conlab."""

    def __init__(self, spec, P):
        self.spec = spec
        self.P = P
        self.tasks = int(spec["tasks"])
        self.workers = int(spec["workers"])
        self.chunksize = max(1, int(spec.get("chunksize", 1)))
        self.detailed = int(spec.get("detailed_workers", 64))
        self.base = now()
        self.pid = os.getpid()  # the driver's: a forked worker's copy of this object is not it
        self.done_q = collections.deque()
        self.completed = 0
        self.rtt_n = 0
        self.rtt_ns = 0
        self.records = 0
        self.lock = threading.Lock()
        self.lane_finished = [[0, 0, 0, 0] for _ in range(self.workers)]
        self.lane_active = [dict() for _ in range(self.workers)]  # key -> [startup_ns, tot list]
        self.lane_tasks = [0] * self.workers
        self.stop_ev = threading.Event()
        self.flush_lock = threading.Lock()
        # --task-timeout, where the driver can tell when a task starts: key -> (start ns, first
        # task, tasks, who). Plain dict operations (atomic under the GIL); the reporter checks.
        self.timeout_ns = int(float(spec.get("task_timeout_s", 0)) * 1e9)
        self.busy = {}
        # () -> the busy key whose code runs right now, where one thread runs every task
        # (asyncio): if that one is overdue, it is what blocks the others.
        self.running_key = None
        self.reporter = threading.Thread(target=self._report_loop, name="conlab-reporter", daemon=True)

    def rel(self, t):
        return t - self.base

    def start(self):
        emit({"t": "hello", "protocol": PROTOCOL, "pid": os.getpid(), "base": str(self.base),
              "version": "%d.%d.%d" % sys.version_info[:3], "start_method": mp.get_start_method()})
        self.reporter.start()

    def task_done(self, tid, checksum, lat_ns, lane):
        self.done_q.append((tid, str(checksum), lat_ns, lane))

    def check_result(self, tid, checksum, result, ok_in, ok_rep, who):
        if not ok_in:
            raise DriverError("%s: task %d received corrupted input bytes" % (who, tid))
        if not ok_rep:
            raise DriverError("%s: task %d received corrupted message replies" % (who, tid))
        if self.P.result_bytes or len(result):
            if len(result) != self.P.result_bytes or not same_bytes(result, fill_pattern(self.P.result_bytes, result_seed(checksum))):
                raise DriverError("%s: task %d returned corrupted result bytes" % (who, tid))

    def begin(self, key, tid, who, count=1, t=None):
        self.busy[key] = (now() if t is None else t, tid, count, who)

    def end(self, key):
        self.busy.pop(key, None)

    def _check_timeouts(self):
        if self.timeout_ns <= 0:
            return
        t = now()
        late = [(key, t - t0, tid, max(1, count), who) for key, (t0, tid, count, who) in list(self.busy.items())
                if t - t0 > self.timeout_ns * max(1, count)]
        if not late:
            return
        late.sort(key=lambda x: -x[1])  # the longest-running first
        running = None
        try:
            running = self.running_key() if self.running_key else None
        except Exception:
            pass
        for i, x in enumerate(late):
            if x[0] == running:
                late.insert(0, late.pop(i))
                break
        else:
            # The coroutine the loop runs right now is not past the limit yet, but while it runs
            # the loop runs nothing else: the late ones may be waiting for it (a coroutine stuck
            # in a blocking call holds up every other). If it is stuck, it is late within one
            # limit: wait for that (at most until the oldest is twice past), then name it first.
            if running in self.busy and late[0][1] < 2 * self.timeout_ns * late[0][3]:
                return
        _, ran, tid, count, who = late[0]
        more = " (and %d more task(s) past the limit)" % (len(late) - 1) if len(late) > 1 else ""
        if count > 1:  # worded like core/task_watch.h
            what = "the chunk of tasks %d-%d still running after %.3g s (--task-timeout %g s x %d tasks)" % (
                tid, tid + count - 1, ran / 1e9, self.timeout_ns / 1e9, count)
        else:
            what = "task %d still running after %.3g s (--task-timeout %g s)" % (tid, ran / 1e9, self.timeout_ns / 1e9)
        self.fail_now("%s timed out: %s%s" % (who, what, more))

    def fail_now(self, msg):
        """Reports the tasks completed so far and the error, then exits at once: used where
        the normal way out (raise, clean up in finally, report) could itself hang — a task
        that never returns, a multiprocessing.Pool that lost a worker. conlab kills and reaps
        the whole process group and unlinks the run's named objects."""
        try:
            self._flush_done()
        finally:
            emit({"t": "error", "msg": msg}, then_exit=3)

    def round_trips(self, n, ns):
        self.rtt_n += n
        self.rtt_ns += ns

    # live lanes: finished workers' totals plus active workers' latest totals
    def track(self, lane, key, startup_ns, tot):
        with self.lock:
            self.lane_active[lane][key] = [startup_ns, tot]

    def update(self, lane, key, tot):
        a = self.lane_active[lane].get(key)
        if a is not None:
            a[1] = tot

    def worker(self, lane, wid, t_req, t_ready, t_done, t_reaped, tot, iv, tasks, cpu0, cpu1, key=None, nivcsw=-1):
        ph = list(tot)
        ph[SPAWN] += (t_ready - t_req) + (t_reaped - t_done)
        rec = {"t": "worker", "lane": lane, "id": wid, "req": self.rel(t_req), "ready": self.rel(t_ready),
               "done": self.rel(t_done), "reaped": self.rel(t_reaped), "ph": ph, "tasks": tasks,
               "cpu0": cpu0, "cpu1": cpu1}
        if nivcsw >= 0:  # the worker's involuntary context switches, where it could read them
            rec["nivcsw"] = nivcsw
        if self.records < self.detailed and iv:
            rec["iv"] = [[self.rel(x[0]), self.rel(x[1]), x[2]] + x[3:] for x in iv]
        self.records += 1
        with self.lock:
            self.lane_active[lane].pop(key if key is not None else wid, None)
            fin = self.lane_finished[lane]
            for i in range(4):
                fin[i] += ph[i]
        emit(rec)

    def _flush_done(self):
        with self.flush_lock:  # the reporter, and an error path on another thread
            q = self.done_q
            n = len(q)
            while n > 0:
                k = min(n, 2000)
                items = [q.popleft() for _ in range(k)]
                n -= k
                for it in items:
                    self.lane_tasks[it[3]] += 1
                self.completed += k
                emit({"t": "done", "d": items})

    def _emit_lanes(self):
        t = now()
        with self.lock:
            ph = []
            for lane in range(self.workers):
                acc = list(self.lane_finished[lane])
                for startup, tot in self.lane_active[lane].values():
                    if tot is None:  # started, not ready yet: spawning until now
                        acc[SPAWN] += t - startup
                        continue
                    acc[SPAWN] += startup
                    for i in range(4):
                        acc[i] += tot[i]
                ph.append(acc)
        emit({"t": "lanes", "ph": ph, "n": self.lane_tasks})

    def _report_loop(self):
        interval = max(0.01, int(self.spec.get("snapshot_ms", 50)) / 1000.0)
        while not self.stop_ev.wait(interval):
            self._flush_done()
            self._emit_lanes()
            self._check_timeouts()

    def finish(self):
        self.stop_ev.set()
        self.reporter.join()
        self._flush_done()
        if self.rtt_n:
            emit({"t": "rtt", "n": self.rtt_n, "ns": self.rtt_ns})
        emit({"t": "end", "tasks": self.completed})


def split_final_gap(since, tot, iv, t_shut, t_end, max_iv):
    """A pool worker's last gap [since, t_end]: idle until the coordinator asked the pool to
    shut down, ipc (the shutdown hand-off) after."""
    mid = min(max(t_shut, since), t_end)
    tot = list(tot)
    tot[IDLE] += mid - since
    tot[IPC] += t_end - mid
    iv = list(iv)
    for a, b, p in ((since, mid, IDLE), (mid, t_end, IPC)):
        if b > a and len(iv) < max_iv:
            iv.append([a, b, p])
    return tot, iv


# ------------------------------------------------------------------ message channels

class LoopbackChan(object):
    """Sequential: the message is copied to the coordinator's buffer and back."""

    def exchange(self, tid, index, msg):
        return bytes(bytearray(msg))


class QueueEchoServer(object):
    """Threads: messages go through queue.Queue to an echo thread (the coordinator)."""

    def __init__(self):
        import queue

        self.q = queue.Queue()
        self.thread = threading.Thread(target=self._loop, name="conlab-echo", daemon=True)
        self.thread.start()

    def _loop(self):
        while True:
            item = self.q.get()
            if item is None:
                return
            msg, reply_q = item
            reply_q.put(msg)

    def stop(self):
        self.q.put(None)


class QueueChan(object):
    def __init__(self, server):
        import queue

        self.server = server
        self.reply = queue.Queue(1)

    def exchange(self, tid, index, msg):
        self.server.q.put((msg, self.reply))
        return self.reply.get()


class SocketEchoServer(object):
    """Process pools: each worker connects (lazily, once) to a Unix socket in the abstract
    namespace and the coordinator echoes each message back from a thread per connection."""

    def __init__(self, token):
        self.authkey = os.urandom(32)
        self.address = "\0conlab-%s-echo" % token
        self.listener = mpc.Listener(self.address, family="AF_UNIX", authkey=self.authkey)
        self.thread = threading.Thread(target=self._accept, name="conlab-echo-accept", daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                c = self.listener.accept()
            except Exception:
                return
            threading.Thread(target=self._serve, args=(c,), daemon=True).start()

    @staticmethod
    def _serve(c):
        try:
            while True:
                c.send_bytes(c.recv_bytes())
        except (EOFError, OSError):
            pass
        finally:
            c.close()

    def close(self):
        try:
            self.listener.close()
        except Exception:
            pass


class SocketChan(object):
    def __init__(self, address, authkey):
        self.address = address
        self.authkey = authkey
        self.conn = None

    def exchange(self, tid, index, msg):
        if self.conn is None:
            self.conn = mpc.Client(self.address, family="AF_UNIX", authkey=self.authkey)
        self.conn.send_bytes(msg)
        return self.conn.recv_bytes()


class PipeChan(object):
    """Process per task: messages share the child's result pipe."""

    def __init__(self, conn):
        self.conn = conn

    def exchange(self, tid, index, msg):
        self.conn.send(("m", msg))
        return self.conn.recv_bytes()


# ------------------------------------------------------------------ py-sequential

def mode_sequential(co, P):
    t0 = now()
    rec = new_rec(P, IPC, t0, P.max_iv)
    co.track(0, "main", 0, rec.tot)
    chan = LoopbackChan()
    cpu0 = cpu_now()
    who = "worker (the driver's main thread, pid %d)" % os.getpid()
    this_thread = getattr(resource, "RUSAGE_THREAD", None)
    switches0 = involuntary_switches(this_thread) if this_thread is not None else -1
    for tid in range(co.tasks):
        ts = rec.switch(IPC if P.input_bytes else IDLE)  # without bytes: the driver's bookkeeping
        inp = make_input(P, tid)
        co.begin("main", tid, who, t=ts)
        cs, res, ok_in, ok_rep, r, rn = run_task(P, tid, inp, chan, rec)
        rec.switch(IDLE)  # the driver's bookkeeping follows: the worker waits (core: sequential.cpp)
        co.end("main")
        co.check_result(tid, cs, res, ok_in, ok_rep, "main")
        co.round_trips(r, rn)
        co.task_done(tid, cs, now() - ts, 0)
    t1 = rec.switch(IPC)
    switches = involuntary_switches(this_thread) if switches0 >= 0 else -1
    co.worker(0, os.getpid(), t0, t0, t1, t1, rec.tot, rec.iv, co.tasks, cpu0, cpu_now(), key="main",
              nivcsw=switches - switches0 if switches >= 0 else -1)


# ------------------------------------------------------------------ py-threads

AHEAD_TASKS = 1024  # tasks queued ahead of the workers at most (core/backends/thread_hub.h)
AHEAD_BYTES = 64 << 20  # and at most this many input bytes


def ahead_submissions(P, workers, chunksize=1):
    """How many submissions (chunks) an executor gets ahead of its results, the way
    Executor.map queues work: deep enough that a worker never waits for the coordinator to
    wake and refill it (one wake-up per result would be the driver's cost, not the
    mechanism's), bounded by task count and input bytes like conlab's native pools; at least
    two per worker."""
    tasks = min(AHEAD_TASKS, AHEAD_BYTES // max(1, P.input_bytes))
    return max(2 * workers, tasks // max(1, chunksize))


def mode_threads(co, P):
    from concurrent.futures import ThreadPoolExecutor
    import queue

    local = threading.local()
    workers = []
    lock = threading.Lock()
    echo = QueueEchoServer() if P.messages else None
    t_req = now()

    def init():
        t = now()
        r = new_rec(P, IDLE, t, P.max_iv)
        with lock:
            lane = len(workers)
            w = {"lane": lane, "rec": r, "ready": t, "tasks": 0, "cpu0": cpu_now(),
                 "chan": QueueChan(echo) if echo else None,
                 "key": "t%d" % lane, "who": "worker thread %d (of the driver, pid %d)" % (lane, os.getpid())}
            workers.append(w)
        local.w = w
        co.track(lane, "t%d" % lane, t - t_req, r.tot)

    results = queue.SimpleQueue()

    def job(tid, t_sub, inp):
        # The result goes straight to the coordinator's queue (what a done-callback would do,
        # without the future's callback machinery per task); an exception goes there too, so
        # the coordinator never waits for a result that will not come.
        try:
            w = local.w
            r = w["rec"]
            t = r.switch(IPC, max(r.since, t_sub))  # idle until the task was submitted, then hand-off
            co.begin(w["key"], tid, w["who"], t=t)
            cs, res, ok_in, ok_rep, rt, rtn = run_task(P, tid, inp, w["chan"], r)
            co.end(w["key"])
            t = r.switch(IDLE)
            w["tasks"] += 1
            # Latency to the worker's own clock reading (results are read in batches); a bare
            # run's recorder reads no clock: 0, not a figure.
            results.put((tid, max(0, t - t_sub), cs, res, ok_in, ok_rep, rt, rtn, w["lane"]))
        except BaseException as e:
            results.put(e)
            raise

    ex = ThreadPoolExecutor(max_workers=co.workers, initializer=init)
    try:
        nxt = 0
        inflight = 0
        window = ahead_submissions(P, co.workers)
        refill = max(1, window // 4)  # refill in bulk, not one submit per result
        while nxt < co.tasks or inflight:
            if inflight <= window - refill:
                while nxt < co.tasks and inflight < window:
                    inp = make_input(P, nxt)
                    ex.submit(job, nxt, now(), inp)
                    nxt += 1
                    inflight += 1
            got = results.get()
            inflight -= 1
            if isinstance(got, BaseException):
                raise got
            tid, lat, cs, res, ok_in, ok_rep, rt, rtn, lane = got
            co.check_result(tid, cs, res, ok_in, ok_rep, "thread %d" % lane)
            if rt:
                co.round_trips(rt, rtn)
            co.task_done(tid, cs, lat, lane)
    finally:
        t_shut = now()
        ex.shutdown(wait=True)
        t_reaped = now()
        if echo:
            echo.stop()
    for w in workers:
        r = w["rec"]
        r.switch(IDLE, max(r.since, t_shut))
        # id: a sequence number for threads (docs/results-format.md), not get_ident(), whose
        # pthread address (~1e14) the results loader refuses as out of range.
        co.worker(w["lane"], w["lane"], t_req, w["ready"], r.since, t_reaped, r.tot, r.iv, w["tasks"],
                  w["cpu0"], -1, key="t%d" % w["lane"])


# ------------------------------------------------------------------ py-process-per-task

# --parent-memory (docs/measurement.md "Fork cost vs parent memory"): the driver, the parent of
# every Python worker, holds a list of that many bytes of item pointers (all pages written when it
# is built) while the workers start; --child-touch: each process-per-task child writes that share
# of its slots first, one per page (copy-on-write copies, in its spawn phase).
_BALLAST = None
_BALLAST_TOUCH = 0  # slots to write in a child


def hold_parent_memory(spec):
    global _BALLAST, _BALLAST_TOUCH
    nbytes = int(spec.get("parent_memory", 0))
    if nbytes <= 0:
        return
    slots = max(1, nbytes // 8)  # a list is an array of 8-byte pointers
    _BALLAST = [None] * slots
    # Out of the collector's sight, as fork-heavy servers do (gc.freeze): otherwise every full
    # collection during the run traverses its slots, which is the list's cost, not fork's.
    gc.freeze()
    _BALLAST_TOUCH = int(slots * min(1.0, max(0.0, float(spec.get("child_touch", 0)))))


def touch_parent_memory():
    b = _BALLAST
    if b is None:
        return
    for i in range(0, _BALLAST_TOUCH, 512):  # 512 pointers: one 4 KiB page
        b[i] = None


def ppt_child(P, tid, inp, conn, max_iv):
    touch_parent_memory()
    t_ready = now()
    cpu0 = cpu_now()
    rec = new_rec(P, IPC, t_ready, max_iv)
    conn.send(("h", t_ready))
    cs, res, ok_in, ok_rep, rt, rtn = run_task(P, tid, inp, PipeChan(conn), rec)
    rec.switch(IPC)  # handing the result over
    conn.send(("r", str(cs), res, ok_in, ok_rep, rt, rtn))
    t_done = rec.switch(IPC)
    conn.send(("b", t_done, rec.tot, rec.iv, cpu0, cpu_now()))
    conn.close()


def mode_process_per_task(co, P):
    ctx = mp.get_context()
    free = list(range(co.workers - 1, -1, -1))
    active = {}
    nxt = 0
    try:
        while nxt < co.tasks or active:
            while nxt < co.tasks and free:
                lane = free.pop()
                tid = nxt
                nxt += 1
                inp = make_input(P, tid)
                parent, child = ctx.Pipe(duplex=True)
                t_req = now()
                p = ctx.Process(target=ppt_child, args=(P, tid, inp, child, P.max_iv), daemon=True)
                p.start()
                child.close()
                key = "p%d" % tid
                co.begin(key, tid, "worker pid %d" % p.pid, t=t_req)
                co.track(lane, key, t_req, None)
                active[parent] = {"p": p, "lane": lane, "tid": tid, "req": t_req, "key": key}
            for c in mpc.wait(list(active)):
                a = active[c]
                try:
                    msg = c.recv()
                except (EOFError, OSError):
                    a["p"].join(1.0)
                    raise DriverError("worker pid %s %s in task %d, before reporting its result"
                                      % (a["p"].pid, _died(a["p"].exitcode), a["tid"]))
                kind = msg[0]
                if kind == "m":
                    c.send_bytes(msg[1])
                elif kind == "h":
                    a["ready"] = msg[1]
                    co.track(a["lane"], a["key"], msg[1] - a["req"], [0, 0, 0, 0])
                elif kind == "r":
                    _, cs, res, ok_in, ok_rep, rt, rtn = msg
                    co.end(a["key"])
                    cs = int(cs)
                    co.check_result(a["tid"], cs, res, ok_in, ok_rep, "worker pid %d" % a["p"].pid)
                    co.round_trips(rt, rtn)
                    co.task_done(a["tid"], cs, now() - a["req"], a["lane"])
                elif kind == "b":
                    _, t_done, tot, iv, cpu0, cpu1 = msg
                    a["p"].join()
                    t_reaped = now()
                    del active[c]
                    c.close()
                    if a["p"].exitcode != 0:
                        raise DriverError("worker pid %d %s after its task" % (a["p"].pid, _died(a["p"].exitcode)))
                    co.worker(a["lane"], a["p"].pid, a["req"], a["ready"], t_done, t_reaped, tot, iv, 1, cpu0,
                              cpu1, key=a["key"])
                    free.append(a["lane"])
    finally:
        for c, a in list(active.items()):
            a["p"].kill()
            a["p"].join()
            c.close()


# ------------------------------------------------------------------ pool workers (Pool, ProcessPoolExecutor)
# The initializer marks the worker ready and says hello on a SimpleQueue; a finalizer says
# goodbye with the worker's phase totals when the pool's exit sentinel ends the worker.

_W = None


def pool_init(P, hq, echo_addr, echo_key):
    global _W
    t = now()
    _W = {"P": P, "rec": new_rec(P, IDLE, t, P.max_iv), "ready": t, "pid": os.getpid(), "tasks": 0,
          "chan": SocketChan(echo_addr, echo_key) if echo_addr else None, "hq": hq, "last_state": t}
    hq.put(("h", os.getpid(), t, cpu_now()))
    mp.util.Finalize(None, _pool_bye, exitpriority=100)


def _pool_bye():
    w = _W
    r = w["rec"]
    w["hq"].put(("b", w["pid"], r.since, r.tot, r.iv, now(), cpu_now(), w["tasks"], involuntary_switches()))


def _pool_one(tid, t_sub, inp):
    """One task in a pool worker. Its latency ends at the worker's own clock reading when the
    task is done (docs/measurement.md), not when the coordinator gets to the result: results
    are read in batches. The common result (no bytes, no messages, checks passed) is a short
    tuple: pickling it is part of every task's round trip."""
    w = _W
    r = w["rec"]
    r.switch(IPC, max(r.since, t_sub))
    cs, res, ok_in, ok_rep, rt, rtn = run_task(w["P"], tid, inp, w["chan"], r)
    t = r.switch(IDLE)
    w["tasks"] += 1
    state = None
    if t - w["last_state"] >= STATE_EVERY_NS:
        w["last_state"] = t
        state = list(r.tot)
    lat = max(0, t - t_sub)  # a bare run's recorder reads no clock: 0, not a figure
    if res or not ok_in or not ok_rep or rt:
        return tid, lat, cs, res, ok_in, ok_rep, rt, rtn, w["pid"], state
    return tid, lat, cs, w["pid"], state


def pool_task(item):
    return _pool_one(item[0], item[1], item[2])


def pool_chunk(first, count, t_sub, inputs):
    return [_pool_one(first + k, t_sub, inputs[k] if inputs else b"") for k in range(count)]


class PoolHellos(object):
    """Drains the hello/bye queue on a thread (a worker blocked writing its goodbye must
    never stall the pool's join) and maps worker pids to lanes."""

    def __init__(self, co, hq, t_req):
        self.co = co
        self.hq = hq
        self.t_req = t_req
        self.lanes = {}
        self.info = {}
        self.byes = {}
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._loop, name="conlab-hellos", daemon=True)
        self.thread.start()

    def _loop(self):
        while True:
            m = self.hq.get()
            if m is None:
                return
            if m[0] == "h":
                self.lane_of(m[1], m[2], m[3])
            else:
                self.byes[m[1]] = m

    def lane_of(self, pid, t_ready=None, cpu=-1):
        if t_ready is None:
            lane = self.lanes.get(pid)  # the hot path: no lock once known
            if lane is not None:
                return lane
        with self.lock:
            lane = self.lanes.get(pid)
            if lane is None:
                lane = len(self.lanes) % self.co.workers
                self.lanes[pid] = lane
                self.info[pid] = {"ready": None, "cpu0": -1}
                self.co.track(lane, pid, 0, [0, 0, 0, 0])
            if t_ready is not None:
                self.info[pid]["ready"] = t_ready
                self.info[pid]["cpu0"] = cpu
                self.co.track(lane, pid, t_ready - self.t_req, self.co.lane_active[lane].get(pid, [0, [0] * 4])[1])
            return lane

    def stop(self):
        self.hq.put(None)
        self.thread.join()

    def records(self, t_shut, t_reaped, P):
        for pid, lane in sorted(self.lanes.items(), key=lambda kv: kv[1]):
            b = self.byes.get(pid)
            info = self.info[pid]
            if b is None or info["ready"] is None:
                raise DriverError("worker pid %d ended without saying goodbye (killed?)" % pid)
            _, _, since, tot, iv, t_bye, cpu1, tasks, nivcsw = b
            tot, iv = split_final_gap(since, tot, iv, t_shut, t_bye, P.max_iv)
            self.co.worker(lane, pid, self.t_req, info["ready"], t_bye, t_reaped, tot, iv, tasks, info["cpu0"],
                           cpu1, key=pid, nivcsw=nivcsw)


def _handle_pool_result(co, hellos, r, who):
    if len(r) == 5:  # _pool_one's short form: no bytes, no messages, its checks passed
        tid, lat, cs, pid, state = r
        if co.P.result_bytes:
            co.check_result(tid, cs, b"", True, True, "%s worker pid %d" % (who, pid))
    else:
        tid, lat, cs, res, ok_in, ok_rep, rt, rtn, pid, state = r
        co.check_result(tid, cs, res, ok_in, ok_rep, "%s worker pid %d" % (who, pid))
        if rt:
            co.round_trips(rt, rtn)
    lane = hellos.lane_of(pid)
    if state is not None:
        co.update(lane, pid, state)
    co.done_q.append((tid, str(cs), lat, lane))


class PoolDeaths(object):
    """Keeps every worker Process a pool ever had (multiprocessing.Pool._pool and
    ProcessPoolExecutor._processes: private, but stable since Python 3.3), so a worker's death
    stays visible after the pool dropped or replaced it. multiprocessing.Pool silently
    replaces a worker that died and then waits forever for the task it was running."""

    def __init__(self, current):
        self.current = current  # () -> iterable of the pool's Process objects now
        self.known = {}
        self.refresh()

    def refresh(self):
        try:
            for p in list(self.current()):
                if p.pid is not None:
                    self.known.setdefault(p.pid, p)
        except Exception:
            pass

    def dead(self, ignore=()):
        """(pid, exit code) of workers that ended, skipping exit codes in `ignore`."""
        self.refresh()
        out = []
        for pid, p in sorted(self.known.items()):
            try:
                code = p.exitcode
            except ValueError:  # closed
                continue
            if code is not None and code not in ignore:
                out.append((pid, code))
        return out


def _watch_pool(co, deaths, stop):
    """multiprocessing.Pool: no worker may end while the pool runs tasks. One that died (a
    crash, a kill, an early exit) is reported at once, from this thread: Pool would replace it
    and wait forever for its task, and Pool.terminate() can block on a queue lock the dead
    worker held, so the driver exits right after the report and conlab kills and reaps the
    whole process group."""
    while not stop.wait(POOL_CHECK_NS / 1e9):
        dead = deaths.dead()
        if dead and not stop.is_set():
            pid, code = dead[0]
            co.fail_now("worker pid %d %s while the pool ran tasks (multiprocessing.Pool would replace it "
                        "and wait forever for its task)" % (pid, _died(code)))


def mode_pool(co, P, token):
    ctx = mp.get_context()
    hq = ctx.SimpleQueue()
    echo = SocketEchoServer(token) if P.messages else None
    t_req = now()
    hellos = PoolHellos(co, hq, t_req)
    stop_watch = threading.Event()
    pool = ctx.Pool(co.workers, initializer=pool_init,
                    initargs=(P, hq, echo.address if echo else None, echo.authkey if echo else None))
    deaths = PoolDeaths(lambda: getattr(pool, "_pool", ()))
    watcher = threading.Thread(target=_watch_pool, args=(co, deaths, stop_watch), name="conlab-pool-watch",
                               daemon=True)
    watcher.start()
    ok = False
    try:
        items = ((tid, now(), make_input(P, tid)) for tid in range(co.tasks))
        for r in pool.imap_unordered(pool_task, items, chunksize=co.chunksize):
            _handle_pool_result(co, hellos, r, "pool")
        ok = True
    finally:
        stop_watch.set()  # workers end from here on: on purpose
        watcher.join()
        t_shut = now()
        if ok:
            pool.close()
        else:
            pool.terminate()
        pool.join()
        t_reaped = now()
        if ok:  # after terminate() a worker may have died holding the hello queue's lock
            hellos.stop()
        if echo:
            echo.close()
    hellos.records(t_shut, t_reaped, P)


def _executor_manager(ex):
    """The thread of a ProcessPoolExecutor that terminates and joins its workers (private:
    _executor_manager_thread since 3.9, _queue_management_thread before)."""
    return getattr(ex, "_executor_manager_thread", None) or getattr(ex, "_queue_management_thread", None)


def _broken_pool(deaths, manager=None):
    """Which worker broke a ProcessPoolExecutor: the executor then terminates the others
    (SIGTERM), so the first one that ended otherwise is the culprit.

    The executor fails the futures first and then terminates and joins the workers from its
    manager thread. Reading an exit code meanwhile races with that join: with forkserver,
    Popen.poll() reads the status from a pipe, and of two threads polling at once one gets
    the status and the other EOF, which it records as exit code 255 for good (seen in CI as
    'worker pid N exited with code 255' for a SIGKILL). So the manager thread goes first."""
    if manager is not None and manager is not threading.current_thread():
        manager.join(1.0)
    deadline = now() + 1000000000
    while True:
        dead = deaths.dead(ignore=(0, -signal.SIGTERM))
        if dead or now() >= deadline:
            break
        time.sleep(0.01)
    if not dead:
        dead = deaths.dead(ignore=(0,))
    if not dead:
        return "a worker of the ProcessPoolExecutor died (BrokenProcessPool; which one is unknown)"
    pid, code = dead[0]
    return "worker pid %d %s: the ProcessPoolExecutor is broken (BrokenProcessPool)" % (pid, _died(code))


def mode_process_pool(co, P, token, method):
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    import queue

    ctx = mp.get_context(method)
    hq = ctx.SimpleQueue()
    echo = SocketEchoServer(token) if P.messages else None
    t_req = now()
    hellos = PoolHellos(co, hq, t_req)
    ex = ProcessPoolExecutor(max_workers=co.workers, mp_context=ctx, initializer=pool_init,
                             initargs=(P, hq, echo.address if echo else None, echo.authkey if echo else None))
    results = queue.SimpleQueue()
    deaths = PoolDeaths(lambda: (getattr(ex, "_processes", None) or {}).values())
    ok = False
    try:
        nxt = 0
        inflight = 0
        window = ahead_submissions(P, co.workers, co.chunksize)
        while nxt < co.tasks or inflight:
            while nxt < co.tasks and inflight < window:
                n = min(co.chunksize, co.tasks - nxt)
                inputs = [make_input(P, nxt + k) for k in range(n)] if P.input_bytes else None
                try:
                    ex.submit(pool_chunk, nxt, n, now(), inputs).add_done_callback(results.put)
                except BrokenProcessPool:  # broke before this submit
                    raise DriverError(_broken_pool(deaths, _executor_manager(ex)))
                except EOFError as e:  # submit starts workers on demand: the server died forking one
                    if method != "forkserver":
                        raise
                    raise DriverError("the fork server ended while starting a worker (EOFError: %s): "
                                      "it could not fork one" % e)
                nxt += n
                inflight += 1
                if len(deaths.known) < co.workers:
                    deaths.refresh()  # spawn and forkserver start workers on demand
            f = results.get()
            inflight -= 1
            try:
                chunk = f.result()
            except BrokenProcessPool:
                raise DriverError(_broken_pool(deaths, _executor_manager(ex)))
            for r in chunk:
                _handle_pool_result(co, hellos, r, "process-pool")
        ok = True
    finally:
        t_shut = now()
        ex.shutdown(wait=True, cancel_futures=not ok) if sys.version_info >= (3, 9) else ex.shutdown(wait=True)
        t_reaped = now()
        if ok:  # a broken pool's workers were terminated, maybe holding the hello queue's lock
            hellos.stop()
        if echo:
            echo.close()
    hellos.records(t_shut, t_reaped, P)


# ------------------------------------------------------------------ py-shared-memory and variants
# Long-lived worker processes, each with a pipe for tiny control tuples (task ids, checksums).
# Where inputs, results and messages travel is the variant's carrier (docs/python.md):
#   shared-memory  one multiprocessing.shared_memory segment, a slot per worker
#   array          one multiprocessing.Array('B', lock=False) (a RawArray), a slot per worker,
#                  and a Value('q', lock=False) per worker counting its tasks
#   array-lock     the same with lock=True: every access to the Array holds its one RLock,
#                  shared by the coordinator and all workers, and each Value its own lock
#   queue          no shared bytes: everything is pickled through multiprocessing.Queues
#                  (one per worker for tasks and echoes, one shared for all answers)
_NO_LOCK = contextlib.nullcontext()


def _attach_shm(name):
    from multiprocessing import shared_memory

    try:
        return shared_memory.SharedMemory(name=name, track=False)  # 3.13+
    except TypeError:
        # < 3.13: attaching registers the name with the resource tracker again; the tracker
        # is shared with the creator (every start method passes its fd on) and keeps a set,
        # so this is a no-op, and the creator's unlink unregisters it once.
        return shared_memory.SharedMemory(name=name)


class SharedRegion(object):
    """The coordinator's side of the shared bytes: `view` (a writable memoryview, None for the
    queue carrier), `lock` (held around every access; a no-op without one) and `handle`, what a
    worker is given to attach to it."""

    def __init__(self, ctx, carrier, token, size):
        self.carrier = carrier
        self.view = None
        self.lock = _NO_LOCK
        self.handle = None
        self._shm = None
        if carrier == "queue":
            return
        if carrier == "shared-memory":
            from multiprocessing import shared_memory

            self._shm = shared_memory.SharedMemory(name="conlab-%s-shm" % token, create=True, size=size)
            try:  # reserve the pages now: a /dev/shm that fills up meanwhile is an error here, not a SIGBUS
                os.posix_fallocate(self._shm._fd, 0, size)
            except AttributeError:
                pass
            except OSError as e:
                self.close()
                raise MemoryError("the shared region of %d bytes does not fit in /dev/shm: %s: lower --input, "
                                  "--result, --payload, --chunksize or --workers" % (size, e.strerror))
            self.view = self._shm.buf
            self.handle = self._shm.name.lstrip("/")
        else:  # multiprocessing's heap: an unlinked file in /dev/shm, passed to workers by fd
            arr = ctx.Array("B", size, lock=carrier == "array-lock")
            self.handle = arr
            self.view, self.lock = _array_view(arr)

    def close(self):
        view, self.view = self.view, None
        if view is not None and self._shm is None:
            try:
                view.release()
            except BufferError:  # a slice still alive: the heap's fd goes with the process
                pass
        if self._shm is not None:
            try:
                self._shm.unlink()
            finally:
                try:
                    self._shm.close()
                except BufferError:
                    pass


def _array_view(arr):
    """A multiprocessing.Array's bytes as a memoryview (what numpy.frombuffer users do; slicing
    the Array itself builds an int per byte) and the lock that guards it."""
    if hasattr(arr, "get_lock"):
        return memoryview(arr.get_obj()).cast("B"), arr.get_lock()
    return memoryview(arr).cast("B"), _NO_LOCK


def _attach_region(carrier, handle):
    """The worker's side: (view, lock, detach)."""
    if carrier == "queue":
        return None, _NO_LOCK, lambda: None
    if carrier == "shared-memory":
        shm = _attach_shm(handle)
        return shm.buf, _NO_LOCK, shm.close
    view, lock = _array_view(handle)

    def detach():
        try:
            view.release()
        except BufferError:  # a slice still alive: the mapping goes with the process
            pass

    return view, lock, detach


class QueueLink(object):
    """A worker's ends of the queue carrier, with a Connection's send/recv: tasks and echoes come
    on its own queue, answers go, tagged with its lane, on the queue all workers share."""

    def __init__(self, lane, down, up):
        self.lane = lane
        self.down = down
        self.up = up

    def send(self, m):
        self.up.put((self.lane, m))

    def recv(self):
        return self.down.get()

    def close(self):
        self.up.close()  # its feeder thread flushes what is queued before the process exits


class ShmChan(object):
    """A worker's messages: through its slot when there is one (the coordinator copies the
    message into the reply half), else the message itself travels and comes back."""

    def __init__(self, link, view, lock, off, payload):
        self.link = link
        self.buf = view
        self.lock = lock
        self.msg_off = off
        self.rep_off = off + payload

    def exchange(self, tid, index, msg):
        if self.buf is None:
            self.link.send(("m", msg))
            return self.link.recv()
        with self.lock:
            self.buf[self.msg_off:self.msg_off + len(msg)] = msg
        self.link.send(("m", len(msg)))
        self.link.recv()
        reply = self.buf[self.rep_off:self.rep_off + len(msg)]
        if self.lock is _NO_LOCK:
            return reply
        with self.lock:
            return bytes(reply)


def _count_task(counter):
    if counter is None:
        return
    if hasattr(counter, "get_lock"):
        with counter.get_lock():
            counter.value += 1
    else:
        counter.value += 1


def shm_worker(P, layout, carrier, handle, link, counter, max_iv):
    t_ready = now()
    cpu0 = cpu_now()
    rec = new_rec(P, IDLE, t_ready, max_iv)
    view, lock, detach = _attach_region(carrier, handle)
    locked = lock is not _NO_LOCK
    try:
        base, chunk_cap, in_b, res_b, payload = layout
        in_off = base
        res_off = base + chunk_cap * in_b
        chan = ShmChan(link, view, lock, res_off + chunk_cap * res_b, payload)
        link.send(("h", t_ready))
        tasks = 0
        last_state = t_ready
        while True:
            m = link.recv()
            if m is None:
                break
            first, count, t_sub, inline = m
            rec.switch(IPC, max(rec.since, t_sub))
            out = []
            results = [] if view is None and res_b else None
            rt_n = rt_ns = 0
            for k in range(count):
                tid = first + k
                if inline is not None:
                    inp = inline[k]
                elif locked:
                    rec.switch(IPC)  # waiting for the lock is synchronization
                    with lock:
                        inp = bytes(view[in_off + k * in_b:in_off + (k + 1) * in_b])
                else:
                    inp = view[in_off + k * in_b:in_off + (k + 1) * in_b]
                cs, res, ok_in, ok_rep, rt, rtn = run_task(P, tid, inp, chan, rec)
                if isinstance(inp, memoryview):
                    inp.release()
                if results is not None:
                    results.append(res)
                elif res_b:
                    if locked:
                        rec.switch(IPC)
                    with lock:
                        view[res_off + k * res_b:res_off + (k + 1) * res_b] = res
                _count_task(counter)
                out.append((str(cs), ok_in, ok_rep))
                rt_n += rt
                rt_ns += rtn
                tasks += 1
            t = rec.switch(IDLE)
            state = None
            if t - last_state >= STATE_EVERY_NS:
                last_state = t
                state = list(rec.tot)
            link.send(("r", first, out, rt_n, rt_ns, state, results))
        t_done = rec.switch(IPC)
        chan = None
        link.send(("b", t_done, rec.tot, rec.iv, cpu0, cpu_now(), tasks))
    finally:
        view = None
        detach()
    link.close()


class _Answers(object):
    """The coordinator's wait for the next answer of any worker, as (worker, message): on each
    worker's pipe, or on the queue carrier's one shared queue. A worker that died is an error
    naming it (a pipe ends; a queue never does, so a dead process is looked for while waiting)."""

    def __init__(self, up, procs):
        self.up = up
        self.by_conn = {w["c"]: w for w in procs if w["c"] is not None}
        self.by_lane = {w["lane"]: w for w in procs}

    def died(self, w):
        w["p"].join(1.0)
        busy = w["busy"]
        return DriverError("worker pid %s %s%s" % (
            w["p"].pid, _died(w["p"].exitcode),
            " in task %d (chunk of %d)" % (busy[0], busy[1]) if busy else " while idle"))

    def gone(self, w):
        self.by_conn.pop(w["c"], None)
        self.by_lane.pop(w["lane"], None)

    def __iter__(self):
        if self.up is None:
            for c in mpc.wait(list(self.by_conn)):
                w = self.by_conn[c]
                try:
                    m = c.recv()
                except (EOFError, OSError):
                    raise self.died(w)
                yield w, m
            return
        import queue

        try:
            lane, m = self.up.get(timeout=0.2)
        except queue.Empty:
            dead = [w for w in self.by_lane.values() if w["p"].exitcode is not None]
            if dead and self.up.empty():  # what it queued before it died has been read
                raise self.died(dead[0])
            return
        yield self.by_lane[lane], m


def mode_shared_memory(co, P, token, carrier="shared-memory"):
    ctx = mp.get_context()
    W = co.workers
    cap = co.chunksize
    in_b, res_b = P.input_bytes, P.result_bytes
    payload = P.payload if P.messages else 0
    slot = cap * (in_b + res_b) + 2 * payload
    region = SharedRegion(ctx, carrier, token, max(1, slot * W))
    buf, lock = region.view, region.lock
    locked = lock is not _NO_LOCK
    up = ctx.Queue() if carrier == "queue" else None
    procs = []
    try:
        for lane in range(W):
            if up is None:
                parent, child = ctx.Pipe(duplex=True)
                down, link = None, child
            else:
                parent = child = None
                down = ctx.Queue()
                link = QueueLink(lane, down, up)
            t_req = now()
            layout = (lane * slot, cap, in_b, res_b, payload)
            counter = ctx.Value("q", 0, lock=carrier == "array-lock") if carrier.startswith("array") else None
            p = ctx.Process(target=shm_worker, args=(P, layout, carrier, region.handle, link, counter, P.max_iv),
                            daemon=True)
            p.start()
            if child is not None:
                child.close()
            co.track(lane, "s%d" % lane, t_req, None)
            procs.append({"p": p, "c": parent, "lane": lane, "req": t_req, "busy": None, "key": "s%d" % lane,
                          "layout": layout, "send": down.put if down is not None else parent.send, "down": down,
                          "counter": counter})
        answers = _Answers(up, procs)
        nxt = 0
        running = W
        t_shut = None

        def dispatch(w):
            nonlocal nxt
            n = min(cap, co.tasks - nxt)
            base = w["layout"][0]
            inline = None
            if up is not None:
                inline = [make_input(P, nxt + k) for k in range(n)] if in_b else [b""] * n
            elif in_b:
                inputs = [make_input(P, nxt + k) for k in range(n)]
                with lock:
                    for k, inp in enumerate(inputs):
                        buf[base + k * in_b:base + (k + 1) * in_b] = inp
            t = now()
            w["busy"] = (nxt, n, t)
            co.begin(w["key"], nxt, "worker pid %d" % w["p"].pid, count=n, t=t)
            w["send"]((nxt, n, t, inline))
            nxt += n

        while running:
            for w, m in answers:
                kind = m[0]
                if kind == "m":
                    if buf is None:
                        w["send"](m[1])
                    else:
                        off = w["layout"][0] + cap * (in_b + res_b)
                        with lock:
                            buf[off + payload:off + payload + m[1]] = buf[off:off + m[1]]
                        w["send"](True)
                    continue
                if kind == "h":
                    w["ready"] = m[1]
                    co.track(w["lane"], w["key"], m[1] - w["req"], [0, 0, 0, 0])
                elif kind == "r":
                    _, first, out, rt_n, rt_ns, state, inline = m
                    first_b, n, t_sub = w["busy"]
                    if first != first_b or len(out) != n:
                        raise DriverError("worker pid %d answered the wrong chunk" % w["p"].pid)
                    res_off = w["layout"][0] + cap * in_b
                    t = now()
                    if inline is None and res_b and locked:
                        with lock:
                            inline = [bytes(buf[res_off + k * res_b:res_off + (k + 1) * res_b]) for k in range(n)]
                    for k, (cs, ok_in, ok_rep) in enumerate(out):
                        cs = int(cs)
                        if not res_b:
                            res = b""
                        elif inline is not None:
                            res = inline[k]
                        else:
                            res = buf[res_off + k * res_b:res_off + (k + 1) * res_b]
                        co.check_result(first + k, cs, res, ok_in, ok_rep, "worker pid %d" % w["p"].pid)
                        if isinstance(res, memoryview):
                            res.release()
                        co.task_done(first + k, cs, t - t_sub, w["lane"])
                    co.round_trips(rt_n, rt_ns)
                    if state is not None:
                        co.update(w["lane"], w["key"], state)
                    w["busy"] = None
                    co.end(w["key"])
                elif kind == "b":
                    _, t_done, tot, iv, cpu0, cpu1, tasks = m
                    w["p"].join()
                    t_reaped = now()
                    answers.gone(w)
                    if w["c"] is not None:
                        w["c"].close()
                    running -= 1
                    if w["p"].exitcode != 0:
                        raise DriverError("worker pid %d %s after its goodbye" % (w["p"].pid, _died(w["p"].exitcode)))
                    if w["counter"] is not None and w["counter"].value != tasks:
                        raise DriverError("worker pid %d counted %d tasks in its Value but ran %d" % (
                            w["p"].pid, w["counter"].value, tasks))
                    co.worker(w["lane"], w["p"].pid, w["req"], w["ready"], t_done, t_reaped, tot, iv, tasks, cpu0,
                              cpu1, key=w["key"])
                    continue
                if w["busy"] is None:
                    if nxt < co.tasks:
                        dispatch(w)
                    else:
                        if t_shut is None:
                            t_shut = now()
                        w["send"](None)
    finally:
        for w in procs:
            if w["p"].is_alive():
                w["p"].kill()
            w["p"].join()
            if w["c"] is not None:
                w["c"].close()
            if w["down"] is not None:
                w["down"].cancel_join_thread()  # a dead reader must not hold up the driver's exit
                w["down"].close()
        if up is not None:
            up.close()
        buf = None
        region.close()


# ------------------------------------------------------------------ py-asyncio

def mode_asyncio(co, P):
    import asyncio

    class EchoChan(object):
        def __init__(self, q):
            self.q = q

        async def exchange(self, tid, index, msg):
            fut = asyncio.get_running_loop().create_future()
            await self.q.put((msg, fut))
            return await fut

    async def echo(q):
        while True:
            msg, fut = await q.get()
            fut.set_result(bytes(bytearray(msg)))

    async def amain():
        ids = iter(range(co.tasks))
        q = asyncio.Queue()
        echo_task = asyncio.ensure_future(echo(q)) if P.messages else None
        chan = EchoChan(q)
        t_req = now()

        async def worker(lane):
            # A coroutine exists from ensure_future on; until the loop first runs it, it waits
            # for its turn: idle, not spawn (nothing is being created).
            rec = new_rec(P, IDLE, t_req, P.max_iv)
            t_ready = t_req
            rec.switch(IPC)
            co.track(lane, "a%d" % lane, 0, rec.tot)
            tasks = 0
            who = "worker coroutine %d (of the driver, pid %d)" % (lane, os.getpid())
            for tid in ids:
                ts = rec.switch(IPC if P.input_bytes else IDLE)  # without bytes: bookkeeping
                inp = make_input(P, tid)
                co.begin(("a", lane), tid, who, t=ts)
                cs, res, ok_in, ok_rep, rt, rtn = await run_task_async(P, tid, inp, chan, rec)
                rec.switch(IDLE)  # the driver's bookkeeping follows: the coroutine waits
                co.end(("a", lane))
                co.check_result(tid, cs, res, ok_in, ok_rep, "coroutine %d" % lane)
                co.round_trips(rt, rtn)
                co.task_done(tid, cs, now() - ts, lane)
                tasks += 1
            t_done = rec.switch(IPC)
            return lane, t_ready, t_done, rec, tasks

        # Which worker coroutine the loop runs right now (read by the reporter thread: a plain
        # dict lookup), so that a timeout names the coroutine blocking the loop.
        loop = asyncio.get_running_loop()
        tasks = [asyncio.ensure_future(worker(i)) for i in range(co.workers)]
        lane_of = {t: i for i, t in enumerate(tasks)}

        def running_key():
            lane = lane_of.get(asyncio.current_task(loop))
            return None if lane is None else ("a", lane)

        co.running_key = running_key
        finished = await asyncio.gather(*tasks)
        if echo_task:
            echo_task.cancel()
        for lane, t_ready, t_done, rec, tasks in finished:
            co.worker(lane, lane, t_req, t_ready, t_done, t_done, rec.tot, rec.iv, tasks, -1, -1, key="a%d" % lane)

    asyncio.run(amain())


# ------------------------------------------------------------------ calibration

def calibrate():
    """Python kernel speeds: best of several timed runs (like core/calibration.cpp)."""
    def best(fn, units, reps):
        rate = 0.0
        for _ in range(reps):
            t0 = now()
            fn()
            dt = now() - t0
            if dt > 0:
                rate = max(rate, units / (dt / 1000.0))
        return rate

    steps = 100000
    cpu = best(lambda: lcg_run(12345, steps), steps, 7)
    words, visits = 8192, 100000
    buf = list(range(7, 7 + words))
    mem = best(lambda: memory_visit(buf, 0, visits), visits, 5)
    t0 = now()
    list(range(7, 7 + words))
    init_us = (now() - t0) / 1000.0
    # the init pass counts as one visit per word, as in the native kernel
    mem_rate = (visits + words) / (visits / mem + init_us) if mem > 0 else 0.0
    emit({"t": "calibration", "cpu_steps_per_us": cpu, "memory_visits_per_us": mem_rate,
          "version": "%d.%d.%d" % sys.version_info[:3], "executable": sys.executable})


# ------------------------------------------------------------------ entry point

MODES = ("sequential", "threads", "process-per-task", "pool", "process-pool:fork", "process-pool:spawn",
         "process-pool:forkserver", "shared-memory", "shared-memory:array", "shared-memory:array-lock",
         "shared-memory:queue", "asyncio")


def _proc_kib(path, key):
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def check_memory(P):
    """Fail at once with MemoryError when the largest payload cannot fit: generating one in
    pure Python takes seconds per GiB, so finding out by running would look like a hang.
    A process holds a payload about three times at its peak (the buffer, its bytes copy,
    and the copy it is compared with or serialized into)."""
    largest = max(P.input_bytes, P.result_bytes, P.payload if P.messages else 0)
    need = 3 * largest
    if largest < (64 << 20):
        return
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    size_kib = _proc_kib("/proc/self/status", "VmSize")
    if soft != resource.RLIM_INFINITY and size_kib is not None and need > soft - size_kib * 1024:
        raise MemoryError("a payload of %d bytes needs about %d bytes per process, but the address-space "
                          "limit (RLIMIT_AS) leaves %d" % (largest, need, max(0, soft - size_kib * 1024)))
    avail_kib = _proc_kib("/proc/meminfo", "MemAvailable")
    if avail_kib is not None and need > avail_kib * 1024:
        raise MemoryError("a payload of %d bytes needs about %d bytes per process, but only %d are available"
                          % (largest, need, avail_kib * 1024))


def shared_region_bytes(P, workers, chunksize):
    """py-shared-memory's one region: a slot per worker (mode_shared_memory)."""
    payload = P.payload if P.messages else 0
    return max(1, (chunksize * (P.input_bytes + P.result_bytes) + 2 * payload) * workers)


def check_shared_region(size):
    """The region lives in /dev/shm (tmpfs): when it does not fit there, or in memory, the first
    write past the end would kill the driver with SIGBUS. Fail at once with the sizes instead,
    as shm-pool does (it is checked for all workers together, not per process)."""
    hint = "lower --input, --result, --payload, --chunksize or --workers"
    try:
        st = os.statvfs("/dev/shm")
        free = st.f_bavail * st.f_frsize
    except OSError:
        free = None
    if free is not None and size > free:
        raise MemoryError("the shared region of %d bytes (a slot per worker) does not fit in /dev/shm, which has "
                          "%d bytes free: %s" % (size, free, hint))
    avail_kib = _proc_kib("/proc/meminfo", "MemAvailable")
    if avail_kib is not None and size > avail_kib * 1024:
        raise MemoryError("the shared region of %d bytes (a slot per worker) is more than the %d bytes of memory "
                          "available: %s" % (size, avail_kib * 1024, hint))


_CO = None  # the run's coordinator: its completed tasks are reported even when the run fails
_TOKEN = None  # the run's token: names of its /dev/shm objects, removed if conlab dies


def run(spec):
    mode = spec["mode"]
    if mode not in MODES:
        raise DriverError("unknown mode %r" % mode)
    token = str(spec["token"])
    global _TOKEN
    _TOKEN = token
    # Semaphores created by multiprocessing get names conlab can find and unlink if the run
    # is killed (private but long-stable attribute; harmless if absent).
    try:
        mp.current_process()._config["semprefix"] = "/conlab-%s-sem" % token
    except Exception:
        pass
    global _CO
    P = Params(spec)
    check_memory(P)
    hold_parent_memory(spec)
    if mode in ("shared-memory", "shared-memory:array", "shared-memory:array-lock"):
        check_shared_region(shared_region_bytes(P, int(spec["workers"]), max(1, int(spec.get("chunksize", 1)))))
    co = Coordinator(spec, P)
    _CO = co
    co.start()
    if mode == "sequential":
        mode_sequential(co, P)
    elif mode == "threads":
        mode_threads(co, P)
    elif mode == "process-per-task":
        mode_process_per_task(co, P)
    elif mode == "pool":
        mode_pool(co, P, token)
    elif mode.startswith("process-pool:"):
        mode_process_pool(co, P, token, mode.split(":", 1)[1])
    elif mode.startswith("shared-memory"):
        mode_shared_memory(co, P, token, mode.split(":", 1)[1] if ":" in mode else "shared-memory")
    else:
        mode_asyncio(co, P)
    co.finish()


def main(argv):
    _setup_output()
    cmd = argv[1] if len(argv) > 1 else ""
    if len(argv) > 2 and argv[2].isdigit():  # conlab's pid
        _die_with_parent(int(argv[2]))
    try:
        if cmd == "probe":
            emit({"t": "probe", "protocol": PROTOCOL, "version": "%d.%d.%d" % sys.version_info[:3],
                  "executable": sys.executable, "start_method": mp.get_start_method()})
        elif cmd == "calibrate":
            calibrate()
        elif cmd == "run":
            run(json.loads(sys.stdin.readline()))
        else:
            raise DriverError("usage: conlab_driver.py probe|calibrate|run")
    except BaseException as e:  # report, never hang: conlab reaps the whole process group
        msg = _error_text(e)
        # An error while cleaning up after another one (a pool whose thread never started cannot
        # be joined) would hide the cause: the first error of the chain is reported first.
        # A DriverError is already the translated cause.
        root, depth = e, 0
        while (not isinstance(e, DriverError) and root.__context__ is not None and not root.__suppress_context__
               and depth < 8):
            root, depth = root.__context__, depth + 1
        if root is not e:
            msg = "%s (and then: %s)" % (_error_text(root), msg)
        if not isinstance(e, DriverError):
            traceback.print_exc()
        try:
            if _CO is not None:
                _CO._flush_done()  # finished tasks are kept, also when the run fails
        except Exception:
            pass
        try:
            emit({"t": "error", "msg": msg})
        except Exception:
            pass
        sys.stderr.flush()
        os._exit(3)
    sys.stderr.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
