"""Any looping request asked "forever": a training-only family of :mod:`codehone.blocks.synth.pairs`
(issue 18).

The children's ``forever`` family (:mod:`codehone.blocks.synth.kids`) teaches five things done
forever (spin, dance, say, bounce, count). Issue 18 names "forever turned into a fixed repeat" as a
failure of the tuned copilot, and session 15's adapter still answered "forever" with ``repeat(N)``
wherever the rest of the request was something the generator teaches with a fixed count (a shape,
a size change, costumes, blinking, moving). The word has to win over the count whatever comes
with it, so this family takes a request another family makes with a loop and asks for it forever:

    "draw a hexagon with sides of 80"  ->  "draw a hexagon with sides of 80 forever"
    repeat(6): ...                     ->  forever(): ...

The part's last top-level ``repeat`` becomes ``forever`` and whatever followed it goes (nothing
runs after a forever loop; Scratch's forever block has no bottom to attach to). The check is the
part's own check, less what only holds for a program that finishes, plus ``runs_forever``; the
pair is verified by running it like any other, so a part whose check does not survive the change
is dropped by :func:`codehone.blocks.synth.pairs.generate_pairs`.
"""

from __future__ import annotations

import re

from codehone.blocks.synth import acting, drawing
from codehone.blocks.synth.program import Draw, Pair, program, script
from codehone.blocks.synth.run_on import _clause, _part

# (family name, generator, weight) of the requests asked forever: each draws or acts in a loop. The
# drawings are weighted down: all of theirs have a loop, against about half of the others' (the rest
# count their rounds or have none), and the word should not be learnt as "a shape". Blinking and
# saying in a loop are left out: all their requests count the rounds ("blink 3 times")
PARTS = (("polygon", drawing.polygon, 1), ("circle", drawing.circle, 1), ("star", drawing.star, 1),
         ("size", acting.size, 4), ("costume", acting.costume, 3))

# how a child says "forever" around a request ({r} is the request as a clause)
PHRASES = ("{r} forever", "{r} forever and ever", "{r} and never stop", "{r} over and over forever",
           "{r} and keep doing it forever", "{r}, forever", "{r} and dont stop ever", "{r} 4ever",
           "forever {r}", "forever: {r}", "{r} and do it forever", "{r} nonstop forever",
           "{r} again and again forever", "{r} and keep going forever")

# checks of where a finished program ends up: a forever loop never ends
_FINISHING = {"takes_at_most", "finishes", "ends_at", "variable", "visible"}

# a request that counts its rounds ("say hi 5 times") is not asked forever: the two would disagree
_COUNTED = re.compile(r"\b(times|twice|thrice|once|rounds?)\b|\d\s*x\b", re.IGNORECASE)


def _forever_lines(lines: list[str]) -> list[str] | None:
    """The green-flag script's body with its last top-level ``repeat(...)`` turned into
    ``forever()`` and the top-level lines after that loop dropped; None without such a loop."""
    heads = [i for i, x in enumerate(lines) if x.startswith("repeat(") and x.endswith(":")]
    if not heads:
        return None
    at = heads[-1]
    end = at + 1
    while end < len(lines) and lines[end].startswith("    "):
        end += 1
    return lines[:at] + ["forever():"] + lines[at + 1 : end]


def _without_finishing(check: dict) -> list[dict]:
    parts = check["checks"] if check.get("check") == "all_of" else [check]
    return [c for c in parts if c.get("check") not in _FINISHING]


def forever_any(d: Draw) -> Pair:
    """A looping request of another family, asked forever (drawn again until a part has a loop)."""
    for _ in range(30):
        name, make, _ = d.rng.choices(PARTS, [w for *_, w in PARTS])[0]
        part = _part(d, name, make)  # one green-flag script without typed answers or events, or None
        if part is None or _COUNTED.search(part.prompt):
            continue
        body = _forever_lines([x[4:] for x in part.program.splitlines()[1:]])
        if body is None:
            continue
        template = d.choice(PHRASES)
        d.used.append(template)
        prompt = template.format(r=_clause(part.prompt, not template.startswith("forever")))
        check = {"check": "all_of", "checks": [{"check": "runs_forever"}] + _without_finishing(part.check)}
        return Pair("forever_any", prompt, program(script("when_flag_clicked()", body)), check)
    raise RuntimeError("no looping request made in 30 tries")
