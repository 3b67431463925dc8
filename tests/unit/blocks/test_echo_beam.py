"""echo_beam.py: a fix that gives the program back unchanged is asked again by beam search, and the
likeliest beam that behaves otherwise answers. The choice is logic over the backend's answers, so a
scripted backend stands in for the model here (the beam search itself is tested on the tiny GGUF in
tests/unit/foundation/test_llamacpp_beam.py)."""

from codehone.backends.base import Completion, Request, Result, SamplingParams
import pytest

from codehone.blocks.copilot.echo_beam import complains_endless, instead_of_echo
from codehone.blocks.copilot.fix import fix_program

GIVEN = "when_flag_clicked():\n    pen_down()\n    repeat(4):\n        move(50)\n        turn_right(80)\n"
SAME = GIVEN.replace("move(50)", "move(50.0)")  # other text, same behaviour: still an echo
FIXED = GIVEN.replace("turn_right(80)", "turn_right(90)")
OTHER = GIVEN.replace("move(50)", "move(60)")


class NoBeam:
    """Answers ``greedy`` to generate (a backend without beam search, as the HTTP one); counts the calls."""

    name = "scripted"
    context_length = 4096
    vocab = None

    def __init__(self, greedy: str, beams: list[str]):
        self.greedy, self.beams, self.calls = greedy, beams, []

    def generate(self, request, params, on_text=None):
        self.calls.append("generate")
        return Result([Completion(self.greedy, "stop", 10)], prompt_tokens=5, total_seconds=0.1)

    def count_tokens(self, text):
        return len(text.split())

    def close(self):
        pass


class Scripted(NoBeam):
    """And ``beams`` (best first) to beam_search."""

    def beam_search(self, request, params, width):
        self.calls.append(("beam", width, params.temperature))
        return Result([Completion(t, "stop", 12, -float(i)) for i, t in enumerate(self.beams[:width])],
                      prompt_tokens=5, total_seconds=0.2)


def _run(backend, width=4):
    request = Request.chat("fix it")
    params = SamplingParams(max_tokens=64)
    return instead_of_echo(backend, request, params, backend.generate(request, params), GIVEN, width=width)


def test_an_echo_is_replaced_by_the_likeliest_beam_that_behaves_otherwise():
    backend = Scripted(GIVEN, [GIVEN, SAME, FIXED, OTHER])
    r = _run(backend)
    assert r.completions[0].text == FIXED
    assert r.extra["echo_beam"] == {"why": "echo", "width": 4, "chosen": 2, "tokens": 48, "seconds": 0.2}
    assert backend.calls == ["generate", ("beam", 4, 0.0)]


def test_no_beam_when_the_answer_is_not_an_echo_or_the_backend_has_none_or_width_is_zero():
    for backend, width in ((Scripted(FIXED, [OTHER]), 4), (NoBeam(GIVEN, [FIXED]), 4),
                           (Scripted(GIVEN, [FIXED]), 0)):
        r = _run(backend, width)
        assert r.completions[0].text == backend.greedy and "echo_beam" not in r.extra
        assert backend.calls == ["generate"]


def test_when_every_beam_is_an_echo_the_greedy_answer_stays_and_says_so():
    r = _run(Scripted(GIVEN, [GIVEN, SAME, "not a program ((", GIVEN]))
    assert r.completions[0].text == GIVEN and r.extra["echo_beam"]["chosen"] is None


def test_fix_program_uses_it_by_default_and_reports_it():
    fixed = fix_program(Scripted(GIVEN, [GIVEN, FIXED]), GIVEN, "my square has a gap")
    assert fixed.text.strip() == FIXED.strip() and fixed.echo["chosen"] == 1
    plain = fix_program(Scripted(GIVEN, [GIVEN, FIXED]), GIVEN, "my square has a gap", echo_beam=0)
    assert plain.text.strip() == GIVEN.strip() and plain.echo is None


ENDLESS = 'when_flag_clicked():\n    set_variable("points", 0)\n    forever():\n        change_variable("points", 2)\n'
STILL_ENDLESS = ENDLESS.replace('change_variable("points", 2)\n', 'change_variable("points", 2)\n        wait(0.5)\n')
ENDS = ENDLESS.replace("forever():", "repeat(4):")


def _fix_endless(backend, complaint):
    request, params = Request.chat("fix it"), SamplingParams(max_tokens=64)
    return instead_of_echo(backend, request, params, backend.generate(request, params), ENDLESS, complaint=complaint)


def test_a_fix_that_still_never_ends_is_asked_again_when_the_child_says_it_never_ends():
    backend = Scripted(STILL_ENDLESS, [STILL_ENDLESS, ENDLESS, ENDS])  # other behaviour, but still endless
    r = _fix_endless(backend, "it never stops, it should only do it 4 times")
    assert r.completions[0].text == ENDS and r.extra["echo_beam"]["why"] == "endless"
    assert r.extra["echo_beam"]["chosen"] == 2  # not the endless one, not the echo
    quiet = Scripted(STILL_ENDLESS, [ENDS])  # the complaint says nothing of an end: the answer stays
    r = _fix_endless(quiet, "the points are wrong")
    assert r.completions[0].text == STILL_ENDLESS and "echo_beam" not in r.extra and quiet.calls == ["generate"]


@pytest.mark.parametrize(("complaint", "endless"), [
    ("it never stops, it should only do it 4 times", True),
    ("it keeps running forever", True),
    ("my loop doesn't end", True),
    ("no para nunca, solo 3 veces", True),
    ("it stops, it should go forever", False),  # the opposite wish
    ("it should never stop but it does", False),
    ("the square has a gap", False),
])
def test_complains_endless(complaint, endless):
    assert complains_endless(complaint) is endless
