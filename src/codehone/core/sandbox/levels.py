"""Isolation levels: what each one sets up, whether this machine can have it, and the pieces each
needs (hidden homes, the interpreter's directories, bwrap's command line, slot uids). The module
docstring of ``codehone.core.sandbox`` says what each level covers."""

from __future__ import annotations

import os
import shutil
import sys
from functools import lru_cache
from pathlib import Path

from codehone.core.sandbox.values import Limits

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


@lru_cache(maxsize=1)
def _python() -> str:
    return os.path.realpath(sys.executable)


def _hidden_homes() -> list[str]:
    homes = {os.path.realpath(h) for h in ("/root", "/home", os.path.expanduser("~"))}
    homes = {h for h in homes if os.path.isdir(h) and h != "/"}
    return sorted(h for h in homes if not any(h.startswith(o + "/") for o in homes))  # /home/me: under /home


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
