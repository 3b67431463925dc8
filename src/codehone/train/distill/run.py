"""``distill()``: either mode of distillation, then the ordinary training loop (lora.train).

Token mode checks that teacher and student share a tokenizer and trains with TokenDistillLoss
(loss.py); sequence mode writes the teacher's checked answers as a data run (seq.py) and
trains on that. The outputs are train's, plus ``RUN/teacher/``; ``manifest.json`` names the
stage ``distill`` and records the teacher and the distillation settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from codehone.train import TrainError
from codehone.train.dataset import read_card
from codehone.train.distill.config import DistillConfig
from codehone.train.distill.loss import TokenDistillLoss
from codehone.train.distill.seq import sequence_data
from codehone.train.lora import train
from codehone.train.model import resolve_base


def check_shared_tokenizer(teacher_tok, student_tok, teacher: str, student: str) -> None:
    """Token-level distillation compares distributions id by id: the vocabularies must be equal."""
    tv, sv = teacher_tok.get_vocab(), student_tok.get_vocab()
    if tv == sv:
        return
    differ = sorted(set(tv.items()) ^ set(sv.items()), key=lambda kv: kv[1])[:3]
    raise TrainError(f"token-level distillation needs the teacher and the student to share a tokenizer, but {teacher} "
                     f"has {len(tv)} tokens and {student} has {len(sv)} (they differ at e.g. "
                     f"{', '.join(f'{t!r}={i}' for t, i in differ)}); use --mode sequence, which trains on the "
                     "teacher's answers as text")


def distill(data_dir: str | Path, teacher: str, student: str, out_dir: str | Path, config, dcfg: DistillConfig, *,
            resume: bool = False, force: bool = False, echo: Callable[[str], None] = print,
            backend_factory: Callable[[str], Any] | None = None, concurrency: int | None = None) -> dict:
    """Distil ``teacher`` into a LoRA adapter on ``student``; the outputs are train's (lora.py)
    plus ``RUN/teacher/``. Returns train's summary with a ``distill`` entry. ``concurrency``:
    sequence mode's teacher requests in flight (core.concurrent; None: 1 in process, 8 over HTTP)."""
    dcfg.validate()
    config.validate()
    if concurrency is not None and dcfg.mode != "sequence":
        raise TrainError("--concurrency is for --mode sequence (the teacher writes answers); token mode runs the "
                         "teacher in process over the training rows")
    data_dir, out = Path(data_dir), Path(out_dir)
    extra = {"teacher": teacher, "distill": dcfg.to_dict()}
    if dcfg.mode == "sequence":
        seq_dir, stats = sequence_data(data_dir, teacher, student, out, config, dcfg, echo=echo,
                                       backend_factory=backend_factory, concurrency=concurrency)
        summary = train(seq_dir, student, out, config, resume=resume, force=force, echo=echo, stage="distill",
                        manifest_extra={**extra, "source_data": str(data_dir), "teacher_answers": stats})
        summary["distill"] = {"mode": "sequence", **stats}
        return summary

    from transformers import AutoTokenizer

    read_card(data_dir)
    teacher_dir, student_dir = resolve_base(teacher), resolve_base(student)
    check_shared_tokenizer(AutoTokenizer.from_pretrained(str(teacher_dir)),
                           AutoTokenizer.from_pretrained(str(student_dir)), teacher, student)
    hook = TokenDistillLoss(teacher, teacher_dir, dcfg)
    summary = train(data_dir, student, out, config, resume=resume, force=force, echo=echo, loss_hook=hook,
                    stage="distill", manifest_extra=extra)
    summary["distill"] = {"mode": "token", "teacher_cache": str(hook.cache.dir) if hook.cache else None}
    return summary
