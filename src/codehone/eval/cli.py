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
    adapter: Optional[Path] = typer.Option(None, "--adapter", help="LoRA adapter to load with the model: a GGUF adapter, "
                                           "or a PEFT directory such as a training checkpoint (runs under transformers)"),
    engine: str = typer.Option("auto", "--engine", help="auto, llama.cpp, transformers, or vllm (CUDA GPU, the vllm extra: docs/scale.md)"),
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
    execute: Optional[Path] = typer.Option(None, "--execute", help="repo:RUN_DIR only: also score Python fills by "
                                           "running the repository's own pytest tests in the sandbox; give the "
                                           "checkout the data set was built from (its test dependencies installed "
                                           "beside codehone)"),
    concurrency: Optional[int] = typer.Option(None, "--concurrency", help="generation requests in flight at once "
                                              "(default: 8 for an HTTP endpoint --model http://..., 64 for --engine vllm, "
                                              "1 for an in-process llama.cpp/transformers model, which cannot take more); "
                                              "429/5xx are retried"),
    isolation: Optional[str] = typer.Option(None, "--isolation", help="sandbox level: auto (default: namespaces as root, "
                                            "else user namespaces, else bwrap, else refuse), namespaces, userns, bwrap, "
                                            "or rlimits (resource limits only: no network or file isolation)"),
) -> None:
    """Generate samples (with --model) and/or score them in a sandbox, then write a report."""
    from codehone.backends.base import GenerationError, check_layout
    from codehone.eval.rerank import parse_methods

    ks = _ints(k, "--k") if k is not None else None
    try:
        check_layout(fim_layout)  # before any model loads
    except GenerationError as e:
        raise typer.BadParameter(str(e), param_hint="--fim-layout") from None
    try:
        methods = parse_methods(rerank)
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint="--rerank") from None
    task_ids = [t.strip() for t in tasks.split(",") if t.strip()] if tasks else None
    from codehone.core.sandbox.run import CHOICES, set_isolation

    if isolation is not None and isolation not in CHOICES:
        raise typer.BadParameter(f"must be one of {', '.join(CHOICES)}", param_hint="--isolation")
    if bench.startswith("repo:"):
        if methods:
            raise typer.BadParameter("repo benchmarks have one sample a task: nothing to rerank", param_hint="--rerank")
        if execute is not None:
            set_isolation(isolation)  # the repository's tests run the fills: refuse now if they cannot be confined
        _eval_repo(bench, out, model, adapter, engine, max_tokens, limit, task_ids, execute)
        return
    if execute is not None:
        raise typer.BadParameter("only repo:RUN_DIR benchmarks run a repository's tests", param_hint="--execute")
    from codehone.eval.run import EvalOptions, run_eval

    _check_concurrency(model, concurrency, engine)
    set_isolation(isolation)  # scored by execution: refuse now, before a model loads, if it cannot be
    summary = run_eval(EvalOptions(bench=bench, out=out, samples=samples, model=model, adapter=adapter, engine=engine,
                                   chat=chat, n=n,
                                   temperature=temperature, top_p=top_p, max_tokens=max_tokens, workers=workers, k=ks,
                                   limit=limit, tasks=task_ids, rerank=methods, test_samples=test_samples,
                                   fim_layout=fim_layout, concurrency=concurrency))
    metrics = ", ".join(f"{key} {100 * v:.1f}%" for key, v in summary.items() if key.startswith("pass@"))
    typer.echo(f"{summary['benchmark']}: {summary['passed']}/{summary['samples']} samples passed; {metrics}")
    for m, r in summary.get("rerank", {}).items():
        typer.echo(f"rerank {m}: top-1 pass@1 {100 * r['pass@1']:.1f}% (expected over ties "
                   f"{100 * r['expected_pass@1']:.1f}%; {r['fallback_tasks']}/{r['tasks']} tasks had nothing to rank)")
    typer.echo(f"isolation: {summary['isolation']}; results in {out}")


def _check_concurrency(model: Optional[str], concurrency: Optional[int], engine: str) -> None:
    """More than one request in flight needs an endpoint or --engine vllm: refused before a model loads."""
    from codehone.core.concurrent import refuse_before_loading
    from codehone.errors import UserError

    try:
        refuse_before_loading(model, concurrency, engine)
    except UserError as e:
        raise typer.BadParameter(str(e), param_hint="--concurrency") from None


def _eval_repo(bench: str, out: Path, model: Optional[str], adapter: Optional[Path], engine: str, max_tokens: int,
               limit: Optional[int], task_ids: Optional[list[str]], execute: Optional[Path]) -> None:
    """The held-out infill benchmark of a data run, scored by exact match and edit similarity (and
    with --execute by the repository's tests)."""
    from codehone.backends import load_backend
    from codehone.backends.base import SamplingParams
    from codehone.eval.repo import bench_rows, eval_repo
    from codehone.eval.repo_exec import execution_line

    bench_rows(bench)  # fail on a missing benchmark before loading a model
    if model is None:
        raise typer.BadParameter("--bench repo:RUN_DIR needs --model REF (its samples are scored by text)")
    backend = load_backend(model, adapter=adapter, engine=engine)
    try:
        s = eval_repo(backend, bench, out, SamplingParams(max_tokens=min(max_tokens, 128)), limit=limit, tasks=task_ids,
                      adapter=adapter, execute=execute)
    finally:
        backend.close()
    typer.echo(f"{bench}: {s['tasks']} tasks; exact match {100 * s['exact_match']:.1f}%, "
               f"edit similarity {100 * s['edit_similarity']:.1f}%; results in {out}")
    if "execution" in s:
        typer.echo(execution_line(s["execution"]["all"]))


def report_command(
    run_dirs: List[Path] = typer.Argument(..., help="scored eval dirs to report on (several: side by side)"),
    out: Path = typer.Option(Path("."), "--out", help="where report.md and report.html go"),
) -> None:
    """Markdown + self-contained HTML report; with several run dirs, a base-vs-tuned comparison."""
    from codehone.eval.report import write_report

    paths = write_report(run_dirs, out)  # a missing summary is an EvalFileMissing (a UserError)
    typer.echo("wrote " + ", ".join(str(p) for p in paths))
