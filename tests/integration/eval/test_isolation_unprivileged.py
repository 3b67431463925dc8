"""Full isolation for a user who is not root: user namespaces, else bwrap, else a refusal.

CI runs as root, so these tests run the sandbox as the user ``codehone-sbx-test`` (created once,
see tests/support/unprivileged.py). One driver script per level runs every hostile program as that
user and reports; the checks on the machine (files left, processes left) are made from here.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import sys
import time
from pathlib import Path

import pytest

from codehone.errors import UserError
from codehone.core.sandbox import run as sandbox
from tests.support.unprivileged import (ROOT, USER, Unavailable, ensure_user, popen_as_unprivileged, processes_of,
                                        run_as_unprivileged)

PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable

DRIVER = r'''
import json, os, signal, sys
from codehone.core.sandbox import run as sandbox

args = json.loads(sys.argv[1])
BOX = sandbox.Limits(memory_mb=256, nproc=8, startup_s=0.5, wall_factor=1.0, wall_base_s=1.5, tmpfs_mb=8)
TEST = "def check(candidate):\n    assert candidate(1, 2) == 3\n"
GOOD = "def add(a, b):\n    return a + b\n"
got = []
signal.signal(signal.SIGUSR1, lambda *a: got.append(1))


def run(program, limit=0.5, box=BOX):
    o = sandbox.run_program(program, test=TEST, entry_point="add", limits=limit, sandbox=box)
    return [o.status, o.detail, round(o.runtime, 2)]


res = {"level": sandbox.isolation(), "good": run(GOOD)}
res["write"] = run("".join(f"try:\n    open({t!r}, 'w').write('x')\nexcept OSError:\n    pass\n"
                           for t in args["targets"]) + GOOD)
res["loopback"] = run(f"import socket\nsocket.create_connection(('127.0.0.1', {args['port']}), timeout=2).close()\n"
                      + GOOD)
res["home"] = run(f"def add(a, b):\n    return a + b if open({args['secret']!r}).read() == 's3cret' else 0\n")
res["signal"] = run(f"import os, signal\ntry:\n    os.kill({os.getpid()}, signal.SIGUSR1)\nexcept OSError:\n"
                    "    pass\n" + GOOD)
res["signalled"] = got
res["fork_bomb"] = run("import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n")
res["leftover"] = run(f"import subprocess\nsubprocess.Popen(['sleep', {args['marker']!r}])\n" + GOOD)
# A regex holds the GIL, so the harness's own timer cannot stop it: the CPU rlimit kills it.
res["cpu_rlimit"] = run("import re\nre.match(r'(a*)*b', 'a' * 64)\n" + GOOD,
                        box=sandbox.Limits(memory_mb=256, nproc=8, startup_s=0.5, wall_base_s=30.0))
print(json.dumps(res))
'''


@pytest.fixture(scope="session")
def user():
    try:
        return ensure_user()
    except Unavailable as e:
        pytest.skip(f"cannot run as an unprivileged user here: {e}")


def _levels():
    levels = ["auto"]
    if shutil.which("bwrap"):
        levels.append("bwrap")
    return levels


@pytest.mark.parametrize("level", _levels())
def test_unprivileged_sandbox_is_fully_isolated(user, level, tmp_path):
    token = secrets.token_hex(6)
    mine = Path(f"/tmp/codehone-sbx-{token}")  # a directory the user may write outside the sandbox
    mine.mkdir(mode=0o700)
    os.chown(mine, user.pw_uid, user.pw_gid)
    secret = Path(user.pw_dir) / f".codehone-secret-{token}"
    secret.write_text("s3cret")
    os.chown(secret, user.pw_uid, user.pw_gid)
    targets = [str(mine / "evil"), str(Path(user.pw_dir) / f"evil-{token}"), f"/tmp/evil-{token}",
               f"/var/tmp/evil-{token}", f"/dev/shm/evil-{token}", str(ROOT / f"evil-{token}")]
    marker = f"7{int(token[:6], 16) % 10**6}.5"
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    args = {"targets": targets, "port": srv.getsockname()[1], "secret": str(secret), "marker": marker}
    try:
        done = run_as_unprivileged([PYTHON, "-c", DRIVER, json.dumps(args)], {"CODEHONE_SANDBOX": level}, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        res = json.loads(done.stdout.strip().splitlines()[-1])
        _wait_for(lambda: not processes_of(user.pw_uid), 3)
        left = processes_of(user.pw_uid)
    finally:
        srv.close()
        secret.unlink()
        shutil.rmtree(mine, ignore_errors=True)
    assert res["level"] == (sandbox.USERNS if level == "auto" else sandbox.BWRAP)
    assert res["good"][0] == "passed", res
    assert res["write"][0] == "passed"  # the program may try; it just cannot leave a trace
    assert [t for t in targets if os.path.exists(t)] == []
    assert res["loopback"][0] == "error" and "Error" in res["loopback"][1], res["loopback"]
    assert res["home"][0] == "error" and "FileNotFoundError" in res["home"][1], res["home"]
    assert res["signal"][0] == "passed" and res["signalled"] == []
    assert res["fork_bomb"][0] in ("timeout", "error") and res["fork_bomb"][2] < 10, res["fork_bomb"]
    assert res["leftover"][0] == "passed"
    assert res["cpu_rlimit"][0] == "timeout" and "CPU limit" in res["cpu_rlimit"][1], res["cpu_rlimit"]
    assert left == [], f"processes of {USER} left behind: {_describe(left)}"


@pytest.mark.parametrize("level", _levels())
def test_killed_eval_leaves_no_sandbox_behind(user, level):
    """SIGKILL an eval-like process while its sandbox sleeps: the sandbox dies with it."""
    marker = f"8{secrets.randbelow(10**6)}.5"
    prog = f"import subprocess, time\nsubprocess.Popen(['sleep', {marker!r}])\ntime.sleep(600)\n"
    script = ("from codehone.core.sandbox import run as sandbox\n"
              f"sandbox.run_program({prog!r}, test='', entry_point='', limits=60.0)\n")
    proc = popen_as_unprivileged([PYTHON, "-c", script], {"CODEHONE_SANDBOX": level})
    try:
        assert _wait_for(lambda: _with_marker(marker), 30), "the sandboxed program never started"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert _wait_for(lambda: not processes_of(user.pw_uid), 5), f"left behind: {processes_of(user.pw_uid)}"


def test_no_isolation_is_refused_unless_rlimits_is_chosen(monkeypatch):
    monkeypatch.setattr(sandbox, "_unavailable", lambda name: f"{name} unavailable in this test")
    monkeypatch.delenv("CODEHONE_SANDBOX", raising=False)
    try:
        with pytest.raises(UserError, match=r"(?s)bubblewrap.*user namespaces.*--isolation rlimits"):
            sandbox.set_isolation(None)
        assert sandbox.set_isolation("rlimits").startswith("rlimits only")
        monkeypatch.setenv("CODEHONE_SANDBOX", "rlimits")
        assert sandbox.set_isolation(None).startswith("rlimits only")
    finally:
        monkeypatch.undo()
        sandbox.set_isolation(None)


def _describe(pids: list[int]) -> list[str]:
    out = []
    for p in pids:
        try:
            st = dict(ln.split(":\t", 1) for ln in Path(f"/proc/{p}/status").read_text().splitlines() if ":\t" in ln)
            out.append(f"{p}: {st.get('Name')} {st.get('State')} ppid {st.get('PPid')} nspid {st.get('NSpid')} " + Path(f"/proc/{p}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:200])
        except OSError:
            out.append(f"{p}: gone")
    return out


def _with_marker(marker: str) -> list[int]:
    found = []
    for p in filter(str.isdigit, os.listdir("/proc")):
        try:
            if marker.encode() in Path(f"/proc/{p}/cmdline").read_bytes():
                found.append(int(p))
        except OSError:
            pass
    return found


def _wait_for(cond, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.05)
    return bool(cond())
