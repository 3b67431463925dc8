"""Distillation settings: one flat dataclass beside TrainConfig, from the same preset and
``key=value`` list (train/config.py reads, coerces and reports both the same way)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from codehone.train import TrainError
from codehone.train import config as tc

KL_KINDS = ("forward", "reverse")


@dataclass
class DistillConfig:
    mode: str = "token"  # "token" (KL to the teacher's distributions) or "sequence" (train on its answers)
    kl: str = "forward"  # token mode: forward KL(teacher||student) or reverse KL(student||teacher)
    temperature: float = 1.0  # token mode: both distributions at this temperature; the loss is scaled by T^2
    alpha: float = 0.0  # token mode: weight of the cross-entropy on the data (1 - alpha on the KL)
    lmbda: float = 0.0  # token mode: fraction of rows trained on the student's own samples (GKD)
    top_k: int = 20  # token mode: teacher ids kept per position; the rest is one tail bucket
    student_temperature: float = 1.0  # on-policy sampling temperature
    gen_max_tokens: int = 256  # longest on-policy sample / teacher answer, in tokens
    teacher_temperature: float = 0.0  # sequence mode: teacher sampling (0: greedy)
    fallback: str = "original"  # sequence mode: a failing teacher answer keeps the data's ("original") or drops the row ("drop")
    shard_size: int = 256  # token mode: examples per teacher-cache shard

    def validate(self) -> None:
        def need(cond: bool, msg: str) -> None:
            if not cond:
                raise TrainError(msg)

        need(self.mode in ("token", "sequence"), f"--mode must be token or sequence, got {self.mode!r}")
        need(self.kl in KL_KINDS, f"kl must be forward or reverse, got {self.kl!r}")
        need(self.temperature > 0, f"temperature must be > 0, got {self.temperature}")
        need(0 <= self.alpha <= 1, f"alpha must be in [0, 1], got {self.alpha}")
        need(0 <= self.lmbda <= 1, f"lmbda must be in [0, 1], got {self.lmbda}")
        need(self.top_k >= 1, f"top_k must be >= 1, got {self.top_k}")
        need(self.student_temperature > 0, f"student_temperature must be > 0, got {self.student_temperature}")
        need(self.teacher_temperature >= 0, f"teacher_temperature must be >= 0, got {self.teacher_temperature}")
        need(self.gen_max_tokens >= 1 and self.shard_size >= 1, "gen_max_tokens and shard_size must be >= 1")
        need(self.fallback in ("original", "drop"), f"fallback must be original or drop, got {self.fallback!r}")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


DISTILL_FIELDS = {f.name: f for f in fields(DistillConfig)}


def build_configs(preset: str | Path | None, overrides: list[str], mode: str | None = None):
    """(TrainConfig, DistillConfig) from a preset YAML and key=value overrides; each key goes to
    the dataclass that has it, an unknown key names the closest keys of both."""
    train_cfg, dcfg = tc.TrainConfig(), DistillConfig()
    for values, where in tc.setting_sources(preset, overrides):
        d, t = {}, {}
        for key, value in values.items():
            k = tc.setting_key(key)
            if k not in DISTILL_FIELDS and k not in tc.FIELDS:
                raise tc.unknown_key_error(k, where, [*DISTILL_FIELDS, *tc.FIELDS], "training or distillation setting")
            (d if k in DISTILL_FIELDS else t)[k] = value
        train_cfg = tc.apply(train_cfg, t, where)
        dcfg = tc.apply(dcfg, d, where)
    if mode is not None:
        dcfg = dataclasses.replace(dcfg, mode=mode)
    train_cfg.validate()
    dcfg.validate()
    return train_cfg, dcfg
