"""The studio's scratchblocks printer: the library's own wording, every slot in its bracket kind,
C-blocks closed with ``end``, and text that cannot break out of its slot."""

import json
import re

import pytest

from codehone.blocks.lang.catalog import load_catalog
from codehone.blocks.lang.parser import parse
from codehone.blocks.studio.scratchblocks import SPECS_FILE, program_to_scratchblocks


def sb(text: str) -> str:
    return program_to_scratchblocks(parse(text))


def test_square_in_the_library_wording():
    out = sb('when_flag_clicked():\n    erase_all()\n    set_pen_color_to("#ff0000")\n    pen_down()\n'
             '    repeat(4):\n        move(80)\n        turn_right(90)\n    say_for_secs("done!", 2)\n')
    assert out == ("when ⚑ clicked\nerase all\nset pen color to [#ff0000]\npen down\nrepeat (4)\n  move (80) steps\n"
                   "  turn ↻ (90) degrees\nend\nsay [done!] for (2) seconds\n")


def test_if_else_reporters_and_variables():
    out = sb('when_flag_clicked():\n    ask("your name?")\n    set_variable("score", 0)\n'
             '    if_(equals(answer(), "Ana")):\n        say(join("hi ", answer()))\n    else_():\n'
             '        change_variable("score", add(variable("score"), 1))\n    forever():\n        move(1)\n')
    assert "if <(answer) = [Ana]> then\n  say (join [hi ] (answer))\nelse\n" in out
    assert "set [score v] to [0]" in out
    assert "change [score v] by ((score :: variables) + (1))" in out
    assert out.endswith("forever\n  move (1) steps\nend\n")


def test_menus_show_the_childs_spelling_not_scratchs_stored_value():
    out = sb('when_flag_clicked():\n    go_to("random position")\n    if_(touching("edge")):\n        stop("all")\n')
    assert "go to [random position v]" in out and "<touching [edge v]?>" in out and "stop [all v]" in out


def test_custom_blocks_and_several_sprites():
    out = sb('sprite("Cat"):\n    define("square", "size"):\n        repeat(4):\n            move(arg("size"))\n'
             '    when_flag_clicked():\n        call("square", 50)\nsprite("Dog"):\n    when_flag_clicked():\n'
             '        say("woof")\n')
    assert out.startswith("// sprite: Cat\ndefine square (size)\nrepeat (4)\n  move (size :: custom-arg) steps\nend\n")
    assert "square (50) :: custom" in out.replace("[50]", "(50)")
    assert "// sprite: Dog\nwhen ⚑ clicked\nsay [woof]" in out


@pytest.mark.parametrize("text", ["a ] b", "x) (y", "<tag>", "back\\slash"])
def test_text_cannot_break_out_of_its_slot(text):
    out = sb(f'when_flag_clicked():\n    say({json.dumps(text)})\n')
    line = out.splitlines()[1]
    body = line[len("say ["):-1]
    assert line.startswith("say [") and line.endswith("]")
    assert all(body[i - 1] == "\\" for i, ch in enumerate(body) if ch in "[]()<>")  # every bracket escaped


def test_every_catalogue_opcode_has_a_wording():
    """The specs file covers the catalogue, apart from the blocks the printer writes by hand."""
    specs = json.loads(SPECS_FILE.read_text())["specs"]
    by_hand = {"data_variable", "procedures_definition", "procedures_prototype", "procedures_call",
               "argument_reporter_string_number", "argument_reporter_boolean"}
    assert set(load_catalog().blocks) - set(specs) == by_hand
    for opcode, entry in specs.items():
        n = len(load_catalog().spec(opcode).args)
        assert len(re.findall(r"%\d", entry["spec"])) == len(entry["inputs"]), opcode
        assert len(entry["inputs"]) == n, (opcode, entry, n)  # our argument order is the library's


def test_an_empty_program_is_empty_text():
    assert sb("") == ""
