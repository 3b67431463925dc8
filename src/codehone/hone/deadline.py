"""Stop training at a step count or a wall-clock deadline, without touching the training loop.

``train.lora.train`` takes a ``loss_hook`` (train/start.py, ``LossHook``): an object whose
``row_loss`` computes each row's loss. ``StepGuard`` computes the ordinary cross-entropy
(``lora.row_loss``, the same call the loop makes without a hook) and, at the first row of a step,
decides whether that step may start:

* ``stop_at_step``: the calibration run stops after its first few steps;
* ``deadline`` (``time.monotonic()`` seconds): a step that would end past it does not start
  (after ``min_steps``, one by default: an adapter of no step is no result).

To stop, it raises ``GuardStop``, a KeyboardInterrupt: the loop handles it as a Ctrl-C between
steps (nothing of the step was computed yet), saves a checkpoint of the finished steps and raises
TrainError. The caller (pipeline.py) then finishes the run with ``--resume`` and
``max_steps`` = the steps done, which publishes ``adapter/`` exactly as a run of that length would.

Its ``metrics`` add two numbers to every training log row: ``step_s`` (the step's wall time, from
its first row to its log row) and ``rss_mb`` (the process's peak resident memory so far, from
``getrusage``; it includes the llama.cpp model of the benchmark that ran before in this process).

``state`` is None, as for a run without a hook, so a run started or resumed by ``codehone train``
accepts these checkpoints and the other way round.
"""

from __future__ import annotations

import resource
import sys
import time


class GuardStop(KeyboardInterrupt):
    """Raised between steps by StepGuard; caught by the training loop like a Ctrl-C."""


def peak_rss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return round(kb / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


class StepGuard:
    def __init__(self, *, stop_at_step: int | None = None, deadline: float | None = None,
                 step_estimate_s: float = 0.0, min_steps: int = 1):
        self.stop_at_step = stop_at_step
        self.min_steps = min_steps  # steps the deadline never stops before: a run has an adapter
        self.deadline = deadline
        self.step_estimate_s = step_estimate_s  # until a step of this run is measured
        self.fired: str | None = None  # why it stopped the run: "steps" or "deadline"
        self.stopped_at: int | None = None
        self._step: int | None = None
        self._t0 = 0.0
        self._last_s = 0.0

    # --- LossHook ------------------------------------------------------------------------------

    def prepare(self, **_) -> None:
        return None

    def row_loss(self, model, batch: dict, device, *, step: int, row: list[int]):
        from codehone.train.lora import row_loss

        if step != self._step:  # the first row of a new step: may it start?
            self._check(step)
            self._step, self._t0 = step, time.perf_counter()
        return row_loss(model, batch, device)

    def state(self) -> dict | None:
        return None

    def metrics(self) -> dict:
        self._last_s = time.perf_counter() - self._t0
        return {"step_s": round(self._last_s, 3), "rss_mb": peak_rss_mb()}

    # --- the decision --------------------------------------------------------------------------

    def _check(self, step: int) -> None:
        if self.stop_at_step is not None and step >= self.stop_at_step:
            self._stop("steps", step)
        if self.deadline is not None and step >= self.min_steps:
            expected = max(self._last_s, self.step_estimate_s)
            if time.monotonic() + expected > self.deadline:
                self._stop("deadline", step)

    def _stop(self, why: str, step: int) -> None:
        self.fired, self.stopped_at = why, step
        raise GuardStop(f"{why}: stop before step {step + 1}")
