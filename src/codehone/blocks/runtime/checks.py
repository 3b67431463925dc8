"""Behaviour checks over interpreter traces: "draws a hexagon of side 50", "says hello", ...

A check is described as JSON, so a benchmark file can hold the expected behaviour of each
prompt next to the prompt::

    {"check": "regular_polygon", "sides": 6, "side": 50}
    {"check": "all_of", "checks": [{"check": "asks"}, {"check": "says_answer"}]}

:func:`run_check` returns a :class:`CheckResult` whose ``detail`` says what was found, so a
failed sample explains itself in the eval report; :func:`describe` turns a spec into English.
Checks judge behaviour, not code: any program that draws a closed hexagon with sides of 50
passes, whatever its loops look like, anywhere on the stage and at any rotation.

Each check is a function below; ``CHECKS`` lists them by name with their parameters, and
:func:`validate` rejects unknown names (with a suggestion) and unknown or missing parameters.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from typing import Any, Callable

from codehone.blocks.runtime import geometry as geo
from codehone.blocks.runtime.values import compare


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "detail": self.detail}


# Speech is compared by its words: "Welcome Zoe!" says "welcome zoe", "I'm huge" says "im huge" (children
# type without apostrophes or punctuation). A point inside a number and a minus sign are kept: "-3"
# and "3.5" are other numbers than "3" and "35".
_APOSTROPHES = re.compile(r"['’`]")
_PUNCTUATION = re.compile(r"[!?¡¿,;:\"“”«»()…]|(?<!\d)\.|\.(?!\d)")


def spoken_words(text: str) -> str:
    words = _PUNCTUATION.sub(" ", _APOSTROPHES.sub("", str(text)))
    return re.sub(r"\s+", " ", words).strip().casefold()


def _close(a: float, b: float, rel: float, abs_tol: float = 1.0) -> bool:
    return abs(a - b) <= max(abs_tol, rel * abs(b))


# --------------------------------------------------------------------------- drawings

def _loops(trace: dict) -> list[list[geo.Point]]:
    return [loop for path in geo.paths(trace["segments"]) for loop in geo.loops(path)]


def _equal_loop(loop, n: int, side: float | None, tol: float) -> str | None:
    """Why ``loop`` is not n equal sides (of length ``side``), or None if it is."""
    sides, _ = geo.sides_and_turns(loop)
    if len(sides) != n:
        return f"{len(sides)} sides"
    mean = sum(sides) / n
    if any(not _close(s, mean, tol) for s in sides):
        return "sides of different lengths " + ", ".join(f"{s:.1f}" for s in sides)
    if side is not None and not _close(mean, side, tol):
        return f"sides of {mean:.1f} instead of {side:g}"
    return None


def _closed_shape(trace: dict, n: int, side: float | None, tol: float,
                  judge: Callable[[list[geo.Point], list[float]], CheckResult | str]) -> CheckResult:
    """The first closed loop of ``n`` equal sides whose turns ``judge`` accepts, else why none did.
    ``judge(loop, turns)`` returns the passing result, or what is wrong with the turns."""
    found = []
    for loop in _loops(trace):
        why = _equal_loop(loop, n, side, tol)
        if why is None:
            verdict = judge(loop, geo.sides_and_turns(loop)[1])
            if isinstance(verdict, CheckResult):
                return verdict
            why = verdict
        found.append(why)
    if not found:
        return CheckResult(False, f"no closed shape drawn ({len(trace['segments'])} pen lines)")
    return CheckResult(False, "closed shapes found, but with " + "; ".join(found[:3]))


def regular_polygon(trace: dict, sides: int, side: float | None = None, tol: float = 0.05,
                    angle_tol: float = 3.0) -> CheckResult:
    """A closed shape with ``sides`` equal sides and equal turns of 360/sides degrees."""
    want = 360 / sides

    def judge(loop: list[geo.Point], turns: list[float]) -> CheckResult | str:
        if all(abs(abs(t) - want) <= angle_tol for t in turns) and len({t > 0 for t in turns}) == 1:
            return CheckResult(True, f"closed {sides}-sided regular shape with sides of "
                                     f"{geo.sides_and_turns(loop)[0][0]:.1f}")
        return "turns of " + ", ".join(f"{abs(t):.0f}" for t in turns) + f" degrees instead of {want:g}"

    return _closed_shape(trace, sides, side, tol, judge)


def square(trace: dict, side: float | None = None, tol: float = 0.05) -> CheckResult:
    return regular_polygon(trace, 4, side, tol)


def triangle(trace: dict, side: float | None = None, tol: float = 0.05) -> CheckResult:
    return regular_polygon(trace, 3, side, tol)


def star(trace: dict, points: int = 5, side: float | None = None, tol: float = 0.05,
         angle_tol: float = 3.0) -> CheckResult:
    """A closed star polygon {points/k}, k >= 2: equal sides, equal turns of 360k/points."""
    def judge(_loop: list[geo.Point], turns: list[float]) -> CheckResult | str:
        k = abs(turns[0]) * points / 360
        same = all(abs(abs(t) - abs(turns[0])) <= angle_tol for t in turns) and len({t > 0 for t in turns}) == 1
        if same and round(k) >= 2 and abs(k - round(k)) * 360 / points <= angle_tol \
                and math.gcd(round(k), points) == 1:
            return CheckResult(True, f"closed {points}-pointed star (turns of {abs(turns[0]):.0f} degrees)")
        return "turns of " + ", ".join(f"{abs(t):.0f}" for t in turns) + " degrees (not a star's)"

    return _closed_shape(trace, points, side, tol, judge)


def circle(trace: dict, radius: float | None = None, tol: float = 0.1, min_corners: int = 12) -> CheckResult:
    """A closed loop of many short sides whose corners are all about the same distance from its middle."""
    for loop in _loops(trace):
        if len(loop) < min_corners:
            continue
        cx, cy = sum(p[0] for p in loop) / len(loop), sum(p[1] for p in loop) / len(loop)
        dists = [math.dist(p, (cx, cy)) for p in loop]
        mean = sum(dists) / len(dists)
        if mean > 0 and max(abs(d - mean) for d in dists) <= tol * mean:
            if radius is None or _close(mean, radius, tol):
                return CheckResult(True, f"closed round shape of radius {mean:.1f}")
            return CheckResult(False, f"round shape of radius {mean:.1f}, not {radius:g}")
    return CheckResult(False, "no closed round shape drawn")


def line(trace: dict, length: float, tol: float = 0.05) -> CheckResult:
    """A straight pen line of ``length`` (pieces drawn in a row count as one line)."""
    for path in geo.paths(trace["segments"]):
        pts = geo.corners(path)
        for a, b in zip(pts, pts[1:]):
            if _close(math.dist(a, b), length, tol):
                return CheckResult(True, f"straight line of {math.dist(a, b):.1f}")
    return CheckResult(False, f"no straight line of length {length:g}")


def draws(trace: dict, min_segments: int = 1, min_length: float = 0.0) -> CheckResult:
    n, total = len(trace["segments"]), geo.path_length(trace["segments"])
    ok = n >= min_segments and total >= min_length
    return CheckResult(ok, f"{n} pen lines, {total:.1f} px in all")


def no_drawing(trace: dict) -> CheckResult:
    n = len(trace["segments"])
    return CheckResult(n == 0, f"{n} pen lines")


PEN_COLOR_TOL = 1  # per channel: Scratch keeps the pen colour as HSV and rounds down to RGB


def _rgb(hex_color: str) -> tuple[int, ...] | None:
    text = str(hex_color).lstrip("#")
    try:
        return tuple(int(text[i:i + 2], 16) for i in (0, 2, 4)) if len(text) == 6 else None
    except ValueError:
        return None


def pen_color(trace: dict, color: str) -> CheckResult:
    """Some line was drawn in ``color``; a channel may be 1 lower or higher, because
    ``set_pen_color_to("#ff69b4")`` draws in #ff69b3 in Scratch (HSV round trip, rounded down)."""
    colors = {p[1] for p in trace.get("segment_pens", [])}
    want = _rgb(color)
    ok = any(want is not None and (got := _rgb(c)) is not None and
             all(abs(a - b) <= PEN_COLOR_TOL for a, b in zip(want, got)) for c in colors)
    return CheckResult(ok, f"pen colours used: {sorted(colors) or 'none'}")


