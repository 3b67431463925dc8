"""``codehone distill --teacher REF --student REF --data RUN_DIR --out RUN_DIR [--mode token|sequence] [--concurrency N] [key=value ...]``.

Same outputs as ``codehone train`` (adapter/, checkpoints/, train_log.jsonl, report), plus the
teacher's cache in ``RUN/teacher/``. Settings: every ``codehone train`` key, and the
distillation keys of ``distill.config.DistillConfig`` (kl, temperature, alpha, lmbda, top_k, ...).
Only typer and the settings are imported at module level, so ``--help`` stays instant.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from codehone.models.catalogue import DEFAULT_MODEL, TEACHER_MODEL
from codehone.train.cli import DataOption, QuietOption, ResumeOption, setting_items
from codehone.train.distill.config import build_configs


def distill_command(
    overrides: Annotated[Optional[list[str]], typer.Argument(
        help="Settings as key=value: any train key (lr=1e-4 ...) and kl=forward|reverse temperature=T alpha=A "
             "lmbda=L top_k=K student_temperature=T gen_max_tokens=N teacher_temperature=T fallback=original|drop.",
        show_default=False)] = None,
    teacher: Annotated[str, typer.Option("--teacher", "-t", help="Teacher model: catalogue name, GGUF, Hugging Face directory or hub id (sequence mode: also an OpenAI-compatible URL).")] = TEACHER_MODEL,
    student: Annotated[str, typer.Option("--student", "-m", help="Student base model to train a LoRA adapter on.")] = DEFAULT_MODEL,
    data: DataOption = Path("run"),
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Run directory for the adapter and the teacher cache (default: --data).")] = None,
    mode: Annotated[Optional[str], typer.Option("--mode", help="token (default): KL to the teacher's next-token distributions (shared tokenizer); sequence: train on the teacher's answers.", show_default=False)] = None,
    config: Annotated[Optional[Path], typer.Option("--config", "-c", help="YAML preset of train (and distill) settings, e.g. configs/qwen2.5-coder-0.5b/lora.yaml.")] = None,
    concurrency: Annotated[Optional[int], typer.Option("--concurrency", help="Sequence mode: teacher requests in flight at once (default: 8 for an HTTP endpoint --teacher http://..., 1 for an in-process teacher, which cannot take more).")] = None,
    resume: ResumeOption = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing training run in --out (the teacher cache is kept).")] = False,
    quiet: QuietOption = False,
) -> None:
    """Distil a bigger teacher into a LoRA adapter on the student (token-level KL or sequence-level)."""
    from codehone.train.dataset import read_card

    from codehone.core.concurrent import refuse_before_loading

    cfg, dcfg = build_configs(config, setting_items(overrides, quiet, resume, force), mode=mode)
    refuse_before_loading(teacher, concurrency)
    read_card(data)
    from codehone.train.distill.run import distill

    run = out or data
    summary = distill(data, teacher, student, run, cfg, dcfg, resume=resume, force=force, echo=typer.echo,
                      concurrency=concurrency)
    typer.echo(f"adapter: {run / 'adapter'} ({dcfg.mode}-level from {teacher}; best validation loss "
               f"{summary['best_val_loss']:.4f}, {summary['steps_done']} steps); report: {run / 'train_report.md'}")
