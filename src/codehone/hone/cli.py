"""``codehone hone PATH [--model REF] [--budget 30m] [--out runs/NAME]``: registered by the main
CLI; the steps' heavy imports happen when the command runs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from codehone.models.catalogue import DEFAULT_MODEL


def hone_command(
    path: Annotated[Path, typer.Argument(help="The repository: a folder, a git repository, or a .tar/.zip of code.")],
    model: Annotated[str, typer.Option("--model", "-m", help="Base model (catalogue name, GGUF file).")] = DEFAULT_MODEL,
    budget: Annotated[str, typer.Option("--budget", "-b", help="Time for the whole command: 30m, 1h30m, 90s (a bare number is minutes).")] = "30m",
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Run directory (default runs/NAME; rerun the same command to resume).")] = None,
    limit: Annotated[int, typer.Option(help="Most benchmark tasks per pass (0: as many as the budget allows).")] = 0,
    max_steps: Annotated[int, typer.Option("--max-steps", help="Most optimizer steps (0: as many as the budget allows).")] = 0,
    max_tokens: Annotated[int, typer.Option("--max-tokens", help="Tokens generated per benchmark fill at most.")] = 64,
    split: Annotated[str, typer.Option("--split", help="train,valid,test shares by file (the test files make the benchmark).")] = "0.9,0.05,0.05",
    seed: Annotated[int, typer.Option(help="Fixes the data split, FIM points and training order.")] = 0,
    train_overrides: Annotated[Optional[list[str]], typer.Option("--set", help="Extra training setting key=value (repeatable).")] = None,
    execute: Annotated[bool, typer.Option("--execute/--no-execute", help="Also score Python fills with the repository's own pytest tests, in the sandbox, in the time the budget has left (needs the repository's test dependencies installed beside codehone).")] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
) -> None:
    """The whole loop for a repository: data, base score, LoRA sized to the budget, GGUF adapter, tuned score, report."""
    from rich.console import Console

    from codehone.hone.editors import adapter_name
    from codehone.hone.pipeline import HoneOptions, run_hone
    from codehone.hone.report import tests_line

    console = Console(highlight=False)
    opts = HoneOptions(path=path, out=out or Path("runs") / adapter_name(path.resolve()), model=model, budget=budget,
                       limit=limit, max_steps=max_steps, max_tokens=max_tokens, split=split, seed=seed,
                       train_overrides=list(train_overrides or []), progress=not quiet, execute=execute)
    result = run_hone(opts, echo=console.print)
    b, t = result["base"], result["tuned"]
    n = len(result["tasks_scored"])
    console.print(f"base:  exact match {100 * b['exact_match']:.1f}%, edit similarity {100 * b['edit_similarity']:.1f}% on {b['tasks']} tasks")
    console.print(f"tuned: exact match {100 * t['exact_match']:.1f}%, edit similarity {100 * t['edit_similarity']:.1f}% on {n} tasks")
    console.print(tests_line(result["tests"]))
    console.print(f"total {result['seconds']['total'] / 60:.1f} min of a {result['budget_s'] / 60:.0f} min budget; "
                  f"report: {result['report']['html']}")
    typer.echo("")
    typer.echo(result["editors_text"])
