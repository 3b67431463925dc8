"""The harness's first half: how the sandboxed interpreter confines itself (stdlib only).

Namespaces, mounts, limits and the privilege drop, steps 0-2 of ``harness.py``'s list. The sandbox
sends this file's compiled code and then ``harness.py``'s, executed in one namespace, so neither
imports the other there (codehone itself is not importable inside the sandbox).
"""

import os
import sys

def _libc():
    """mount(2), prctl(2), unshare(2), capset(2) and syscall(2) through _ctypes directly: the ctypes
    package costs 3 ms to import, a tenth of a whole sandboxed run."""
    import _ctypes

    class c_int(_ctypes._SimpleCData):
        _type_ = "i"

    class c_long(_ctypes._SimpleCData):
        _type_ = "l"

    class Func(_ctypes.CFuncPtr):
        _flags_ = _ctypes.FUNCFLAG_CDECL | _ctypes.FUNCFLAG_USE_ERRNO
        _restype_ = c_int

    handle = _ctypes.dlopen(None, 2)  # RTLD_NOW: this process's libc
    libc = {name: Func(_ctypes.dlsym(handle, name)) for name in ("mount", "prctl", "unshare", "capset", "syscall")}
    libc["long"] = c_long
    return libc, _ctypes.get_errno


def _check(ok, get_errno, what):
    if not ok:
        err = get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _die_with_parent(cfg, libc):
    """SIGKILL this process when the eval process (the thread that started it) dies, so a killed
    eval leaves no sandbox behind. Checked after the prctl: the parent may already be gone. (A uid
    change clears the setting: in rlimits mode there is none, namespaced modes set it again.)"""
    PR_SET_PDEATHSIG, SIGKILL = 1, 9
    _check(libc[0]["prctl"](PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) == 0, libc[1], "prctl(PR_SET_PDEATHSIG)")
    if os.getppid() != cfg["ppid"]:
        os._exit(1)


def _enter_namespaces(cfg, libc):
    """unshare(2) into new mount, pid, net, ipc and uts namespaces (and, for "userns", a user
    namespace where the caller is root), then fork: the parent waits and relays the child's end
    (exit code, or the signal that killed it, re-raised on itself); the child returns, as pid 1 of
    the new pid namespace, with SIGKILL as its parent-death signal. When pid 1 ends, the kernel kills
    every process left in the namespace; pid 1 itself dies with the relay (_die_with_relay). No
    unshare(1) binary: one exec fewer per program."""
    fns, get_errno = libc
    NEWNS, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET = 0x20000, 0x4000000, 0x8000000, 0x10000000, 0x20000000, 0x40000000
    flags = NEWNS | NEWUTS | NEWIPC | NEWPID | NEWNET | (NEWUSER if cfg["setup"] == "userns" else 0)
    uid, gid = os.getuid(), os.getgid()
    _check(fns["unshare"](flags) == 0, get_errno, "unshare")
    if flags & NEWUSER:
        # Unprivileged, only our own ids can be mapped: the caller becomes root of this namespace,
        # with capabilities over the namespaces created with it (never over the host's).
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"0 {uid} 1")
        _write("/proc/self/gid_map", f"0 {gid} 1")
    MS_REC, MS_PRIVATE = 16384, 1 << 18
    _check(fns["mount"](b"none", b"/", None, MS_REC | MS_PRIVATE, None) == 0, get_errno, "mount --make-rprivate /")
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # the relay below may re-raise a core-dumping signal
    r, w = os.pipe()
    pid = os.fork()
    if pid:
        os.close(r)
        _, status = os.waitpid(pid, 0)
        if os.WIFSIGNALED(status):
            import _signal

            sig = os.WTERMSIG(status)
            if sig != 9:  # SIGKILL's action cannot be changed (nor needs to be)
                _signal.signal(sig, _signal.SIG_DFL)
            os.kill(os.getpid(), sig)
            os._exit(128 + sig)
        os._exit(os.waitstatus_to_exitcode(status))
    os.close(w)
    cfg["lifeline"] = r  # read by _die_with_relay once the credentials are final


def _die_with_relay(cfg, libc):
    """SIGKILL pid 1 when the relay dies (the relay itself dies with the eval process). Set after the
    privilege drop, which clears the parent-death signal; the lifeline pipe, whose other end only
    the relay holds, tells whether the relay died before."""
    r = cfg.pop("lifeline")
    PR_SET_PDEATHSIG, SIGKILL = 1, 9
    _check(libc[0]["prctl"](PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) == 0, libc[1], "prctl(PR_SET_PDEATHSIG)")
    os.set_blocking(r, False)
    try:
        if os.read(r, 1) == b"":
            os._exit(1)  # the relay is gone: nobody is waiting for us
    except BlockingIOError:
        pass
    os.close(r)


