"""Behaviour voting (copilot/vote.py): programs grouped by what they do, the largest group wins,
ties go to the likelier group, invalid answers never win."""

from codehone.blocks.copilot.vote import behaviour, pick, run_behaviour, vote
from codehone.blocks.runtime.interpreter import run_program

SQUARE_LOOP = "when_flag_clicked():\n    pen_down()\n    repeat(4):\n        move(50)\n        turn_right(90)\n"
SQUARE_FLAT = ("when_flag_clicked():\n    pen_down()\n" + "    move(50)\n    turn_right(90)\n" * 4)
TRIANGLE = "when_flag_clicked():\n    pen_down()\n    repeat(3):\n        move(50)\n        turn_right(120)\n"
BROKEN = "when_flag_clicked():\n    move(50\n"


def test_same_behaviour_same_digest_whatever_the_spelling():
    assert behaviour(run_program(SQUARE_LOOP)) == behaviour(run_program(SQUARE_FLAT))
    assert behaviour(run_program(SQUARE_LOOP)) != behaviour(run_program(TRIANGLE))


def test_the_largest_group_wins_and_its_likeliest_member_is_chosen():
    v = vote([TRIANGLE, SQUARE_LOOP, BROKEN, SQUARE_FLAT], [-0.1, -0.5, -0.01, -0.3])
    assert v.chosen == 3 and v.groups[0] == [1, 3] and v.invalid == [2]


def test_a_tie_goes_to_the_likelier_group():
    assert vote([TRIANGLE, SQUARE_LOOP], [-0.9, -0.2]).chosen == 1
    assert vote([TRIANGLE, SQUARE_LOOP], [-0.1, -0.2]).chosen == 0


def test_when_nothing_runs_the_likeliest_text_is_returned():
    v = vote([BROKEN, "", "not blocks at all ("], [-0.3, -0.1, -0.2])
    assert v.chosen == 1 and v.groups == [] and v.invalid == [0, 1, 2]


def test_inputs_are_used_to_tell_programs_apart():
    greet = 'when_flag_clicked():\n    ask("name?")\n    say(join("hi ", answer()))\n'
    fixed = 'when_flag_clicked():\n    ask("name?")\n    say("hi Ana")\n'
    assert vote([greet, fixed, greet], [-1, -0.1, -1], answers=["Ana"]).groups == [[0, 1, 2]]  # all say "hi Ana"
    assert vote([greet, fixed, greet], [-1, -0.1, -1], answers=["Bo"]).groups == [[0, 2], [1]]


BENT = "when_flag_clicked():\n    pen_down()\n    repeat(4):\n        move(50)\n        turn_right(80)\n"


def test_answers_that_behave_as_the_given_program_go_last_whatever_their_number():
    given = run_behaviour(BENT)
    v = vote([BENT, BENT, SQUARE_LOOP, BENT], [-0.1, -0.1, -0.9, -0.1], avoid=given)
    assert v.chosen == 2 and v.groups[-1] == [0, 1, 3] and v.avoided == [0, 1, 3]
    assert vote([BENT, BENT, SQUARE_LOOP, BENT], [-0.1, -0.1, -0.9, -0.1]).chosen == 0  # without avoid: the echo wins


def test_when_every_answer_behaves_as_the_given_program_the_vote_still_answers():
    v = vote([BENT, SQUARE_FLAT.replace("90", "80")], [-0.2, -0.1], avoid=run_behaviour(BENT))
    assert v.chosen == 1 and v.avoided == [0, 1]  # the same drawing spelt out is the same behaviour


def test_pick_runs_the_given_program_and_a_program_that_does_not_run_avoids_nothing():
    class C:
        def __init__(self, text, lp):
            self.text, self.mean_logprob = text, lp

    chosen, votes = pick([C(BENT, -0.1), C(BENT, -0.1), C(TRIANGLE, -0.5)], avoid_program=BENT)
    assert chosen.text == TRIANGLE and votes["avoided"] == [0, 1]
    assert pick([C(BENT, -0.1), C(BENT, -0.1), C(TRIANGLE, -0.5)], avoid_program=BROKEN)[0].text == BENT
    assert run_behaviour(BROKEN) is None and run_behaviour("") is None


def test_speech_is_compared_by_its_words_as_the_checks_compare_it():
    loud = 'when_flag_clicked():\n    say("Hi, Ana!")\n'
    plain = 'when_flag_clicked():\n    say("hi ana")\n'
    other = 'when_flag_clicked():\n    say("hi bo")\n'
    assert behaviour(run_program(loud)) == behaviour(run_program(plain))
    assert behaviour(run_program(loud)) != behaviour(run_program(other))
    assert vote([other, loud, plain], [-0.1, -0.5, -0.6]).groups == [[1, 2], [0]]
