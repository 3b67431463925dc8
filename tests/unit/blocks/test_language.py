"""Parse/print of the text language: canonical round trip and errors a teacher can act on."""

import pytest

from codehone.blocks.lang.nodes import Call, Define, Num, Str
from codehone.blocks.lang.parser import parse
from codehone.blocks.lang.printer import format_program
from codehone.blocks.lang.tokens import BlockSyntaxError

from .examples import ALL


@pytest.mark.parametrize("name", sorted(ALL))
def test_examples_print_back_unchanged(name):
    program = parse(ALL[name])
    assert format_program(program) == ALL[name]
    assert parse(format_program(program)) == program


def test_parsed_structure_holds_scratch_values():
    p = parse('when_flag_clicked():\n    if_(touching("edge")):\n        say(join("Hi ", answer()))\n'
              '    else_():\n        go_to("random position")\n')
    body = p.sprites[0].scripts[0].body
    assert body[0].opcode == "control_if_else"
    assert body[0].args == (Call("sensing_touchingobject", (Str("_edge_"),)),)
    assert body[0].bodies[1] == (Call("motion_goto", (Str("_random_"),)),)


def test_printing_is_canonical():
    messy = ("# a comment\nsprite('Sprite1'):\n  when_flag_clicked():   # go\n     move(010)\n"
             "     turn_right(1.50,)\n     say('it\\'s')\n")
    assert format_program(parse(messy)) == 'when_flag_clicked():\n    move(10)\n    turn_right(1.5)\n    say("it\'s")\n'


def test_numbers_and_text_stay_distinct():
    p = parse('when_flag_clicked():\n    say(5)\n    say("5")\n    move(-2.5)\n')
    assert [c.args[0] for c in p.sprites[0].scripts[0].body] == [Num("5"), Str("5"), Num("-2.5")]


def test_custom_block_short_and_full_proccodes():
    p = parse('define("square", "size"):\n    move(arg("size"))\ndefine("jump %s high %b", "h", "ok"):\n'
              '    if_(arg_bool("ok")):\n        change_y_by(arg("h"))\n')
    d1, d2 = p.sprites[0].scripts
    assert isinstance(d1, Define) and d1.proccode == "square %s" and d1.argnames == ("size",)
    assert d2.proccode == "jump %s high %b" and d2.argkinds == ("s", "b")
    assert format_program(p).splitlines()[0] == 'define("square", "size"):'


def test_empty_c_block_and_empty_sprite_round_trip():
    text = 'sprite("A"):\n    when_flag_clicked():\n        repeat(3):\n        forever():\nsprite("B"):\n'
    assert format_program(parse(text)) == text


def _error(text: str) -> BlockSyntaxError:
    with pytest.raises(BlockSyntaxError) as e:
        parse(text)
    return e.value


@pytest.mark.parametrize("text,line,column,words", [
    ("when_flag_clicked():\n    mvoe(10)\n", 2, 5, ["unknown block 'mvoe'", "Did you mean 'move'"]),
    ("when_flag_clicked():\n    go_to_xy(10)\n", 2, 5, ["go_to_xy() needs 2 values (x, y)", "got 1"]),
    ("when_flag_clicked():\n    move(\"ten\")\n", 2, 10, ["needs a number for its steps"]),
    ("when_flag_clicked():\n    move(\"10\")\n", 2, 10, ["remove the quotes: 10"]),
    ("when_flag_clicked():\n    if_(5):\n        move(1)\n", 2, 9, ["needs a condition"]),
    ("when_flag_clicked():\n    if_(answer()):\n        move(1)\n", 2, 9, ["round value block"]),
    ("when_flag_clicked():\n    say(answer)\n", 2, 9, ["did you mean answer()"]),
    ("when_flag_clicked():\n    say(score)\n", 2, 9, ['variable("score")']),
    ("when_flag_clicked():\n    move(1 + 2)\n", 2, 12, ["use add(a, b)"]),
    ("when_flag_clicked():\n    repeat(3)\n        move(1)\n", 2, 5, ["end the line with ':'"]),
    ("when_flag_clicked():\n    forever():\n        move(1)\n    move(2)\n", 4, 5, ["nothing can come after forever()"]),
    ("when_flag_clicked():\n    answer()\n", 2, 5, ["is a value, not a block to stack"]),
    ("when_flag_clicked():\n    say(move(3))\n", 2, 9, ["not a value"]),
    ("move(10)\n", 1, 1, ["must start with an event"]),
    ("when_key_pressed(\"spce\"):\n    move(1)\n", 1, 18, ["'spce' is not a choice", "Did you mean 'space'"]),
    ("when_flag_clicked():\n    set_pen_color_to(\"red\")\n", 2, 22, ["#rrggbb"]),
    ("when_flag_clicked():\n    else_():\n", 2, 5, ["must come right after an if_"]),
    ("when_flag_clicked():\n    call(\"sqare\", 4)\ndefine(\"square\", \"n\"):\n", 2, 5,
     ["no custom block 'sqare'", "Did you mean 'square'"]),
    ("when_flag_clicked():\n    move(arg(\"n\"))\n", 2, 10, ["not an argument of this custom block"]),
    ("when_flag_clicked():\n    say(\"hi)\n", 2, 9, ["no closing quote"]),
    ("when_flag_clicked():\n    move(1) move(2)\n", 2, 13, ["only one block per line"]),
    ("when_flag_clicked():\n\tmove(1)\n", 2, 1, ["spaces, not tabs"]),
    ("when_flag_clicked():\n    move(1)\n      move(2)\n", 3, 7, ["unexpected indent"]),
    ("when_flag_clicked():\n    say(\"a\"\n", 2, 12, ["not closed"]),
    ("sprite(\"A\"):\n    when_flag_clicked():\nwhen_flag_clicked():\n", 3, 1, ["inside a sprite"]),
])
def test_errors_name_the_place_and_the_fix(text, line, column, words):
    e = _error(text)
    assert (e.line, e.column) == (line, column), str(e)
    for w in words:
        assert w in str(e), str(e)
    assert str(e).startswith(f"line {line}, column {column}: ")


def test_text_with_quotes_backslashes_and_newlines_round_trips():
    text = 'when_flag_clicked():\n    say("she said \\"hi\\"\\nC:\\\\temp\\tok")\n'
    p = parse(text)
    assert p.sprites[0].scripts[0].body[0].args == (Str('she said "hi"\nC:\\temp\tok'),)
    assert format_program(p) == text
