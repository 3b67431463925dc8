"""The streaming parser: every prefix is a valid program of its complete lines; the end is exact."""

import re

import pytest

from codehone.blocks.lang.parser import parse
from codehone.blocks.lang.printer import format_program
from codehone.blocks.lang.stream import StreamParser
from codehone.blocks.lang.tokens import BlockSyntaxError
from codehone.blocks.runtime.interpreter import run_program

from .examples import ALL, HEXAGON


def _chunks(text: str) -> list[str]:
    return re.findall(r"\w+|\s+|.", text)  # roughly how a BPE tokenizer cuts code


@pytest.mark.parametrize("name", sorted(ALL))
def test_every_prefix_is_a_valid_program_and_the_end_is_exact(name):
    text = ALL[name]
    s = StreamParser()
    fed = ""
    for chunk in _chunks(text):
        s.feed(chunk)
        fed += chunk
        snap = s.snapshot()
        assert parse(format_program(snap)) == snap  # printable and parseable
        complete = fed[: fed.rfind("\n") + 1]
        if s.error is None:  # (a call above its define waits for the define: see the module notes)
            assert snap == parse(complete)
    assert s.finish() == parse(text)
    assert s.error is None


def test_partial_line_is_left_out_and_open_blocks_are_closed():
    s = StreamParser()
    s.feed("when_flag_clicked():\n    pen_down()\n    repeat(6):\n        mo")
    assert format_program(s.snapshot()) == "when_flag_clicked():\n    pen_down()\n    repeat(6):\n"
    run_program(s.snapshot())  # runnable as it stands
    s.feed("ve(50)\n")
    assert "        move(50)\n" in format_program(s.snapshot())
    assert s.lines == 4


def test_else_joins_the_open_if_and_forever_can_be_empty():
    s = StreamParser()
    for line in ["when_flag_clicked():", "    if_(mouse_down()):", "        say(1)", "    else_():",
                 "        say(2)", "    forever():"]:
        s.feed(line + "\n")
        assert s.error is None, s.error
    assert s.snapshot() == parse("when_flag_clicked():\n    if_(mouse_down()):\n        say(1)\n    else_():\n"
                                 "        say(2)\n    forever():\n")
    trace = run_program(s.snapshot(), max_steps=500)
    assert trace["stopped_by_cap"] and trace["said"][:1] == ["2"]


def test_sprite_sections_stream():
    text = ALL["two_sprites"]
    s = StreamParser()
    for line in text.splitlines(keepends=True):
        s.feed(line)
    assert [sp.name for sp in s.snapshot().sprites] == ["Cat", "Dog"]
    assert s.snapshot() == parse(text)


def test_a_bad_line_is_reported_and_the_last_good_snapshot_kept():
    s = StreamParser()
    s.feed(HEXAGON.split("    repeat")[0])
    good = s.snapshot()
    done = s.feed("    jump(5)\n")
    assert done == ["    jump(5)"]
    assert s.error is not None and s.error.line == 4
    assert s.snapshot() == good
    with pytest.raises(BlockSyntaxError, match="line 4"):
        s.finish()


def test_forward_reference_resolves_when_the_define_arrives():
    s = StreamParser()
    for line in ALL["square_proc"].splitlines(keepends=True):
        s.feed(line)
    assert s.error is None
    assert s.snapshot() == parse(ALL["square_proc"])


def test_comments_blank_lines_and_a_refusal():
    s = StreamParser()
    s.feed("# I can only make block programs.\n")
    assert s.snapshot() == parse("") and s.error is None
    s = StreamParser()
    s.feed("when_flag_clicked():\n\n    # draw\n    move(1)\n")
    assert s.snapshot() == parse("when_flag_clicked():\n    move(1)\n")
