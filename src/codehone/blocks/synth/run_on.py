"""Several requests in one, the way children write them ("draw a rectangle and then say done and
then spin forever"): a training-only family of :mod:`codehone.blocks.synth.pairs` (issue 18).

Two or three requests the generator can already verify, each made by its own family (one drawing
at most, a "forever" or a move only last), joined by "and then" and friends. The program is one
green-flag script: the parts' bodies in order (a drawing lifts its pen before the next part); the
check is all of the parts' checks, less "finishes within N seconds", which holds for a part alone.
The parts are chosen so that one cannot undo another (a move never follows a drawing, a forever
loop comes last), and :func:`codehone.blocks.synth.pairs.generate_pairs` verifies the joined pair
like any other.
"""

from __future__ import annotations

import random
import re

from codehone.blocks.synth import acting, drawing, kids, talking
from codehone.blocks.synth.kids import wording
from codehone.blocks.synth.program import Draw, Pair, program, script

# (family name, generator) the parts come from
DRAWINGS = (("polygon", drawing.polygon), ("circle", drawing.circle), ("star", drawing.star),
            ("rectangle", kids.rectangle), ("line", drawing.line))
TALKS = (("say_secs", kids.say_secs), ("dictated", kids.dictated), ("think", talking.think),
         ("counting", talking.counting), ("loop_say", talking.loop_say), ("size", acting.size))
LAST = (("forever", kids.forever), ("moving", acting.moving))

_DRAWING_NAMES = {n for n, _ in DRAWINGS}
_HAT = "when_flag_clicked():"
_ENDINGS = (" pls", " please", " :)", "!!", "!", ".")


def _part(d: Draw, name: str, make) -> Pair | None:
    """One part made by its family with its own random choices; None if it is not one green-flag
    script without typed answers or events (those cannot be run one after the other)."""
    pair = make(Draw(random.Random(d.rng.getrandbits(64)), "train", name))
    lines = pair.program.splitlines()
    if lines[0] != _HAT or pair.answers or pair.events or any(not x.startswith("    ") for x in lines[1:]):
        return None
    return pair


def _clause(prompt: str, first: bool) -> str:
    """A part's request as a clause of a longer sentence: no "pls" or "!" at its end; lower case
    after the first (unless it starts with a quote or "I")."""
    text = prompt.rstrip()
    changed = True
    while changed:
        changed = False
        for end in _ENDINGS:
            if text.endswith(end) and not text.endswith('"' + end):
                text, changed = text[: -len(end)].rstrip(), True
    if not first and text[:1].isupper() and not re.match(r"I\b", text):
        text = text[0].lower() + text[1:]
    return text


def _pick(d: Draw, count: int) -> list[tuple[str, object]]:
    """The parts' families: one drawing at most, talking in any order, a forever or a move last
    (a move never after a drawing: the drawing leaves the sprite somewhere else)."""
    head = [d.choice(DRAWINGS)] if d.chance(0.6) else []
    n_last = 1 if d.chance(0.4) else 0
    while len(head) < count - n_last:
        head.append(d.choice([t for t in TALKS if t not in head]))
    d.rng.shuffle(head)
    if n_last:
        head.append(LAST[0] if set(DRAWINGS) & set(head) else d.choice(LAST))
    return head


def _in_sequence(check: dict) -> dict:
    """A part's check, less what only holds for the part alone: "finishes within N seconds"."""
    if check.get("check") != "all_of":
        return check
    return {**check, "checks": [c for c in check["checks"] if c.get("check") != "takes_at_most"]}


def _join(d: Draw, names: list[str], parts: list[Pair]) -> Pair:
    kind = "three" if len(parts) == 3 else "two"
    template = wording(d, kind)
    if template.startswith("first "):
        clauses = [_clause(p.prompt, False) for p in parts]
    else:
        clauses = [_clause(p.prompt, i == 0) for i, p in enumerate(parts)]
    prompt = template.format(**dict(zip("abc", clauses)))
    if prompt[-1] not in '!?."' and d.chance(0.3):
        prompt += d.choice(["", ".", "!", " pls", " please"])
    body = []
    for i, (name, p) in enumerate(zip(names, parts)):
        lines = [x[4:] for x in p.program.splitlines()[1:]]
        if name in _DRAWING_NAMES and i < len(parts) - 1 and lines[-1] != "pen_up()":
            lines.append("pen_up()")  # what comes next must not draw
        body += lines
    check = {"check": "all_of", "checks": [_in_sequence(p.check) for p in parts]}
    return Pair("run_on", prompt, program(script("when_flag_clicked()", body)), check)


def run_on(d: Draw) -> Pair:
    """Two or three requests in one sentence (drawn again while a part is not one green-flag script)."""
    for _ in range(20):
        names = _pick(d, 3 if d.chance(0.3) else 2)
        parts = [_part(d, name, make) for name, make in names]
        if all(p is not None for p in parts):
            return _join(d, [n for n, _ in names], parts)
    raise RuntimeError("no run-on request made in 20 tries")
