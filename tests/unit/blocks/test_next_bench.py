"""The `blocks-next` set and the Next-block skill's model-free parts: every task puts back into its
reference, the cursor and grammar allow only whole blocks where a block can go, and scoring counts
top-1 and top-3 at the three levels."""

from __future__ import annotations

import collections

import pytest

from codehone.blocks.copilot.bench import load_benchmark
from codehone.blocks.copilot.next_bench import (arguments_shown, build_next_benchmark, removable, score_next,
                                                summarize_next, summary_line, take_out)
from codehone.blocks.copilot.next_block import block_at, canonical_lines, cursor_at, next_grammar, place_block
from codehone.blocks.lang.parser import parse
from codehone.blocks.lang.printer import format_program
from codehone.errors import UserError

NEXT = load_benchmark(bench="blocks-next")
PROGRAM = ("when_flag_clicked():\n    pen_down()\n    repeat(4):\n        move(50)\n        turn_right(90)\n"
           "    pen_up()\n")


def test_shipped_next_benchmark_is_what_the_builder_makes():
    assert build_next_benchmark() == NEXT


def test_shape_size_and_sources():
    assert len(NEXT) >= 120 and len({t["task_id"] for t in NEXT}) == len(NEXT)
    sources = {t["task_id"]: t for t in load_benchmark()}
    assert len({t["source_task"] for t in NEXT}) == len(NEXT)  # one task per held-out program
    assert all(t["reference"] == sources[t["source_task"]]["reference"] for t in NEXT)
    kinds = collections.Counter(t["kind"] for t in NEXT)
    assert kinds["block"] >= 100 and kinds["c-block"] >= 10


@pytest.mark.parametrize("task", NEXT, ids=[t["task_id"] for t in NEXT])
def test_putting_the_removed_block_back_restores_the_reference(task):
    lines = task["program"].splitlines()
    restored = lines[: task["at"]] + task["removed"] + lines[task["at"]:]
    assert "".join(ln + "\n" for ln in restored) == format_program(parse(task["reference"]))
    parse(task["program"])  # what is left is a program
    assert task["block"] == task["removed"][0]
    cursor = cursor_at(lines, task["at"])
    line, _, prog = place_block(cursor, "\n" + task["block"])  # the header alone is a valid suggestion too
    assert line == task["block"] and block_at(prog, task["at"] + 1).opcode == task["opcode"]


def test_take_out_takes_a_c_block_with_its_body_and_else():
    lines = ["when_flag_clicked():", "    if_(key_pressed(\"space\")):", "        say(\"a\")", "    else_():",
             "        say(\"b\")", "    hide()"]
    assert removable(lines) == [1, 2, 4, 5]
    left, removed = take_out(lines, 1)
    assert left == ["when_flag_clicked():", "    hide()"] and removed == lines[1:5]
    assert take_out(lines, 2) == (lines[:2] + lines[3:], ["        say(\"a\")"])


def test_cursor_indents_and_errors():
    lines = canonical_lines(PROGRAM)
    assert cursor_at(lines, 3).indents == (8,)  # after a C-block header: its body
    assert cursor_at(lines, 5).indents == (8, 4)  # the loop's last block: inside it or after it
    assert cursor_at(lines).at == 6 and cursor_at(lines).indents == (4,)
    assert cursor_at(lines, 1).prefix == "when_flag_clicked():" and cursor_at(lines, 1).suffix.startswith("\n    pen")
    for bad in (0, 7, -1):
        with pytest.raises(UserError, match="out of range: the program has 6 lines"):
            cursor_at(lines, bad)
    with pytest.raises(UserError, match="sprite header"):
        cursor_at(['sprite("Cat"):', "    when_flag_clicked():", "        hide()"], 1)
    with pytest.raises(UserError, match="does not parse"):
        canonical_lines("when_flag_clicked():\n    fly_to_moon()\n")
    define = canonical_lines('define("sq", "size"):\n    move(arg("size"))\n')
    assert cursor_at(define, 2).in_define


@pytest.mark.parametrize("text, ok", [
    ("\n        move(10)", True),
    ("\n    say(\"done\")", True),
    ("\n    repeat(2):", True),  # a C-block header: its body starts empty
    ("\n    forever():", False),  # a forever in the middle of a stack: the parser refuses what the grammar cannot see
    ("\n    # a comment", False),  # not a block
    ("\nwhen_flag_clicked():", False),  # a hat is not a stack block
    ("\n    move(10)\n    move(20)", False),  # two blocks
    ("\n      move(10)", False),  # no indentation level
    ("\n    fly_to_moon()", False),
    ("\n    call(\"square\", 5)", False),  # a custom block that is not defined
])
def test_place_block_keeps_only_one_whole_valid_block(text, ok):
    placed = place_block(cursor_at(canonical_lines(PROGRAM), 5), text)
    assert (placed is not None) == ok
    if ok:
        line, program, _ = placed
        assert line == text.strip("\n") and len(canonical_lines(program)) == 7


