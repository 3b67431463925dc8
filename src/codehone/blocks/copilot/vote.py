"""Behaviour voting: pick one of N sampled programs by what they do (CodeT's idea, the interpreter as the test).

N programs for one request are decoded as one batch (``SamplingParams.n``, temperature > 0, with
log-probabilities). Each is parsed and run on the request's inputs (answers to ``ask``, key
presses, clicks). Programs that behave the same (:func:`behaviour`: what is drawn, said, thought
and asked, where every sprite ends up, the variables, whether it stops) form a group; the largest
group wins, a tie goes to the group with the higher mean log-probability, and within the group the
program the model was surest of (highest mean log-probability per token) is the answer. An answer
that does not parse or cannot run never wins against one that does; if none does, the most likely
text is returned as it is (the caller reports it invalid, as for a greedy answer).

Fix and Change (``avoid``): the program the child gave is run too, and answers that behave exactly
as it does are ranked after every other group, whatever their size. An answer that does what the
buggy program did fixes nothing, and a change that changes nothing is not the change asked for; the
tuned 0.5B gives the program back unchanged on most wrong-angle and wrong-repeat bugs (session 14:
0/24 and 4/24), and a majority of such echoes would otherwise win the vote. If every answer behaves
as the given program, the vote goes on as without ``avoid``.

Why behaviour and not text: two programs that differ only in spelling (``turn_right(90)`` in a
``repeat(4)`` or four written-out sides) draw the same square, and agreeing on behaviour is what
makes a majority mean something.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace

from codehone.blocks.copilot.prompting import extract_program
from codehone.blocks.lang.parser import parse
from codehone.blocks.runtime.checks import spoken_words
from codehone.errors import UserError

VOTE_TEMPERATURE = 0.7  # enough spread for the samples to differ, low enough to stay on task

__all__ = ["VOTE_TEMPERATURE", "Vote", "behaviour", "pick", "run_behaviour", "run_trace", "vote", "voting"]


def _r(x: float) -> float:
    return round(float(x), 1)


def behaviour(trace: dict) -> str:
    """A digest of what a program did: equal for programs that behave the same (speech by its words)."""
    # Speech is compared by its words, as the checks compare it ("Hi Ana!" and "hi ana" say the
    # same): samples that differ only in punctuation or case then count as one behaviour.
    seen = {
        "segments": sorted([_r(v) for v in seg] for seg in trace["segments"]),
        **{kind: [spoken_words(t) for t in trace[kind]] for kind in ("said", "thought", "asked")},
        "sprites": {name: {k: (_r(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v)
                           for k, v in state.items()} for name, state in sorted(trace["sprites"].items())},
        "variables": {k: str(v) for k, v in sorted(trace["variables"].items())},
        "stopped_by_cap": trace["stopped_by_cap"],
    }
    return hashlib.sha256(json.dumps(seen, sort_keys=True, default=str).encode()).hexdigest()[:16]


@dataclass
class Vote:
    chosen: int  # index into the candidates
    groups: list[list[int]]  # candidate indexes by behaviour, the winning group first
    invalid: list[int]  # candidates that did not parse or run
    avoided: list[int] = field(default_factory=list)  # candidates that behave as the given program (``avoid``)

    def to_json(self) -> dict:
        return {"chosen": self.chosen, "groups": self.groups, "invalid": self.invalid, "avoided": self.avoided}


def run_trace(program: str, answers: list | None = None, events: list | None = None) -> dict | None:
    """The trace of ``program`` (text) run on ``answers``/``events``; None if it does not parse or run."""
    from codehone.blocks.runtime.interpreter import run_program
    from codehone.blocks.synth.pairs import RUN_LIMITS

    if not program.strip():
        return None
    try:
        return run_program(parse(program), answers=list(answers or []), events=[dict(e) for e in events or []],
                           **RUN_LIMITS)
    except Exception:  # noqa: BLE001 - a parse error, or a program the interpreter cannot run: it cannot win a vote
        return None


def run_behaviour(program: str, answers: list | None = None, events: list | None = None) -> str | None:
    """:func:`behaviour` of ``program`` (text) run on ``answers``/``events``; None if it does not parse or run."""
    trace = run_trace(program, answers, events)
    return behaviour(trace) if trace is not None else None


def vote(texts: list[str], mean_logprobs: list[float | None], answers: list | None = None,
         events: list | None = None, avoid: str | None = None) -> Vote:
    """The answer among ``texts`` (model answers) chosen by behaviour (module doc); ``avoid``: the
    behaviour digest of the program the request gave, whose group goes last."""
    lp = [(m if m is not None else float("-inf")) for m in mean_logprobs]
    groups: dict[str, list[int]] = {}
    invalid: list[int] = []
    for i, text in enumerate(texts):
        digest = run_behaviour(extract_program(text), answers, events)
        if digest is None:
            invalid.append(i)
        else:
            groups.setdefault(digest, []).append(i)
    if not groups:
        return Vote(max(range(len(texts)), key=lambda i: lp[i]), [], invalid)

    def rank(item: tuple[str, list[int]]) -> tuple[bool, int, float]:
        digest, members = item
        return digest != avoid, len(members), sum(lp[i] for i in members) / len(members)

    ordered = [members for _, members in sorted(groups.items(), key=rank, reverse=True)]
    best = ordered[0]
    return Vote(max(best, key=lambda i: lp[i]), ordered, invalid, list(groups.get(avoid, [])) if avoid else [])


def pick(completions: list, answers: list | None = None, events: list | None = None,
         avoid_program: str | None = None) -> tuple[object, dict | None]:
    """(the completion to answer with, the vote as JSON or None): the vote among several
    completions of one request (backends' ``Completion``), or the only one as it is;
    ``avoid_program``: the program a fix or change was asked of (module doc)."""
    if len(completions) == 1:
        return completions[0], None
    avoid = run_behaviour(avoid_program, answers, events) if avoid_program else None
    v = vote([c.text for c in completions], [c.mean_logprob for c in completions], answers, events, avoid)
    return completions[v.chosen], v.to_json()


def voting(params, n: int):
    """``params`` (a backends ``SamplingParams``) for a vote of ``n`` programs: n sequences with
    log-probabilities, sampled at VOTE_TEMPERATURE unless ``params`` names a temperature;
    ``params`` itself when ``n`` is 1. Raises UserError for an ``n`` under 1 (``--samples``)."""
    if n < 1:
        raise UserError(f"--samples must be at least 1, got {n}")
    if n == 1:
        return params
    return replace(params, n=n, temperature=params.temperature or VOTE_TEMPERATURE, logprobs=True)
