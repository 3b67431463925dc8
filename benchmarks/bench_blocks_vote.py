"""Behaviour voting against greedy decoding on the same tasks, in one run: pass rate and latency.

For each task set, two `blocks eval` runs of one model: greedy (``--samples 1``) and the vote of
N sampled programs (``--samples N``, decoded as one batch, run, grouped by behaviour). Both are
resumable directories under RUNS/; the script prints and saves the pass rates, the gain in points,
and the p50 seconds per task of each side (the vote's latency as a ratio of greedy's, the figure
issue 21 asks for: <= 2.5x).

    .venv/bin/python benchmarks/bench_blocks_vote.py --samples 5 --limit 40 [--kids-limit N] [--adapter A.gguf] [--sets blocks,blocks-kids] [--vote always,unsure] [--name NAME]

``--limit N`` takes N `blocks` tasks spread over the families (the demo's choice; 184 is all of
them); ``--kids-limit`` the first N of `blocks-kids` (default: all of them). ``--vote`` names the
voting modes to run beside greedy (vote.py, "When to vote": ``always`` decodes N programs for every
task, ``unsure`` only where the greedy answer hesitated; each its own run directory, the "always"
one named as before so old runs resume). Result: benchmarks/results/blocks_vote.json, or
blocks_vote_tuned.json with ``--adapter``, or NAME.json.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from _common import save


def _p50(run: Path, ids: set[str]) -> float:
    import json

    rows = [json.loads(x) for x in (run / "samples.jsonl").read_text().splitlines() if x.strip()]
    return statistics.median(r["seconds"] for r in rows if r["task_id"] in ids)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="qwen2.5-coder-0.5b-instruct")
    ap.add_argument("--adapter", default=None, help="GGUF LoRA adapter (a tuned model)")
    ap.add_argument("--samples", type=int, default=5)
    ap.add_argument("--limit", type=int, default=40, help="blocks tasks, spread over the families")
    ap.add_argument("--kids-limit", type=int, default=None, help="the first N blocks-kids tasks (default: all)")
    ap.add_argument("--sets", default="blocks,blocks-kids")
    ap.add_argument("--runs", default="runs/bench-vote")
    ap.add_argument("--vote", default="always", help="voting modes beside greedy, comma-separated: always, unsure")
    ap.add_argument("--name", default=None, help="result file name (default: blocks_vote or blocks_vote_tuned)")
    args = ap.parse_args()
    modes = [m.strip() for m in args.vote.split(",") if m.strip()]

    from codehone.backends import load_backend
    from codehone.blocks.copilot.bench import load_benchmark
    from codehone.blocks.copilot.evaluate import evaluate_blocks
    from codehone.blocks.copilot.skill_eval import evaluate_set
    from codehone.demo.pipeline import demo_tasks

    backend = load_backend(args.model, adapter=args.adapter)
    rows = []
    try:
        for bench in [s.strip() for s in args.sets.split(",") if s.strip()]:
            out = {}
            for n, mode in [(1, "always")] + [(args.samples, m) for m in modes]:
                # a smaller --limit reuses a larger run's answers
                run = Path(args.runs) / (f"{bench}-n{n}" + ("" if mode == "always" else f"-{mode}"))
                if bench == "blocks":
                    ids = demo_tasks(args.limit)
                    s = evaluate_blocks(backend, run, grammar=True, tasks=ids, samples=n, adapter=args.adapter,
                                        vote_when=mode)
                else:
                    ids = [t["task_id"] for t in load_benchmark(bench=bench)][: args.kids_limit]
                    s = evaluate_set(backend, run, bench, tasks=ids, samples=n, adapter=args.adapter, vote_when=mode)
                out["greedy" if n == 1 else mode] = {
                    "passed": s["passed"], "tasks": s["tasks"], "pass_rate": s["pass_rate"], "invalid": s["invalid"],
                    "p50_s": round(_p50(run, set(ids)), 2), "tokens": s["tokens"], "run": str(run)}
            greedy = out["greedy"]
            for mode in modes:
                voted = out[mode]
                row = {"set": bench, "samples": args.samples, "vote_when": mode, "greedy": greedy, "vote": voted,
                       "gain_points": round(100 * (voted["pass_rate"] - greedy["pass_rate"]), 1),
                       "p50_ratio": round(voted["p50_s"] / greedy["p50_s"], 2) if greedy["p50_s"] else None}
                rows.append(row)
                print(f"{bench}: greedy {greedy['passed']}/{greedy['tasks']}, vote of {args.samples} ({mode}) "
                      f"{voted['passed']}/{voted['tasks']} ({row['gain_points']:+.1f} points); p50 {greedy['p50_s']} s "
                      f"-> {voted['p50_s']} s ({row['p50_ratio']}x)")
    finally:
        backend.close()
    save(args.name or ("blocks_vote_tuned" if args.adapter else "blocks_vote"),
         {"model": args.model, "adapter": args.adapter, "limit": args.limit, "kids_limit": args.kids_limit,
          "vote": modes, "rows": rows})


if __name__ == "__main__":
    main()