def test_next_grammar_is_one_line_at_the_allowed_indents():
    g = next_grammar((8, 4))
    root = g.splitlines()[0]
    assert root.startswith('root ::= "\\n" ("        " | "    ") (simple |') and "chead \":\"" in root
    assert sum(ln.startswith("root ::=") for ln in g.splitlines()) == 1
    assert "(simple-p | term-p" in next_grammar((4,), True).splitlines()[0]  # arg() inside a define


TASK = {"task_id": "t", "family": "f", "kind": "block", "block": "        move(50)", "opcode": "motion_movesteps"}


@pytest.mark.parametrize("suggested, ranks", [
    (["        move(50)"], (1, 1, 1)),
    (["    move(50)", "        move(50)"], (1, 1, 2)),  # right block, wrong place first
    (["        move(10)", "    hide()", "        move(50)"], (1, 3, 3)),
    (["    hide()", "    show()", "    erase_all()", "        move(50)"], (None, None, None)),  # 4th is not top-3
    ([], (None, None, None)),
])
def test_score_next_ranks_at_three_levels(suggested, ranks):
    opcodes = {"move": "motion_movesteps", "hide": "looks_hide", "show": "looks_show", "erase_all": "pen_clear"}
    row = score_next(TASK, [{"line": s, "opcode": opcodes[s.strip().split("(")[0]]} for s in suggested])
    assert (row["rank_opcode"], row["rank_block"], row["rank_line"]) == ranks
    for level, rank in zip(("opcode", "block", "line"), ranks):
        assert row[f"top1_{level}"] == (rank == 1) and row[f"top3_{level}"] == (rank is not None)


def test_summary_rates_and_latency():
    rows = [score_next(TASK, [{"line": "        move(50)", "opcode": "motion_movesteps"}]),
            score_next(TASK, [{"line": "    hide()", "opcode": "looks_hide"},
                              {"line": "    move(50)", "opcode": "motion_movesteps"}])]
    samples = [{"seconds": 0.1, "tokens": 5, "invalid": 1}, {"seconds": 0.3, "tokens": 7, "invalid": 0}]
    s = summarize_next(rows, samples, {"model": "m", "grammar": True})
    assert s["tasks"] == 2 and s["top1_opcode"] == 0.5 and s["top3_opcode"] == 1.0
    assert s["top1_block"] == 0.5 and s["top3_block"] == 1.0 and s["top3_line"] == 0.5
    assert s["p50_ms"] == 200.0 and s["invalid_candidates"] == 1 and s["tokens"] == 12


@pytest.mark.parametrize("block, shown, expected", [
    ("        move(40)", "repeat(10):\n    move(40)\n", True),
    ("        move(40)", "a decagon with edges 40.", True),          # a number ending a sentence
    ("        move(4)", "repeat(10):\n    move(40)\n", False),      # 4 is not written, only 40
    ("        move(40)", "when_flag_clicked():\n    move(4.0)\n", False),
    ('    say("Hop!")', 'when space is pressed say "hop!"', True),    # a text anywhere, case ignored
    ('    say("Hop!")', "when space is pressed say hop", False),
    ("    go_to_xy(-50, 50)", "go_to_xy(-50, 80)\nmove(50)", True),
    ("    go_to_xy(-50, 50)", "go_to_xy(50, 50)", False),             # the sign is part of the number
    ("    pen_down()", "", True),                                     # nothing to read: shown
])
def test_arguments_shown(block, shown, expected):
    assert arguments_shown(block, shown) is expected


def test_rows_and_summary_split_by_arguments_in_view():
    polygon = {**TASK, "program": "when_flag_clicked():\n    repeat(5):\n        turn_right(72)\n"}
    right = [{"line": "        move(50)", "opcode": "motion_movesteps"}]
    rows = [score_next(polygon, right),                                  # 50 is not in the program
            score_next(polygon, right, shown=polygon["program"] + "\na pentagon with sides of 50"),
            score_next(polygon, [{"line": "    hide()", "opcode": "looks_hide"}], shown="move(50)")]
    assert [r["args_shown"] for r in rows] == [False, True, True]
    s = summarize_next(rows, [{"seconds": 0.1}] * 3, {"model": "m", "grammar": True})
    assert s["by_args_shown"] == {"shown": {"tasks": 2, "top3_block": 1}, "not_shown": {"tasks": 1, "top3_block": 1}}
    assert "in view 1/2, not in view 1/1" in summary_line(s)