def _write(path, text):
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def _read_only_root(fns, get_errno):
    """Make every mount read-only in this mount namespace (mount_setattr, Linux >= 5.12; older
    kernels remount each mount point). Only mounts made afterwards (tmpfs, proc) are writable."""
    L = fns["long"]
    AT_FDCWD, AT_RECURSIVE, MOUNT_ATTR_RDONLY, SYS_mount_setattr = -100, 0x8000, 1, 442
    attr = MOUNT_ATTR_RDONLY.to_bytes(8, sys.byteorder) + bytes(24)  # struct mount_attr {set, clr, propagation, userns_fd}
    if fns["syscall"](L(SYS_mount_setattr), L(AT_FDCWD), b"/", L(AT_RECURSIVE), attr, L(len(attr))) == 0:
        return
    if get_errno() != 38:  # ENOSYS
        _check(False, get_errno, "mount_setattr / read-only")
    MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND = 1, 2, 4, 8, 32, 4096
    MS_NOATIME, MS_NODIRATIME, MS_RELATIME = 1024, 2048, 1 << 21
    keep = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC, "noatime": MS_NOATIME,
            "nodiratime": MS_NODIRATIME, "relatime": MS_RELATIME}
    with open("/proc/self/mountinfo", "rb") as f:
        rows = [ln.split() for ln in f.read().decode("utf-8", "surrogateescape").splitlines()]
    for row in rows:
        point = row[4].encode("utf-8", "surrogateescape").decode("unicode_escape").encode("latin-1")
        # Flags the kernel locked on mounts from a more privileged namespace must be repeated.
        flags = MS_REMOUNT | MS_BIND | MS_RDONLY
        for opt in row[5].split(","):
            flags |= keep.get(opt, 0)
        fns["mount"](b"none", point, None, flags, None)  # overmounted or vanished points may fail: they are hidden


def _setup_namespaced(cfg, libc):
    """Inside the new namespaces, as (namespace) root: a read-only view of the whole file system,
    a fresh /proc for the new pid namespace, private tmpfs over /tmp, /var/tmp, /dev/shm and the home
    directories, the Python installation bound back if it lived under a hidden home, a work dir."""
    fns, get_errno = libc
    MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_BIND, MS_REC = 2, 4, 8, 4096, 16384

    def mount(src, dst, fstype, flags, data=None):
        ok = fns["mount"](src.encode(), dst.encode(), fstype.encode() if fstype else None, flags,
                          data.encode() if data else None) == 0
        _check(ok, get_errno, f"mount {src} on {dst}")

    _read_only_root(fns, get_errno)
    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    tmpfs = f"size={cfg['tmpfs_mb']}m,mode=1777"
    mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, tmpfs)
    for d in ("/var/tmp", "/dev/shm"):
        if os.path.isdir(d):
            mount("tmpfs", d, "tmpfs", MS_NOSUID | MS_NODEV, tmpfs)
    # Homes are hidden behind empty tmpfs; paths the interpreter needs (pyenv installs live
    # under /root) are bound back at the same place (read-only: binds of a read-only mount).
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
    work = "/tmp/work"
    os.mkdir(work, 0o700)
    if cfg["setup"] == "root":
        os.chown(work, cfg["uid"], cfg["uid"])
    os.chdir(work)


def _drop_privileges(cfg, libc):
    """Root: to the per-slot uid. User namespace: into a nested user namespace where the only id is
    cfg["uid"] (mapped to the namespace's root, i.e. the caller): no capability over the mount, pid
    or net namespaces above (they belong to the parent user namespace), and none left in its own."""
    fns, get_errno = libc
    PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS = 4, 38
    _check(fns["prctl"](PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0, get_errno, "prctl(PR_SET_NO_NEW_PRIVS)")
    if cfg["setup"] == "root":
        os.setgroups([])
        os.setgid(cfg["uid"])
        os.setuid(cfg["uid"])
    else:
        _check(fns["unshare"](0x10000000) == 0, get_errno, "unshare(CLONE_NEWUSER)")
        _write("/proc/self/setgroups", "deny")
        _write("/proc/self/uid_map", f"{cfg['uid']} 0 1")
        _write("/proc/self/gid_map", f"{cfg['uid']} 0 1")
        # The creator of a user namespace holds every capability in it: drop them all.
        header = (0x20080522).to_bytes(4, sys.byteorder) + bytes(4)  # _LINUX_CAPABILITY_VERSION_3, pid 0
        _check(fns["capset"](header, bytes(24)) == 0, get_errno, "capset")
    _check(fns["prctl"](PR_SET_DUMPABLE, 0, 0, 0, 0) == 0, get_errno, "prctl(PR_SET_DUMPABLE)")  # /proc/self/mem now belongs to root


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
