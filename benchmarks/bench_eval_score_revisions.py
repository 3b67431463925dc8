"""Figure: scoring speed of this checkout against an earlier revision of codehone, on the same
1,640 programs (HumanEval canonical x10: ten completions per task, as an n=10 run has), same
machine, same run.

Each round, each side scores the whole samples file into a fresh out dir (so reference runs,
recorded calls and test plans are included) in a fresh subprocess; the sides alternate and take
turns at going first (the load on a shared machine drifts), and each side's wall times are summed.
Ratio = this checkout / baseline; the issue's target is <= 1.2.

Usage: .venv/bin/python benchmarks/bench_eval_score_revisions.py --baseline fe523d8 [--rounds 3] [--copies 10] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_eval_common import machine  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
# Run inside the subprocess: score the samples with whichever codehone PYTHONPATH points at.
SCORE = ("import sys, json\nfrom codehone.eval.score import score_samples\n"
         "s = score_samples('humaneval', sys.argv[1], sys.argv[2], workers=int(sys.argv[3]), k=(1,))\n"
         "print(json.dumps({'passed': s['passed'], 'samples': s['samples']}))\n")


def _score(src: Path, samples: Path, out: Path, workers: int) -> tuple[float, dict]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    t0 = time.monotonic()
    done = subprocess.run([sys.executable, "-c", SCORE, str(samples), str(out), str(workers)], env=env,
                          capture_output=True, text=True, check=True)
    return time.monotonic() - t0, json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", required=True, help="git revision to compare with (e.g. the commit before a change)")
    ap.add_argument("--copies", type=int, default=10, help="completions per task")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="eval-revisions-"))
    base = tmp / "baseline"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(base), args.baseline], check=True)
    try:
        sys.path.insert(0, str(ROOT / "src"))
        from codehone.eval.benchmarks import load_benchmark

        he = load_benchmark("humaneval")
        samples = tmp / "samples.jsonl"
        samples.write_text("".join(json.dumps({"task_id": t.task_id, "completion_id": c, "completion": t.reference})
                                   + "\n" for c in range(args.copies) for t in he.tasks.values()))
        n = args.copies * len(he.tasks)
        print(f"machine: {machine()}; load average {os.getloadavg()}; baseline {args.baseline}; "
              f"{n} programs per scoring, {args.rounds} rounds, {args.workers} workers")
        sides = {"current": ROOT / "src", "baseline": base / "src"}
        total = {k: 0.0 for k in sides}
        for i in range(args.rounds):
            order = list(sides) if i % 2 == 0 else list(reversed(sides))
            for name in order:
                secs, res = _score(sides[name], samples, tmp / f"{name}{i}", args.workers)
                assert res["passed"] == n, (name, res)  # canonical solutions all pass
                total[name] += secs
                print(f"  round {i + 1} {name}: {secs:.1f} s")
        ratio = total["current"] / total["baseline"]
        print(f"current {total['current']:.1f} s, baseline {total['baseline']:.1f} s, ratio {ratio:.3f}; "
              f"load average after {os.getloadavg()}")
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=False)


if __name__ == "__main__":
    main()
