"""Training sized to the time budget: a few calibration steps, then the planned run to a deadline.

    calibrate   train(max_steps=K+1) with StepGuard(stop_at_step=K): K steps, a checkpoint, stop
    size        seconds per step and the fixed cost of a train() call from that run (budget.size_steps)
    run         train(--resume, max_steps=N) with StepGuard(deadline): continues from step K
    finish      only if the deadline stopped it at step k: train(--resume, max_steps=k) publishes adapter/

The calibration steps are the run's own first steps (``--resume`` may change ``max_steps`` once it
has checked the finished steps' rows, train/lora.py), so measuring costs one extra model load,
not extra training. The learning rate warms up over exactly the K calibration steps
(``warmup_steps=K``): warm-up does not depend on the run's length, so the steps taken before the
length was known are the ones a run planned at N steps from the start would have taken, and the
cosine decay after them follows N.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from codehone.core.rundir import RunDir
from codehone.hone import budget as B
from codehone.hone.deadline import StepGuard
from codehone.runs import read_jsonl
from codehone.train import TrainError
from codehone.train.checkpoint import list_checkpoints
from codehone.train.config import TrainConfig, build_config
from codehone.train.lora import train

CALIBRATION_STEPS = 3
VALID_ROWS = 8  # validation rows of the finished run: a loss for the report, planned in the budget (budget.validate_estimate)
MAX_EPOCHS = 3  # a small repository is not repeated more often than this, whatever the budget

# LoRA on every linear layer at r=16 as the 0.5B preset (configs/qwen2.5-coder-0.5b/lora.yaml), with
# steps of 2 rows of 1024 tokens (~2k tokens: about 10 s on 2 cores, so the deadline is met to
# within a step) and a higher learning rate for a short run. FIM and plain code only: the benchmark
# is infill. One validation at the end, a checkpoint every 10 steps (Ctrl-C loses at most that).
HONE_TRAIN_SETTINGS = [
    "lora_r=16", "lora_alpha=32", "target_modules=all-linear", "seq_len=1024", "micro_batch_size=1",
    "grad_accum=2", "kinds=fim,lm", "lr=4e-4", f"warmup_steps={CALIBRATION_STEPS}", "min_lr_ratio=0.1",
    "eval_every=0", f"eval_max_examples={VALID_ROWS}", "early_stopping_patience=0", "save_every=10", "keep_checkpoints=1",
    "log_every=1", "bench=false",
]


@dataclass
class TrainSettings:
    seed: int = 0
    overrides: list[str] = field(default_factory=list)
    progress: bool = True

    def config(self, max_steps: int) -> TrainConfig:
        return build_config(None, HONE_TRAIN_SETTINGS + [f"seed={self.seed}", f"progress={str(self.progress).lower()}"]
                            + list(self.overrides) + [f"max_steps={max_steps}"])


def _call(out: Path, model: str, settings: TrainSettings, steps: int, guard: StepGuard, resume: bool, echo) -> dict | None:
    """One train() call; None when the guard stopped it (a checkpoint of the finished steps was saved)."""
    try:
        return train(out, model, out, settings.config(steps), resume=resume, force=not resume, echo=echo,
                     loss_hook=guard)
    except TrainError as e:
        if guard.fired is None:
            if "interrupted" in str(e) or "stopped at step" in str(e):  # Ctrl-C: the checkpoint is saved
                raise TrainError(f"{str(e).split(';')[0]}; rerun the same `codehone hone` command to continue") from None
            raise
        return None


def _epoch_steps(card: dict, rows: list[dict], settings: TrainSettings) -> int:
    """Optimizer steps in one pass over the training tokens, from the tokens the first steps took."""
    kinds = settings.config(1).kind_list
    tokens = sum(v for k, v in (card.get("tokens", {}).get("train") or {}).items() if k in kinds)
    per_step = rows[-1]["tokens"] / max(1, rows[-1]["step"]) if rows else 0
    return max(1, math.ceil(tokens / per_step)) if per_step and tokens else 0


def _valid_tokens(card: dict, rows: list[dict], settings: TrainSettings) -> int:
    """Tokens of the end-of-run validation: VALID_ROWS rows (or the valid split's, when fewer) of the
    mean row length the first steps saw (a step is micro_batch_size x grad_accum rows)."""
    valid = sum((card.get("examples", {}).get("valid") or {}).values())
    if not rows or not valid:
        return 0
    config = settings.config(1)
    per_row = rows[-1]["tokens"] / max(1, rows[-1]["step"] * config.micro_batch_size * config.grad_accum)
    return int(min(VALID_ROWS, valid) * per_row)


def _calibrate(out: Path, model: str, settings: TrainSettings, plan: B.BudgetPlan, clock, card: dict,
               max_steps: int, echo) -> dict | None:
    """Train the first K steps and size the run from them; returns the summary when the run
    already finished (a data set of fewer steps than K)."""
    import time

    k = min(CALIBRATION_STEPS, max_steps) if max_steps else CALIBRATION_STEPS
    tasks = plan.tasks
    tuned_s = tasks.predicted_tuned_s if tasks else 0.0
    # Under a budget too small for K steps, the calibration itself stops at the deadline (after one step).
    guard = StepGuard(stop_at_step=k, deadline=clock.end - tuned_s - B.REPORT_S - 2 * B.LOAD_GUESS_S,
                      step_estimate_s=0.0)
    t = time.perf_counter()
    summary = _call(out, model, settings, k + 1, guard, False, echo)
    wall = time.perf_counter() - t
    rows = [r for r in read_jsonl(RunDir(out).train_log) if "step" in r]
    k = len(rows) if guard.fired == "deadline" else k
    step_s, tps = B.step_speed(rows)
    load_s = max(0.0, wall - sum(r.get("step_s", 0) for r in rows))
    after = tuned_s + B.export_estimate(load_s) + B.REPORT_S
    cap = max_steps
    epoch = _epoch_steps(card, rows, settings)
    if epoch and (not cap or cap > MAX_EPOCHS * epoch):
        cap = max(k, MAX_EPOCHS * epoch)
    validate_s = B.validate_estimate(_valid_tokens(card, rows, settings), tps)
    plan.train = B.size_steps(clock.left(), calibration_steps=k, seconds_per_step=step_s, load_s=load_s,
                              tokens_per_s=tps, after_train_s=after, budget_s=clock.budget_s, max_steps=cap,
                              validate_s=validate_s)
    if plan.train.capped.startswith("--max-steps") and cap != max_steps:
        plan.train.capped = f"{MAX_EPOCHS} epochs of the training data ({epoch} steps each)"
    plan.predicted.update({"eval_base": tasks.predicted_base_s if tasks else 0.0,
                           "train": round(wall + plan.train.predicted_train_s, 1),  # the calibration included
                           "export": round(B.export_estimate(load_s), 1), "eval_tuned": tuned_s, "report": B.REPORT_S})
    if summary is not None:  # finished inside the calibration: nothing more to plan
        plan.train.steps = summary.get("steps_done", k)
    elif guard.fired == "deadline":  # no time for more: the run is its calibration steps
        plan.train.steps, plan.train.capped = k, f"deadline: stopped after {k} calibration steps"
    echo(f"   {step_s:.1f} s a step ({tps:.0f} tokens/s), {load_s:.0f} s to load: {plan.train.steps} steps"
         + (f" ({plan.train.capped})" if plan.train.capped else ""))
    # Too small a budget: say so now, with the budget that would hold, rather than overrun silently.
    floor = B.floor_estimate(clock.elapsed(), after_train_s=after, publish_s=0.0 if summary is not None else load_s)
    if floor > clock.budget_s * (1 + B.OVERRUN):
        plan.floor_s = floor
        echo(f"   warning: this machine needs about {B.fmt_seconds(floor)} for the fixed costs alone (data, model "
             f"loads, one step, export, the tuned pass), more than the {B.fmt_seconds(clock.budget_s)} budget + "
             f"{B.OVERRUN:.0%}; the run finishes late. Give --budget {math.ceil(floor / 60 / (1 + B.OVERRUN)) + 1}m "
             "or more for a run that keeps to it.")
    return summary


def run_training(out: Path, model: str, settings: TrainSettings, plan: B.BudgetPlan, clock, save: Callable[[], None],
                 card: dict, max_steps: int, echo) -> dict:
    run = RunDir(out)
    if run.is_complete("train"):
        return run.read_train_state().get("summary", {})
    if plan.train is None:
        summary = _calibrate(out, model, settings, plan, clock, card, max_steps, echo)
        save()
        if summary is not None:
            return summary
    tasks = plan.tasks
    load_s = plan.train.load_s
    after = (tasks.predicted_tuned_s if tasks else 0.0) + B.export_estimate(load_s) + B.REPORT_S
    # Room for one more train() call: the one that publishes adapter/ if the deadline stops this one.
    # ... and for the run's validation, which follows its last step
    guard = StepGuard(deadline=clock.end - after - load_s - plan.train.validate_s, step_estimate_s=plan.train.seconds_per_step)
    resume = bool(list_checkpoints(run.checkpoints))
    summary = _call(out, model, settings, plan.train.steps, guard, resume, echo)
    if summary is not None:
        return summary
    done = guard.stopped_at or plan.train.calibration_steps
    echo(f"   deadline: stopped after {done} of {plan.train.steps} steps; publishing the adapter")
    plan.train.capped = f"deadline: stopped after {done} of {plan.train.steps} planned steps"
    plan.train.steps = done
    save()
    return _call(out, model, settings, done, StepGuard(), True, echo)
