"""Run directories: the files every stage hands to the next.

A run directory holds a ``manifest.json`` (inputs, hashes, versions, command line) so that any
result can be traced and re-run, plus the stage's own files. Long stages append to JSONL files
one row at a time (``append_jsonl``) so a crash or Ctrl-C loses at most the row being written,
and a rerun reads what exists (``read_jsonl``, which drops and reports a row torn by a crash) and
skips it.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
import tempfile
import time
import warnings
from importlib import metadata
from pathlib import Path
from typing import Any, Iterable, Iterator

from codehone.core.rundir import RunDir

# Packages whose versions change results; recorded in every manifest.
_TRACKED_PACKAGES = ("codehone", "llama-cpp-python", "torch", "transformers", "peft", "tokenizers", "gguf")


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in _TRACKED_PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write via a temporary file and rename, so readers never see half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: str | Path, obj: Any) -> None:
    atomic_write_text(path, json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


class TornLineWarning(UserWarning):
    """A JSONL line cut short by a crash was dropped (its row is redone by the next run)."""


def append_jsonl(path: str | Path, row: dict) -> None:
    """Append one row and flush it to disk: the unit of progress that survives a crash. If the file
    ends in a torn line (a crash mid-write), the row starts on a line of its own, never glued to the
    fragment; ``read_jsonl`` drops the fragment with a warning."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")
    with open(path, "ab+") as f:
        end = f.seek(0, os.SEEK_END)
        if end:
            f.seek(end - 1)
            if f.read(1) != b"\n":
                data = b"\n" + data
        f.write(data)  # append mode: always at the end
        f.flush()
        os.fsync(f.fileno())


def read_jsonl(path: str | Path) -> Iterator[dict]:
    """Rows of a JSONL file (lines split at "\\n" only: a row's text may hold U+2028 and the like).

    A torn line, the fragment a crash left mid-write, is skipped with a TornLineWarning naming the
    file and line, so the run that reads it redoes that row: the last line if it is not valid, or
    any invalid line that does not end in "}" (every row is a JSON object, so a whole one does; after
    a torn last line ``append_jsonl`` starts a new line). Any other bad line is an error naming the
    line, because it means the file was edited."""
    for _, row in read_jsonl_numbered(path):
        yield row


def read_jsonl_numbered(path: str | Path) -> Iterator[tuple[int, dict]]:
    """``read_jsonl`` with each row's 1-based line number, for callers whose errors name the line."""
    path = Path(path)
    if not path.exists():
        return
    lines = path.read_bytes().split(b"\n")
    if lines and not lines[-1].strip():
        lines.pop()
    for i, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            yield i, json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            if i == len(lines) or not raw.rstrip().endswith(b"}"):
                warnings.warn(f"{path}:{i}: dropped a torn line (a run stopped while writing it); "
                              "the next run redoes that row", TornLineWarning, stacklevel=3)
                continue
            why = e.msg if isinstance(e, json.JSONDecodeError) else "not UTF-8"
            raise ValueError(f"{path}:{i}: not valid JSON ({why}); fix or delete that line") from None


def write_jsonl(path: str | Path, rows: Iterable[dict]) -> None:
    atomic_write_text(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


def write_manifest(run_dir: str | Path, stage: str, inputs: dict[str, Any], **extra: Any) -> Path:
    """Record what produced this run directory. Stages call this when they start."""
    path = RunDir(run_dir).manifest
    manifest = json.loads(path.read_text()) if path.exists() else {"stages": {}}
    manifest["stages"][stage] = {
        "inputs": inputs,
        "command": sys.argv,
        "versions": package_versions(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        **extra,
    }
    write_json(path, manifest)
    return path


def publish_data_dir(run_dir: str | Path, data_files: dict[str, str], card: dict, card_md: str) -> None:
    """Write a data set into ``run_dir`` so a reader never sees half of it.

    ``data_files`` (name -> text) go to ``run_dir/data/``, the card to ``data_card.json`` and
    ``data_card.md``. Everything is written and fsynced in a temporary folder first, then moved
    in with renames, ``data_card.json`` last: its presence is the mark of a complete set (what
    the trainer checks), so a crash at any point leaves the old set or none, never a mix.
    """
    import shutil

    run = RunDir(run_dir)
    tmp, old = run.root / f".data.tmp-{os.getpid()}", run.root / f".data.old-{os.getpid()}"
    staged = RunDir(tmp)  # the same layout, in the temporary folder
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        staged.data_dir.mkdir(parents=True)
        for name, text in data_files.items():
            (staged.data_dir / name).write_text(text, encoding="utf-8")
        staged.data_card_md.write_text(card_md, encoding="utf-8")
        staged.data_card.write_text(json.dumps(card, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        for f in staged.data_dir.iterdir():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
        if run.data_dir.exists():
            os.replace(run.data_dir, old)
        os.replace(staged.data_dir, run.data_dir)
        os.replace(staged.data_card_md, run.data_card_md)
        os.replace(staged.data_card, run.data_card)  # last: the set is complete
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
