"""Training configuration: one flat dataclass, YAML presets, ``key=value`` overrides.

Precedence: dataclass defaults < preset YAML (``--config``) < ``key=value`` on the command line.
A preset is a flat YAML mapping of the same keys (``configs/<model>/lora.yaml``); a key that is
not a field is an error naming the closest ones, whether it came from a file or the command line,
so a typo (``lora_rank=8``) never silently trains with the default.

Every knob is here and nowhere else, so the checkpoint's copy of the config is the whole story
of a run, and ``--resume`` can refuse a changed config that would break exact continuation.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from codehone.data.limits import DEFAULT_SEQ_LEN, built_seq_len
from codehone.train import TrainError

# Keys that may change between a run and its resumption without breaking exactness: they
# only affect what is written, not what is computed.
RESUMABLE_CHANGES = frozenset({"log_every", "save_every", "keep_checkpoints", "tensorboard", "progress",
                               "bench_max_tasks", "bench_max_tokens", "threads", "bench"})
# Keys that set only how long the run is: the rows of the finished steps stay the same (every
# epoch is its own seeded shuffle, packing.plan), so --resume accepts a change once it has
# checked those rows (lora._resume) and records it in the manifest. The learning-rate schedule
# after the resume point follows the new length, as in the HF Trainer when max_steps changes.
LENGTH_CHANGES = frozenset({"max_steps", "epochs"})


@dataclass
class TrainConfig:
    # --- LoRA -----------------------------------------------------------------------------
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.0  # 0 keeps PEFT on its no-dropout fast path
    target_modules: str = "all-linear"  # "all-linear" or comma-separated names: "q_proj,v_proj"
    dora: bool = False  # weight-decomposed LoRA (Liu et al. 2024): slower, sometimes better at low rank
    qlora: bool = False  # 4-bit NF4 base via bitsandbytes; CUDA only
    # --- data -----------------------------------------------------------------------------
    # Longest example in tokens; 0: the length the data was built for (its card), see for_data.
    # Longer LM examples are split; longer FIM/instruct ones are dropped, and train refuses to drop
    # more than dataset.MAX_DROPPED of the rows.
    seq_len: int = 0
    micro_batch_size: int = 1  # packed rows of seq_len tokens per forward pass (concatenated into one row)
    grad_accum: int = 8  # forward passes per optimizer step
    packing: bool = True  # False: one example per row (for comparison; wastes nothing but speed)
    kinds: str = "fim,lm,instruct"  # example kinds to train on
    # --- optimisation ---------------------------------------------------------------------
    epochs: float = 1.0
    max_steps: int = 0  # > 0 caps the optimizer steps (and overrides epochs)
    lr: float = 2e-4
    min_lr_ratio: float = 0.1  # cosine decays to lr * min_lr_ratio
    warmup_steps: int = -1  # -1: warmup_ratio of the total steps
    warmup_ratio: float = 0.03
    weight_decay: float = 0.0
    adam_beta1: float = 0.9
    adam_beta2: float = 0.999
    max_grad_norm: float = 1.0  # 0 disables clipping
    seed: int = 0
    dtype: str = "auto"  # auto (bf16 where the CPU/GPU has it), bfloat16, float16, float32
    gradient_checkpointing: bool = False
    threads: int = 0  # torch CPU threads; 0: CODEHONE_THREADS or the free cores, re-checked (core/threads.py)
    # --- validation, checkpoints, logs ------------------------------------------------------
    eval_every: int = 50  # optimizer steps between validation passes; 0: only at the end
    eval_max_examples: int = 256  # validation examples used (the first ones, fixed across evals)
    early_stopping_patience: int = 3  # evaluations without improvement before stopping; 0: never stop
    save_every: int = 50  # optimizer steps between checkpoints
    keep_checkpoints: int = 2  # newest step-N checkpoints kept (best/ is kept separately)
    log_every: int = 1
    tensorboard: bool = False  # also write RUN_DIR/tensorboard/ (needs the tensorboard package)
    progress: bool = True
    # --- held-out repository benchmark at the end ------------------------------------------
    bench: bool = True  # score data/bench_repo.jsonl single-line infill, base vs adapter
    bench_max_tasks: int = 40
    bench_max_tokens: int = 48

    def validate(self) -> None:
        def need(cond: bool, msg: str) -> None:
            if not cond:
                raise TrainError(msg)

        need(self.lora_r >= 1, f"lora_r must be >= 1, got {self.lora_r}")
        need(self.lora_alpha > 0, f"lora_alpha must be > 0, got {self.lora_alpha}")
        need(0 <= self.lora_dropout < 1, f"lora_dropout must be in [0, 1), got {self.lora_dropout}")
        need(self.seq_len == 0 or self.seq_len >= 16, f"seq_len must be >= 16 (or 0: the data's length), got {self.seq_len}")
        need(self.micro_batch_size >= 1 and self.grad_accum >= 1, "micro_batch_size and grad_accum must be >= 1")
        need(self.epochs > 0 or self.max_steps > 0, "set epochs > 0 or max_steps > 0")
        need(self.lr > 0 and 0 <= self.min_lr_ratio <= 1, "lr must be > 0 and min_lr_ratio in [0, 1]")
        need(0 <= self.warmup_ratio < 1, f"warmup_ratio must be in [0, 1), got {self.warmup_ratio}")
        need(self.dtype in ("auto", "bfloat16", "float16", "float32"),
             f"dtype must be auto, bfloat16, float16 or float32, got {self.dtype!r}")
        need(self.save_every >= 1 and self.log_every >= 1, "save_every and log_every must be >= 1")
        need(self.eval_every >= 0 and self.early_stopping_patience >= 0, "eval_every and early_stopping_patience must be >= 0")
        need(self.keep_checkpoints >= 1, "keep_checkpoints must be >= 1 (resume needs one)")
        bad = sorted(set(self.kind_list) - {"fim", "lm", "instruct"})
        need(not bad and bool(self.kind_list), f"kinds must be a comma-separated subset of fim,lm,instruct, got {self.kinds!r}")

    @property
    def kind_list(self) -> list[str]:
        return [k.strip() for k in self.kinds.split(",") if k.strip()]

    @property
    def row_tokens(self) -> int:
        """Capacity of one packed row: micro_batch_size rows of seq_len, concatenated."""
        return self.seq_len * self.micro_batch_size

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def for_data(self, card: dict) -> "TrainConfig":
        """These settings with ``seq_len`` fixed for a data set: one given stays, 0 becomes the
        length the data was built for (``DEFAULT_SEQ_LEN`` for a card that does not say)."""
        if self.seq_len:
            return self
        return dataclasses.replace(self, seq_len=built_seq_len(card) or DEFAULT_SEQ_LEN)


FIELDS = {f.name: f for f in fields(TrainConfig)}


# What other trainers call our settings: suggested first, since spelling distance cannot see them.
ALIASES = {"learning_rate": "lr", "lora_rank": "lora_r", "rank": "lora_r", "r": "lora_r", "alpha": "lora_alpha",
           "use_dora": "dora", "batch_size": "micro_batch_size", "per_device_train_batch_size": "micro_batch_size",
           "gradient_accumulation_steps": "grad_accum", "num_epochs": "epochs", "num_train_epochs": "epochs",
           "max_seq_length": "seq_len", "max_length": "seq_len", "seq_length": "seq_len", "warmup": "warmup_steps",
           "eval_steps": "eval_every", "save_steps": "save_every", "logging_steps": "log_every",
           "bf16": "dtype", "load_in_4bit": "qlora", "lora_target_modules": "target_modules"}


def unknown_key_error(key: str, where: str, known: list[str] | None = None,
                      what: str = "training setting") -> TrainError:
    """An unknown setting, naming what it may have meant: another trainer's name for one of ours
    (ALIASES) first, then the closest spellings among ``known`` (default: TrainConfig's keys)."""
    known = list(FIELDS) if known is None else known
    close = ([ALIASES[key]] if key in ALIASES else []) + difflib.get_close_matches(key, known, n=3, cutoff=0.6)
    close = list(dict.fromkeys(close))[:3]
    hint = f"; did you mean {' or '.join(close)}?" if close else f"; known keys: {', '.join(known)}"
    return TrainError(f"unknown {what} {key!r} in {where}{hint}")


_TRUE, _FALSE = ("true", "yes", "1", "on"), ("false", "no", "0", "off")


def coerce(key: str, value: Any, kind: type, where: str) -> Any:
    """``value`` as a ``kind`` (bool, int, float or str); YAML and the command line both give
    strings, ints, floats or bools. Nothing is truncated or guessed: 2.5 is no int, "maybe" no bool."""
    if kind is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in _TRUE + _FALSE:
            return value.lower() in _TRUE
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
    elif kind is str:
        return ",".join(str(v) for v in value) if isinstance(value, list) else str(value)
    elif not isinstance(value, bool):  # int or float: a bool is neither
        if kind is int and isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, (str, int, float)) and not (kind is int and isinstance(value, float)):
            try:
                return kind(value)
            except ValueError:
                pass
    raise TrainError(f"{key} in {where} must be {kind.__name__}, got {value!r}")


