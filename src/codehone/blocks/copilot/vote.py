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

When to vote (``when``): "always" decodes the N programs as one batch for every request (the
issue's definition). "unsure" asks the greedy answer first and keeps it alone when the model was
sure of it: every token at even odds or better (``min_logprob >= log 1/2``), and the program runs
(and, for a fix or change, does not behave as the program given). Otherwise N - 1 samples, decoded
as one batch, join the greedy answer in the vote. Why: a tuned model's answers are short (about 40
tokens), so five sequences cost nearly five times one (3.5x the greedy p50 with session 12's and
16's adapters), while a vote can only change an answer where the model hesitated; a sure greedy
answer is what its samples agree on anyway. The even-odds line is not fitted to any benchmark: it
is the point below which the model's first choice was not even half of its belief.

Why behaviour and not text: two programs that differ only in spelling (``turn_right(90)`` in a
``repeat(4)`` or four written-out sides) draw the same square, and agreeing on behaviour is what
makes a majority mean something.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field, replace

from codehone.blocks.copilot.prompting import extract_program
from codehone.blocks.lang.parser import parse
from codehone.blocks.runtime.checks import spoken_words
from codehone.errors import UserError

VOTE_TEMPERATURE = 0.7  # enough spread for the samples to differ, low enough to stay on task
VOTE_WHEN = ("always", "unsure")  # module doc: every request, or only where the greedy answer hesitated
SURE_LOGPROB = math.log(0.5)  # a greedy answer whose every token had at least even odds is "sure"

__all__ = ["SURE_LOGPROB", "VOTE_TEMPERATURE", "VOTE_WHEN", "Vote", "ask_votes", "behaviour", "check_vote_when",
           "pick", "run_behaviour", "run_trace", "sure", "vote", "voting"]


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
         events: list | None = None, avoid: str | None = None, behaviour_of=behaviour) -> Vote:  # noqa: ANN001
    """The answer among ``texts`` (model answers) chosen by behaviour (module doc); ``avoid``: the
    behaviour digest of the program the request gave, whose group goes last; ``behaviour_of``: the
    digest of a trace (:func:`behaviour`; another only to compare groupings offline,
    benchmarks/vote_ablation.py)."""
    lp = [(m if m is not None else float("-inf")) for m in mean_logprobs]
    groups: dict[str, list[int]] = {}
    invalid: list[int] = []
    for i, text in enumerate(texts):
        trace = run_trace(extract_program(text), answers, events)
        if trace is None:
            invalid.append(i)
        else:
            groups.setdefault(behaviour_of(trace), []).append(i)
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


def sure(completion, answers: list | None = None, events: list | None = None, avoid: str | None = None) -> bool:
    """A greedy ``completion`` the vote would not change: every token at even odds or better
    (``min_logprob``; unknown counts as unsure), the program runs, and it does not behave as the
    program given (``avoid``, a behaviour digest)."""
    if completion.min_logprob is None or completion.min_logprob < SURE_LOGPROB:
        return False
    digest = run_behaviour(extract_program(completion.text), answers, events)
    return digest is not None and digest != avoid


def check_vote_when(when: str) -> None:
    """Raise UserError unless ``when`` is one of VOTE_WHEN (``--vote``)."""
    if when not in VOTE_WHEN:
        raise UserError(f"--vote must be one of {', '.join(VOTE_WHEN)}, got {when!r}")


def ask_votes(backend, request, params, when: str = "always", answers: list | None = None,
              events: list | None = None, avoid_program: str | None = None):
    """The backend ``Result`` a vote picks from, for ``params`` from :func:`voting` (module doc,
    "When to vote"). With "unsure", ``extra["vote_gate"]`` says whether the greedy answer stood
    alone ("sure") and its least likely token's log-probability."""
    check_vote_when(when)
    if params.n == 1 or when == "always":
        return backend.generate(request, params)
    first = backend.generate(request, replace(params, n=1, temperature=0.0, logprobs=True))
    greedy = first.completions[0]
    avoid = run_behaviour(avoid_program, answers, events) if avoid_program else None
    gate = {"sure": sure(greedy, answers, events, avoid), "min_logprob": greedy.min_logprob}
    if gate["sure"]:
        return replace(first, extra={**first.extra, "vote_gate": gate})
    rest = backend.generate(request, replace(params, n=params.n - 1))
    return replace(first, completions=[greedy, *rest.completions], extra={**first.extra, "vote_gate": gate},
                   prompt_seconds=first.prompt_seconds + rest.prompt_seconds,
                   total_seconds=first.total_seconds + rest.total_seconds)
