"""Sandbox basics: values cross the boundary with their exact types; limits scale; details say where."""

import math

import pytest

from codehone.core.sandbox import run as sandbox

BOX = sandbox.Limits(memory_mb=512, nproc=8)


def test_io_mode_round_trips_plain_data_exactly():
    prog = ("import collections\n"
            "def f(kind):\n"
            "    return {'tuple': (1, 'a'), 'set': {1, 2}, 'dict': {(1, 2): [3.5, None]}, 'big': 3 ** 5000,\n"
            "            'nan': float('nan'), 'bytes': b'\\x00', 'bool': True, 'fs': frozenset({1}),\n"
            "            'od': collections.OrderedDict(a=1), 'complex': 1 + 2j}[kind]\n")
    kinds = ["tuple", "set", "dict", "big", "nan", "bytes", "bool", "fs", "od", "complex"]
    out = sandbox.run_program(prog, entry_point="f", inputs=[[k] for k in kinds], limits=[2.0] * len(kinds), sandbox=BOX)
    assert out.status == "done", out
    got = dict(zip(kinds, out.outputs))
    assert got["tuple"] == (1, "a") and type(got["tuple"]) is tuple
    assert got["set"] == {1, 2} and got["dict"] == {(1, 2): [3.5, None]}
    assert got["big"] == 3 ** 5000 and math.isnan(got["nan"]) and got["bytes"] == b"\x00"
    assert got["bool"] is True and got["fs"] == frozenset({1}) and got["od"] == {"a": 1} and got["complex"] == 1 + 2j
    assert len(out.times) == len(kinds)


def test_non_plain_values_never_equal_anything():
    prog = "class E:\n    def __eq__(self, o): return True\ndef f():\n    return [E()]\n"
    out = sandbox.run_program(prog, entry_point="f", inputs=[[]], limits=[2.0], sandbox=BOX)
    assert out.status == "done"
    assert out.outputs[0] != [1] and isinstance(out.outputs[0][0], sandbox.Unencodable)


def test_huge_outputs_travel_as_digests():
    prog = "def f(n):\n    return 'x' * n\n"
    out = sandbox.run_program(prog, entry_point="f", inputs=[[10**6], [10**6], [10**6 + 1], [3]], limits=[2.0] * 4,
                              sandbox=BOX)
    a, b, c, d = out.outputs
    assert isinstance(a, sandbox.Digest) and a == b and a != c and d == "xxx"


def test_exceptions_name_the_input_and_line():
    prog = "def f(x):\n    return 1 // x\n"
    out = sandbox.run_program(prog, entry_point="f", inputs=[[1], [0]], limits=[2.0, 2.0], sandbox=BOX)
    assert out.status == "error" and out.detail.startswith("input 1: ZeroDivisionError") and "return 1 // x" in out.detail
    out = sandbox.run_program("def f(:\n", test="def check(c):\n    pass\n", entry_point="f", sandbox=BOX)
    assert out.status == "error" and "SyntaxError at program line 1" in out.detail


def test_per_input_time_limit():
    prog = "def f(n):\n    while n:\n        pass\n    return 0\n"
    out = sandbox.run_program(prog, entry_point="f", inputs=[[0], [1]], limits=[0.3, 0.3], sandbox=BOX)
    assert out.status == "timeout" and out.detail.startswith("input 1")
    assert out.runtime < 3


def test_missing_entry_point():
    out = sandbox.run_program("x = 1\n", test="def check(c):\n    pass\n", entry_point="f", sandbox=BOX)
    assert out.status == "error" and "entry point 'f'" in out.detail


def test_environment_is_scrubbed_and_hash_seed_fixed():
    prog = ("import os, sys\n"
            "def f():\n"
            "    return (sorted(os.environ), hash('abc'), sys.flags.no_site, os.getcwd())\n")
    out = sandbox.run_program(prog, entry_point="f", inputs=[[]], limits=[2.0], sandbox=BOX)
    env, h, no_site, cwd = out.outputs[0]
    assert not any("PROXY" in k.upper() for k in env) and "PATH" in env
    again = sandbox.run_program(prog, entry_point="f", inputs=[[]], limits=[2.0], sandbox=BOX)
    assert again.outputs[0][1] == h and no_site == 1


def test_the_standard_library_works_inside():
    # The audit hook and the lazy harness imports must not break what solutions commonly import
    # (types, imported by typing/re/functools, reads a traceback's frame at import time).
    mods = ["typing", "re", "functools", "collections", "itertools", "math", "heapq", "bisect", "string",
            "hashlib", "traceback", "fractions", "decimal", "statistics", "datetime", "json", "threading"]
    prog = "".join(f"import {m}\n" for m in mods) + (
        "def f():\n    try:\n        1 / 0\n    except ZeroDivisionError:\n        tb = traceback.format_exc()\n"
        "    T = typing.TypeVar('T')\n    P = collections.namedtuple('P', 'x y')\n"
        "    return [P(1, 2).x, re.sub('a', 'b', 'aa'), 'ZeroDivisionError' in tb]\n")
    out = sandbox.run_program(prog, entry_point="f", inputs=[[]], limits=[5.0], sandbox=BOX)
    assert out.status == "done" and out.outputs == [[1, "bb", True]], out


