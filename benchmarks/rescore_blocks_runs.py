"""Score finished block-generation runs again with today's checks: what a change to the check
library (blocks/runtime/checks.py) does to figures already measured, without a model.

    .venv/bin/python benchmarks/rescore_blocks_runs.py runs/kids-tuned17 runs/blocks-tuned17 --name rescore_s18

Each RUN is a ``codehone blocks eval-set`` directory of a generating set (blocks, blocks-kids,
blocks-lang: ``eval_config.json`` names it): its answers (``samples.jsonl``) are scored again by
:func:`codehone.blocks.copilot.evaluate.score` against the set's tasks (``blocks-lang``: by
:func:`~codehone.blocks.copilot.lang_bench.score_lang`, which checks the language of what is said too), and the pass count is
printed beside the one the run recorded (``results.jsonl``), with the tasks that changed. The run
directories are only read. Fix, change and teach runs are scored by other rules and are refused.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import save  # noqa: E402

from codehone.blocks.copilot.bench import LANG_BENCHES  # noqa: E402

GENERATING = ("blocks", "blocks-kids", *LANG_BENCHES)


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def rescore(run: Path) -> dict:
    """{bench, tasks, recorded, now, gained, lost} for one run directory."""
    from codehone.blocks.copilot.bench import load_benchmark
    from codehone.blocks.copilot.evaluate import score
    from codehone.blocks.copilot.lang_bench import score_lang

    config = json.loads((run / "eval_config.json").read_text(encoding="utf-8"))
    bench = config["bench"]
    if bench not in GENERATING:
        raise SystemExit(f"{run}: {bench} is not a generating set ({', '.join(GENERATING)}); its answers are scored otherwise")
    tasks = {t["task_id"]: t for t in load_benchmark(bench=bench)}
    scorer = score_lang if bench in LANG_BENCHES else score  # the language sets check the language too
    recorded = {r["task_id"]: r["status"] == "passed" for r in _rows(run / "results.jsonl")}
    now = {}
    for sample in _rows(run / "samples.jsonl"):
        if sample["task_id"] in recorded:
            row, _ = scorer(tasks[sample["task_id"]], sample["text"], sample.get("finish_reason", "stop"))
            now[sample["task_id"]] = row["status"] == "passed"
    return {"run": str(run), "bench": bench, "tasks": len(now), "recorded": sum(recorded[t] for t in now),
            "now": sum(now.values()), "gained": sorted(t for t in now if now[t] and not recorded[t]),
            "lost": sorted(t for t in now if recorded[t] and not now[t])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("runs", nargs="+", type=Path)
    parser.add_argument("--name", default="", help="save benchmarks/results/NAME.json (default: print only)")
    args = parser.parse_args()
    out = []
    for run in args.runs:
        r = rescore(run)
        out.append(r)
        print(f"{r['run']}: {r['bench']} {r['recorded']} -> {r['now']} of {r['tasks']} "
              f"(gained {r['gained']}, lost {r['lost']})", flush=True)
    if args.name:
        save(args.name, {"runs": out})


if __name__ == "__main__":
    main()
