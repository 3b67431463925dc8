"""Behaviour checks judge what a program did, whatever code it used."""

import pytest

from codehone.blocks.runtime.checks import CHECKS, describe, run_check, validate
from codehone.blocks.runtime.interpreter import run_program

from .examples import GREETING, HEXAGON, SPANISH, STAR


def _polygon(n, side, turn=None, start="", repeat=None):
    turn = 360 / n if turn is None else turn
    return (f"when_flag_clicked():\n{start}    pen_down()\n    repeat({repeat or n}):\n"
            f"        move({side})\n        turn_left({turn})\n")


def test_regular_polygon_up_to_translation_and_rotation():
    moved = _polygon(6, 50, start="    go_to_xy(-100, 40)\n    point_in_direction(17)\n")
    for text in (HEXAGON, moved, _polygon(6, 50, repeat=12)):
        assert run_check({"check": "regular_polygon", "sides": 6, "side": 50}, run_program(text)).ok, text


@pytest.mark.parametrize("text,why", [
    (_polygon(5, 50), "5 sides"),
    (_polygon(6, 40), "sides of 40.0 instead of 50"),
    (_polygon(6, 50, turn=59), "no closed shape"),
    ("when_flag_clicked():\n    repeat(6):\n        move(50)\n        turn_right(60)\n", "no closed shape"),
])
def test_regular_polygon_failures_explain_themselves(text, why):
    r = run_check({"check": "regular_polygon", "sides": 6, "side": 50}, run_program(text))
    assert not r.ok and why in r.detail, r.detail


def test_square_star_circle_and_line():
    assert run_check({"check": "square", "side": 80}, run_program(_polygon(4, 80))).ok
    assert not run_check({"check": "square"}, run_program(STAR)).ok
    assert run_check({"check": "star", "points": 5, "side": 100}, run_program(STAR)).ok
    assert not run_check({"check": "star"}, run_program(_polygon(5, 100))).ok
    circle = run_program(_polygon(36, 10))
    assert run_check({"check": "circle"}, circle).ok and not run_check({"check": "circle"}, run_program(HEXAGON)).ok
    assert run_check({"check": "line", "length": 100},
                     run_program("when_flag_clicked():\n    pen_down()\n    glide_to_xy(1, 100, 0)\n")).ok


def test_speech_checks():
    t = run_program(GREETING, answers=["Ana"])
    assert run_check({"check": "says", "text": "hello  ana"}, t).ok
    assert not run_check({"check": "says", "text": "hello", "match": "exact"}, t).ok
    assert run_check({"check": "all_of", "checks": [{"check": "asks", "text": "name"}, {"check": "says_answer"}]}, t).ok
    assert run_check({"check": "says_answer"}, run_program(SPANISH, answers=["Ana"])).ok
    silent = run_program('when_flag_clicked():\n    ask("name?")\n    say("Hello you")\n', answers=["Ana"])
    assert not run_check({"check": "says_answer"}, silent).ok


@pytest.mark.parametrize(("said", "want", "match", "ok"), [
    ("Welcome Zoe!", "Welcome Zoe", "exact", True),  # speech is compared by its words
    ("I'm huge!", "im huge", "contains", True),  # children type without apostrophes
    ("¡Hola, Luis!", "hola Luis", "exact", True),
    ("Yo what’s up!", "Yo what's up", "exact", True),
    ("Hi Lily, nice to meet you!", "hi Lily", "exact", False),  # more words than asked for
    ("3", "-3", "exact", False),  # a minus sign is kept
    ("35", "3.5", "exact", False),  # and a point inside a number
    ("It costs 3.5", "3.5", "contains", True),
])
def test_speech_is_compared_by_its_words(said, want, match, ok):
    trace = run_program(f'when_flag_clicked():\n    say("{said}")\n')
    assert run_check({"check": "says", "text": want, "match": match}, trace).ok is ok


def test_motion_and_state_checks():
    t = run_program('when_flag_clicked():\n    change_x_by(30)\n    set_variable("n", 3)\n    hide()\n'
                    '    change_size_by(10)\n')
    assert run_check({"check": "moves", "direction": "right", "min_distance": 30}, t).ok
    assert not run_check({"check": "moves", "direction": "up"}, t).ok
    assert run_check({"check": "variable", "name": "n", "equals": "3"}, t).ok
    assert run_check({"check": "visible", "visible": False}, t).ok and run_check({"check": "grows"}, t).ok
    assert run_check({"check": "not", "of": {"check": "draws"}}, t).ok
    assert run_check({"check": "any_of", "checks": [{"check": "draws"}, {"check": "finishes"}]}, t).ok


