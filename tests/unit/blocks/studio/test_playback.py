"""The stage's timed run: the interpreter's own run, with times on every drawing, move and bubble."""

from codehone.blocks.lang.parser import parse
from codehone.blocks.runtime.interpreter import run_program
from codehone.blocks.studio.playback import MAX_SECONDS, play

SQUARE = ('when_flag_clicked():\n    pen_down()\n    repeat(4):\n        move(50)\n        turn_right(90)\n'
          '    say_for_secs("hi", 1)\n')


def test_lines_are_the_interpreters_segments_in_time_order():
    run = play(parse(SQUARE))
    lines = [d for d in run["draw"] if d["op"] == "line"]
    trace = run_program(SQUARE)
    assert [[d["x1"], d["y1"], d["x2"], d["y2"]] for d in lines] == trace["segments"]
    times = [d["t"] for d in run["draw"]]
    assert times == sorted(times) and times[-1] > 0  # one side a frame, as Scratch draws it
    assert run["duration"] == trace["time"]


def test_a_timed_bubble_shows_then_clears():
    run = play(parse(SQUARE))
    shown, cleared = run["bubbles"]
    assert shown["text"] == "hi" and cleared["text"] == "" and cleared["t"] - shown["t"] == 1.0


def test_erase_all_between_drawings_is_kept_in_order():
    run = play(parse('when_flag_clicked():\n    pen_down()\n    move(30)\n    wait(0.5)\n    erase_all()\n'
                     '    move(30)\n'))
    ops = [d["op"] for d in run["draw"]]
    assert ops == ["dot", "line", "clear", "line"]
    assert run_program('when_flag_clicked():\n    pen_down()\n    move(30)\n    wait(0.5)\n    erase_all()\n'
                       '    move(30)\n')["segments"] == [[30, 0, 60, 0]]


def test_the_first_unanswered_question_is_where_the_stage_waits():
    text = 'when_flag_clicked():\n    ask("name?")\n    ask("age?")\n    say(join(answer(), " years"))\n'
    assert play(parse(text))["waiting_for_answer"]["question"] == "name?"
    assert play(parse(text), ["Ana"])["waiting_for_answer"]["question"] == "age?"
    done = play(parse(text), ["Ana", "9"])
    assert done["waiting_for_answer"] is None and done["said"] == ["9 years"]


def test_a_program_that_loops_forever_stops_at_the_cap_and_says_so():
    run = play(parse('when_flag_clicked():\n    forever():\n        turn_right(5)\n'))
    assert run["stopped_by_cap"] and run["notes"]
    assert run["duration"] <= MAX_SECONDS


def test_thought_bubbles_are_marked():
    run = play(parse('when_flag_clicked():\n    think("hmm")\n'))
    assert run["bubbles"][0]["kind"] == "think"
