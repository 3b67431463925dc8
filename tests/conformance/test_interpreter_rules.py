"""Each class of difference issue 17 found between codehone and scratch-vm, pinned as a plain unit
test (no Node needed; runs in the default suite). The expected values are what scratch-vm 5.0.300
gives for the same programs (``test_scratch_vm.py`` checks those against the VM itself)."""

from __future__ import annotations

from codehone.blocks.runtime.interpreter import run_program
from codehone.blocks.runtime.stage import hsv_to_hex, wrap_clamp
from codehone.blocks.runtime.values import bubble_text, js_number_string, js_round, js_to_fixed


def said(program: str, **kw) -> list[str]:
    return run_program(program, **kw)["said"]


def flag(*lines: str) -> str:
    return "when_flag_clicked():\n" + "".join(f"    {line}\n" for line in lines)


def test_speech_shows_numbers_with_two_decimals_as_scratchs_looks_do():
    assert said(flag("say(divide(7, 2))", "say(0.125)", "say(-0.125)", "say(0.005)", "say(multiply(2.5, 2))")) == \
        ["3.50", "0.13", "-0.13", "0.005", "5"]
    assert said(flag('say(join("", divide(7, 2)))', 'say("3.14159")')) == ["3.5", "3.14159"]  # text stays
    assert bubble_text("x" * 400) == "x" * 330 and bubble_text(True) == "true"


def test_numbers_become_text_as_in_javascript():
    assert said(flag('say(join("", divide(1, 100000)))', 'say(join("", multiply(1073741824, 1073741824)))',
                     'say(join("", math("10 ^", 21)))')) == ["0.00001", "1152921504606847000", "1e+21"]
    assert [js_number_string(v) for v in (1e-7, 0.1 + 0.2, 123e-20, -1e-6)] == \
        ["1e-7", "0.30000000000000004", "1.23e-18", "-0.000001"]
    assert js_to_fixed(2.675, 2) == "2.67" and js_to_fixed(1.005, 2) == "1.00"  # the exact binary value


def test_fencing_measures_the_rotated_costume():
    assert said(flag("point_in_direction(45)", "go_to_xy(1000, 0)", "say(x_position())")) == ["253"]
    assert said(flag("go_to_xy(1000, 0)", "say(x_position())")) == ["245"]
    assert said(flag('set_rotation_style("don\'t rotate")', "point_in_direction(45)", "set_y(-1000)",
                     "say(y_position())")) == ["-185"]


def test_set_size_never_moves_the_sprite_or_draws():
    t = run_program(flag("pen_down()", "go_to_xy(1000, 0)", "set_size_to(20)", "set_size_to(500)"))
    assert t["sprites"]["Sprite1"]["x"] == 245 and len(t["segments"]) == 1


def test_exact_halves_round_up_as_javascript():
    assert said(flag("say(round(2.5))", "say(round(-2.5))", "set_size_to(12.5)", "say(size())")) == ["3", "-2", "13"]
    assert js_round(0.49999999999999994) == 0


def test_pen_colour_rounds_down_and_hue_wraps_after_100():
    t = run_program(flag('set_pen_color_to("#ff69b4")', "pen_down()", "move(10)", 'set_pen_to("color", 100)',
                         "move(10)", 'set_pen_to("color", 101)', "move(10)"))
    assert [p[1] for p in t["segment_pens"]] == ["#ff69b3", "#ff6969", "#ff6969"]  # hue 100 = hue 0 = red
    assert hsv_to_hex(66.66 * 3.6, 1, 1) == "#0000ff" and hsv_to_hex(50 * 3.6, 1, 1) == "#00ffff"
    assert wrap_clamp(101, 0, 100) == 0 and wrap_clamp(100, 0, 100) == 100
    assert run_program(flag("pen_down()", "move(10)"))["segment_pens"][0][1] == "#0000ff"  # the pen's first blue


def test_loop_ending_in_say_for_secs_starts_its_next_iteration_in_the_same_frame():
    t = run_program('sprite("A"):\n    when_flag_clicked():\n        repeat(3):\n            say_for_secs("A", 1)\n'
                    'sprite("B"):\n    when_flag_clicked():\n        repeat(3):\n            say("B")\n'
                    '            wait(1)\n')
    assert t["said"] == ["B", "A", "A", "B", "A", "B"]


def test_loops_that_draw_nothing_run_many_iterations_per_frame():
    t = run_program(flag("hide()", "repeat(100):", "    change_x_by(1)", "say(timer())", "show()",
                         "repeat(10):", "    change_x_by(1)", "say(timer())"))
    assert t["said"] == ["0", "0.33"]  # hidden: one frame; visible: a redraw, so a frame, per move


def test_key_check_in_a_quiet_loop_runs_before_the_key_comes():
    t = run_program(flag("hide()", 'set_variable("seen", 0)', "repeat(200):",
                         '    if_(key_pressed("b")):', '        change_variable("seen", 1)', 'say(variable("seen"))'),
                    events=[{"time": 0.2, "key": "b"}])
    assert t["said"] == ["0"]


def test_ask_at_the_end_of_a_loop_and_another_sprite_talking():
    t = run_program('sprite("Asker"):\n    when_flag_clicked():\n        repeat(3):\n            say("asking")\n'
                    '            ask("?")\nsprite("Talker"):\n    when_flag_clicked():\n        repeat(6):\n'
                    '            say("talk")\n            wait(0)\n', answers=["a", "b", "c"])
    speech = [e["text"] for e in t["log"] if e["type"] in ("say", "ask")]
    assert speech == ["talk", "asking", "?", "asking", "?", "talk", "asking", "?", "talk", "talk", "talk", "talk"]
