"""The Change skill: the child's current program and a follow-up request -> the changed program.

    system     the language card of :mod:`codehone.blocks.copilot.prompting`, plus the edit rule:
               answer with the whole program, change what was asked, keep everything else
    one shot   a square and "make it red" -> the same square in red (not from any benchmark)
    user       "My program:" + the program + "Change: " + the request
    assistant  the whole changed program, as plain text

``codehone blocks generate PROMPT --program CURRENT`` and the studio's follow-ups ask this way;
decoding is grammar-constrained like ``blocks generate``, so the answer is a program by
construction. The ``blocks-edit`` benchmark (edit_bench.py) judges an answer by its task's check,
which covers the change and what had to stay (:func:`score_edit`).
"""

from __future__ import annotations

from typing import Callable

from codehone.backends.base import Backend, SamplingParams
from codehone.blocks.copilot.echo_beam import ECHO_BEAM
from codehone.blocks.copilot.generate import GeneratedProgram, ask_program
from codehone.blocks.copilot.prompting import SYSTEM_PROMPT, one_shot_messages, user_turn
from codehone.blocks.copilot.vote import voting
from codehone.blocks.lang.grammar import program_grammar
from codehone.blocks.lang.parser import parse
from codehone.blocks.lang.tokens import BlockSyntaxError
from codehone.errors import UserError

__all__ = ["EDIT_SYSTEM_PROMPT", "edit_messages", "edit_program", "score_edit"]

EDIT_SYSTEM_PROMPT = SYSTEM_PROMPT + (
    " When you are given a program and a change to make, answer with the whole changed program: "
    "change what was asked and keep every other block as it was.")

EDIT_SHOT = (
    "when_flag_clicked():\n    pen_down()\n    repeat(4):\n        move(70)\n        turn_right(90)\n",
    "make it red",
    'when_flag_clicked():\n    set_pen_color_to("#ff0000")\n    pen_down()\n    repeat(4):\n        move(70)\n'
    "        turn_right(90)\n",
)


def _user_message(program: str, request: str) -> str:
    return f"My program:\n```\n{program.rstrip()}\n```\nChange: {request.strip()}"


def edit_messages(program: str, request: str, shots: int = 1) -> list[dict]:
    """Chat messages asking to change ``program`` (text) as ``request`` says; ``shots`` is 0 or 1."""
    return one_shot_messages("edit", EDIT_SYSTEM_PROMPT, (_user_message(EDIT_SHOT[0], EDIT_SHOT[1]), EDIT_SHOT[2]),
                             _user_message(program, user_turn(request)), shots)


def edit_program(backend: Backend, program: str, request: str, *, grammar: bool = True, shots: int = 1,
                 max_tokens: int = 320, temperature: float = 0.0, seed: int | None = None,
                 custom_blocks: bool = False, on_text: Callable[[str], None] | None = None, samples: int = 1,
                 answers: list | None = None, events: list | None = None, echo_beam: int = ECHO_BEAM,
                 vote_when: str = "always") -> GeneratedProgram:
    """Ask ``backend`` to change ``program`` (text); never raises for a bad answer, only for a bad request.
    ``samples > 1``: a behaviour vote (vote.py) in which answers that behave as ``program`` go last,
    on every request or only where the greedy answer hesitated (``vote_when``, vote.ask_votes);
    ``echo_beam``: a greedy answer that behaves as ``program`` is asked again by beam search (echo_beam.py, 0: not)."""
    if not request.strip():
        raise UserError("say what to change (the request is empty)")
    if not program.strip():
        raise UserError("the current program is empty: ask for a new program without --program")
    try:
        parse(program)
    except BlockSyntaxError as e:
        raise UserError(f"the current program is not valid blocks: {str(e).splitlines()[0]}") from None
    params = voting(SamplingParams(max_tokens=max_tokens, temperature=temperature, seed=seed,
                                   grammar=program_grammar(custom_blocks=custom_blocks) if grammar else None), samples)
    return ask_program(backend, edit_messages(program, request, shots), params, on_text=on_text, answers=answers,
                       events=events, avoid_program=program, echo_beam=echo_beam, complaint=request,
                       vote_when=vote_when)


def score_edit(task: dict, text: str, finish_reason: str = "stop") -> tuple[dict, dict | None]:
    """(result row, trace or None) for a model's changed program ``text`` of a ``blocks-edit`` task:
    the task's check covers the change and what must stay; ``unchanged`` flags an answer that gave
    the program back as it was (it fails the check by construction)."""
    from codehone.blocks.copilot.evaluate import score  # the blocks benchmark's own scorer
    from codehone.blocks.copilot.fix import block_distance

    row, trace = score(task, text, finish_reason)
    row = {**row, "edit": task["family"]}
    if row["status"] == "invalid":
        return {**row, "distance": None, "unchanged": False}, trace
    try:
        row["distance"] = block_distance(row["program"], task["program"])
    except (BlockSyntaxError, ValueError):
        row["distance"] = None
    row["unchanged"] = row["distance"] == 0
    return row, trace
