"""The training stage: a data run directory and a base model in, a LoRA adapter out.

    config.py      TrainConfig (one flat dataclass), YAML presets, key=value overrides, the one coercer
    dataset.py     read data/{train,valid}.jsonl, check the tokenizer, token ids + loss targets
    packing.py     pack examples into rows without attention across them; the data plan
    schedule.py    warmup + cosine learning rate
    checkpoint.py  atomic checkpoints (adapter, optimizer, scheduler, RNG, data position)
    model.py       resolve the base model, pick a dtype, wrap it with LoRA
    loss.py        chunked fp32 cross-entropy over the labelled positions
    start.py       what a run needs before its first step: data checks, the plan, the run
                   directory, the model and optimizer
    lora.py        the loop (prepare / run_steps / finish): LoRA / DoRA / QLoRA with PEFT,
                   validation, early stopping, exact resume
    report.py      progress, loss chart, Markdown report, the held-out repo benchmark
    cli.py         ``codehone train``
    distill/       ``codehone distill``: token-level KL to a teacher (top-k cache, GKD on-policy),
                   a loss hook of lora.py; or sequence-level, on the teacher's checked answers

Files written under the output run directory (the contract with export and eval; each named
once, in ``codehone.core.rundir.RunDir``)::

    adapter/                 PEFT adapter (adapter_config.json + adapter_model.safetensors), the best one
    train_log.jsonl          one row per optimizer step: step, loss, lr, tokens_per_s, (val_loss)
    checkpoints/step-N/      adapter weights, optimizer, scheduler, RNG states, data position
    checkpoints/best/        the adapter with the lowest validation loss so far
    train_state.json         {"status": "running"|"interrupted"|"finished", ...}
    train_report.md, loss.png, manifest.json

Importing this package is cheap: torch, transformers and peft load inside the functions.
"""

from __future__ import annotations

from codehone.errors import UserError


class TrainError(UserError, ValueError):
    """A training run that cannot start or go on; the message says what to change."""


__all__ = ["TrainError"]
