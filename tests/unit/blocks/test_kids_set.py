"""The hand-written `blocks-kids` set: well-formed, every reference passes its own check, and the
checks of the issue's failure classes reject the wrong programs they are there to catch."""

from __future__ import annotations

import json

import pytest

from codehone.blocks.copilot.bench import load_benchmark
from codehone.blocks.copilot.evaluate import score
from codehone.blocks.runtime.checks import validate

KIDS = load_benchmark(bench="blocks-kids")


def test_shape_and_size():
    assert len(KIDS) >= 150
    assert len({t["task_id"] for t in KIDS}) == len(KIDS)
    assert len({t["prompt"] for t in KIDS}) == len(KIDS)
    for t in KIDS:
        assert set(t) == {"task_id", "family", "prompt", "check", "answers", "events", "reference"}
        validate(t["check"])
    families = {t["family"] for t in KIDS}
    assert {"rectangle", "say_secs", "answer_math", "forever", "greeting", "spanish"} <= families


def test_held_out_from_the_blocks_benchmark():
    assert not {t["prompt"] for t in KIDS} & {t["prompt"] for t in load_benchmark()}


@pytest.mark.parametrize("task", KIDS, ids=[t["task_id"] for t in KIDS])
def test_every_reference_passes_its_check(task):
    row, _ = score(task, task["reference"])
    assert row["status"] == "passed", (row["detail"], task["reference"])


def _task(task_id: str) -> dict:
    return json.loads(json.dumps(next(t for t in KIDS if t["task_id"] == task_id)))


@pytest.mark.parametrize("task_id, wrong", [
    # a square where a 120 x 60 rectangle was asked for
    ("kids-rectangle-00", "when_flag_clicked():\n    pen_down()\n    repeat(4):\n        move(120)\n        turn_right(90)\n"),
    # thinking instead of saying
    ("kids-say_secs-00", "when_flag_clicked():\n    think_for_secs(\"hello\", 2)\n"),
    # say_for_secs with its arguments swapped says the seconds
    ("kids-answer_math-00", "when_flag_clicked():\n    ask(\"How old are you?\")\n    say_for_secs(2, add(answer(), 1))\n"),
    # forever turned into a repeat
    ("kids-forever-00", "when_flag_clicked():\n    repeat(24):\n        turn_right(15)\n"),
    # greeting with extra words
    ("kids-greeting-00", "when_flag_clicked():\n    say(\"Good morning, Sam! How are you?\")\n"),
    # English where Spanish was asked for
    ("kids-spanish-00", "when_flag_clicked():\n    say(\"Hello\")\n"),
])
def test_checks_reject_the_failure_classes(task_id, wrong):
    row, _ = score(_task(task_id), wrong)
    assert row["status"] == "failed", row["detail"]


def test_unknown_bench_name_is_a_clear_error():
    with pytest.raises(ValueError, match="blocks-kids"):
        load_benchmark(bench="blocks-kid")