def setting_key(key: Any) -> str:
    """``warmup-steps`` and ``warmup_steps`` name the same setting."""
    return str(key).replace("-", "_")


def apply(config, values: dict[str, Any], where: str):
    """A copy of the dataclass ``config`` (TrainConfig, distill's DistillConfig) with ``values``
    set, each coerced to the type of its field's default."""
    defaults = {f.name: f.default for f in fields(config)}
    changes = {}
    for key, value in values.items():
        key = setting_key(key)
        if key not in defaults:
            raise unknown_key_error(key, where, list(defaults))
        changes[key] = coerce(key, value, type(defaults[key]), where)
    return dataclasses.replace(config, **changes)


def setting_sources(preset: str | Path | None, overrides: list[str] | None) -> list[tuple[dict[str, Any], str]]:
    """(settings, where they came from) in order of precedence: the preset, then the command line."""
    sources = []
    if preset is not None:
        sources.append((load_preset(preset), str(preset)))
    if overrides:
        sources.append((parse_overrides(overrides), "the command line"))
    return sources


def load_preset(path: str | Path) -> dict[str, Any]:
    import yaml

    path = Path(path)
    if not path.is_file():
        raise TrainError(f"config file {path} does not exist; see configs/ for presets")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as e:
        raise TrainError(f"{path} is not valid YAML: {str(e).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise TrainError(f"{path} must be a mapping of training settings, got {type(data).__name__}")
    return data


def parse_overrides(items: list[str]) -> dict[str, Any]:
    """``["lr=1e-4", "dora=true"]`` -> {"lr": 1e-4, "dora": True}; values read as YAML scalars."""
    import yaml

    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise TrainError(f"override {item!r} is not key=value (e.g. lr=1e-4)")
        try:
            out[key.strip()] = yaml.safe_load(value) if value.strip() else ""
        except yaml.YAMLError:
            out[key.strip()] = value
    return out


def build_config(preset: str | Path | None = None, overrides: list[str] | None = None) -> TrainConfig:
    config = TrainConfig()
    for values, where in setting_sources(preset, overrides):
        config = apply(config, values, where)
    config.validate()
    return config


def config_diff(old: dict[str, Any], new: TrainConfig) -> list[str]:
    """Settings that differ from a checkpoint's and would change what is computed."""
    cur = new.to_dict()
    return sorted(k for k in cur if k not in RESUMABLE_CHANGES and old.get(k, field) != cur[k])
