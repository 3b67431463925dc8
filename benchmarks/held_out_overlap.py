"""How held-out the held-out block sets are: each request's closest training request, by words.

For each hand-written set (``blocks``, ``blocks-kids``, ``blocks-lang`` and ``blocks-lang-2`` by language) it counts the
requests whose nearest training request (in the run's data) has the same words (Jaccard 1.0,
e.g. another case or punctuation), nearly the same (>= 0.8) and much the same (>= 0.6), with the
median (copilot/overlap.py). Given eval runs of a model trained on that data, it also splits each
run's pass rate into the tasks with a training request at >= 0.6 and the rest: a model that only
passes where it saw nearly the same request would show it here.

    .venv/bin/python benchmarks/held_out_overlap.py --data runs/long23 \
        --eval runs/blocks-long23 runs/kids-long23 runs/lang-long23 --name held_out_overlap_long23

No request text is printed or saved (the held-out sets stay unread): counts and rates only.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from _common import save

from codehone.blocks.copilot.bench import HELD_OUT_REQUESTS, LANG_BENCHES

SETS = HELD_OUT_REQUESTS  # the hand-written sets whose requests training must not use
NEAR = 0.6  # the band that splits an eval run's tasks


def _group(task: dict, bench: str) -> str:
    return f"{bench}:{task['language']}" if bench in LANG_BENCHES else bench


def _split_run(run: Path, closeness: dict[str, float]) -> dict:
    """A run's pass rate on its tasks with a training request at >= NEAR and on the rest."""
    rows = [json.loads(line) for line in (run / "results.jsonl").read_text().splitlines() if line.strip()]
    out = {}
    for name, keep in (("near", lambda j: j >= NEAR), ("far", lambda j: j < NEAR)):
        mine = [r for r in rows if r["task_id"] in closeness and keep(closeness[r["task_id"]])]
        passed = sum(r["status"] == "passed" for r in mine)
        out[name] = {"tasks": len(mine), "passed": passed,
                     "pass_rate": round(passed / len(mine), 4) if mine else None}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True, help="a run directory `codehone blocks data --out` wrote")
    ap.add_argument("--eval", nargs="*", default=[], help="eval runs (blocks eval / eval-set) of a model trained on it")
    ap.add_argument("--name", default="held_out_overlap")
    args = ap.parse_args()

    from codehone.blocks.copilot.bench import load_benchmark
    from codehone.blocks.copilot.overlap import nearest, summarise, training_requests

    training = training_requests(args.data)
    closeness: dict[str, float] = {}
    groups: dict[str, list] = defaultdict(list)
    for bench in SETS:
        tasks = load_benchmark(bench=bench)
        for task, match in zip(tasks, nearest([t["prompt"] for t in tasks], training)):
            closeness[task["task_id"]] = match.jaccard
            groups[_group(task, bench)].append(match)
    result = {"data": args.data, "training_requests": len(training), "near_band": NEAR,
              "sets": {name: summarise(matches) for name, matches in groups.items()},
              "runs": {run: _split_run(Path(run), closeness) for run in args.eval}}
    for name, s in result["sets"].items():
        print(f"{name:16} {s['requests']:4} requests: same words {s['at_least_1.0']}, >=0.8 {s['at_least_0.8']}, "
              f">=0.6 {s['at_least_0.6']}, median {s['median']}")
    save(args.name, result)


if __name__ == "__main__":
    main()
