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


class _Recorder:
    """A backend that answers from a script and records what it was asked (the gate's control flow)."""

    def __init__(self, greedy_text, min_logprob):
        from codehone.backends.base import Completion, Result

        self.calls, self._greedy = [], Completion(greedy_text, "stop", 10, -0.5, min_logprob)
        self._result = Result

    def generate(self, request, params):
        from codehone.backends.base import Completion

        self.calls.append(params)
        if params.n == 1 and params.temperature == 0:
            return self._result([self._greedy], prompt_tokens=5, total_seconds=1.0)
        return self._result([Completion(TRIANGLE, "stop", 10, -1.0, -2.0) for _ in range(params.n)],
                            prompt_tokens=5, total_seconds=2.0)


def test_unsure_votes_only_where_the_greedy_answer_hesitated():
    import math

    import pytest

    from codehone.backends.base import SamplingParams
    from codehone.blocks.copilot.vote import SURE_LOGPROB, ask_votes, sure, voting
    from codehone.errors import UserError

    params = voting(SamplingParams(max_tokens=40), 5)
    sure_one = _Recorder(SQUARE_LOOP, math.log(0.9))
    r = ask_votes(sure_one, None, params, "unsure")
    assert len(sure_one.calls) == 1 and sure_one.calls[0].temperature == 0 and sure_one.calls[0].logprobs
    assert [c.text for c in r.completions] == [SQUARE_LOOP] and r.extra["vote_gate"]["sure"] is True
    hesitant = _Recorder(SQUARE_LOOP, math.log(0.3))  # one token under even odds
    r = ask_votes(hesitant, None, params, "unsure")
    assert [p.n for p in hesitant.calls] == [1, 4] and hesitant.calls[1].temperature > 0
    assert len(r.completions) == 5 and r.completions[0].text == SQUARE_LOOP and r.total_seconds == 3.0
    assert r.extra["vote_gate"] == {"sure": False, "min_logprob": math.log(0.3)}
    broken = _Recorder(BROKEN, math.log(0.99))  # sure of a program that does not parse: still voted on
    assert len(ask_votes(broken, None, params, "unsure").completions) == 5
    always = _Recorder(SQUARE_LOOP, 0.0)
    assert len(ask_votes(always, None, params).completions) == 5 and [p.n for p in always.calls] == [5]
    # an echo of the program a fix was asked of is never "sure", however likely
    echo = _Recorder(BENT, 0.0)
    assert len(ask_votes(echo, None, params, "unsure", avoid_program=BENT).completions) == 5
    assert sure(echo._greedy) and not sure(echo._greedy, avoid=run_behaviour(BENT))
    assert SURE_LOGPROB == math.log(0.5)
    with pytest.raises(UserError, match="--vote must be one of always, unsure"):
        ask_votes(always, None, params, "sometimes")
