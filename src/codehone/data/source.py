"""Read a body of code: a folder, a git repository (optionally at a revision), a tar or zip archive.

Every reader yields ``SourceFile`` rows sorted by path, so everything downstream is deterministic
whatever order the file system or archive lists things in. A file that cannot be read becomes a
row with ``error`` set (counted as "unreadable" later), never an exception: one bad file must not
sink a build of thousands.

What is and isn't read:
- git: ``git ls-files`` (tracked + untracked-but-not-ignored), so .gitignore is respected; with a
  revision, the tree at that revision via ``git ls-tree`` / ``git cat-file --batch``.
- folders that are not git repositories: everything under them except VCS metadata folders;
- archives: regular files only; absolute paths and ``..`` entries are refused, and a single
  top-level folder (GitHub's ``repo-sha/``) is stripped so paths read as they do in the repo.
- symlinks are never followed: they could point outside the source.
- files over ``max_bytes`` are not read at all (``data`` is None, reason "too_large").
"""

from __future__ import annotations

import os
import stat
import subprocess
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable

from codehone.data.errors import DataError

_VCS_DIRS = {".git", ".hg", ".svn", ".bzr"}
_TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")


@dataclass
class SourceFile:
    path: str  # repository-relative, POSIX separators
    size: int
    data: bytes | None = None  # None when too large or unreadable
    error: str | None = None  # "unreadable" / "too_large"


@dataclass
class Source:
    name: str  # repository name, for <|repo_name|> and the card
    kind: str  # "folder" | "git" | "tar" | "zip"
    files: list[SourceFile]
    revision: str | None = None


def load_source(source: str | os.PathLike, revision: str | None = None, max_bytes: int = 1 << 20,
                skip: Callable[[str], str | None] | None = None) -> Source:
    """Read every file of ``source``. ``skip(path)`` may name a reason to drop a file by its path
    alone (vendored, excluded ...): such files are listed with that reason and never read, so a
    checked-in node_modules costs a directory walk, not a read of every file in it."""
    path = Path(source).expanduser()
    if not path.exists():
        raise DataError(f"source {str(source)!r} does not exist; give a folder, a git repository, or a .tar/.zip archive")
    if path.is_dir():
        if _is_git_worktree(path):
            files = _read_git(path, revision, max_bytes, skip)
            kind = "git"
        elif revision:
            raise DataError(f"--revision {revision!r} needs a git repository, and {path} is not one")
        else:
            files, kind = _read_folder(path, max_bytes, skip), "folder"
        name = path.resolve().name
    elif path.name.endswith(_TAR_SUFFIXES) or (path.is_file() and tarfile.is_tarfile(path)):
        files, kind, name = _read_tar(path, max_bytes), "tar", _archive_stem(path)
        files = _apply_skip(files, skip)
    elif zipfile.is_zipfile(path):
        files, kind, name = _read_zip(path, max_bytes), "zip", _archive_stem(path)
        files = _apply_skip(files, skip)
    else:
        raise DataError(f"source {str(source)!r} is neither a folder nor a .tar/.zip archive")
    if revision and kind != "git":
        raise DataError(f"--revision {revision!r} needs a git repository, and {path} is a {kind}")
    files.sort(key=lambda f: f.path)
    return Source(name=name, kind=kind, files=files, revision=revision)


def _archive_stem(path: Path) -> str:
    name = path.name
    for suffix in (*_TAR_SUFFIXES, ".zip"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def _read_path(full: Path, rel: str, max_bytes: int) -> SourceFile:
    try:
        st = full.lstat()
        if not stat.S_ISREG(st.st_mode):
            return SourceFile(rel, 0, error="not_regular")
        if st.st_size > max_bytes:
            return SourceFile(rel, st.st_size, error="too_large")
        with open(full, "rb") as f:
            data = f.read(max_bytes + 1)
        if len(data) > max_bytes:  # grew since stat
            return SourceFile(rel, len(data), error="too_large")
        return SourceFile(rel, len(data), data)
    except OSError:
        return SourceFile(rel, 0, error="unreadable")


def _apply_skip(files: list[SourceFile], skip) -> list[SourceFile]:
    # Archives are read as a stream, so their skipped members are dropped after reading.
    if skip is None:
        return files
    out = []
    for f in files:
        reason = skip(f.path)
        out.append(SourceFile(f.path, f.size, error=reason) if reason else f)
    return out


def _read_folder(root: Path, max_bytes: int, skip=None) -> list[SourceFile]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in _VCS_DIRS)
        for name in filenames:
            full = Path(dirpath) / name
            rel = full.relative_to(root).as_posix()
            if full.is_symlink():
                continue
            reason = skip(rel) if skip else None
            out.append(SourceFile(rel, 0, error=reason) if reason else _read_path(full, rel, max_bytes))
    return out


def _git(repo: Path, *args: str, input: bytes | None = None) -> bytes:
    try:
        proc = subprocess.run(["git", "-C", str(repo), *args], input=input, capture_output=True, check=False)
    except FileNotFoundError:
        raise DataError("git is not installed, so a git repository cannot be listed; install git or pass an archive") from None
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DataError(f"git {args[0]} failed in {repo}: {msg[-1] if msg else 'exit ' + str(proc.returncode)}")
    return proc.stdout


