"""CLI functions for ``codehone eval`` and ``codehone report``; the app registers them with
``app.command("eval")(eval_command)`` and ``app.command("report")(report_command)``.

Imports stay inside the functions so ``codehone --help`` does not pay for them.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer


def _ints(text: str, what: str) -> list[int]:
    try:
        values = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise typer.BadParameter(f"{what} must be comma-separated integers, got {text!r}") from None
    if not values or min(values) < 1:
        raise typer.BadParameter(f"{what} must be integers >= 1, got {text!r}")
    return values


def eval_command(
    bench: str = typer.Option(..., "--bench", help="humaneval, humaneval+, mbpp, infill-single, infill-multi, or repo:RUN_DIR (from codehone data)"),
    out: Path = typer.Option(..., "--out", help="output dir: samples.jsonl, results.jsonl, summary.json, report"),
    samples: Optional[Path] = typer.Option(None, "--samples", help="score this samples file instead of generating"),
    model: Optional[str] = typer.Option(None, "--model", help="model reference to generate with"),
    adapter: Optional[Path] = typer.Option(None, "--adapter", help="LoRA adapter to load with the model"),
    chat: bool = typer.Option(True, "--chat/--base", help="instruct model (chat prompt) or base model (completion)"),
    n: int = typer.Option(1, "--n", help="samples per task"),
    temperature: float = typer.Option(0.0, "--temperature"),
    top_p: float = typer.Option(1.0, "--top-p"),
    max_tokens: int = typer.Option(768, "--max-tokens"),
    workers: Optional[int] = typer.Option(None, "--workers", help="parallel sandboxes (default: CPU count)"),
    k: Optional[str] = typer.Option(None, "--k", help="pass@k values, comma-separated (default: 1,10, those the samples allow)"),
    limit: Optional[int] = typer.Option(None, "--limit", help="only the first N tasks"),
    tasks: Optional[str] = typer.Option(None, "--tasks", help="only these task ids, comma-separated"),
    rerank: Optional[str] = typer.Option(None, "--rerank", help="also report pass@1 of one picked sample per task: "
                                         "codet, cluster, logprob (comma-separated; needs --n 2 or more)"),
    test_samples: int = typer.Option(10, "--test-samples", help="--rerank codet/cluster: test-writing generations per task"),
    fim_layout: str = typer.Option("psm", "--fim-layout", help="infill benchmarks: prompt layout psm, or spm (suffix "
                                   "first, as `codehone serve --fim-layout spm` sends it)"),
    isolation: Optional[str] = typer.Option(None, "--isolation", help="sandbox level: auto (default: namespaces as root, "
                                            "else user namespaces, else bwrap, else refuse), namespaces, userns, bwrap, "
                                            "or rlimits (resource limits only: no network or file isolation)"),
) -> None:
    """Generate samples (with --model) and/or score them in a sandbox, then write a report."""
    from .benchmarks import load_benchmark
    from .report import write_report
    from .rerank import NEEDS_TESTS, parse_methods
    from .score import read_samples, score_samples, select_tasks

    ks = _ints(k, "--k") if k is not None else [1, 10]
    from ..backends.base import GenerationError, check_layout

    try:
        check_layout(fim_layout)  # before any model loads
    except GenerationError as e:
        raise typer.BadParameter(str(e), param_hint="--fim-layout") from None
    try:
        methods = parse_methods(rerank)
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint="--rerank") from None
    task_ids = [t.strip() for t in tasks.split(",") if t.strip()] if tasks else None
    if not bench.startswith("repo:"):  # scored by execution: refuse now, before a model loads, if it cannot be
        from codehone.core.sandbox.run import CHOICES, set_isolation

        if isolation is not None and isolation not in CHOICES:
            raise typer.BadParameter(f"must be one of {', '.join(CHOICES)}", param_hint="--isolation")
        set_isolation(isolation)
    if bench.startswith("repo:"):
        if methods:
            raise typer.BadParameter("repo benchmarks are scored by text, not execution: nothing to rerank", param_hint="--rerank")
        _eval_repo(bench, out, model, adapter, max_tokens, limit, task_ids)
        return
    try:
        benchmark = load_benchmark(bench)
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint="--bench") from None
    if samples is None:
        if model is None:
            raise typer.BadParameter("give --samples FILE to score, or --model REF to generate samples first")
        if methods and n < 2:
            raise typer.BadParameter(f"--rerank picks one of several samples per task, but --n is {n}; "
                                     "sample several (e.g. --n 10 --temperature 0.8)", param_hint="--rerank")
        if k is not None and max(ks) > n:
            raise typer.BadParameter(f"pass@{max(ks)} needs at least {max(ks)} samples per task, but --n is {n}; "
                                     "raise --n or lower --k", param_hint="--k")
    try:
        selected = select_tasks(benchmark, task_ids, limit)
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint="--tasks/--limit") from None
    backend = None
    try:
        if samples is None:
            from ..backends import load_backend
            from ..backends.base import SamplingParams
            from .generate import generate_samples

            backend = load_backend(model, adapter=adapter)
            params = SamplingParams(max_tokens=max_tokens, temperature=temperature, top_p=top_p, n=n,
                                    logprobs="logprob" in methods)
            params.validate()
            samples = generate_samples(backend, benchmark, out, n=n, params=params, chat=chat,
                                       tasks=task_ids, limit=limit, fim_layout=fim_layout)
        _check_counts(benchmark, read_samples(benchmark, samples), selected, ks if k is not None else [], methods)
        if "logprob" in methods:
            from .rerank import mean_logprobs

            mean_logprobs(samples, selected)  # before any slow step: old samples have none
        if set(methods) & set(NEEDS_TESTS):
            backend = _write_tests(backend, benchmark, out, selected, model, adapter, chat, test_samples, max_tokens)
    except (ValueError, FileNotFoundError) as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None
    finally:
        if backend is not None:
            backend.close()
    try:
        summary = score_samples(benchmark, samples, out, workers=workers, k=ks, tasks=task_ids, limit=limit)
        if methods:
            summary = _rerank(benchmark, samples, out, methods, selected, summary)
    except (ValueError, FileNotFoundError) as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None
    write_report([out], out)
    metrics = ", ".join(f"{key} {100 * v:.1f}%" for key, v in summary.items() if key.startswith("pass@"))
    typer.echo(f"{benchmark.name}: {summary['passed']}/{summary['samples']} samples passed; {metrics}")
    for m, r in summary.get("rerank", {}).items():
        typer.echo(f"rerank {m}: top-1 pass@1 {100 * r['pass@1']:.1f}% (expected over ties "
                   f"{100 * r['expected_pass@1']:.1f}%; {r['fallback_tasks']}/{r['tasks']} tasks had nothing to rank)")
    typer.echo(f"isolation: {summary['isolation']}; results in {out}")


def _check_counts(benchmark, rows, selected: list[str], ks: list[int], methods: list[str]) -> None:
    """k > n and reranking one sample are errors, whatever wrote the samples file."""
    from collections import Counter

    counts = Counter(r.task_id for r in rows if r.task_id in set(selected))
    if not counts:
        return
    fewest, most = min(counts.values()), max(counts.values())
    if ks and max(ks) > fewest:
        tid = min(counts, key=lambda t: (counts[t], selected.index(t)))
        raise ValueError(f"pass@{max(ks)} needs at least {max(ks)} samples per task, but {tid} has {fewest}; "
                         "lower --k or sample more")
    if methods and most < 2:
        raise ValueError("--rerank picks one of several samples per task, but every task has one sample; "
                         "generate several (e.g. --n 10 --temperature 0.8)")


def _write_tests(backend, benchmark, out: Path, selected: list[str], model: Optional[str], adapter, chat: bool,
                 test_samples: int, max_tokens: int):
    """Fill OUT/tests.jsonl (the model writes the tests codet and cluster run); returns the backend
    it loaded, if it had to, for the caller to close."""
    from ..backends.base import SamplingParams
    from ..runs import read_jsonl
    from .gen_tests import TESTS_FILE, generate_tests

    have = {r["task_id"] for r in read_jsonl(out / TESTS_FILE)}
    if backend is None:
        if model is None:
            if all(t in have for t in selected):
                return None  # a scored samples file plus tests written earlier: no model needed
            raise ValueError(f"--rerank codet/cluster needs --model REF to write test cases ({out / TESTS_FILE} "
                             "does not cover every task)")
        from ..backends import load_backend

        backend = load_backend(model, adapter=adapter)
    # CodeT's sampling settings for tests (temperature 0.8, top-p 0.95, 300 tokens).
    params = SamplingParams(max_tokens=min(max_tokens, 300), temperature=0.8, top_p=0.95)
    generate_tests(backend, benchmark, out, selected, chat, samples=test_samples, params=params)
    return backend


def _rerank(benchmark, samples: Path, out: Path, methods: list[str], selected: list[str], summary: dict) -> dict:
    import os

    from .gen_tests import load_tests
    from .rerank import NEEDS_TESTS, add_to_summary, rerank
    from .score import read_samples

    tests = load_tests(benchmark, out, selected) if set(methods) & set(NEEDS_TESTS) else None
    workers = (summary.get("settings") or {}).get("workers") or os.cpu_count() or 1
    block = rerank(benchmark, read_samples(benchmark, samples), out, methods, selected, workers=workers,
                   samples_path=samples, tests=tests)
    return add_to_summary(out, block)


def _eval_repo(bench: str, out: Path, model: Optional[str], adapter: Optional[Path], max_tokens: int,
               limit: Optional[int], task_ids: Optional[list[str]]) -> None:
    """The held-out infill benchmark of a data run, scored by exact match and edit similarity."""
    from ..backends import load_backend
    from ..backends.base import SamplingParams
    from .repo import bench_rows, eval_repo

    bench_rows(bench)  # fail on a missing benchmark before loading a model
    if model is None:
        raise typer.BadParameter("--bench repo:RUN_DIR needs --model REF (its samples are scored by text)")
    backend = load_backend(model, adapter=adapter)
    try:
        s = eval_repo(backend, bench, out, SamplingParams(max_tokens=min(max_tokens, 128)), limit=limit, tasks=task_ids)
    finally:
        backend.close()
    typer.echo(f"{bench}: {s['tasks']} tasks; exact match {100 * s['exact_match']:.1f}%, "
               f"edit similarity {100 * s['edit_similarity']:.1f}%; results in {out}")


def report_command(
    run_dirs: List[Path] = typer.Argument(..., help="scored eval dirs to report on (several: side by side)"),
    out: Path = typer.Option(Path("."), "--out", help="where report.md and report.html go"),
) -> None:
    """Markdown + self-contained HTML report; with several run dirs, a base-vs-tuned comparison."""
    from .report import write_report

    try:
        paths = write_report(run_dirs, out)
    except FileNotFoundError as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None
    typer.echo("wrote " + ", ".join(str(p) for p in paths))
