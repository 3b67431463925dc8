"""Carry a resumable run across machines: its jsonl files gzipped into the repository, and back.

A long figure (the CodeT rerank run of issue 21 is hours on 2 cores) may need more than one sitting,
and a sitting may start on a fresh machine where ``runs/`` is gone. ``save`` writes each jsonl file
of a run directory as ``ARCHIVE/<name>.jsonl.gz`` (whole lines only, so a file caught mid-append is
cut at its last complete row) and copies its small json files (the manifest); ``restore`` puts them
back where the run's own resume logic (``eval/generate.py``, ``eval/gen_tests.py``: ask only for
what is missing) picks them up. ``restore`` never shortens a file: it writes a jsonl only where the
run directory has fewer rows than the archive.

Usage:
  .venv/bin/python benchmarks/run_archive.py save RUN_DIR ARCHIVE_DIR
  .venv/bin/python benchmarks/run_archive.py restore ARCHIVE_DIR RUN_DIR
"""

from __future__ import annotations

import argparse
import gzip
import shutil
from pathlib import Path


def _whole_lines(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    return [line for line in lines[:-1] if line.strip()]  # the piece after the last newline is unfinished


def save(run: Path, archive: Path) -> dict[str, int]:
    """Rows saved per jsonl file of ``run``."""
    if not run.is_dir():
        raise SystemExit(f"no run directory at {run}")
    archive.mkdir(parents=True, exist_ok=True)
    counts = {}
    for path in sorted(run.glob("*.jsonl")):
        lines = _whole_lines(path)
        with gzip.open(archive / f"{path.name}.gz", "wt", encoding="utf-8", compresslevel=9) as f:
            f.write("".join(line + "\n" for line in lines))
        counts[path.name] = len(lines)
    for path in sorted(run.glob("*.json")):
        shutil.copyfile(path, archive / path.name)
    return counts


def restore(archive: Path, run: Path) -> dict[str, int]:
    """Rows restored per jsonl file (files the run already has as many rows of are left alone)."""
    if not archive.is_dir():
        raise SystemExit(f"no archive at {archive}")
    run.mkdir(parents=True, exist_ok=True)
    counts = {}
    for path in sorted(archive.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            lines = [line for line in f.read().split("\n") if line.strip()]
        target = run / path.name[: -len(".gz")]
        have = len(_whole_lines(target)) if target.exists() else 0
        if have < len(lines):
            target.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
            counts[target.name] = len(lines)
    for path in sorted(archive.glob("*.json")):
        if not (run / path.name).exists():
            shutil.copyfile(path, run / path.name)
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("action", choices=("save", "restore"))
    ap.add_argument("source", type=Path)
    ap.add_argument("target", type=Path)
    a = ap.parse_args()
    counts = save(a.source, a.target) if a.action == "save" else restore(a.source, a.target)
    for name, n in counts.items():
        print(f"{a.action}: {name} {n} rows")
    if not counts:
        print(f"{a.action}: nothing to do")


if __name__ == "__main__":
    main()