def test_specs_are_validated_and_described():
    with pytest.raises(ValueError, match="did you mean 'regular_polygon'"):
        validate({"check": "regular_polgon", "sides": 6})
    with pytest.raises(ValueError, match="needs \\['sides'\\]"):
        validate({"check": "regular_polygon"})
    with pytest.raises(ValueError, match="no parameter"):
        validate({"check": "says", "text": "x", "colour": 1})
    with pytest.raises(ValueError, match="unknown check"):
        validate({"check": "all_of", "checks": [{"check": "nope"}]})
    assert describe({"check": "regular_polygon", "sides": 6, "side": 50}) == \
        "draws a closed regular 6-sided polygon with side 50"
    assert describe({"check": "all_of", "checks": [{"check": "asks"}, {"check": "says", "text": "hi"}]}) == \
        "all of: asks a question; says 'hi'"


def test_every_check_has_a_description():
    samples = {"regular_polygon": {"sides": 3}, "line": {"length": 1}, "pen_color": {"color": "#000000"},
               "says": {"text": "a"}, "thinks": {"text": "a"}, "says_in_order": {"texts": ["a"]}, "takes_turns": {"texts": ["a"]},
               "moves": {"direction": "up"}, "ends_at": {"x": 0, "y": 0}, "variable": {"name": "n", "equals": 1},
               "all_of": {"checks": []}, "any_of": {"checks": []}, "not": {"of": {"check": "draws"}},
               "takes_at_most": {"seconds": 1}, "sprite_count": {"min": 2}}
    t = run_program(HEXAGON)
    for name in CHECKS:
        spec = {"check": name, **samples.get(name, {})}
        assert describe(spec)
        assert isinstance(run_check(spec, t).ok, bool)


def test_sprite_count_and_takes_at_most():
    from codehone.blocks.lang.parser import parse

    two = parse('sprite("Cat"):\n    when_flag_clicked():\n        wait(1)\n'
                'sprite("Dog"):\n    when_flag_clicked():\n        say("hi")\n')
    t = run_program(two)
    assert run_check({"check": "sprite_count", "min": 2}, t).ok
    assert not run_check({"check": "sprite_count", "min": 3}, t).ok
    assert run_check({"check": "takes_at_most", "seconds": 1.1}, t).ok
    assert not run_check({"check": "takes_at_most", "seconds": 0.5}, t).ok


def _dialogue(second_script: str, second_sprite: str = "Dog") -> str:
    return ('sprite("Cat"):\n    when_flag_clicked():\n        say_for_secs("Hi dog!", 2)\n        broadcast("go")\n'
            f'sprite("{second_sprite}"):\n' + second_script)


@pytest.mark.parametrize("second, sprite, ok, why", [
    ('    when_i_receive("go"):\n        say_for_secs("Hi cat!", 2)\n', "Dog", True, "Dog at 2.0"),
    ('    when_flag_clicked():\n        wait(2)\n        say_for_secs("Hi cat!", 2)\n', "Dog", True, "Dog at 2.0"),
    ('    when_flag_clicked():\n        say_for_secs("Hi cat!", 2)\n', "Dog", False, "found 1 of 2"),  # Dog first
    ('    when_i_receive("go"):\n        say_for_secs("Bye!", 2)\n', "Dog", False, "found 1 of 2"),
])
def test_takes_turns_reads_speakers_and_times_from_the_trace(second, sprite, ok, why):
    result = run_check({"check": "takes_turns", "texts": ["Hi dog!", "Hi cat!"]}, run_program(_dialogue(second, sprite)))
    assert result.ok is ok and why in result.detail


def test_a_reply_in_the_same_instant_takes_no_turn():
    """say (no seconds) then broadcast: the reply is logged after, but at the same time."""
    same = ('sprite("Cat"):\n    when_flag_clicked():\n        say("Hi dog!")\n        broadcast("go")\n'
            'sprite("Dog"):\n    when_i_receive("go"):\n        say("Hi cat!")\n')
    result = run_check({"check": "takes_turns", "texts": ["Hi dog!", "Hi cat!"]}, run_program(same))
    assert not result.ok and "same time" in result.detail


def test_one_sprite_saying_both_lines_takes_no_turn():
    one = 'sprite("Cat"):\n    when_flag_clicked():\n        say_for_secs("Hi dog!", 2)\n        say_for_secs("Hi cat!", 2)\n'
    result = run_check({"check": "takes_turns", "texts": ["Hi dog!", "Hi cat!"]}, run_program(one))
    assert not result.ok and "no turn taken" in result.detail
