"""``--bench repo:RUN_DIR``: the held-out infill benchmark the data stage built from this code.

Tasks come from ``RUN_DIR/data/bench_repo.jsonl`` (test-split code files only, so nothing here
was trained on; data/bench_tasks.py). The model fills each middle in the prompt it was trained on
(``repo_bench.predict``, the loop training's end-of-run benchmark also uses); predictions are
scored by text (exact match and edit similarity, overall and per kind), not executed against the
repository's tests: a cut statement rarely runs on its own, and running a repository's suite per
task is out of scope here. Like the executed benchmarks, ``samples.jsonl`` grows one row per task
as it is generated and a rerun asks only for what is missing. Progress goes to stderr (a plain
line every 30 s when it is not a terminal), with the running exact match.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Sequence

from codehone.backends.base import SamplingParams
from codehone.core.progress import ProgressBar
from codehone.core.rundir import RunDir
from codehone.core.textmatch import edit_similarity, exact_match
from codehone.data.repo_bench import predict, score
from codehone.errors import UserError
from codehone.runs import append_jsonl, read_jsonl, write_json, write_jsonl, write_manifest

PREFIX = "repo:"


def bench_rows(spec: str) -> list[dict]:
    run = RunDir(spec[len(PREFIX):])
    path = run.bench_repo
    if not run.is_complete("data") or not path.exists():
        raise UserError(f"{run.root} has no finished data set with a held-out benchmark ({path}); "
                        f"run `codehone data SOURCE --out {run.root}` first")
    rows = list(read_jsonl(path))
    if not rows:
        raise UserError(f"{path} holds no tasks: the test split had no eligible code files (see data_card.md); "
                        "lower the split's test share or add code")
    return rows


def eval_repo(backend, spec: str, out_dir: str | Path, params: SamplingParams | None = None,
              limit: int | None = None, tasks: Sequence[str] | None = None, adapter: str | Path | None = None,
              progress: bool = True) -> dict:
    """Generate (resumably) and score the repo benchmark; writes samples.jsonl, results.jsonl (one
    row per task: exact match, edit similarity) and summary.json, which names the model and the
    adapter, so a tuned run says what was tuned."""
    rows = bench_rows(spec)
    if tasks:
        wanted = set(tasks)
        unknown = wanted - {r["task_id"] for r in rows}
        if unknown:
            raise UserError(f"unknown task ids for {spec}: {', '.join(sorted(unknown)[:5])}")
        rows = [r for r in rows if r["task_id"] in wanted]
    rows = rows[:limit] if limit else rows
    params = params or SamplingParams(max_tokens=128)
    out = RunDir(out_dir)
    out.root.mkdir(parents=True, exist_ok=True)
    model = {"model": getattr(backend, "name", "?"), "adapter": str(adapter) if adapter else None}
    write_manifest(out.root, "eval.repo", {"bench": spec, **model, "tasks": len(rows)})
    ids = {r["task_id"] for r in rows}
    done = {r["task_id"]: r["completion"] for r in read_jsonl(out.samples)} if out.samples.exists() else {}
    middles = {r["task_id"]: r["middle"] for r in rows}
    hits = [exact_match(text, middles[t]) for t, text in done.items() if t in ids]
    with ProgressBar("repo eval", total=len(rows), completed=len(hits), unit="tasks", enabled=progress) as bar:
        def keep(row: dict, text: str, result) -> None:
            append_jsonl(out.samples, {"task_id": row["task_id"], "completion_id": 0, "completion": text,
                                       "tokens": result.completions[0].tokens})
            hits.append(exact_match(text, row["middle"]))
            bar.advance(stats=f"em {sum(hits) / len(hits):.2f}")

        predictions = predict(backend, rows, params, done=done, on_prediction=keep)
    scores = score(rows, predictions)
    results = [_result(row, predictions.get(row["task_id"], "")) for row in rows]
    write_jsonl(out.results, results)
    summary = {"benchmark": spec, "bench": spec, **model, "tasks": len(rows), "samples": len(rows),
               "passed": sum(r["passed"] for r in results),
               "status": dict(Counter(r["status"] for r in results)), "scores": scores,
               "exact_match": scores["all"]["exact_match"], "edit_similarity": scores["all"]["edit_similarity"]}
    write_json(out.summary, summary)
    return summary


def _result(row: dict, prediction: str) -> dict:
    em, es = exact_match(prediction, row["middle"]), edit_similarity(prediction, row["middle"])
    return {"task_id": row["task_id"], "completion_id": 0, "kind": row["kind"], "passed": em == 1.0,
            "status": "exact" if em == 1.0 else "different", "exact_match": em, "edit_similarity": round(es, 4),
            "detail": "" if em == 1.0 else f"edit similarity {es:.2f}"}
