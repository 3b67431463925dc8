"""Run one untrusted program in a fresh, isolated interpreter (``run_program``) and read back what
it did: a verdict (check mode) or its answers as plain data (io mode). See the package docstring
for what the isolation covers; ``judge`` decides pass or fail outside the program's interpreter.
"""

from __future__ import annotations

import ast
import itertools
import math
import os
import queue
import secrets
import selectors
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

from codehone.core.sandbox.levels import (  # noqa: F401 - re-exported: callers name levels through run
    BWRAP, CHOICES, FULL, NAMESPACED, USERNS, _LEVELS, _SETUP, _bwrap_prefix, _fallback_nproc, _hidden_homes,
    _keep_paths, _nproc_per_userns, _python, _slot_uid, _sysctl, _unavailable)
from codehone.core.sandbox.values import STATUSES, Digest, Limits, Outcome, Unencodable, decode  # noqa: F401
from codehone.errors import UserError

HARNESS = Path(__file__).with_name("harness.py")
CONFINE = Path(__file__).with_name("confine.py")
_requested: str | None = None
_resolve_lock = threading.Lock()


def set_isolation(choice: str | None) -> str:
    """Choose the isolation level (one of CHOICES; None or "auto": the best this machine has),
    overriding CODEHONE_SANDBOX, and return the level now in force (probing it: a UserError if the
    choice cannot be had here)."""
    global _requested
    if choice is not None and choice not in CHOICES:
        raise UserError(f"--isolation must be one of {', '.join(CHOICES)}, got {choice!r}")
    _requested = choice
    isolation.cache_clear()
    return isolation()


def _choice() -> str:
    if _requested:
        return _requested
    forced = os.environ.get("CODEHONE_SANDBOX", "") or "auto"
    if forced not in CHOICES:
        raise UserError(f"CODEHONE_SANDBOX must be empty or one of {', '.join(CHOICES)}, got {forced!r}")
    return forced


@lru_cache(maxsize=1)
def isolation() -> str:
    """The isolation level in force (probed once): NAMESPACED as root, else USERNS, else BWRAP.
    With none of them, untrusted code is refused (a UserError naming the fixes) unless "rlimits" is
    chosen explicitly (set_isolation, ``codehone eval --isolation rlimits``, CODEHONE_SANDBOX)."""
    with _resolve_lock:  # worker threads may ask at once: probe one at a time
        choice = _choice()
        if choice == "rlimits":
            return "rlimits only (root: no process limit)" if os.geteuid() == 0 else "rlimits only"
        why = {}
        for name in (("namespaces", "userns", "bwrap") if choice == "auto" else (choice,)):
            why[name] = _unavailable(name) or _probe(_LEVELS[name])
            if not why[name]:
                return _LEVELS[name]
        tried = "; ".join(f"{name}: {reason}" for name, reason in why.items())
        raise UserError(
            f"no sandbox for untrusted code here ({tried}). Fix: install bubblewrap (e.g. `apt install "
            "bubblewrap`), or allow unprivileged user namespaces (`sysctl -w kernel.unprivileged_userns_clone=1`; "
            "on Ubuntu 24.04 `sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`), or run as root; or accept "
            "resource limits only, with no network or file isolation: --isolation rlimits (CODEHONE_SANDBOX=rlimits)")


def _probe(level: str) -> str:
    """Run one real program at ``level``: "" if it passed, else why not (a machine where the
    namespaces, mounts or uid drop fail must not score every sample as an error)."""
    prog = "import os\ndef f():\n    return 1 if os.getuid() != 0 and os.getcwd() == '/tmp/work' else 0\n"
    try:
        out = run_program(prog, test="def check(c):\n    assert c() == 1\n", entry_point="f", limits=10.0, _iso=level)
    except OSError as e:
        return f"probe failed: {e}"
    if out.passed:
        return ""
    why = (out.stderr.strip().splitlines() or [out.detail])[-1][:200]
    if level == USERNS and _sysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == "1":
        why += " (AppArmor restricts unprivileged user namespaces: kernel.apparmor_restrict_unprivileged_userns=1)"
    return f"probe failed: {why}"


