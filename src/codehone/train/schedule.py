"""Learning rate: linear warmup, then cosine decay to ``min_lr_ratio * lr``.

A pure function of the step, so a resumed run needs no scheduler state to be exact; the
scheduler's state_dict is still checkpointed because torch's LambdaLR keeps ``last_epoch``.
"""

from __future__ import annotations

import math


def lr_factor(step: int, total_steps: int, warmup_steps: int, min_ratio: float) -> float:
    """Multiplier of the peak lr for optimizer step ``step`` (0-based)."""
    if warmup_steps > 0 and step < warmup_steps:
        return (step + 1) / warmup_steps
    decay = max(1, total_steps - warmup_steps)
    progress = min(1.0, (step - warmup_steps) / decay)
    return min_ratio + (1 - min_ratio) * 0.5 * (1 + math.cos(math.pi * progress))


def warmup_for(total_steps: int, warmup_steps: int, warmup_ratio: float) -> int:
    return warmup_steps if warmup_steps >= 0 else int(round(total_steps * warmup_ratio))


def make_scheduler(optimizer, total_steps: int, warmup_steps: int, min_ratio: float):
    from torch.optim.lr_scheduler import LambdaLR

    return LambdaLR(optimizer, lambda s: lr_factor(s, total_steps, warmup_steps, min_ratio))
