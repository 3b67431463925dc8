"""blocks-next runs scored again, split by whether the block's arguments were in view: written in the
program the suggester was given (and in the request, for a ``--with-request`` run). Nothing is
rerun: it reads each run's samples.jsonl and eval_config.json.

    .venv/bin/python benchmarks/next_in_view.py --name next_in_view_long23 runs/next-long23 runs/next-req-beam23

Why: a task takes one block out of a program. When that block is the polygon's only ``move(40)``,
nothing left in the program says 40, so a suggester can guess the number but not read it. The
split says how much of the top-3 figure is reading and how much is guessing, and the bound says
what the figure would be if every in-view task were right and the guesses stayed as they are.
Writes ``benchmarks/results/<name>.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import save  # noqa: E402

from codehone.blocks.copilot.bench import load_benchmark  # noqa: E402
from codehone.blocks.copilot.next_bench import TOP, score_answers, source_requests  # noqa: E402
from codehone.runs import read_jsonl  # noqa: E402


def rescore(run: Path) -> dict:
    config_path, samples_path = run / "eval_config.json", run / "samples.jsonl"
    if not config_path.exists() or not samples_path.exists():
        raise SystemExit(f"{run}: no eval_config.json or samples.jsonl (not a blocks-next run); leave it out")
    config = json.loads(config_path.read_text())
    if config.get("bench") != "blocks-next":
        raise SystemExit(f"{run}: a {config.get('bench')} run; this reads blocks-next runs only")
    answers = {s["task_id"]: s for s in read_jsonl(samples_path)}
    tasks = [t for t in load_benchmark(bench="blocks-next") if t["task_id"] in answers]
    _, summary = score_answers(tasks, answers, config, source_requests() if config.get("with_request") else {})
    split = summary["by_args_shown"]
    hits = f"top{TOP}_block"
    n = summary["tasks"]
    return {"run": str(run), "adapter": config.get("adapter"), "with_request": bool(config.get("with_request")),
            "beam": config.get("beam", 0), "tasks": n, hits: round(summary[hits], 4),
            "in_view": split["shown"], "not_in_view": split["not_shown"],
            # every in-view task right, the guesses as they are
            "bound_reading_all": round((split["shown"]["tasks"] + split["not_shown"][hits]) / n, 4) if n else 0.0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--name", required=True, help="result file name, without .json")
    ap.add_argument("runs", nargs="+", type=Path, help="blocks-next run directories (codehone blocks eval-set blocks-next)")
    args = ap.parse_args()
    result = {"runs": [rescore(run) for run in args.runs]}
    save(args.name, result)
    print(f"| run | top-{TOP} block | in view | not in view | all in-view right |")
    print("|---|---|---|---|---|")
    for r in result["runs"]:
        pct = lambda part: f"{part[f'top{TOP}_block']}/{part['tasks']} ({100 * part[f'top{TOP}_block'] / max(part['tasks'], 1):.1f}%)"  # noqa: E731
        print(f"| {Path(r['run']).name} | {100 * r[f'top{TOP}_block']:.1f}% | {pct(r['in_view'])} | "
              f"{pct(r['not_in_view'])} | {100 * r['bound_reading_all']:.1f}% |")


if __name__ == "__main__":
    main()
