"""Each language's gap to English over finished blocks-lang and blocks-lang-2 runs of one adapter,
pooled, with a 95% interval (paired bootstrap over the tasks). Nothing is rerun: it reads each run's
results.jsonl and eval_config.json.

    .venv/bin/python benchmarks/lang_gap.py --name lang_gap_long21 runs/lang-long21 runs/lang2-long21

Why: one set of about 40 tasks a language puts one task at 2.3 points, so whether a language is
"within 10 points of English" (issue 19) turns on a task or two. Two sets by two authors, pooled,
halve neither the model's errors nor the writers' habits, but they narrow the interval and show
whether the sets agree. Writes ``benchmarks/results/<name>.json``: per set and pooled, the
language summary of ``codehone.blocks.copilot.lang_bench``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import save  # noqa: E402

from codehone.blocks.copilot.bench import LANG_BENCHES  # noqa: E402
from codehone.blocks.copilot.lang_bench import language_summary  # noqa: E402


def run_rows(run: Path) -> tuple[str, dict, list[dict]]:
    """(bench, config, rows) of a finished language run; its concepts are prefixed with the bench,
    so that two sets' tasks with the same name stay two tasks when pooled."""
    config_path, results = run / "eval_config.json", run / "results.jsonl"
    if not results.exists() or not config_path.exists():
        raise SystemExit(f"{run}: no results.jsonl or eval_config.json (not a finished eval-set run); finish it or leave it out")
    config = json.loads(config_path.read_text())
    bench = config.get("bench")
    if bench not in LANG_BENCHES:
        raise SystemExit(f"{run}: a {bench} run; this pools {' and '.join(LANG_BENCHES)} runs only")
    rows = [json.loads(line) for line in results.read_text().splitlines() if line.strip()]
    return bench, config, [{**r, "concept": f"{bench}:{r['concept']}"} for r in rows]


def pooled_gaps(runs: list[Path]) -> dict:
    sets, pooled, adapters = {}, [], set()
    for run in runs:
        bench, config, rows = run_rows(run)
        adapters.add(config.get("adapter"))
        sets[run.name] = {"bench": bench, "adapter": config.get("adapter"), **language_summary(rows)}
        pooled.extend(rows)
    if len(adapters) > 1:
        raise SystemExit(f"the runs are of different adapters ({', '.join(map(str, adapters))}); pool one adapter's runs")
    return {"adapter": adapters.pop(), "sets": sets, "pooled": language_summary(pooled)["languages"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--name", required=True, help="result file name, without .json")
    ap.add_argument("runs", nargs="+", type=Path, help="finished blocks-lang / blocks-lang-2 run directories of one adapter")
    args = ap.parse_args()
    result = pooled_gaps(args.runs)
    save(args.name, result)
    for lang, e in result["pooled"].items():
        gap = e.get("points_behind_english")
        interval = e.get("points_behind_english_95")
        extra = f", {gap:+.1f} behind English (95%: {interval[0]:+.1f} to {interval[1]:+.1f})" if gap is not None else ""
        print(f"pooled {lang}: {e['passed']}/{e['tasks']} ({100 * e['pass_rate']:.1f}%){extra}")


if __name__ == "__main__":
    main()
