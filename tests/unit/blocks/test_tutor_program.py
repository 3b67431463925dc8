"""The tutor's program mode (copilot/tutor.py): the model's program, cut in steps that keep every
rule, worded in the child's language; and what happens when there is no program to cut.

The backend here answers one fixed text whatever it is asked: what is tested is what the tutor
does with an answer, not a model."""

from codehone.backends.base import Completion, Result
from codehone.blocks.copilot.tutor import MAX_BLOCKS, child_language, score_tutorial, tutor, validate_steps

SQUARE = ("when_flag_clicked():\n    pen_down()\n    repeat(4):\n        move(80)\n        turn_right(90)\n"
          "    say(\"done\")\n")


class Answers:
    """A backend that answers ``text`` to every request and remembers what it was asked."""

    name = "answers"
    context_length = 4096
    vocab = None

    def __init__(self, text: str, finish_reason: str = "stop"):
        self.text, self.finish_reason, self.asked = text, finish_reason, []

    def generate(self, request, params, on_text=None):  # noqa: ANN001, ANN201 - the Backend protocol
        self.asked.append((request, params))
        return Result([Completion(self.text, self.finish_reason, 30)], prompt_tokens=100)


def test_program_mode_cuts_the_models_program_into_steps_that_keep_every_rule():
    backend = Answers(f"```blocks\n{SQUARE}```")
    lesson = tutor(backend, "draw a square and say done")
    assert lesson.problem == "" and lesson.program.strip() == SQUARE.strip()
    assert validate_steps(lesson.steps) is None and all(1 <= len(s.lines) <= MAX_BLOCKS for s in lesson.steps)
    assert "".join(ln + "\n" for s in lesson.steps for ln in s.lines) == SQUARE  # nothing lost, nothing added
    request, params = backend.asked[0]
    assert params.grammar  # the program is asked for under the block grammar, like `blocks generate`
    task = {"task_id": "t", "family": "polygon", "prompt": "p", "check": {"check": "regular_polygon", "side": 80, "sides": 4}}
    row, _ = score_tutorial(task, lesson.text)
    assert row["status"] == "passed", row


def test_steps_are_worded_in_the_language_the_child_wrote_in():
    spanish = tutor(Answers(SQUARE), "dibuja un cuadrado y di listo porfa")
    english = tutor(Answers(SQUARE), "draw a square and say done in spanish")  # texts in Spanish, steps in English
    assert child_language("dibuja un cuadrado y di listo porfa") == "es"
    assert child_language("draw a square and say done in spanish") == "en"
    assert [s.lines for s in spanish.steps] == [s.lines for s in english.steps]
    assert spanish.steps[0].sentence != english.steps[0].sentence


def test_no_program_means_no_steps_and_says_why():
    broken = tutor(Answers("when_flag_clicked():\n    repeat(4)\n"), "draw a square")
    assert broken.steps == [] and "not valid" in broken.problem
    comment = tutor(Answers("# I can't make real phone calls, but I can make the cat say hello!\n"), "call my mum")
    assert comment.steps == [] and "no blocks" in comment.problem


def test_direct_mode_asks_for_the_models_own_tutorial_without_a_grammar():
    text = "Step 1: Start with the flag.\nwhen_flag_clicked():\n    say(\"hi\")\n"
    backend = Answers(text)
    lesson = tutor(backend, "say hi", direct=True)
    assert lesson.text == text and len(lesson.steps) == 1 and lesson.program == ""
    assert backend.asked[0][1].grammar is None
