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
    k: str = typer.Option("1,10", "--k", help="pass@k values, comma-separated"),
    limit: Optional[int] = typer.Option(None, "--limit", help="only the first N tasks"),
    tasks: Optional[str] = typer.Option(None, "--tasks", help="only these task ids, comma-separated"),
) -> None:
    """Generate samples (with --model) and/or score them in a sandbox, then write a report."""
    from .benchmarks import load_benchmark
    from .report import write_report
    from .score import score_samples

    ks = _ints(k, "--k")
    task_ids = [t.strip() for t in tasks.split(",") if t.strip()] if tasks else None
    if bench.startswith("repo:"):
        _eval_repo(bench, out, model, adapter, max_tokens, limit, task_ids)
        return
    try:
        benchmark = load_benchmark(bench)
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint="--bench") from None
    if samples is None:
        if model is None:
            raise typer.BadParameter("give --samples FILE to score, or --model REF to generate samples first")
        from ..backends import load_backend
        from ..backends.base import SamplingParams
        from .generate import generate_samples

        backend = load_backend(model, adapter=adapter)
        try:
            params = SamplingParams(max_tokens=max_tokens, temperature=temperature, top_p=top_p, n=n)
            params.validate()
            samples = generate_samples(backend, benchmark, out, n=n, params=params, chat=chat,
                                       tasks=task_ids, limit=limit)
        finally:
            backend.close()
    try:
        summary = score_samples(benchmark, samples, out, workers=workers, k=ks, tasks=task_ids, limit=limit)
    except (ValueError, FileNotFoundError) as e:
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(2) from None
    write_report([out], out)
    metrics = ", ".join(f"{key} {100 * v:.1f}%" for key, v in summary.items() if key.startswith("pass@"))
    typer.echo(f"{benchmark.name}: {summary['passed']}/{summary['samples']} samples passed; {metrics}")
    typer.echo(f"isolation: {summary['isolation']}; results in {out}")


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