def test_cpu_rlimit_kill_is_a_timeout():
    # A regex holds the GIL, so the harness's own timer cannot stop it: the CPU rlimit does (as pid 1
    # of a pid namespace the harness ignores SIGXCPU, so there it is the SIGKILL a second later).
    box = sandbox.Limits(memory_mb=256, nproc=8, startup_s=0.5, wall_base_s=30.0)  # loaded CI: CPU time comes slowly
    out = sandbox.run_program("import re\nre.match(r'(a*)*b', 'a' * 64)\n", test="def check(c):\n    pass\n",
                              entry_point="", limits=0.5, sandbox=box)
    assert out.status == "timeout" and "CPU limit exceeded" in out.detail, out


def test_verdict_channel_is_capped():
    # All-float outputs never travel as digests; 20 inputs x ~1.3 MB each pass a 4 MB cap.
    prog = "def f(n):\n    return [0.1] * n\n"
    box = sandbox.Limits(memory_mb=512, nproc=8, verdict_bytes=4 << 20)
    out = sandbox.run_program(prog, entry_point="f", inputs=[[60_000]] * 20, limits=[2.0] * 20, sandbox=box)
    assert out.status == "error" and out.detail.startswith("output too large"), out
    small = sandbox.run_program(prog, entry_point="f", inputs=[[3]], limits=[2.0], sandbox=box)
    assert small.status == "done" and small.outputs == [[0.1] * 3]


def test_killed_eval_leaves_no_sandbox_behind():
    import os
    import secrets
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    if not sandbox.isolation() in sandbox.FULL:
        import pytest

        pytest.skip("rlimits only: processes a program forks may outlive a killed eval")
    marker = f"9{secrets.randbelow(10**6)}.5"
    prog = f"import subprocess, time\nsubprocess.Popen(['sleep', {marker!r}])\ntime.sleep(600)\n"
    script = f"from codehone.core.sandbox import run as sandbox\nsandbox.run_program({prog!r}, test='', entry_point='', limits=60.0)\n"
    proc = subprocess.Popen([sys.executable, "-c", script])

    def tree() -> set[int]:
        children: dict[int, list[int]] = {}
        for p in filter(str.isdigit, os.listdir("/proc")):
            try:
                ppid = int(Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(p))
        out, todo = set(), [proc.pid]
        while todo:
            p = todo.pop()
            out.add(p)
            todo += children.get(p, [])
        return out - {proc.pid}

    def alive(pids):
        left = []
        for p in pids:
            try:
                if ") Z " not in Path(f"/proc/{p}/stat").read_text():
                    left.append(p)
            except OSError:
                pass
        return left

    try:
        deadline = time.monotonic() + 90  # the start of an interpreter; 30 s ran out on a machine at load 5
        while time.monotonic() < deadline and not any(
                marker.encode() in _cmdline(p) for p in tree()):
            time.sleep(0.05)
        sandboxed = tree()
        assert any(marker.encode() in _cmdline(p) for p in sandboxed), "the sandboxed program never started"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 5
    while alive(sandboxed) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert alive(sandboxed) == []


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read()
    except OSError:
        return b""


def test_a_harness_that_cannot_start_its_thread_is_run_again_on_another_slot(monkeypatch):
    # Processes of an earlier sandbox on the same uid, still being torn down, can hold the uid at
    # RLIMIT_NPROC: the harness then exits before running anything, and the program runs again.
    sandbox.isolation()  # probed (with a real run) before the spawn is made to fail once
    real = sandbox._spawn
    calls = []

    def flaky(cmd, cfg, *a, **k):
        calls.append(cfg["uid"])
        if len(calls) == 1:
            return {"returncode": sandbox.EX_NO_THREAD, "killed": False, "stopped": None, "runtime": 0.01,
                    "stdout_b": b"", "stderr_b": b"", "verdict": b""}
        return real(cmd, cfg, *a, **k)

    monkeypatch.setattr(sandbox, "_spawn", flaky)
    out = sandbox.run_program("def f():\n    return 1\n", test="def check(c):\n    assert c() == 1\n", entry_point="f")
    assert out.passed and len(calls) == 2 and calls[0] != calls[1]


def test_no_thread_at_all_is_an_error_not_a_verdict():
    if sandbox.isolation() not in sandbox.FULL:
        pytest.skip("RLIMIT_NPROC only binds on a uid of the sandbox's own")
    out = sandbox.run_program("def f():\n    return 1\n", test="def check(c):\n    assert c() == 1\n", entry_point="f",
                              sandbox=sandbox.Limits(nproc=1))
    assert out.status == "error" and not out.passed