# --------------------------------------------------------------------------- speech

def says(trace: dict, text: str, match: str = "contains") -> CheckResult:
    """Some say/say_for_secs showed ``text`` (case and spacing ignored); match: contains or exact."""
    want = spoken_words(text)
    for said in trace["said"]:
        got = spoken_words(said)
        if (got == want) if match == "exact" else (want in got):
            return CheckResult(True, f"said {said!r}")
    return CheckResult(False, f"said {trace['said'][:5]!r}")


def thinks(trace: dict, text: str) -> CheckResult:
    hit = [t for t in trace["thought"] if spoken_words(text) in spoken_words(t)]
    return CheckResult(bool(hit), f"thought {trace['thought'][:5]!r}")


def says_nothing(trace: dict) -> CheckResult:
    return CheckResult(not trace["said"], f"said {trace['said'][:5]!r}")


def says_count(trace: dict, min: int = 1, max: int | None = None) -> CheckResult:  # noqa: A002
    n = len(trace["said"])
    return CheckResult(n >= min and (max is None or n <= max), f"said {n} time(s)")


def says_in_order(trace: dict, texts: list[str]) -> CheckResult:
    """Each text is said (contained in a bubble), in this order."""
    i = 0
    for said in trace["said"]:
        if i < len(texts) and spoken_words(texts[i]) in spoken_words(said):
            i += 1
    return CheckResult(i == len(texts), f"found {i} of {len(texts)} in order in {trace['said'][:8]!r}")


