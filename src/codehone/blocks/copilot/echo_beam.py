"""A fix or change that gives the program back unchanged: ask again by beam search, and answer
with the likeliest program that does something else.

The tuned 0.5B gives the child's program back unchanged on many wrong-angle and wrong-repeat bugs
(session 16's adapter: 18 of its 42 ``blocks-fix`` failures, 9/24 wrong-angle and 9/24 wrong-repeat
tasks, were the program given, line for line). An answer that behaves exactly as the program it was
asked to fix fixes nothing, and a change that changes nothing is not the change asked for. So when
the greedy answer is such an echo (:func:`codehone.blocks.copilot.vote.run_behaviour`: the same
drawing, speech, sprites and variables on the request's inputs), the same request is decoded again
by beam search (the llama.cpp backend's ``beam_search``, ``width`` beams under the same grammar),
and the likeliest beam that runs and behaves otherwise is the answer. If every beam is an echo,
the greedy answer stays.

Session 18: a fix that still never ends fixes nothing either. When the child's complaint says the
program never stops ("it never stops, it should only do it 4 times", "it goes on forever") and the
greedy answer still runs until the interpreter's cap (session 17's adapter: 7 of its 12 forever-vs-
repeat tasks kept the ``forever`` and added a ``wait``), the request is asked again the same way, and
the likeliest beam that runs, behaves otherwise than the program given and ends is the answer.

Beside the behaviour vote (vote.py, ``--samples``), which samples every request at temperature 0.7:
this costs nothing on the answers that are not echoes, and the alternatives it offers are the
model's likeliest programs rather than draws.
"""

from __future__ import annotations

import re
from dataclasses import replace

from codehone.backends.base import Request, Result, SamplingParams
from codehone.blocks.copilot.defaults import ECHO_BEAM
from codehone.blocks.copilot.prompting import extract_program
from codehone.blocks.copilot.vote import behaviour, run_trace

__all__ = ["ECHO_BEAM", "complains_endless", "instead_of_echo"]


def instead_of_echo(backend, request: Request, params: SamplingParams, result: Result, given: str,
                    answers: list | None = None, events: list | None = None, width: int = ECHO_BEAM,
                    complaint: str = "") -> Result:
    """``result`` (one greedy answer to ``request``), or, if that answer fixes nothing, the result of
    the beam search's likeliest answer that does. An answer fixes nothing when it behaves exactly as
    the program ``given`` (an echo), or when the child's ``complaint`` says the program never ends
    and the answer still runs until the interpreter stops it (:func:`complains_endless`). What
    happened is in ``extra["echo_beam"]`` when the greedy answer was asked again: why ("echo" or
    "endless"), the width, the chosen beam's rank (None: no beam did better, the greedy answer
    stays) and the beams' tokens."""
    if width <= 0 or params.n != 1 or not hasattr(backend, "beam_search") or not result.completions:
        return result
    given_run = run_trace(given, answers, events)
    if given_run is None:
        return result
    want, endless = behaviour(given_run), complains_endless(complaint)

    def fails(text: str) -> str | None:  # why an answer fixes nothing ("invalid": it does not run)
        trace = run_trace(extract_program(text), answers, events)
        if trace is None:
            return "invalid"
        if behaviour(trace) == want:
            return "echo"
        return "endless" if endless and trace["stopped_by_cap"] else None

    why = fails(result.completions[0].text)
    if why not in ("echo", "endless"):
        return result
    beams = backend.beam_search(request, replace(params, temperature=0.0, seed=None), width)
    chosen = next((j for j, c in enumerate(beams.completions) if fails(c.text) is None), None)
    echo = {"why": why, "width": width, "chosen": chosen, "tokens": beams.completion_tokens,
            "seconds": round(beams.total_seconds, 3)}
    completions = [beams.completions[chosen]] if chosen is not None else result.completions
    return replace(result, completions=completions, extra={**result.extra, "echo_beam": echo},
                   total_seconds=result.total_seconds + beams.total_seconds)


# A child's complaint that the program never ends, and a wish that it should (which is no complaint).
_ENDLESS = re.compile(
    r"\b(?:never|wont|won'?t|doesn'?t|does not|will not|dont|don'?t|cant|can'?t) (?:stops?|ends?|finish(?:es)?)\b"
    r"|\b(?:goes|runs|keeps going|keeps running|loops)(?: on)? forever\b|\bendless(?:ly)?\b|\binfinite\b"
    r"|\bno (?:para|se para|termina|acaba) nunca\b|\bnunca (?:para|termina|acaba)\b|\bs'?arr[eê]te? (?:pas|jamais)\b"
    r"|\bh[oö]rt (?:nie|nicht) auf\b|\bn[aã]o para nunca\b", re.IGNORECASE)
_WANTS_ENDLESS = re.compile(r"\bshould(?:n'?t)? (?:never (?:stop|end)|go(?: on)? forever|keep going|run forever|loop forever)\b"
                            r"|\bwant(?:ed)? it to (?:go|run|loop|keep going)(?: on)? forever\b", re.IGNORECASE)


def complains_endless(complaint: str) -> bool:
    """Whether a fix request says the program never ends ("it never stops, it should only do it 4
    times", "it goes on forever"), rather than that it should ("it stops, it should go forever")."""
    return bool(_ENDLESS.search(complaint)) and not _WANTS_ENDLESS.search(complaint)
