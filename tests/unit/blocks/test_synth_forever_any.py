"""The "forever" modifier family (synth/forever_any.py, issue 18): a looping request of another
family asked forever gives a program whose loop is ``forever``, nothing after it, a check that a
fixed ``repeat`` fails, and no request that also counts its rounds."""

from __future__ import annotations

import random
import re

from codehone.blocks.runtime.checks import run_check
from codehone.blocks.runtime.interpreter import run_program
from codehone.blocks.synth import forever_any as F
from codehone.blocks.synth import pairs as synth
from codehone.blocks.synth.program import Draw


def _pairs(n: int) -> list[synth.Pair]:
    return [F.forever_any(Draw(random.Random(f"forever-any-test:{i}"), "train", "forever_any")) for i in range(n)]


def test_pairs_verify_and_say_forever():
    for pair in _pairs(40):
        assert synth.verify(pair).ok, (pair.prompt, pair.program)
        assert re.search(r"forever|4ever|never stop|dont stop", pair.prompt), pair.prompt
        assert not F._COUNTED.search(pair.prompt), pair.prompt
        lines = pair.program.splitlines()
        at = lines.index("    forever():")
        assert all(x.startswith("        ") for x in lines[at + 1 :]), pair.program  # nothing after the loop


def test_a_fixed_repeat_fails_the_check():
    for pair in _pairs(20):
        counted = pair.program.replace("forever():", "repeat(24):")
        trace = run_program(counted, **synth.RUN_LIMITS)
        assert not run_check(pair.check, trace).ok, (pair.prompt, counted)


def test_the_last_top_level_repeat_becomes_forever():
    body = ["say(\"hi\")", "repeat(3):", "    move(10)", "repeat(4):", "    turn_right(90)", "    move(5)", "pen_up()"]
    assert F._forever_lines(body) == ["say(\"hi\")", "repeat(3):", "    move(10)", "forever():", "    turn_right(90)",
                                      "    move(5)"]
    assert F._forever_lines(["say(\"hi\")"]) is None


def test_parts_come_from_several_families():
    bodies = {p.program.split("forever():\n")[1].split("\n")[0].strip().split("(")[0] for p in _pairs(60)}
    assert {"move", "change_size_by"} <= bodies and len(bodies) >= 3, bodies