def takes_turns(trace: dict, texts: list[str]) -> CheckResult:
    """A dialogue: each text is said in this order, each by another sprite than the line before
    (so at least two sprites speak), and each line starts later than the one before, as waits or
    broadcasts make it; two sprites speaking in the same instant do not take turns."""
    turns = []
    for e in trace["log"]:
        if e["type"] == "say" and len(turns) < len(texts) and spoken_words(texts[len(turns)]) in spoken_words(e["text"]):
            turns.append(e)
    if len(turns) < len(texts):
        return CheckResult(False, f"found {len(turns)} of {len(texts)} lines in order in {trace['said'][:8]!r}")
    for a, b in zip(turns, turns[1:]):
        if a["sprite"] == b["sprite"]:
            return CheckResult(False, f"{a['sprite']} says both {a['text']!r} and {b['text']!r}: no turn taken")
        if b["t"] <= a["t"]:
            return CheckResult(False, f"{b['sprite']} says {b['text']!r} at the same time as {a['sprite']} "
                                      f"({b['t']:.2f} s): no wait or message orders the turns")
    return CheckResult(True, " then ".join(f"{e['sprite']} at {e['t']:.2f} s" for e in turns))


def asks(trace: dict, text: str | None = None) -> CheckResult:
    hit = [q for q in trace["asked"] if text is None or spoken_words(text) in spoken_words(q)]
    return CheckResult(bool(hit), f"asked {trace['asked'][:5]!r}")


def says_answer(trace: dict) -> CheckResult:
    """After an answer is typed, something said later contains it (e.g. "Hello Ana")."""
    log = trace["log"]
    for i, e in enumerate(log):
        if e["type"] == "answer" and e["text"]:
            later = [x["text"] for x in log[i + 1:] if x["type"] == "say"]
            if any(spoken_words(e["text"]) in spoken_words(t) for t in later):
                return CheckResult(True, f"answer {e['text']!r} was said back")
    return CheckResult(False, f"answers {trace['answers_used']!r}, said {trace['said'][:5]!r}")


# --------------------------------------------------------------------------- sprites and state

def _sprite(trace: dict, sprite: str | None) -> str:
    return sprite if sprite is not None else next(iter(trace["sprites"]))


def moves(trace: dict, direction: str, min_distance: float = 1.0, sprite: str | None = None) -> CheckResult:
    """The sprite ends at least ``min_distance`` further right/left/up/down than it started."""
    name = _sprite(trace, sprite)
    a, b = trace["initial"][name], trace["sprites"][name]
    dx, dy = b["x"] - a["x"], b["y"] - a["y"]
    gained = {"right": dx, "left": -dx, "up": dy, "down": -dy}[direction]
    return CheckResult(gained >= min_distance, f"{name} moved by ({dx:.1f}, {dy:.1f})")


