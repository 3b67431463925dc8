"""Run commands as an ordinary user, for tests of what codehone does when it is not root.

CI runs as root, so the sandbox's unprivileged levels (user namespaces, bwrap) are only reached by
running as someone else. ``ensure_user()`` creates the user ``codehone-sbx-test`` once (idempotent)
and makes sure it can reach this checkout, its ``.venv`` and the interpreter the venv points at;
``run_as_unprivileged(argv, env)`` runs a command as that user (``setpriv``: no groups, no new
privileges), from the checkout, with a small environment of its own plus ``env``.

Reaching the interpreter may need one change outside the checkout: a pyenv Python lives under
/root (mode 700). The user is given search permission (x, not read) on such directories, with an
ACL naming only this user where ``setfacl`` exists, else with ``chmod o+x``; the change is left in
place (another test session may be using it) and is logged to stderr.
"""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
import sys
from pathlib import Path

USER = "codehone-sbx-test"
ROOT = Path(__file__).resolve().parents[2]  # the checkout
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"


class Unavailable(Exception):
    """Why commands cannot be run as an unprivileged user here (tests skip with this reason)."""


def ensure_user() -> pwd.struct_passwd:
    """The test user, created if missing, able to run ``.venv/bin/python`` on this checkout."""
    if os.geteuid() != 0:
        raise Unavailable("creating a user needs root (run the tests as root, as CI does)")
    for tool in ("useradd", "setpriv"):
        if shutil.which(tool) is None:
            raise Unavailable(f"{tool} is not installed")
    try:
        pw = pwd.getpwnam(USER)
    except KeyError:
        done = subprocess.run(["useradd", "--create-home", "--shell", "/usr/sbin/nologin", "--user-group", USER],
                              capture_output=True, text=True)
        if done.returncode not in (0, 9):  # 9: created meanwhile by another session
            raise Unavailable(f"useradd failed: {done.stderr.strip()}")
        pw = pwd.getpwnam(USER)
    home = Path(pw.pw_dir)
    if not home.is_dir():
        home.mkdir(mode=0o700, parents=True)
        os.chown(home, pw.pw_uid, pw.pw_gid)
    python = Path(os.path.realpath(VENV_PYTHON if VENV_PYTHON.exists() else sys.executable))
    for target in (ROOT / "src", VENV_PYTHON.parent, python, Path(os.path.realpath(sys.base_prefix)) / "lib"):
        _grant_search(target, pw)
    return pw


def _grant_search(path: Path, pw: pwd.struct_passwd) -> None:
    """Give the user search (x) permission on every directory above ``path`` that denies it."""
    for d in [*reversed(path.parents), path] if path.is_dir() else reversed(path.parents):
        st = d.stat()
        if st.st_mode & stat.S_IXOTH or st.st_uid == pw.pw_uid or (st.st_gid == pw.pw_gid and st.st_mode & stat.S_IXGRP):
            continue
        if shutil.which("setfacl"):
            cmd = ["setfacl", "-m", f"u:{pw.pw_name}:x", str(d)]
        else:
            cmd = ["chmod", "o+x", str(d)]
        print(f"tests.support.unprivileged: {' '.join(cmd)} (so {pw.pw_name} can reach the interpreter)", file=sys.stderr)
        subprocess.run(cmd, check=True)


def run_as_unprivileged(argv: list[str], env: dict[str, str] | None = None, *, timeout: float = 600,
                        cwd: str | Path = ROOT) -> subprocess.CompletedProcess:
    """Run ``argv`` as the test user (created if needed), capturing text output. The environment
    is PATH, HOME, USER, LANG and the codehone/Python variables that make sense for any user,
    then ``env`` on top."""
    cmd, full_env = _command(argv, env)
    return subprocess.run(cmd, env=full_env, cwd=cwd, capture_output=True, text=True, timeout=timeout)


def _command(argv: list[str], env: dict[str, str] | None) -> tuple[list[str], dict[str, str]]:
    pw = ensure_user()
    base = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": pw.pw_dir, "USER": pw.pw_name, "LOGNAME": pw.pw_name,
            "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1", "TMPDIR": "/tmp"}
    for key in ("CODEHONE_THREADS", "CODEHONE_DEBUG"):
        if key in os.environ:
            base[key] = os.environ[key]
    cmd = ["setpriv", f"--reuid={pw.pw_uid}", f"--regid={pw.pw_gid}", "--clear-groups", "--no-new-privs", "--", *argv]
    return cmd, {**base, **(env or {})}


def popen_as_unprivileged(argv: list[str], env: dict[str, str] | None = None, **kw) -> subprocess.Popen:
    """``run_as_unprivileged`` without waiting: the Popen (setpriv execs, so its pid is argv's)."""
    cmd, full_env = _command(argv, env)
    return subprocess.Popen(cmd, env=full_env, cwd=kw.pop("cwd", ROOT), **kw)


def processes_of(uid: int) -> list[int]:
    """Pids of the processes owned by ``uid``, zombies left out (a zombie runs nothing; one whose
    parent died waits for init, which in some containers reaps only now and then)."""
    pids = []
    for p in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.stat(f"/proc/{p}").st_uid == uid and ") Z " not in Path(f"/proc/{p}/stat").read_text():
                pids.append(int(p))
        except OSError:
            pass
    return pids
