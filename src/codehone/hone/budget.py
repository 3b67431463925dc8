"""The time budget: parse it, and size the benchmark and the training from measured speeds.

``codehone hone --budget 30m`` covers the whole command: data, both benchmark passes, training,
export and report. Nothing is sized from a guess of this machine's speed; each decision waits for
a measurement:

    after data     + a few base-benchmark tasks  -> seconds per task     -> how many tasks
    after the base benchmark + a few training steps -> seconds per step, model load -> how many steps

and the rest of the budget is what is left on the clock, so a slow data build or benchmark leaves
less for training rather than overrunning. Two guards catch a wrong prediction: training stops at
a wall-clock deadline (``deadline.StepGuard``), and the tuned benchmark stops at budget + 10%
minus the report's time, scoring the tasks it reached (the comparison then uses those tasks).

The planner is pure arithmetic over the measurements (``size_tasks``, ``size_steps``), so a test
can check it with made-up speeds; ``pipeline.py`` measures and records the plan in
``RUN/hone_plan.json``.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field

from codehone.errors import UserError

# A LoRA over the quantized base costs llama.cpp extra matmuls per token: the tuned pass is
# planned a little slower than the measured base pass.
TUNED_EVAL_FACTOR = 1.15
# Up to this many tasks the benchmark may take EVAL_SHARE_SMALL of the time left (a gain shown on
# fewer tasks is noise); tasks beyond it only while both passes fit in EVAL_SHARE_LARGE.
TASK_TARGET = 100
EVAL_SHARE_SMALL = 0.6
EVAL_SHARE_LARGE = 0.4
MIN_TASKS = 4  # even a tiny budget scores a few tasks, and says the budget was too small
SAFETY = 0.03  # share of the budget kept free for what the plan does not see (log writes, GC)
REPORT_S = 10.0  # the report: reading the runs, one chart
OVERRUN = 0.10  # the promise: never more than budget + 10%
# Used only before the first measurement, and only to stop early, never to size anything: a task
# when every calibration task was already done by an interrupted run (its timing is lost), and a
# train() call's fixed cost while the calibration steps run.
FALLBACK_TASK_S = 5.0
LOAD_GUESS_S = 45.0
# The finished run's one validation pass is forward-only: about this many times the training
# step's tokens per second (no backward pass, no optimizer). Measured on attrs, 2 cores: 29 rows
# took 150 s after steps at 27-45 tokens/s, unplanned, and overran a 10-minute budget by 10%.
FORWARD_SPEEDUP = 3.0

_UNIT = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(h|min|m|sec|s)")


def parse_budget(text: str) -> float:
    """``"30m"``, ``"1h30m"``, ``"90s"``, ``"2h"`` or a bare number of minutes, in seconds."""
    s = str(text).strip().lower().replace(" ", "")
    if re.fullmatch(r"\d+(\.\d+)?", s):
        seconds = float(s) * 60
    elif s and _PART.sub("", s) == "":
        seconds = sum(float(n) * _UNIT[u] for n, u in _PART.findall(s))
    else:
        raise UserError(f"--budget {text!r} is not a duration; write it like 30m, 1h30m, 90s or 45 (minutes)")
    if seconds <= 0:
        raise UserError(f"--budget {text!r} must be more than zero")
    return seconds


def fmt_seconds(s: float) -> str:
    s = max(0.0, float(s))
    return f"{s:.0f} s" if s < 120 else f"{s / 60:.1f} min"


@dataclass
class TaskPlan:
    """How many benchmark tasks both passes score, and why."""

    available: int
    chosen: int
    seconds_per_task: float  # measured on the base model
    predicted_base_s: float
    predicted_tuned_s: float
    capped: str = ""  # why fewer than available ("" when all)
    measured_base_s: float = 0.0  # the whole base pass, once run: the tuned pass is re-predicted from it

    def measured(self, seconds: float, tasks_run: int) -> None:
        """The base pass took ``seconds`` for ``tasks_run`` new tasks: a better speed than the few
        calibration tasks (more tasks, a warm cache), so the tuned pass is planned from it."""
        if tasks_run > 0:
            self.measured_base_s = round(seconds, 1)
            self.predicted_tuned_s = round(self.chosen * seconds / tasks_run * TUNED_EVAL_FACTOR, 1)


@dataclass
class StepPlan:
    """How many optimizer steps, from the measured calibration steps."""

    calibration_steps: int
    seconds_per_step: float  # measured
    load_s: float  # measured: one train() call's fixed cost (data encode, model load, publish)
    tokens_per_s: float
    steps: int
    predicted_train_s: float
    capped: str = ""
    validate_s: float = 0.0  # predicted: the validation at the end of the run (in predicted_train_s)


@dataclass
class BudgetPlan:
    budget_s: float
    tasks: TaskPlan | None = None
    train: StepPlan | None = None
    predicted: dict[str, float] = field(default_factory=dict)  # stage -> seconds
    actual: dict[str, float] = field(default_factory=dict)
    # The whole run's least possible length on this machine, when it exceeds the promise (budget +
    # OVERRUN): the fixed costs (data, model loads, one step, export, the smallest tuned pass) alone
    # do not fit, so the run says so and names the budget that would (0: the promise holds).
    floor_s: float = 0.0

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict) -> BudgetPlan:
        return cls(budget_s=d["budget_s"], tasks=TaskPlan(**d["tasks"]) if d.get("tasks") else None,
                   train=StepPlan(**d["train"]) if d.get("train") else None,
                   predicted=dict(d.get("predicted") or {}), actual=dict(d.get("actual") or {}),
                   floor_s=float(d.get("floor_s") or 0.0))


def export_estimate(load_s: float) -> float:
    """export --verify loads the base under transformers once more and the GGUF under llama.cpp;
    the GGUF adapter itself is written in seconds. The calibration's load time includes the
    one-time GGUF -> torch conversion (about 2 minutes for the 0.5B, then cached), which export
    does not pay: measured 10 s for the 0.5B on 2 cores after a 114 s first load."""
    return max(15.0, 0.25 * load_s)


def floor_estimate(elapsed_s: float, *, after_train_s: float, publish_s: float) -> float:
    """The least the run can still take, from ``elapsed_s`` in: the rest of training is at least
    the call that publishes the adapter (``publish_s``), then export, the tuned pass and the report."""
    return round(elapsed_s + publish_s + after_train_s, 1)


def size_tasks(left_s: float, seconds_per_task: float, available: int, limit: int = 0,
               train_reserve_s: float = 0.0) -> TaskPlan:
    """Benchmark tasks for both passes, given ``left_s`` seconds left on the clock (after data
    and the calibration tasks) of which ``train_reserve_s`` is already promised elsewhere."""
    pair = max(seconds_per_task, 1e-3) * (1 + TUNED_EVAL_FACTOR)
    room = max(0.0, left_s - train_reserve_s)
    small = math.floor(EVAL_SHARE_SMALL * room / pair)
    large = math.floor(EVAL_SHARE_LARGE * room / pair)
    fits = max(min(TASK_TARGET, small), large)
    n = min(available, fits, limit or available)
    n = max(n, min(MIN_TASKS, available))
    capped = ""
    if n < available:
        capped = (f"--limit {limit}" if limit and limit <= fits else
                  f"budget: both passes at {seconds_per_task:.1f} s a task fit {fits} tasks")
    return TaskPlan(available=available, chosen=n, seconds_per_task=round(seconds_per_task, 3),
                    predicted_base_s=round(n * seconds_per_task, 1),
                    predicted_tuned_s=round(n * seconds_per_task * TUNED_EVAL_FACTOR, 1), capped=capped)


def validate_estimate(valid_tokens: int, tokens_per_s: float) -> float:
    """Seconds for the end-of-run validation over ``valid_tokens`` at a training speed of ``tokens_per_s``."""
    return round(valid_tokens / max(tokens_per_s * FORWARD_SPEEDUP, 1e-3), 1) if valid_tokens else 0.0


def size_steps(left_s: float, *, calibration_steps: int, seconds_per_step: float, load_s: float,
               tokens_per_s: float, after_train_s: float, budget_s: float, max_steps: int = 0,
               validate_s: float = 0.0) -> StepPlan:
    """Total optimizer steps (calibration steps included) for ``left_s`` seconds left on the
    clock, when ``after_train_s`` is needed after training (tuned pass, export, report), one
    more train() call (``load_s``) finishes the run and its validation takes ``validate_s``."""
    room = left_s - after_train_s - load_s - validate_s - SAFETY * budget_s
    extra = max(0, math.floor(room / max(seconds_per_step, 1e-3)))
    steps, capped = calibration_steps + extra, ""
    if max_steps and steps > max_steps:
        steps, capped = max(calibration_steps, max_steps), f"--max-steps {max_steps}"
    elif extra == 0:
        capped = "budget: no time left beyond the calibration steps"
    return StepPlan(calibration_steps=calibration_steps, seconds_per_step=round(seconds_per_step, 3),
                    load_s=round(load_s, 1), tokens_per_s=round(tokens_per_s, 1), steps=steps,
                    predicted_train_s=round(load_s + (steps - calibration_steps) * seconds_per_step + validate_s, 1),
                    capped=capped, validate_s=round(validate_s, 1))


def step_speed(rows: list[dict]) -> tuple[float, float]:
    """(seconds per step, tokens per second) from training log rows with ``step_s`` (the guard's
    measure) or ``elapsed_s``; the first step is left out when there are more (allocator warm-up)."""
    timed = [r for r in rows if r.get("step_s")]
    if not timed:
        ordered = sorted(rows, key=lambda r: r["step"])
        timed = [{"step_s": b["elapsed_s"] - a["elapsed_s"], **b} for a, b in zip(ordered, ordered[1:])] or \
                [{"step_s": r["elapsed_s"], **r} for r in ordered[:1]]
    use = timed[1:] if len(timed) > 1 else timed
    secs = sorted(r["step_s"] for r in use)
    median = secs[len(secs) // 2]
    tps = [r["tokens_per_s"] for r in use if r.get("tokens_per_s")]
    return median, (sum(tps) / len(tps) if tps else 0.0)
