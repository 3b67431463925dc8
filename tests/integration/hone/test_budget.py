"""The budget planner sizes the benchmark and the training from measured speeds (budget.py), and
the training guard stops at a step or a deadline (deadline.py)."""

from __future__ import annotations

import time

import pytest

from codehone.errors import UserError
from codehone.hone import budget as B
from codehone.hone.deadline import GuardStop, StepGuard


@pytest.mark.parametrize("text,seconds", [("30m", 1800), ("1h30m", 5400), ("90s", 90), ("2h", 7200), ("45", 2700),
                                          ("1.5m", 90), (" 10 min ", 600)])
def test_budget_strings(text, seconds):
    assert B.parse_budget(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "30x", "m", "0m", "-5m", "30m later"])
def test_bad_budget_is_a_user_error(text):
    with pytest.raises(UserError, match="--budget"):
        B.parse_budget(text)


def test_tasks_follow_the_measured_speed():
    # 2 s a task, 30 minutes left: both passes cost 4.3 s a task; 40% of the time holds 166.
    fast = B.size_tasks(1800, 2.0, available=300)
    assert fast.chosen == int(0.4 * 1800 / (2.0 * (1 + B.TUNED_EVAL_FACTOR)))
    assert fast.predicted_base_s == pytest.approx(fast.chosen * 2.0, abs=0.1)
    assert fast.predicted_tuned_s == pytest.approx(fast.chosen * 2.0 * B.TUNED_EVAL_FACTOR, abs=0.1)
    assert "budget" in fast.capped
    # Four times slower: fewer tasks, up to 60% of the time for the first hundred.
    slow = B.size_tasks(1800, 8.0, available=300)
    assert slow.chosen == int(0.6 * 1800 / (8.0 * (1 + B.TUNED_EVAL_FACTOR))) < fast.chosen
    # Everything fits: all tasks, no cap; --limit caps and says so; a tiny budget still scores a few.
    assert B.size_tasks(1800, 0.5, available=120).chosen == 120 and not B.size_tasks(1800, 0.5, available=120).capped
    limited = B.size_tasks(1800, 0.5, available=120, limit=30)
    assert limited.chosen == 30 and limited.capped == "--limit 30"
    assert B.size_tasks(5, 10.0, available=50).chosen == B.MIN_TASKS