def ends_at(trace: dict, x: float, y: float, tol: float = 1.0, sprite: str | None = None) -> CheckResult:
    name = _sprite(trace, sprite)
    s = trace["sprites"][name]
    return CheckResult(math.dist((s["x"], s["y"]), (x, y)) <= tol, f"{name} ended at ({s['x']:.1f}, {s['y']:.1f})")


def turns(trace: dict, sprite: str | None = None) -> CheckResult:
    name = _sprite(trace, sprite)
    dirs = {e["direction"] for e in trace["timeline"] if e["sprite"] == name} | {trace["initial"][name]["direction"]}
    return CheckResult(len(dirs) > 1, f"{name} faced {len(dirs)} direction(s)")


def visible(trace: dict, visible: bool = True, sprite: str | None = None) -> CheckResult:
    name = _sprite(trace, sprite)
    v = trace["sprites"][name]["visible"]
    return CheckResult(v == visible, f"{name} is {'shown' if v else 'hidden'} at the end")


def grows(trace: dict, sprite: str | None = None, shrink: bool = False) -> CheckResult:
    name = _sprite(trace, sprite)
    a, b = trace["initial"][name]["size"], trace["sprites"][name]["size"]
    return CheckResult(b < a if shrink else b > a, f"{name}'s size went from {a:g} to {b:g}")


def variable(trace: dict, name: str, equals: Any) -> CheckResult:
    if name not in trace["variables"]:
        return CheckResult(False, f"no variable {name!r}")
    v = trace["variables"][name]
    return CheckResult(compare(v, equals) == 0, f"{name} = {v!r}")


def sprite_count(trace: dict, min: int = 2) -> CheckResult:  # noqa: A002
    """The project has at least ``min`` sprites ("add a second sprite ...")."""
    names = sorted(trace["sprites"])
    return CheckResult(len(names) >= min, f"sprites: {names}")


def takes_at_most(trace: dict, seconds: float) -> CheckResult:
    """It finishes within ``seconds`` of Scratch time ("make it go faster")."""
    ok = not trace["stopped_by_cap"] and trace["time"] <= seconds + 1e-9
    return CheckResult(ok, f"took {trace['time']:.2f} s" + (" (stopped by the step cap)" if trace["stopped_by_cap"] else ""))


def finishes(trace: dict) -> CheckResult:
    return CheckResult(not trace["stopped_by_cap"], "; ".join(trace["notes"]) or "finished")


def runs_forever(trace: dict) -> CheckResult:
    return CheckResult(trace["stopped_by_cap"], "; ".join(trace["notes"]) or "finished on its own")


# --------------------------------------------------------------------------- composition

def all_of(trace: dict, checks: list[dict]) -> CheckResult:
    results = [run_check(c, trace) for c in checks]
    bad = [f"{describe(c)}: {r.detail}" for c, r in zip(checks, results) if not r.ok]
    return CheckResult(not bad, "; ".join(bad) or "all passed")


def any_of(trace: dict, checks: list[dict]) -> CheckResult:
    results = [run_check(c, trace) for c in checks]
    good = [describe(c) for c, r in zip(checks, results) if r.ok]
    return CheckResult(bool(good), f"passed: {good}" if good else "; ".join(r.detail for r in results))


def not_(trace: dict, of: dict) -> CheckResult:
    r = run_check(of, trace)
    return CheckResult(not r.ok, r.detail)


@dataclass(frozen=True)
class CheckDef:
    fn: Callable[..., CheckResult]
    text: str  # English, formatted with the spec's parameters


