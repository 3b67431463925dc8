"""Plain-words descriptions of programs, from the blocks and from a run."""

from codehone.blocks.copilot.explain import describe_program, describe_trace, explain_messages, explain_program
from codehone.blocks.lang.parser import parse
from codehone.blocks.runtime.interpreter import run_program

from .examples import ALL


def test_hexagon_reads_like_the_issue_says():
    text = explain_program(parse(ALL["hexagon"]))
    assert text.startswith("When the green flag is clicked, it erases all pen drawings, then puts the pen down, "
                           "then 6 times: moves 50 steps and turns right 60 degrees, then lifts the pen up.")
    assert "draws 6 lines, 300 steps long in all, making a regular hexagon of side 50" in text


def test_shapes_speech_and_questions_from_the_trace():
    assert "a square of side 80" in explain_program(parse(ALL["square_proc"]))
    assert "5-pointed star" in explain_program(parse(ALL["star"]))
    greeting = explain_program(parse(ALL["greeting"]), answers=["Ana"])
    assert 'It asks "What\'s your name?"' in greeting and 'It says "Hello Ana"' in greeting
    assert "draws nothing" in greeting


def test_every_example_is_described_per_script_and_sprite():
    for name, text in ALL.items():
        program = parse(text)
        words = describe_program(program)
        assert words.count("\n") + 1 >= sum(len(s.scripts) for s in program.sprites), name
    two = describe_program(parse(ALL["two_sprites"]))
    assert two.startswith("Cat:\n") and "\nDog:\n" in two and 'receives the message "your turn"' in two
    game = describe_program(parse(ALL["game"]))
    assert "until score > 9:" in game and "otherwise it thinks" in game


def test_a_program_that_never_ends_says_so():
    trace = run_program(parse(ALL["bounce"]), max_steps=2000)
    assert "keeps going" in describe_trace(trace)


def test_model_messages_carry_program_and_description():
    msgs = explain_messages(ALL["hexagon"], "It draws a hexagon.")
    assert msgs[0]["role"] == "system" and ALL["hexagon"] in msgs[1]["content"]
    assert "It draws a hexagon." in msgs[1]["content"]
