"""Gather the summaries of finished evaluation runs into one result file, each with the command that
made it (read from the run's own eval_config.json), so a table of several sets on one adapter has
one source.

    .venv/bin/python benchmarks/collect_runs.py --name skills_tuned16 runs/kids-tuned16 runs/fix-tuned16 ...

writes ``benchmarks/results/<name>.json``: ``summaries`` (run directory name -> the run's summary.json,
less its per-task lists) and ``runs`` (run directory name -> its path and configuration). Nothing is rerun.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import save  # noqa: E402


def collect(run_dirs: list[Path]) -> dict:
    summaries, runs = {}, {}
    for run in run_dirs:
        summary_path = run / "summary.json"
        if not summary_path.exists():
            raise SystemExit(f"{run}: no summary.json (the run has not finished); finish it or leave it out")
        summary = json.loads(summary_path.read_text())
        name = run.name  # the run's own name: two runs of one set (two adapters) stay apart
        summaries[name] = {k: v for k, v in summary.items() if not isinstance(v, list)}
        config = run / "eval_config.json"
        runs[name] = {"dir": str(run), "config": json.loads(config.read_text()) if config.exists() else None}
    return {"summaries": summaries, "runs": runs}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--name", required=True, help="result file name, without .json")
    ap.add_argument("runs", nargs="+", type=Path, help="finished run directories")
    args = ap.parse_args()
    save(args.name, collect(args.runs))


if __name__ == "__main__":
    main()
