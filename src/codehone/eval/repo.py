"""``--bench repo:RUN_DIR``: the held-out infill benchmark the data stage built from this code.

Tasks come from ``RUN_DIR/data/bench_repo.jsonl`` (test-split code files only, so nothing here
was trained on; data/bench_tasks.py). The model fills each middle in the prompt it was trained on
(``repo_bench.predict``, the loop training's end-of-run benchmark also uses); predictions are
scored by text (exact match and edit similarity, overall and per kind) and, given the checkout
(``execute``), by running the repository's own tests on Python files they cover (eval/repo_exec.py:
the file with the fill spliced in, in the sandbox; only tasks whose tests fail without the middle
count). Like the executed benchmarks, ``samples.jsonl`` grows one row per task
as it is generated and a rerun asks only for what is missing. Progress goes to stderr (a plain
line every 30 s when it is not a terminal), with the running exact match.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Sequence

from codehone.backends.base import SamplingParams
from codehone.core.progress import ProgressBar
from codehone.core.rundir import RunDir
from codehone.core.textmatch import edit_similarity, exact_match
from codehone.data.repo_bench import predict, score
from codehone.eval.repo_exec import Checkout, execute as execute_tests, summarize as summarize_execution
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
              progress: bool = True, execute: str | Path | None = None) -> dict:
    """Generate (resumably) and score the repo benchmark; writes samples.jsonl, results.jsonl (one
    row per task: exact match, edit similarity, and with ``execute`` (the checkout) the test
    verdict) and summary.json, which names the model and the adapter, so a tuned run says what was
    tuned."""
    rows = _selected(spec, tasks, limit)
    checkout = Checkout.load(execute) if execute is not None else None  # a bad path fails before generation
    params = params or SamplingParams(max_tokens=128)
    out = RunDir(out_dir)
    out.root.mkdir(parents=True, exist_ok=True)
    model = {"model": getattr(backend, "name", "?"), "adapter": str(adapter) if adapter else None}
    write_manifest(out.root, "eval.repo", {"bench": spec, **model, "tasks": len(rows)})
    ids = {r["task_id"] for r in rows}
    done = _samples(out)
    middles = {r["task_id"]: r["middle"] for r in rows}
    hits = [exact_match(text, middles[t]) for t, text in done.items() if t in ids]
    with ProgressBar("repo eval", total=len(rows), completed=len(hits), unit="tasks", enabled=progress) as bar:
        def keep(row: dict, text: str, result) -> None:
            append_jsonl(out.samples, {"task_id": row["task_id"], "completion_id": 0, "completion": text,
                                       "tokens": result.completions[0].tokens})
            hits.append(exact_match(text, row["middle"]))
            bar.advance(stats=f"em {sum(hits) / len(hits):.2f}")

        predictions = predict(backend, rows, params, done=done, on_prediction=keep)
    return _score(spec, rows, predictions, out, model, checkout, out.executions, None, progress)


def rescore_repo(spec: str, out_dir: str | Path, checkout: Checkout, tasks: Sequence[str] | None = None,
                 exec_log: Path | None = None, stop_at: float | None = None, progress: bool = True) -> dict:
    """Score an evaluation's samples again, now also by the repository's tests (no model): what
    ``codehone hone`` does with the time its budget has left. ``exec_log`` shares test runs between
    evaluations of one benchmark (the original file's and the mutants' are the same for both);
    past ``stop_at`` (monotonic) the remaining tasks are ``not_run``."""
    rows = _selected(spec, tasks, None)
    out = RunDir(out_dir)
    if not out.summary.exists():
        raise UserError(f"{out.root} holds no finished evaluation to score by tests (no {out.summary.name})")
    before = json.loads(out.summary.read_text(encoding="utf-8"))
    model = {"model": before.get("model", "?"), "adapter": before.get("adapter")}
    return _score(spec, rows, _samples(out), out, model, checkout, exec_log or out.executions, stop_at, progress)


def _selected(spec: str, tasks: Sequence[str] | None, limit: int | None) -> list[dict]:
    rows = bench_rows(spec)
    if tasks:
        wanted = set(tasks)
        unknown = wanted - {r["task_id"] for r in rows}
        if unknown:
            raise UserError(f"unknown task ids for {spec}: {', '.join(sorted(unknown)[:5])}")
        rows = [r for r in rows if r["task_id"] in wanted]
    return rows[:limit] if limit else rows


def _samples(out: RunDir) -> dict[str, str]:
    return {r["task_id"]: r["completion"] for r in read_jsonl(out.samples)} if out.samples.exists() else {}


def _score(spec: str, rows: list[dict], predictions: dict[str, str], out: RunDir, model: dict,
           checkout: Checkout | None, exec_log: Path, stop_at: float | None, progress: bool) -> dict:
    scores = score(rows, predictions)
    results = [_result(row, predictions.get(row["task_id"], "")) for row in rows]
    if checkout is not None:
        verdicts = execute_tests(rows, predictions, checkout, exec_log, progress=progress, stop_at=stop_at)
        for r in results:
            r.update(verdicts[r["task_id"]])
    write_jsonl(out.results, results)
    summary = {"benchmark": spec, "bench": spec, **model, "tasks": len(rows), "samples": len(rows),
               "passed": sum(r["passed"] for r in results),
               "status": dict(Counter(r["status"] for r in results)), "scores": scores,
               "exact_match": scores["all"]["exact_match"], "edit_similarity": scores["all"]["edit_similarity"]}
    if checkout is not None:
        summary["execution"] = {"checkout": str(checkout.root), **summarize_execution(results)}
    write_json(out.summary, summary)
    return summary


def _result(row: dict, prediction: str) -> dict:
    em, es = exact_match(prediction, row["middle"]), edit_similarity(prediction, row["middle"])
    return {"task_id": row["task_id"], "completion_id": 0, "kind": row["kind"], "passed": em == 1.0,
            "status": "exact" if em == 1.0 else "different", "exact_match": em, "edit_similarity": round(es, 4),
            "detail": "" if em == 1.0 else f"edit similarity {es:.2f}"}
