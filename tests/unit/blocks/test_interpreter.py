"""The headless runtime follows scratch-vm where drawings, speech and timing depend on it."""

import json
import math

import pytest

from codehone.blocks.runtime.interpreter import run_program
from codehone.blocks.runtime.values import compare, to_number, to_string

from .examples import ALL, BOUNCE, GREETING, HEXAGON, SQUARE_PROC, TWO_SPRITES


def _close(seg, want):
    return all(math.isclose(a, b, abs_tol=1e-6) for a, b in zip(seg, want))


def test_hexagon_segments_follow_scratch_motion():
    t = run_program(HEXAGON)
    assert len(t["segments"]) == 6
    assert _close(t["segments"][0], [0, 0, 50, 0])  # direction 90 is right
    assert _close(t["segments"][1], [50, 0, 75, -25 * math.sqrt(3)])  # turn_right turns clockwise
    assert _close(t["segments"][-1][2:], [0, 0])
    assert not t["stopped_by_cap"] and t["steps"] == 16
    json.dumps(t)


def test_direction_wraps_and_turn_left_is_counter_clockwise():
    t = run_program("when_flag_clicked():\n    turn_right(180)\n    turn_right(90)\n    pen_down()\n    move(10)\n"
                    "    turn_left(450)\n")
    assert _close(t["segments"][0], [0, 0, 0, 10])  # 90+270 = 360 -> 0: up
    assert t["sprites"]["Sprite1"]["direction"] == -90


def test_positions_are_fenced_to_the_stage():
    t = run_program("when_flag_clicked():\n    go_to_xy(1000, -1000)\n")
    # the round 40 px costume may hang off the stage until 15 px of it remain: 240 - 15 + 20
    assert (t["sprites"]["Sprite1"]["x"], t["sprites"]["Sprite1"]["y"]) == (245, -185)


def test_greens_flag_scripts_run_concurrently_and_waits_use_virtual_time():
    t = run_program(TWO_SPRITES)
    assert t["said"] == ["Hi Dog!", "Woof!", "Bye!"]
    assert t["sprites"]["Dog"]["visible"] is False
    assert 1.4 < t["time"] < 1.8  # 1 s + 0.5 s of waits, no real sleeping
    two = run_program('sprite("A"):\n    when_flag_clicked():\n        repeat(2):\n            say("a")\n'
                      'sprite("B"):\n    when_flag_clicked():\n        repeat(2):\n            say("b")\n')
    assert two["said"] == ["b", "a", "b", "a"]  # interleaved per frame, topmost sprite first


def test_forever_stops_at_the_cap_with_a_note():
    t = run_program(BOUNCE, max_seconds=10)
    assert t["stopped_by_cap"] and "time cap" in t["notes"][0] and t["frames"] == 300
    t = run_program("when_flag_clicked():\n    call(\"spin\")\ndefine(\"spin\", warp=True):\n    forever():\n",
                    max_steps=1000)
    assert t["stopped_by_cap"] and "step cap" in t["notes"][0]


def test_ask_uses_given_answers_then_notes_when_they_run_out():
    t = run_program(GREETING, answers=["Ana"])
    assert t["asked"] == ["What's your name?"] and t["said"] == ["Hello Ana"]
    assert [e["type"] for e in t["log"]] == ["ask", "answer", "say"]
    t = run_program(GREETING)
    assert t["said"] == ["Hello "] and "no answer left" in t["notes"][0]


def test_custom_blocks_and_stop():
    t = run_program(SQUARE_PROC)
    assert len(t["segments"]) == 4 and _close(t["segments"][1], [80, 0, 80, 80])
    t = run_program("when_flag_clicked():\n    say(\"a\")\n    stop(\"all\")\nwhen_flag_clicked():\n    wait(1)\n"
                    "    say(\"never\")\n")
    assert t["said"] == ["a"] and not t["stopped_by_cap"]


def test_key_and_click_events_start_their_scripts():
    text = ('when_key_pressed("space"):\n    say("jump")\nwhen_this_sprite_clicked():\n    say("ouch")\n')
    t = run_program(text, events=[{"time": 0.5, "key": "space"}, {"time": 1, "click": "Sprite1"}])
    assert t["said"] == ["jump", "ouch"]


def test_pen_state_is_recorded():
    t = run_program("when_flag_clicked():\n    set_pen_color_to(\"#ff0000\")\n    set_pen_size_to(5)\n"
                    "    pen_down()\n    move(10)\n    erase_all()\n    move(10)\n")
    assert t["pen_clears"] == 1 and len(t["segments"]) == 1
    assert t["segment_pens"] == [["Sprite1", "#ff0000", 5.0]]


def test_glide_draws_a_straight_line_over_frames():
    t = run_program("when_flag_clicked():\n    pen_down()\n    glide_to_xy(1, 90, 0)\n")
    assert len(t["segments"]) > 20 and t["segments"][-1][2:] == [90, 0]
    assert all(s[1] == 0 and s[3] == 0 for s in t["segments"])


def test_scratch_value_rules():
    assert to_string(6.0) == "6" and to_string(0.1 + 0.2) == "0.30000000000000004"
    assert to_string(float("inf")) == "Infinity" and to_string(True) == "true"
    assert to_number("abc") == 0 and to_number(" 12 ") == 12 and to_number("0x10") == 16
    assert compare("10", "9") > 0 and compare("apple", "APPLE") == 0 and compare("b", "a") > 0
    t = run_program(ALL["math"], answers=[])
    # round(3.5) = 4, -7 mod 3 = 2, equals("a", "A") is true, so wait_until passes at once
    assert t["said"] == ["4", "2", "4", "a", "5", "6.50", "0"]  # a number that is not whole: 2 decimals


@pytest.mark.parametrize("name", sorted(ALL))
def test_every_example_runs_and_its_trace_is_json(name):
    t = run_program(ALL[name], answers=["Ana"], max_seconds=5)
    assert json.loads(json.dumps(t, allow_nan=False))["steps"] == t["steps"] > 0
