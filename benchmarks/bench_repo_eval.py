"""Repo eval time per task and scores, before and after the stop/trim fixes (issue 16, defect 3).

Builds the data set from a source (the attrs 25.4.0 sdist, extracted), takes ``--tasks`` of the
held-out benchmark round-robin over the kinds, and asks the default model (llama.cpp, greedy,
max 128 tokens) for every middle with each runner, in one run so the figures compare:

    after     this checkout's ``repo_bench.predict`` (stops and trims at the suffix, repo header)
    before    ``predict`` from an older commit (default d6db776: single-line stops at "\\n",
              multi-line neither stopped nor trimmed), run from ``git archive`` in a subprocess
    no-stop   single-line tasks only, as before d8c0958: decode the whole budget, keep line one

All runners are scored by this checkout's ``score`` on the same tasks. Also, with ``--old-tasks``,
the old runner on the old commit's own single-line tasks (3,000 + 1,500 characters of context):
what a single-line task cost as shipped.

    .venv/bin/python benchmarks/bench_repo_eval.py --source /tmp/attrs-25.4.0 --tasks 30

Writes benchmarks/results/repo_eval.json. A worker mode (``--worker``) is what the subprocesses run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def worker(rows_path: str, out_path: str, model: str, variant: str) -> None:
    """Time each task with whichever ``codehone`` is on the path; write predictions and seconds."""
    from codehone.backends import load_backend
    from codehone.backends.base import Request, SamplingParams
    from codehone.data import repo_bench

    print(f"[{variant}] runner {repo_bench.__file__}", file=sys.stderr)
    rows = [json.loads(x) for x in Path(rows_path).read_text().splitlines()]
    backend = load_backend(model)
    params = SamplingParams(max_tokens=128)
    out = {}
    backend.generate(Request.infill("x = 1\n", "\n"), SamplingParams(max_tokens=2))  # warm up
    if variant == "no-stop":
        for row in rows:
            r = backend.generate(Request.infill(row["prefix"], row["suffix"]), params)
            out[row["task_id"]] = {"text": r.text.split("\n", 1)[0], "seconds": r.total_seconds,
                                   "tokens": r.completions[0].tokens, "prompt_tokens": r.prompt_tokens}
    else:
        def keep(row, text, r):
            out[row["task_id"]] = {"text": text, "seconds": r.total_seconds, "tokens": r.completions[0].tokens,
                                   "prompt_tokens": r.prompt_tokens}
        repo_bench.predict(backend, rows, params, on_prediction=keep)
    backend.close()
    Path(out_path).write_text(json.dumps(out))


def _run(rows: list[dict], tmp: Path, name: str, model: str, src: Path, variant: str = "predict") -> dict:
    rows_path, out_path = tmp / f"{name}.rows.jsonl", tmp / f"{name}.out.json"
    rows_path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    env = {**os.environ, "PYTHONPATH": str(src)}
    subprocess.run([sys.executable, __file__, "--worker", str(rows_path), str(out_path), model, variant],
                   env=env, check=True, cwd=tmp)
    return json.loads(out_path.read_text())


def _summary(rows: list[dict], out: dict) -> dict:
    from codehone.data.repo_bench import score

    scores = score(rows, {t: o["text"] for t, o in out.items()})
    by_kind = {}
    for kind, s in scores.items():
        ids = [r["task_id"] for r in rows if kind == "all" or r["kind"] == kind]
        secs = [out[i]["seconds"] for i in ids]
        by_kind[kind] = {"n": s["n"], "exact_match": round(s["exact_match"], 3),
                         "edit_similarity": round(s["edit_similarity"], 3),
                         "seconds_per_task": round(sum(secs) / len(secs), 2),
                         "tokens_per_task": round(sum(out[i]["tokens"] for i in ids) / len(ids), 1),
                         "prompt_tokens_per_task": round(sum(out[i]["prompt_tokens"] for i in ids) / len(ids), 1)}
    return by_kind


def _build(source: str, model: str, out: Path, src: Path) -> list[dict]:
    if not (out / "data_card.json").exists():
        subprocess.run([sys.executable, "-m", "codehone", "data", source, "--model", model, "--out", str(out), "-q"],
                       env={**os.environ, "PYTHONPATH": str(src)}, check=True)
    return [json.loads(x) for x in (out / "data" / "bench_repo.jsonl").read_text().splitlines()]


def _pick(rows: list[dict], n: int) -> list[dict]:
    """``n`` tasks round-robin over the kinds (as ``codehone hone`` orders them)."""
    by_kind: dict[str, list[dict]] = {}
    for r in rows:
        by_kind.setdefault(r["kind"], []).append(r)
    out, queues = [], list(by_kind.values())
    while len(out) < n and any(queues):
        for q in queues:
            if q and len(out) < n:
                out.append(q.pop(0))
    return out


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from _common import default_model_path, machine, save

    ap = argparse.ArgumentParser()
    ap.add_argument("--source", required=True, help="the extracted attrs-25.4.0 sdist (or any code folder)")
    ap.add_argument("--tasks", type=int, default=30)
    ap.add_argument("--old", default="d6db776", help="commit whose predict is 'before'")
    ap.add_argument("--old-tasks", type=int, default=10, help="old runner on the old commit's own single-line tasks")
    ap.add_argument("--model", default=None)
    ap.add_argument("--work", default=None, help="folder for the data runs (kept, reused)")
    a = ap.parse_args()
    model = a.model or default_model_path()
    work = Path(a.work or tempfile.mkdtemp(prefix="bench-repo-eval-"))
    old_src = work / f"old-{a.old}"
    if not old_src.exists():
        old_src.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", a.old, "src"], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(old_src)], input=archive, check=True)
    tasks = _pick(_build(a.source, model, work / "run-new", ROOT / "src"), a.tasks)
    load = os.getloadavg()[0]
    result = {"source": a.source, "model": model, "tasks": len(tasks), "old_commit": a.old, "runs": {}}
    result["runs"]["after"] = _summary(tasks, _run(tasks, work, "after", model, ROOT / "src"))
    result["runs"]["before"] = _summary(tasks, _run(tasks, work, "before", model, old_src / "src"))
    singles = [t for t in tasks if t["kind"] == "single_line"]
    result["runs"]["no-stop"] = _summary(singles, _run(singles, work, "nostop", model, ROOT / "src", "no-stop"))
    if a.old_tasks:
        old_rows = [r for r in _build(a.source, model, work / "run-old", old_src / "src")
                    if r["kind"] == "single_line" and not r["path"].endswith((".md", ".rst", ".txt"))][:a.old_tasks]
        result["runs"]["before, old tasks"] = _summary(old_rows, _run(old_rows, work, "oldtasks", model, old_src / "src"))
    result["load_avg_1min_before_runs"] = load
    result["load_avg_1min_after_runs"] = os.getloadavg()[0]
    result["machine_now"] = machine()
    save("repo_eval", result)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(*sys.argv[2:6])
    else:
        main()