CHECKS: dict[str, CheckDef] = {
    "regular_polygon": CheckDef(regular_polygon, "draws a closed regular {sides}-sided polygon{side_text}"),
    "square": CheckDef(square, "draws a square{side_text}"),
    "triangle": CheckDef(triangle, "draws an equilateral triangle{side_text}"),
    "star": CheckDef(star, "draws a {points}-pointed star{side_text}"),
    "circle": CheckDef(circle, "draws a circle"),
    "line": CheckDef(line, "draws a straight line of length {length}"),
    "draws": CheckDef(draws, "draws something with the pen"),
    "no_drawing": CheckDef(no_drawing, "draws nothing"),
    "pen_color": CheckDef(pen_color, "draws in colour {color}"),
    "says": CheckDef(says, "says {text!r}"),
    "thinks": CheckDef(thinks, "thinks {text!r}"),
    "says_nothing": CheckDef(says_nothing, "says nothing"),
    "says_count": CheckDef(says_count, "says something at least {min} time(s)"),
    "says_in_order": CheckDef(says_in_order, "says {texts} in this order"),
    "takes_turns": CheckDef(takes_turns, "sprites take turns saying {texts}"),
    "asks": CheckDef(asks, "asks a question"),
    "says_answer": CheckDef(says_answer, "says back the answer it was given"),
    "moves": CheckDef(moves, "moves {direction}"),
    "ends_at": CheckDef(ends_at, "ends at ({x}, {y})"),
    "turns": CheckDef(turns, "turns"),
    "visible": CheckDef(visible, "ends {visible_text}"),
    "grows": CheckDef(grows, "{grow_text}"),
    "variable": CheckDef(variable, "ends with variable {name} = {equals!r}"),
    "sprite_count": CheckDef(sprite_count, "has at least {min} sprites"),
    "takes_at_most": CheckDef(takes_at_most, "finishes within {seconds} seconds"),
    "finishes": CheckDef(finishes, "finishes on its own"),
    "runs_forever": CheckDef(runs_forever, "keeps running (a forever loop)"),
    "all_of": CheckDef(all_of, "all of: {parts}"),
    "any_of": CheckDef(any_of, "any of: {parts}"),
    "not": CheckDef(not_, "not ({part})"),  # {"check": "not", "of": {...}}
}


def _params(fn: Callable) -> tuple[set[str], set[str]]:
    import inspect

    sig = inspect.signature(fn)
    names = [p for p in sig.parameters if p != "trace"]
    required = {p for p in names if sig.parameters[p].default is inspect.Parameter.empty}
    return set(names), required


def validate(spec: dict) -> None:
    """Raise ValueError if ``spec`` names an unknown check or has wrong parameters (recursively)."""
    if not isinstance(spec, dict) or "check" not in spec:
        raise ValueError(f'a check is a dict like {{"check": "says", "text": "hi"}}, got {spec!r}')
    name = spec["check"]
    if name not in CHECKS:
        close = difflib.get_close_matches(str(name), CHECKS, n=1)
        raise ValueError(f"unknown check {name!r}" + (f"; did you mean {close[0]!r}?" if close else ""))
    allowed, required = _params(CHECKS[name].fn)
    given = set(spec) - {"check"}
    if given - allowed:
        raise ValueError(f"check {name!r} has no parameter(s) {sorted(given - allowed)}; it takes {sorted(allowed)}")
    if required - given:
        raise ValueError(f"check {name!r} needs {sorted(required - given)}")
    for sub in spec.get("checks", []):
        validate(sub)
    if name == "not":
        validate(spec["of"])


def run_check(spec: dict, trace: dict) -> CheckResult:
    """Run one check (validated first) against a trace from :func:`~codehone.blocks.runtime.interpreter.run_program`."""
    validate(spec)
    params = {k: v for k, v in spec.items() if k != "check"}
    return CHECKS[spec["check"]].fn(trace, **params)


def describe(spec: dict) -> str:
    """English for a check spec, e.g. "draws a closed regular 6-sided polygon with side 50"."""
    validate(spec)
    p = {k: v for k, v in spec.items() if k != "check"}
    extra = {
        "side_text": f" with side {p['side']:g}" if p.get("side") is not None else "",
        "visible_text": "shown" if p.get("visible", True) else "hidden",
        "grow_text": "shrinks" if p.get("shrink") else "grows",
        "parts": "; ".join(describe(c) for c in p.get("checks", [])),
        "part": describe(p["of"]) if "of" in p else "",
    }
    defaults = {"points": 5, "min": 1}
    return CHECKS[spec["check"]].text.format(**{**defaults, **extra, **p})