class _Slots:
    """Worker slots: each running program gets its own uid so RLIMIT_NPROC, which the kernel counts
    per uid, never couples one worker's fork bomb to another worker's verdict."""

    def __init__(self) -> None:
        self._free: queue.Queue[int] = queue.Queue()
        self._n = itertools.count()

    def acquire(self) -> int:
        try:
            return self._free.get_nowait()
        except queue.Empty:
            return next(self._n)  # itertools.count is atomic under the GIL

    def release(self, slot: int) -> None:
        self._free.put(slot)


_slots = _Slots()


def run_program(program: str, *, test: str = "", entry_point: str = "", inputs: list | None = None,
                limits: list[float] | float = 3.0, guard: bool = False, check_name: str = "check",
                sandbox: Limits = Limits(), expect: Callable[[int, object], str | None] | None = None,
                _iso: str | None = None) -> Outcome:
    """Run one program in a fresh sandbox.

    check mode (``inputs`` is None): exec ``program``, then ``test`` followed by
    ``check(entry_point)`` in the same namespace; passed if nothing raised. ``limits`` is one CPU
    budget in seconds. ``guard`` wraps the entry point so a non-plain-data return value fails.
    io mode: call ``entry_point(*input)`` for each input, ``limits[i]`` CPU seconds each; status
    "done" with ``outputs`` decoded, for the caller to judge. ``expect(i, output)`` sees each output
    as it is produced and returns a failure detail to stop the program there (status "failed").
    """
    mode = "check" if inputs is None else "io"
    steps = [float(limits)] if isinstance(limits, (int, float)) else [float(x) for x in limits]
    if not steps:
        steps = [sandbox.startup_s]
    cpu_budget = min(sandbox.max_cpu_s, sandbox.startup_s + sum(steps))
    iso = _iso or isolation()
    for attempt in range(START_ATTEMPTS):
        out, nonce = _run_once(program, test, entry_point, inputs, steps, guard, check_name, sandbox, expect,
                               iso, mode, cpu_budget)
        if not (out["returncode"] == EX_NO_THREAD and not out["verdict"]):
            break  # a harness that could not start the program's thread ran nothing: run it again
    return _interpret(out, nonce, mode, test, program)


START_ATTEMPTS = 3


EX_NO_THREAD = 75  # harness.EX_NO_THREAD (the harness imports nothing of ours)


def _run_once(program, test, entry_point, inputs, steps, guard, check_name, sandbox, expect, iso, mode,
              cpu_budget) -> tuple[dict, str]:
    slot = _slots.acquire()
    nonce = secrets.token_hex(16)
    workdir = out = None
    try:
        setup = _SETUP.get(iso, "none")
        per_sandbox_nproc = setup == "root" or (setup != "none" and _nproc_per_userns())
        cfg = {"nonce": nonce, "mode": mode, "program": program, "test": test, "entry_point": entry_point,
               "inputs": inputs or [], "limits": steps, "guard": guard, "check_name": check_name,
               "setup": setup, "ppid": os.getpid(), "uid": _slot_uid(slot), "memory_mb": sandbox.memory_mb,
               "cpu_s": math.ceil(cpu_budget),
               "fsize_mb": sandbox.fsize_mb, "nofile": sandbox.nofile, "tmpfs_mb": sandbox.tmpfs_mb,
               "digest_over": sandbox.digest_over,
               "nproc": sandbox.nproc if per_sandbox_nproc else _fallback_nproc(sandbox.nproc),
               "hide": _hidden_homes(), "keep": _keep_paths()}
        if setup == "none":
            cmd, cwd = [], tempfile.mkdtemp(prefix="codehone-sbx-")
            home = workdir = cwd
        else:
            cmd = _bwrap_prefix(sandbox, _slot_uid(slot)) if setup == "bwrap" else []
            cwd, home = "/", "/tmp/work"
        cmd = cmd + [_python(), "-s", "-S", "-P", "-c", _BOOT]
        env = {"PATH": "/usr/bin:/bin", "HOME": home, "TMPDIR": home, "LANG": "C.UTF-8",
               "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONIOENCODING": "utf-8"}
        wall = sandbox.wall_base_s + sandbox.wall_factor * cpu_budget
        out = _spawn(cmd, cfg, cwd, env, wall, sandbox.output_bytes, expect, sandbox.verdict_bytes)
        if setup == "bwrap" and out["returncode"] is not None and out["returncode"] > 128:
            out["returncode"] = 128 - out["returncode"]  # bwrap exits 128+N when its child dies of signal N
    finally:
        # A slot whose uid could not start a thread is retired (the retry gets a new uid).
        if not (out is not None and out["returncode"] == EX_NO_THREAD and not out["verdict"]):
            _slots.release(slot)
        if workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    return out, nonce