def test_steps_follow_the_measured_speed():
    plan = B.size_steps(1000, calibration_steps=3, seconds_per_step=10.0, load_s=20.0, tokens_per_s=200.0,
                        after_train_s=300.0, budget_s=1800)
    room = 1000 - 300 - 20 - B.SAFETY * 1800
    assert plan.steps == 3 + int(room // 10.0)
    assert plan.predicted_train_s == pytest.approx(20 + (plan.steps - 3) * 10.0)
    twice_as_slow = B.size_steps(1000, calibration_steps=3, seconds_per_step=20.0, load_s=20.0, tokens_per_s=100.0,
                                 after_train_s=300.0, budget_s=1800)
    assert twice_as_slow.steps - 3 == (plan.steps - 3) // 2
    capped = B.size_steps(1000, calibration_steps=3, seconds_per_step=1.0, load_s=1.0, tokens_per_s=1.0,
                          after_train_s=0.0, budget_s=1800, max_steps=12)
    assert capped.steps == 12 and capped.capped == "--max-steps 12"
    none_left = B.size_steps(100, calibration_steps=3, seconds_per_step=10.0, load_s=20.0, tokens_per_s=1.0,
                             after_train_s=300.0, budget_s=1800)
    assert none_left.steps == 3 and "budget" in none_left.capped


def test_step_speed_reads_the_log():
    rows = [{"step": 1, "step_s": 30.0, "tokens_per_s": 60.0}, {"step": 2, "step_s": 10.0, "tokens_per_s": 200.0},
            {"step": 3, "step_s": 12.0, "tokens_per_s": 180.0}]
    step_s, tps = B.step_speed(rows)
    assert step_s == 12.0 and tps == pytest.approx(190.0)  # the first (warm-up) step left out
    # Without the guard's step_s: differences of elapsed_s.
    assert B.step_speed([{"step": 1, "elapsed_s": 5.0}, {"step": 2, "elapsed_s": 9.0}])[0] == pytest.approx(4.0)


def test_guard_stops_at_a_step_and_at_a_deadline(monkeypatch):
    import codehone.train.lora as lora

    monkeypatch.setattr(lora, "row_loss", lambda model, batch, device: ("loss", 1))
    guard = StepGuard(stop_at_step=2)
    assert guard.row_loss(None, {}, "cpu", step=0, row=[0]) == ("loss", 1)
    assert guard.row_loss(None, {}, "cpu", step=0, row=[1]) == ("loss", 1)  # same step: no new decision
    m = guard.metrics()
    assert m["step_s"] >= 0 and m["rss_mb"] > 0
    guard.row_loss(None, {}, "cpu", step=1, row=[0])
    with pytest.raises(KeyboardInterrupt):  # the loop handles it as a Ctrl-C between steps
        guard.row_loss(None, {}, "cpu", step=2, row=[0])
    assert (guard.fired, guard.stopped_at) == ("steps", 2)
    assert guard.state() is None  # checkpoints stay compatible with plain `codehone train --resume`

    # A step expected to take 5 s does not start 2 s before the deadline.
    late = StepGuard(deadline=time.monotonic() + 2, step_estimate_s=5.0)
    with pytest.raises(GuardStop):
        late.row_loss(None, {}, "cpu", step=4, row=[0])
    assert late.fired == "deadline" and late.stopped_at == 4
    early = StepGuard(deadline=time.monotonic() + 60, step_estimate_s=5.0)
    assert early.row_loss(None, {}, "cpu", step=4, row=[0]) == ("loss", 1)


def test_the_tuned_pass_is_replanned_from_the_whole_base_pass():
    plan = B.size_tasks(1800, 10.0, available=40)  # a slow calibration (a busy machine)
    assert plan.predicted_tuned_s == pytest.approx(40 * 10.0 * B.TUNED_EVAL_FACTOR)
    plan.measured(36 * 4.0, 36)  # the rest of the pass ran at 4 s a task
    assert plan.predicted_tuned_s == pytest.approx(40 * 4.0 * B.TUNED_EVAL_FACTOR) and plan.measured_base_s == 144
    plan.measured(0.0, 0)  # nothing new ran (a resumed pass): the prediction stands
    assert plan.predicted_tuned_s == pytest.approx(40 * 4.0 * B.TUNED_EVAL_FACTOR)


def test_a_budget_below_the_fixed_costs_is_named_and_survives_a_resume():
    # 300 s gone, then publish (40 s) + export/tuned pass/report (120 s): 460 s, past 360 s + 10%
    floor = B.floor_estimate(300.0, after_train_s=120.0, publish_s=40.0)
    assert floor == 460.0 and floor > 360 * (1 + B.OVERRUN)
    plan = B.BudgetPlan(360.0, floor_s=floor)
    assert B.BudgetPlan.from_json(plan.to_json()).floor_s == 460.0
    assert B.BudgetPlan.from_json({"budget_s": 360.0}).floor_s == 0.0  # a plan written before the field


def test_the_end_of_run_validation_is_planned():
    """Validation is forward-only (FORWARD_SPEEDUP x the step's tokens/s) and comes out of the training room."""
    v = B.validate_estimate(8 * 900, tokens_per_s=40.0)
    assert v == round(7200 / (40 * B.FORWARD_SPEEDUP), 1) and B.validate_estimate(0, 40.0) == 0.0
    common = dict(calibration_steps=3, seconds_per_step=40.0, load_s=10.0, tokens_per_s=40.0, after_train_s=60.0,
                  budget_s=600.0)
    without, with_val = B.size_steps(400.0, **common), B.size_steps(400.0, validate_s=v, **common)
    room = 400.0 - 60 - 10 - B.SAFETY * 600
    assert without.steps == 3 + int(room // 40) and with_val.steps == 3 + int((room - v) // 40) < without.steps
    assert with_val.validate_s == v
    assert with_val.predicted_train_s == round(10 + (with_val.steps - 3) * 40 + v, 1)
