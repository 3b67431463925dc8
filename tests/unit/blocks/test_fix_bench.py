"""The `blocks-fix` set and the Fix skill's judging: every planted bug is real, a fix must pass the
original check and stay small, and `evaluate_set` scores both named sets."""

from __future__ import annotations

import collections

import pytest

from codehone.backends.base import Completion, Result
from codehone.blocks.copilot.bench import load_benchmark
from codehone.blocks.copilot.fix import FIX_SLACK, block_distance, fix_messages, score_fix
from codehone.blocks.copilot.fix_bench import KINDS, breaks_check, candidates
from codehone.blocks.copilot.skill_eval import evaluate_set
from codehone.errors import UserError

FIX = load_benchmark(bench="blocks-fix")


def test_shape_size_and_kinds():
    assert len(FIX) >= 120
    assert len({t["task_id"] for t in FIX}) == len(FIX)
    kinds = collections.Counter(t["family"] for t in FIX)
    assert set(kinds) == set(KINDS) and min(kinds.values()) >= 5
    sources = {t["task_id"]: t for t in load_benchmark()}
    for t in FIX:
        src = sources[t["source_task"]]
        assert t["check"] == src["check"] and t["reference"] == src["reference"] and t["prompt"] == src["prompt"]
        assert t["complaint"].strip() and "{" not in t["complaint"]
        assert t["bug"]["size"] == block_distance(t["program"], t["reference"]) >= 1


@pytest.mark.parametrize("task", FIX, ids=[t["task_id"] for t in FIX])
def test_every_planted_bug_breaks_the_check_and_the_reference_fixes_it(task):
    assert breaks_check(task, task["program"])
    row, _ = score_fix(task, task["reference"])
    assert row["status"] == "passed", row["detail"]
    unchanged, _ = score_fix(task, task["program"])
    assert unchanged["status"] == "failed"


def test_candidates_that_still_pass_are_dropped():
    task = next(t for t in load_benchmark() if t["task_id"] == "polygon-03")
    kinds = {kind for program, kind in candidates(task) if breaks_check(task, program)}
    assert {"wrong_angle", "missing_pen_down", "wrong_repeat"} <= kinds
    # pen_up() at the end is no bug: removing it is not a candidate, and a no-op keeps passing
    assert not breaks_check(task, task["reference"])


def test_a_passing_rewrite_is_reported_apart():
    task = next(t for t in FIX if t["family"] == "wrong_angle")
    extra = "".join(f"    say(\"line {i}\")\n" for i in range(task["bug"]["size"] + FIX_SLACK + 1))
    rewrite = task["reference"].replace("():\n", "():\n" + extra, 1)
    row, _ = score_fix(task, rewrite)
    assert row["status"] == "rewrite" and "changes" in row["detail"]


def test_block_distance_counts_lines():
    a = "when_flag_clicked():\n    move(10)\n    turn_right(90)\n"
    assert block_distance(a, a) == 0
    assert block_distance(a, a.replace("90", "80")) == 1
    assert block_distance(a, "when_flag_clicked():\n    turn_right(90)\n    move(10)\n") == 2


def test_fix_prompt_carries_program_and_complaint():
    msgs = fix_messages("when_flag_clicked():\n    move(10)\n", "nothing is drawn")
    assert msgs[0]["role"] == "system" and len(msgs) == 4
    assert "move(10)" in msgs[-1]["content"] and "nothing is drawn" in msgs[-1]["content"]
    with pytest.raises(ValueError):
        fix_messages("x", "y", shots=2)


class Canned:
    """Answers a fix with the task's reference, a kids request with its reference."""

    name = "canned"

    def __init__(self, bench: str):
        tasks = load_benchmark(bench=bench)
        self.by_text = {t["program"] if bench == "blocks-fix" else t["prompt"]: t["reference"] for t in tasks}
        self.calls = 0

    def generate(self, request, params, on_text=None):
        self.calls += 1
        user = request.messages[-1]["content"]
        ref = next((r for k, r in self.by_text.items() if k.rstrip() in user), "")
        return Result([Completion(ref, "stop", 5)], prompt_tokens=50, total_seconds=0.01, backend="canned")


@pytest.mark.parametrize("bench, ids", [
    ("blocks-fix", ["fix-wrong_angle-00", "fix-say_ask_order-00", "fix-wrong_script-00"]),
    ("blocks-kids", ["kids-rectangle-00", "kids-spanish-01", "kids-answer_math-00"]),
])
def test_evaluate_set_scores_and_resumes(tmp_path, bench, ids):
    s = evaluate_set(Canned(bench), tmp_path, bench, grammar=False, tasks=ids, progress=False)
    assert s["bench"] == bench and s["tasks"] == 3 and s["pass_rate"] == 1.0
    assert ("rewrite" in s) == (bench == "blocks-fix")
    for f in ("samples.jsonl", "results.jsonl", "summary.json", "report.md", "report.html"):
        assert (tmp_path / f).exists()
    again = Canned(bench)
    assert evaluate_set(again, tmp_path, bench, grammar=False, tasks=ids, progress=False) == s and again.calls == 0
    with pytest.raises(UserError, match="grammar"):
        evaluate_set(again, tmp_path, bench, grammar=True, tasks=ids, progress=False)


def test_unknown_set_is_a_clear_error(tmp_path):
    with pytest.raises(UserError, match="blocks-kids"):
        evaluate_set(Canned("blocks-kids"), tmp_path, "blocks", progress=False)


def test_a_loop_made_forever_is_complained_about_with_its_count():
    """Version 2: "it never stops" alone left the fixer to guess N; the complaint now says it, and it
    is the count of the reference's repeat at the line the bug changed."""
    import re as _re

    from codehone.blocks.copilot.fix_bench import _REPEAT, build_fix_benchmark
    from codehone.blocks.lang.parser import parse as _parse
    from codehone.blocks.lang.printer import format_program as _fmt

    rows = [r for r in build_fix_benchmark() if r["bug"]["kind"] == "repeat_to_forever"]
    assert len(rows) >= 10
    for r in rows:
        ref = _fmt(_parse(r["reference"])).splitlines()
        wanted = _REPEAT.match(ref[r["bug"]["line"] - 1]).group(2)
        assert _re.search(rf"\b{wanted}\b", r["complaint"]), (r["complaint"], wanted)