# The harness travels as a marshalled code object ahead of its config: a script given by path
# would be compiled afresh by every one of the thousands of interpreters (2.4 ms each).
_BOOT = ("import sys, marshal\nb = sys.stdin.buffer\nn = int(b.readline())\n"
         "g = {'__name__': '__main__', '__file__': '<codehone-harness>'}\n"
         "for c in marshal.loads(b.read(n)):\n    exec(c, g)\n")


@lru_cache(maxsize=1)
def _harness_code() -> bytes:
    import marshal

    # confine.py first (it only defines functions), then harness.py, whose last line runs main()
    codes = tuple(compile(p.read_text(encoding="utf-8"), str(p), "exec") for p in (CONFINE, HARNESS))
    code = marshal.dumps(codes)
    return b"%d\n" % len(code) + code


def _spawn(cmd, cfg, cwd, env, wall, cap, expect=None, verdict_cap=8 << 20) -> dict:
    import marshal

    r, w = os.pipe()
    cfg["verdict_fd"] = w
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            pass_fds=(w,), cwd=cwd, env=env, start_new_session=True)
    os.close(w)
    killed = overflow = False
    stopped = None  # (input index, detail) when expect() rejected a streamed output
    pending, streamed = b"", 0
    out_fd = err_fd = -1
    streams: dict[int, bytearray] = {}
    try:
        try:
            proc.stdin.write(_harness_code() + marshal.dumps(cfg))
            proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass
        out_fd, err_fd = proc.stdout.fileno(), proc.stderr.fileno()
        streams = {out_fd: bytearray(), err_fd: bytearray(), r: bytearray()}
        limits = {out_fd: cap, err_fd: cap, r: verdict_cap}
        sel = selectors.DefaultSelector()
        for fd in streams:
            os.set_blocking(fd, False)
            sel.register(fd, selectors.EVENT_READ)
        exited_at = None
        while sel.get_map():
            now = time.monotonic()
            if now - t0 > wall:
                killed = True
                break
            if exited_at is None and proc.poll() is not None:
                exited_at = now
            if exited_at is not None and now - exited_at > 0.5:
                break  # leftover descendants hold the pipes open (fallback mode only)
            for key, _ in sel.select(timeout=min(0.1 if exited_at else 1.0, max(0.0, wall - (now - t0)))):
                try:
                    chunk = os.read(key.fd, 1 << 16)
                except BlockingIOError:
                    continue
                if not chunk:
                    sel.unregister(key.fd)
                    continue
                buf = streams[key.fd]
                if key.fd == r and len(buf) + len(chunk) > verdict_cap:
                    overflow = True  # no verdict can be trusted past the cap: stop here
                    break
                if len(buf) < limits[key.fd]:
                    buf += chunk[: limits[key.fd] - len(buf)]
                if key.fd == r and expect is not None:
                    *lines, pending = (pending + chunk).split(b"\n")
                    for ln in lines:
                        if ln.startswith(b"@%d " % streamed):
                            why = _check_streamed(ln, streamed, expect)
                            streamed += 1
                            if why is not None:
                                stopped = (streamed - 1, why)
                                break
                    if stopped:
                        break
            if stopped or overflow:
                break
        sel.close()
    finally:
        _kill_group(proc)
        os.close(r)
        proc.stdout.close()
        proc.stderr.close()
    return {"returncode": proc.returncode, "killed": killed, "stopped": stopped, "overflow": overflow,
            "verdict_cap": verdict_cap, "runtime": time.monotonic() - t0,
            "stdout_b": bytes(streams[out_fd]), "stderr_b": bytes(streams[err_fd]), "verdict": bytes(streams[r])}


