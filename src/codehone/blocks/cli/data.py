"""``codehone blocks data`` (training set) and ``codehone blocks eval`` (the ``blocks`` benchmark).

Thin: parse options, call :func:`codehone.blocks.copilot.dataset.build_blocks_data` or
:func:`codehone.blocks.copilot.evaluate.evaluate_blocks`, print a short summary. Heavy imports (the
tokenizer, the backends) happen inside the commands so ``codehone --help`` stays fast.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Optional

import typer

from codehone.blocks.cli.options import AdapterOption, EngineOption, ModelOption, ShotsOption, VoteOption
from codehone.errors import UserError
from codehone.models.catalogue import DEFAULT_MODEL  # data only: cheap to import


def _csv(values: Optional[list[str]]) -> list[str]:
    return [p.strip() for v in values or [] for p in v.split(",") if p.strip()]


def data_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="Run directory; writes data/ and data_card.json there.")],
    examples: Annotated[int, typer.Option(help="Request/program pairs to generate (all verified).")] = 2000,
    turns: Annotated[int, typer.Option(help="Pairs per training row, under one system card.")] = 8,
    valid: Annotated[float, typer.Option(help="Share of rows held out for validation.")] = 0.05,
    seed: Annotated[int, typer.Option(help="Fixes every random choice of the generator.")] = 0,
    skills: Annotated[float, typer.Option(help="Share of the pairs that teach fixing a buggy program and changing "
                                          "a program as asked (verified like the rest).")] = 0.15,
    languages: Annotated[float, typer.Option(help="Share of the pairs in Spanish, French, German and Portuguese "
                                             "(requests in those languages, programs that speak them).")] = 0.15,
    model: Annotated[str, typer.Option("--model", "-m", help="Model whose tokenizer counts the tokens.")] = DEFAULT_MODEL,
) -> None:
    """Build the block-language training set: verified request -> program pairs, multi-turn rows."""
    from rich.console import Console

    from codehone.blocks.copilot.dataset import BlocksDataOptions, build_blocks_data
    from codehone.models import load_tokenizer

    options = BlocksDataOptions(examples=examples, turns=turns, valid=valid, seed=seed, skills=skills, languages=languages)
    options.validate()  # before the (slow) tokenizer load
    console = Console(highlight=False)
    tokenizer = load_tokenizer(model)
    t0 = time.perf_counter()
    card = build_blocks_data(out, tokenizer, options, on_progress=lambda m: console.print(m))
    seconds = time.perf_counter() - t0
    rt, ex, tok = card["round_trip"], card["examples"], card["tokens"]
    console.print(f"{card['pairs']['train'] + card['pairs']['valid']} pairs in {ex['train']['instruct']} train + "
                  f"{ex['valid']['instruct']} valid rows ({tok['train']['instruct']:,} train tokens); round trip "
                  f"{rt['passed']}/{rt['total']}; {seconds:.1f} s. Wrote {out}/data/ and {out}/data_card.md")


def eval_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="Run directory for samples, results, summary and report.")],
    model: ModelOption = DEFAULT_MODEL,
    adapter: AdapterOption = None,
    engine: EngineOption = "auto",
    grammar: Annotated[bool, typer.Option("--grammar/--no-grammar", help="Constrain decoding to the block language.")] = True,
    shots: ShotsOption = 3,
    limit: Annotated[Optional[int], typer.Option(help="Only the first N tasks.")] = None,
    tasks: Annotated[Optional[list[str]], typer.Option("--tasks", help="Task ids (repeat or comma-separate).")] = None,
    max_tokens: Annotated[int, typer.Option("--max-tokens", help="Tokens per answer at most.")] = 160,
    samples: Annotated[int, typer.Option("--samples", help="Programs sampled per task, decoded as one batch; the "
                                         "answer is the one whose behaviour most samples share (1: greedy).")] = 1,
    vote: VoteOption = "always",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    concurrency: Annotated[Optional[int], typer.Option("--concurrency", help="Requests in flight at once (default: 8 "
                                                       "for an HTTP endpoint, 1 for an in-process model).")] = None,
) -> None:
    """Score a model on the `blocks` benchmark (behaviour checks on the programs it writes)."""
    from rich.console import Console

    from codehone.backends import load_backend
    from codehone.blocks.copilot.evaluate import evaluate_blocks

    if samples < 1:
        raise UserError(f"--samples must be at least 1, got {samples}")
    backend = load_backend(model, adapter=adapter, engine=engine)
    try:
        s = evaluate_blocks(backend, out, grammar=grammar, shots=shots, limit=limit, tasks=_csv(tasks) or None,
                            adapter=str(adapter) if adapter else None, max_tokens=max_tokens, progress=not quiet,
                            samples=samples, concurrency=concurrency, vote_when=vote)
    finally:
        backend.close()
    Console(highlight=False).print(
        f"{s['label']}: passed {s['passed']}/{s['tasks']} ({100 * s['pass_rate']:.1f}%), invalid {s['invalid']} "
        f"({100 * s['invalid_rate']:.1f}%), failed {s['failed']}; {s['tokens']:,} tokens in {s['seconds']:.0f} s. "
        f"Report: {out}/report.html")


def register(app) -> None:  # noqa: ANN001 - a typer.Typer
    """Add ``data`` and ``eval`` to the ``codehone blocks`` app."""
    app.command("data")(data_command)
    app.command("eval")(eval_command)
