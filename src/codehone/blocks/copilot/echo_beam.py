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

Beside the behaviour vote (vote.py, ``--samples``), which samples every request at temperature 0.7:
this costs nothing on the answers that are not echoes, and the alternatives it offers are the
model's likeliest programs rather than draws.
"""

from __future__ import annotations

from dataclasses import replace

from codehone.backends.base import Request, Result, SamplingParams
from codehone.blocks.copilot.defaults import ECHO_BEAM
from codehone.blocks.copilot.prompting import extract_program
from codehone.blocks.copilot.vote import run_behaviour

__all__ = ["ECHO_BEAM", "instead_of_echo"]


def instead_of_echo(backend, request: Request, params: SamplingParams, result: Result, given: str,
                    answers: list | None = None, events: list | None = None, width: int = ECHO_BEAM) -> Result:
    """``result`` (one greedy answer to ``request``), or, if that answer behaves exactly as the
    program ``given``, the result of the beam search's likeliest answer that does not. What happened
    is in ``extra["echo_beam"]`` when the greedy answer was an echo: the width, the chosen beam's
    rank (None: every beam was an echo, the greedy answer stays) and the beams' tokens."""
    if width <= 0 or params.n != 1 or not hasattr(backend, "beam_search") or not result.completions:
        return result
    want = run_behaviour(given, answers, events)
    if want is None or run_behaviour(extract_program(result.completions[0].text), answers, events) != want:
        return result
    beams = backend.beam_search(request, replace(params, temperature=0.0, seed=None), width)
    chosen = next((j for j, c in enumerate(beams.completions)
                   if run_behaviour(extract_program(c.text), answers, events) not in (None, want)), None)
    echo = {"width": width, "chosen": chosen, "tokens": beams.completion_tokens,
            "seconds": round(beams.total_seconds, 3)}
    completions = [beams.completions[chosen]] if chosen is not None else result.completions
    return replace(result, completions=completions, extra={**result.extra, "echo_beam": echo},
                   total_seconds=result.total_seconds + beams.total_seconds)