def _check_streamed(line: bytes, i: int, expect) -> str | None:
    try:
        value = decode(ast.literal_eval(line.split(b" ", 1)[1].decode("utf-8", "replace")))
    except (ValueError, SyntaxError, TypeError, RecursionError, MemoryError):
        return None  # unreadable: leave it to the final verdict
    return expect(i, value)


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def _interpret(out: dict, nonce: str, mode: str, test: str, program: str) -> Outcome:
    stdout = out["stdout_b"].decode("utf-8", "replace")
    stderr = out["stderr_b"].decode("utf-8", "replace")
    o = Outcome(status="error", runtime=out["runtime"], stdout=stdout, stderr=stderr)
    if out.get("stopped"):
        o.status, o.detail = "failed", f"input {out['stopped'][0]}: {out['stopped'][1]}"
        return o
    if out.get("overflow"):
        o.detail = f"output too large (over {out['verdict_cap'] >> 20} MB of return values and verdict)"
        return o
    lines = [ln for ln in out["verdict"].decode("utf-8", "replace").split("\n") if ln.startswith(nonce)]
    if len(lines) == 1:
        try:
            msg = ast.literal_eval(lines[0][len(nonce):])
            o.status, o.detail, o.cpu = msg["status"], msg["detail"], float(msg["cpu"])
            if mode == "io" and o.status == "done":
                o.raw_outputs = [str(s) for s in msg["outputs"]]
                o.outputs = [decode(ast.literal_eval(s)) for s in o.raw_outputs]
                o.times = [float(t) for t in msg["times"]]
        except (ValueError, SyntaxError, KeyError, TypeError, RecursionError, MemoryError) as e:
            o.status, o.detail = "error", f"unreadable verdict ({type(e).__name__})"
        o.detail = _with_source_line(o.detail, test, program)
        return o
    if len(lines) > 1:
        o.detail = "verdict channel tampered with (several verdicts)"
        return o
    rc = out["returncode"]
    if out["killed"]:
        o.status, o.detail = "timeout", "wall-clock deadline exceeded"
    elif rc is not None and rc < 0 and -rc in (signal.SIGXCPU, signal.SIGKILL):
        o.status, o.detail = "timeout", f"CPU limit exceeded ({signal.Signals(-rc).name})"
    elif "MemoryError" in stderr or "Cannot allocate memory" in stderr:
        o.status, o.detail = "memory", "out of memory"
    elif rc is not None and rc < 0:
        o.detail = f"killed by {signal.Signals(-rc).name}"
    else:
        tail = stderr.strip().splitlines()[-1:] or [""]
        o.detail = f"exited with code {rc} before the tests finished" + (f": {tail[0][:200]}" if tail[0] else "")
    return o


def _with_source_line(detail: str, test: str, program: str) -> str:
    """Append the text of the failing line ('... at test line 12') so reports show the assert."""
    for name, src in (("test", test), ("program", program)):
        tag = f" at {name} line "
        if tag in detail:
            try:
                n = int(detail.rsplit(tag, 1)[1].split()[0])
                line = src.splitlines()[n - 1].strip()
                return f"{detail}: {line[:200]}"
            except (ValueError, IndexError):
                return detail
    return detail


def run_many(jobs: Iterable[Callable[[], Outcome]], workers: int) -> Iterator[Outcome]:
    """Run zero-argument jobs (closures over run_program) on a thread pool, results in job order.
    Each job is its own process, so threads are enough; ordered output keeps results files stable."""
    jobs = list(jobs)
    if workers <= 1:
        for job in jobs:
            yield job()
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(job) for job in jobs]
        for f in futures:
            yield f.result()
