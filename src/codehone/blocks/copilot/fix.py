"""The Fix skill: a child's program and what is wrong with it, in the child's words -> the fixed program.

    system     the language card of :mod:`codehone.blocks.copilot.prompting`, plus the fix rule:
               answer with the whole program, changed as little as possible
    one shot   a program with a gap in its square and the corrected program (not from any benchmark)
    user       "My program:" + the program + "What is wrong: " + the complaint
    assistant  the whole fixed program, as plain text

Decoding is grammar-constrained like ``blocks generate``, so the answer is a program by construction.

How a fix is judged (:func:`score_fix`, used by the ``blocks-fix`` benchmark): the fixed program
must pass the original task's behaviour check **and** stay close to the program it was given:
its edit distance in blocks (:func:`block_distance`) must be at most the planted bug's size + 2.
A program that passes the check but is further away is a ``rewrite``: it may be correct, but a
child whose program was rewritten from scratch learns nothing about their bug, so it is reported
apart and does not count as a pass.
"""

from __future__ import annotations

from typing import Callable

from codehone.backends.base import Backend, SamplingParams
from codehone.blocks.copilot.echo_beam import ECHO_BEAM
from codehone.blocks.copilot.generate import GeneratedProgram, ask_program
from codehone.blocks.copilot.prompting import SYSTEM_PROMPT, one_shot_messages, user_turn
from codehone.blocks.copilot.vote import voting
from codehone.blocks.lang.grammar import program_grammar
from codehone.blocks.lang.nodes import Program
from codehone.blocks.lang.parser import parse
from codehone.blocks.lang.printer import format_program
from codehone.blocks.lang.tokens import BlockSyntaxError
from codehone.errors import UserError

__all__ = ["FIX_SYSTEM_PROMPT", "FIX_SLACK", "block_distance", "block_lines", "fix_messages", "fix_program",
           "score_fix"]

FIX_SYSTEM_PROMPT = SYSTEM_PROMPT + (
    " When you are given a program and what is wrong with it, answer with the whole fixed program, "
    "changing as few blocks as you can: keep every block that is not part of the bug.")

# Edits allowed beyond the planted bug's own size before a passing answer counts as a rewrite.
FIX_SLACK = 2

FIX_SHOT = (
    "when_flag_clicked():\n    pen_down()\n    repeat(4):\n        move(70)\n        turn_right(80)\n",
    "my square has a gap in the corner",
    "when_flag_clicked():\n    pen_down()\n    repeat(4):\n        move(70)\n        turn_right(90)\n",
)


def _user_message(program: str, complaint: str) -> str:
    return f"My program:\n```\n{program.rstrip()}\n```\nWhat is wrong: {complaint.strip()}\nFix it."


def fix_messages(program: str, complaint: str, shots: int = 1) -> list[dict]:
    """Chat messages asking to fix ``program`` (text) given ``complaint``; ``shots`` is 0 or 1."""
    return one_shot_messages("fix", FIX_SYSTEM_PROMPT, (_user_message(FIX_SHOT[0], FIX_SHOT[1]), FIX_SHOT[2]),
                             _user_message(program, user_turn(complaint)), shots)  # a Spanish complaint: answered in Spanish


# --------------------------------------------------------------------------- distance in blocks

def block_lines(program: Program | str) -> list[str]:
    """One entry per block line of the canonical text, indentation kept: a block moved into or
    out of a loop or to another script is a different line, an argument changed is one edit."""
    prog = parse(program) if isinstance(program, str) else program
    return [ln.rstrip() for ln in format_program(prog).splitlines() if ln.strip()]


def block_distance(a: Program | str, b: Program | str) -> int:
    """Levenshtein distance between the block lines of ``a`` and ``b`` (insert, delete, replace = 1)."""
    x, y = block_lines(a), block_lines(b)
    prev = list(range(len(y) + 1))
    for i, lx in enumerate(x, 1):
        cur = [i] + [0] * len(y)
        for j, ly in enumerate(y, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (lx != ly))
        prev = cur
    return prev[-1]


# --------------------------------------------------------------------------- asking a model

def fix_program(backend: Backend, program: str, complaint: str, *, grammar: bool = True, shots: int = 1,
                max_tokens: int = 320, temperature: float = 0.0, seed: int | None = None,
                on_text: Callable[[str], None] | None = None, samples: int = 1, answers: list | None = None,
                events: list | None = None, echo_beam: int = ECHO_BEAM, vote_when: str = "always") -> GeneratedProgram:
    """Ask ``backend`` to fix ``program`` (text); never raises for a bad answer, only for a bad request.
    ``samples > 1``: a behaviour vote (vote.py) in which answers that behave as ``program`` go last,
    on every request or only where the greedy answer hesitated (``vote_when``, vote.ask_votes);
    ``echo_beam``: a greedy answer that behaves as ``program``, or never ends when ``complaint`` says
    it never ends, is asked again by beam search (echo_beam.py, 0: not)."""
    if not complaint.strip():
        raise UserError("say what is wrong with the program (the complaint is empty)")
    if not program.strip():
        raise UserError("the program is empty: there is nothing to fix")
    params = voting(SamplingParams(max_tokens=max_tokens, temperature=temperature, seed=seed,
                                   grammar=program_grammar() if grammar else None), samples)
    return ask_program(backend, fix_messages(program, complaint, shots), params, on_text=on_text, answers=answers,
                       events=events, avoid_program=program, echo_beam=echo_beam, complaint=complaint,
                       vote_when=vote_when)


# --------------------------------------------------------------------------- judging a fix

def score_fix(task: dict, text: str, finish_reason: str = "stop") -> tuple[dict, dict | None]:
    """(result row, trace or None) for a model's fix ``text`` of a ``blocks-fix`` task.

    Status: ``passed`` (check passes, distance <= bug size + FIX_SLACK), ``rewrite`` (check passes
    but the program was changed more than that), ``failed`` (check fails) or ``invalid``."""
    from codehone.blocks.copilot.evaluate import score  # the blocks benchmark's own scorer

    row, trace = score(task, text, finish_reason)
    row = {**row, "complaint": task["complaint"], "bug": task["bug"]["kind"]}
    if row["status"] == "invalid":
        return {**row, "distance": None}, trace
    try:
        distance = block_distance(row["program"], task["program"])
    except (BlockSyntaxError, ValueError):  # a truncated answer scored on its complete blocks
        distance = None
    row["distance"] = distance
    allowed = task["bug"]["size"] + FIX_SLACK
    if row["status"] == "passed" and (distance is None or distance > allowed):
        row["status"] = "rewrite"
        row["detail"] = f"passes the check but changes {distance} block lines (at most {allowed} allowed)"
    return row, trace
