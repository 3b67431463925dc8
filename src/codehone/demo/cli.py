"""``codehone demo [--out DIR]``: registered by the main CLI; heavy imports happen in the steps."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from codehone.models.catalogue import DEFAULT_MODEL


def demo_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="Run directory (rerun the same command to resume).")] = Path("codehone-demo"),
    model: Annotated[str, typer.Option("--model", "-m", help="Base model (catalogue name, GGUF file).")] = DEFAULT_MODEL,
    examples: Annotated[int, typer.Option(help="Request/program pairs generated for training.")] = 4000,
    max_steps: Annotated[int, typer.Option("--max-steps", help="LoRA optimizer steps (one ~1.3k-token row of 16 requests each; "
                                                     "266: about one epoch of 4,000 pairs).")] = 266,
    limit: Annotated[int, typer.Option(help="Benchmark tasks per scoring pass (the full set: `codehone blocks eval`).")] = 40,
    train_overrides: Annotated[Optional[list[str]], typer.Option("--set", help="Extra training setting key=value (repeatable).")] = None,
    skill_limit: Annotated[int, typer.Option("--skill-limit", help="Tasks of each skill set (fix, change, teach, next block) "
                                             "scored base vs tuned; 0 skips them.")] = 10,
    seed: Annotated[int, typer.Option(help="Seed of the training data and of the LoRA's start; another seed shows how "
                                           "far the scores move from one training to the next.")] = 0,
) -> None:
    """The whole loop on the default model: block data, base scores, LoRA, GGUF adapter, tuned scores, report."""
    from rich.console import Console

    from codehone.demo.pipeline import DemoOptions, run_demo

    console = Console(highlight=False)
    opts = DemoOptions(out=out, model=model, examples=examples, max_steps=max_steps, limit=limit,
                       train_overrides=list(train_overrides or []), skill_limit=skill_limit, seed=seed)
    result = run_demo(opts, echo=console.print)
    ev = result["evals"]

    def pct(key: str) -> str:
        s = ev.get(key) or {}
        return f"{100 * s.get('pass_rate', 0):.0f}% pass, {100 * s.get('invalid_rate', 0):.0f}% invalid"

    console.print(f"base:  {pct('base-grammar')} with grammar; {pct('base-free')} without")
    console.print(f"tuned: {pct('tuned-grammar')} with grammar; {pct('tuned-free')} without")
    console.print(f"total {result['seconds']['total'] / 60:.1f} min; report: {result['report']['html']}")
    console.print(f"try it in the studio: {studio_command(model, result['adapter'])}")


def studio_command(model: str, adapter: str) -> str:
    """The command that opens the block studio on the demo's tuned adapter (shell-quoted)."""
    import shlex

    return f"codehone blocks studio --model {shlex.quote(model)} --adapter {shlex.quote(adapter)}"