def _is_git_worktree(path: Path) -> bool:
    if not (path / ".git").exists():
        return False  # a folder inside someone else's repo is read as a plain folder
    try:
        proc = subprocess.run(["git", "-C", str(path), "rev-parse", "--is-inside-work-tree"], capture_output=True)
    except FileNotFoundError:
        return False
    return proc.returncode == 0 and proc.stdout.strip() == b"true"


def _read_git(repo: Path, revision: str | None, max_bytes: int, skip=None) -> list[SourceFile]:
    if revision is None:
        listed = _git(repo, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--deduplicate")
        out = []
        for rel in sorted({p.decode("utf-8", "surrogateescape") for p in listed.split(b"\0") if p}):
            full = repo / rel
            if not full.exists() and not full.is_symlink():
                continue  # deleted in the work tree, not yet committed: not part of the code now
            if full.is_symlink():
                continue
            reason = skip(rel) if skip else None
            out.append(SourceFile(rel, 0, error=reason) if reason else _read_path(full, rel, max_bytes))
        return out
    try:
        _git(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except DataError:
        raise DataError(f"revision {revision!r} is not a commit in {repo}") from None
    # Mode, type, object, size per blob; symlinks (120000) and submodules (commit) are skipped.
    listed = _git(repo, "ls-tree", "-r", "-z", "--long", "--full-tree", revision)
    entries = []
    for line in listed.split(b"\0"):
        if not line:
            continue
        meta, _, name = line.partition(b"\t")
        mode, kind, obj, size = meta.split()
        if kind != b"blob" or mode == b"120000":
            continue
        entries.append((name.decode("utf-8", "surrogateescape"), obj.decode(), int(size)))
    skipped = []
    if skip is not None:
        reasons = {e[0]: skip(e[0]) for e in entries}
        skipped = [SourceFile(p, 0, error=r) for p, r in reasons.items() if r]
        entries = [e for e in entries if not reasons[e[0]]]
    wanted = [e for e in entries if e[2] <= max_bytes]
    blobs = _cat_blobs(repo, [e[1] for e in wanted])
    out = [SourceFile(rel, size, error="too_large") for rel, _, size in entries if size > max_bytes]
    out += [SourceFile(rel, size, blobs[obj]) for rel, obj, size in wanted]
    return out + skipped


def _cat_blobs(repo: Path, objects: list[str]) -> dict[str, bytes]:
    """Read many blobs with one ``git cat-file --batch`` process instead of one per file."""
    if not objects:
        return {}
    raw = _git(repo, "cat-file", "--batch", input="".join(o + "\n" for o in objects).encode())
    out: dict[str, bytes] = {}
    pos = 0
    for _ in objects:
        eol = raw.index(b"\n", pos)
        obj, _kind, size = raw[pos:eol].split()
        start = eol + 1
        out[obj.decode()] = raw[start : start + int(size)]
        pos = start + int(size) + 1  # content is followed by a newline
    return out


def _safe_member(name: str) -> str | None:
    p = PurePosixPath(name.replace("\\", "/"))
    if p.is_absolute() or ".." in p.parts or not p.parts:
        return None
    return p.as_posix()


def _strip_common_root(files: list[SourceFile]) -> list[SourceFile]:
    tops = {f.path.split("/", 1)[0] for f in files}
    if len(tops) == 1 and all("/" in f.path for f in files):
        for f in files:
            f.path = f.path.split("/", 1)[1]
    return files


def _read_tar(path: Path, max_bytes: int) -> list[SourceFile]:
    out = []
    try:
        with tarfile.open(path) as tar:
            for m in tar:
                rel = _safe_member(m.name)
                if rel is None or not m.isfile():
                    continue
                if m.size > max_bytes:
                    out.append(SourceFile(rel, m.size, error="too_large"))
                    continue
                try:
                    fh = tar.extractfile(m)
                    out.append(SourceFile(rel, m.size, fh.read() if fh else b""))
                except (OSError, tarfile.TarError):
                    out.append(SourceFile(rel, m.size, error="unreadable"))
    except (OSError, tarfile.TarError, EOFError) as e:
        raise DataError(f"cannot read archive {path}: {e}") from None
    return _strip_common_root(out)


def _read_zip(path: Path, max_bytes: int) -> list[SourceFile]:
    out = []
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                rel = _safe_member(info.filename)
                # Unix mode in the high bits: skip symlinks stored in the zip.
                is_link = stat.S_ISLNK(info.external_attr >> 16)
                if rel is None or info.is_dir() or is_link:
                    continue
                if info.file_size > max_bytes:
                    out.append(SourceFile(rel, info.file_size, error="too_large"))
                    continue
                try:
                    out.append(SourceFile(rel, info.file_size, zf.read(info)))
                except (OSError, zipfile.BadZipFile, RuntimeError):  # RuntimeError: encrypted member
                    out.append(SourceFile(rel, info.file_size, error="unreadable"))
    except (OSError, zipfile.BadZipFile) as e:
        raise DataError(f"cannot read archive {path}: {e}") from None
    return _strip_common_root(out)
