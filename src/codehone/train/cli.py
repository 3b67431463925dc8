"""``codehone train --data RUN_DIR --base REF --out RUN_DIR [--config PRESET.yaml] [key=value ...]``.

A plain typer-annotated function; the main CLI registers it with
``app.command("train")(train_command)``. Only typer and the settings (config.py) are imported at
module level so ``--help`` stays instant; numpy, torch, transformers and peft load when the
command runs, after the settings and the data directory have been checked.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from codehone.errors import UserError
from codehone.models.catalogue import DEFAULT_MODEL
from codehone.train import TrainError
from codehone.train.config import build_config

# Options that ``codehone distill`` (distill/cli.py) takes the same way.
DataOption = Annotated[Path, typer.Option("--data", "-d", help="Run directory built by `codehone data` (holds data/ and data_card.json).")]
ResumeOption = Annotated[bool, typer.Option("--resume", help="Continue an interrupted run from its last checkpoint; "
                                                "max_steps= and epochs= may be changed (to lengthen or shorten the run), "
                                                "every other setting must stay as it was.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]


def setting_items(overrides: list[str] | None, quiet: bool, resume: bool, force: bool) -> list[str]:
    """The key=value settings of a run (``--quiet`` is ``progress=false``); --resume with --force is an error."""
    if resume and force:
        raise TrainError("--resume continues a run and --force replaces it; give one of them")
    return list(overrides or []) + (["progress=false"] if quiet else [])


def train_command(
    overrides: Annotated[Optional[list[str]], typer.Argument(help="Settings as key=value (e.g. lr=1e-4 lora_r=8 dora=true); see configs/.", show_default=False)] = None,
    data: DataOption = Path("run"),
    base: Annotated[str, typer.Option("--base", "-m", help="Base model: catalogue name, GGUF file, Hugging Face directory or hub id.")] = DEFAULT_MODEL,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Run directory for adapter/, checkpoints/, train_log.jsonl (default: the --data directory).")] = None,
    config: Annotated[Optional[Path], typer.Option("--config", "-c", help="YAML preset, e.g. configs/qwen2.5-coder-0.5b/lora.yaml.")] = None,
    resume: ResumeOption = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing training run in --out.")] = False,
    quiet: QuietOption = False,
) -> None:
    """Fine-tune a LoRA adapter on a data run (packed, loss only where it belongs, resumable)."""
    from codehone.train.dataset import read_card

    cfg = build_config(config, setting_items(overrides, quiet, resume, force))
    read_card(data)  # a missing or unfinished data set fails before any model loads
    from codehone.train.lora import train

    summary = train(data, base, out or data, cfg, resume=resume, force=force, echo=typer.echo)
    if os.environ.get("RANK", "0") != "0":
        return  # one summary line per run, not per process
    typer.echo(f"adapter: {(out or data) / 'adapter'} (best validation loss {summary['best_val_loss']:.4f}, "
               f"{summary['steps_done']} steps, {summary['tokens_per_s']} tokens/s); report: "
               f"{(out or data) / 'train_report.md'}")


if __name__ == "__main__":
    # `accelerate launch -m codehone.train.cli --data ... --base ...` runs one copy per process.
    import sys

    try:
        typer.run(train_command)
    except UserError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
