"""One evaluation, start to finish: ``run_eval(EvalOptions) -> summary``.

Generate samples with a model (unless a samples file is given), check the counts the options need,
write test cases for the rerankers that run them, score every sample in the sandbox, rerank, and
write the report. The CLI, export's quantization benchmark and the demo all go through here, so a
run directory means the same thing whoever made it. Every step resumes: samples, results and tests
are appended as they are made.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from codehone.backends import load_backend
from codehone.backends.base import SamplingParams
from codehone.eval.benchmarks import Benchmark, load_benchmark
from codehone.eval.errors import EvalError
from codehone.eval.gen_tests import TESTS_FILE, generate_tests, load_tests
from codehone.eval.generate import generate_samples
from codehone.eval.report import write_report
from codehone.eval.rerank import NEEDS_TESTS, add_to_summary, mean_logprobs, rerank
from codehone.eval.score import read_samples, score_samples, select_tasks
from codehone.runs import read_jsonl, write_json, write_manifest


@dataclass
class EvalOptions:
    bench: str
    out: Path
    samples: Path | None = None  # score this file instead of generating
    model: str | None = None  # generate with this model reference
    adapter: Path | None = None
    engine: str = "auto"  # auto, llama.cpp or transformers (a PEFT checkpoint needs transformers)
    backend: object = None  # an already-loaded backend (the caller closes it), instead of model
    chat: bool = True
    n: int = 1
    temperature: float = 0.0
    top_p: float = 1.0
    max_tokens: int = 768
    workers: int | None = None
    k: list[int] | None = None  # None: 1 and 10, those the samples allow
    limit: int | None = None
    tasks: list[str] | None = None
    rerank: list[str] = field(default_factory=list)
    test_samples: int = 10
    fim_layout: str = "psm"
    report: bool = True
    progress: bool = True  # generation's bar, or its plain lines in a log (core.progress)
    concurrency: int | None = None  # requests in flight (core.concurrent); None: 1 in process, 8 over HTTP


def run_eval(opts: EvalOptions, echo: Callable[[str], None] = lambda s: None) -> dict:
    """Run one evaluation into ``opts.out``; returns the summary (also in summary.json)."""
    benchmark = load_benchmark(opts.bench)
    ks = opts.k or [1, 10]
    _check_options(opts, ks)
    selected = select_tasks(benchmark, opts.tasks, opts.limit)
    samples = _samples(opts, benchmark, selected, ks)
    summary = score_samples(benchmark, samples, opts.out, workers=opts.workers, k=ks, tasks=opts.tasks,
                            limit=opts.limit)
    if opts.rerank:
        summary = _rerank(benchmark, samples, opts, selected, summary)
    summary = _record_model(opts, summary)
    if opts.report:
        write_report([opts.out], opts.out)
    echo(f"{benchmark.name}: {summary['passed']}/{summary['samples']} samples passed")
    return summary


def _record_model(opts: EvalOptions, summary: dict) -> dict:
    """What was evaluated, in summary.json and the manifest: a tuned run names its adapter."""
    model = opts.model or getattr(opts.backend, "name", None)
    if model is None:
        return summary  # scored someone else's samples file: the generation manifest (if any) says
    record = {"model": model, "adapter": str(opts.adapter) if opts.adapter else None, "engine": opts.engine}
    summary.update(record)
    write_json(opts.out / "summary.json", summary)
    write_manifest(opts.out, "eval.model", record)
    return summary


def _check_options(opts: EvalOptions, ks: list[int]) -> None:
    if opts.samples is not None or opts.backend is not None:
        return
    if opts.model is None:
        raise EvalError("give --samples FILE to score, or --model REF to generate samples first")
    if opts.rerank and opts.n < 2:
        raise EvalError(f"--rerank picks one of several samples per task, but --n is {opts.n}; "
                        "sample several (e.g. --n 10 --temperature 0.8)")
    if opts.k is not None and max(ks) > opts.n:
        raise EvalError(f"pass@{max(ks)} needs at least {max(ks)} samples per task, but --n is {opts.n}; "
                        "raise --n or lower --k")


def _samples(opts: EvalOptions, benchmark: Benchmark, selected: list[str], ks: list[int]) -> Path:
    """The samples file (generated now if needed), its counts checked, and the tests the rerankers
    need written; the backend loaded here is closed before scoring starts."""
    backend, own = opts.backend, False
    try:
        samples = opts.samples
        if samples is None:
            if backend is None:
                backend, own = load_backend(opts.model, adapter=opts.adapter, engine=opts.engine), True
            params = SamplingParams(max_tokens=opts.max_tokens, temperature=opts.temperature, top_p=opts.top_p,
                                    n=opts.n, logprobs="logprob" in opts.rerank)
            params.validate()
            samples = generate_samples(backend, benchmark, opts.out, n=opts.n, params=params, chat=opts.chat,
                                       tasks=opts.tasks, limit=opts.limit, fim_layout=opts.fim_layout,
                                       progress=opts.progress, concurrency=opts.concurrency)
        _check_counts(read_samples(benchmark, samples), selected, ks if opts.k is not None else [], opts.rerank)
        if "logprob" in opts.rerank:
            mean_logprobs(samples, selected)  # before any slow step: old samples have none
        if set(opts.rerank) & set(NEEDS_TESTS):
            backend, loaded = _write_tests(backend, benchmark, opts, selected)
            own = own or loaded
        return samples
    finally:
        if own and backend is not None:
            backend.close()


def _check_counts(rows, selected: list[str], ks: list[int], methods: list[str]) -> None:
    """k > n and reranking one sample are errors, whatever wrote the samples file."""
    counts = Counter(r.task_id for r in rows if r.task_id in set(selected))
    if not counts:
        return
    fewest, most = min(counts.values()), max(counts.values())
    if ks and max(ks) > fewest:
        tid = min(counts, key=lambda t: (counts[t], selected.index(t)))
        raise EvalError(f"pass@{max(ks)} needs at least {max(ks)} samples per task, but {tid} has {fewest}; "
                        "lower --k or sample more")
    if methods and most < 2:
        raise EvalError("--rerank picks one of several samples per task, but every task has one sample; "
                        "generate several (e.g. --n 10 --temperature 0.8)")


def _write_tests(backend, benchmark: Benchmark, opts: EvalOptions, selected: list[str]):
    """Fill OUT/tests.jsonl (the model writes the tests codet and cluster run); returns the backend
    and whether it was loaded here."""
    have = {r["task_id"] for r in read_jsonl(opts.out / TESTS_FILE)}
    loaded = False
    if backend is None:
        if opts.model is None:
            if all(t in have for t in selected):
                return None, False  # a scored samples file plus tests written earlier: no model needed
            raise EvalError(f"--rerank codet/cluster needs --model REF to write test cases ({opts.out / TESTS_FILE} "
                            "does not cover every task)")
        backend, loaded = load_backend(opts.model, adapter=opts.adapter, engine=opts.engine), True
    # CodeT's sampling settings for tests (temperature 0.8, top-p 0.95, 300 tokens).
    params = SamplingParams(max_tokens=min(opts.max_tokens, 300), temperature=0.8, top_p=0.95)
    generate_tests(backend, benchmark, opts.out, selected, opts.chat, samples=opts.test_samples, params=params,
                   concurrency=opts.concurrency)
    return backend, loaded


def _rerank(benchmark: Benchmark, samples: Path, opts: EvalOptions, selected: list[str], summary: dict) -> dict:
    tests = load_tests(benchmark, opts.out, selected) if set(opts.rerank) & set(NEEDS_TESTS) else None
    workers = (summary.get("settings") or {}).get("workers") or os.cpu_count() or 1
    block = rerank(benchmark, read_samples(benchmark, samples), opts.out, opts.rerank, selected, workers=workers,
                   samples_path=samples, tests=tests)
    return add_to_summary(opts.out, block)
