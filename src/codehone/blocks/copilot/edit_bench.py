"""The ``blocks-edit`` benchmark: a finished program, a follow-up request to change it ("make it
twice as big", "now make it a hexagon", "say hi first"), and a check on the changed behaviour
that also holds what was not asked to change.

``edit.jsonl`` (beside the ``blocks`` benchmark) holds one task per line::

    {"task_id": "edit-reshape-00", "family": "reshape", "source_task": "polygon-03",
     "prompt": "now make it a hexagon", "program": <the current program>,
     "reference": <a correct edited program>, "check": <the edited task's check>,
     "answers": [...], "events": [...]}

Each task comes from one reference program of the ``blocks`` benchmark and one edit kind:

    bigger / smaller   every move(S) of a regular shape becomes 2S / S/2; the shape's side in the check too
    reshape            an N-sided polygon becomes M-sided (repeat and turn); side and colour kept
    recolor            a drawing gets another pen colour; the shape check kept
    say_first          a flag script says a greeting before anything else; the old check kept
    reword             a said or thought text replaced by another; the rest of the check kept
    more_times         a repeated speech says its text M times instead of K (exactly M)
    forever            a repeated speech keeps going forever; its text kept
    add_sprite         a second sprite that says hello; the old behaviour kept
    faster             every wait halved: done in at most half the time, and the old check kept

The edited check covers both halves of an edit: the new behaviour, and what must stay (shape,
colour, texts, the original check). Every task is verified: the reference edit passes the new
check and the unedited program FAILS it (so a model that changes nothing cannot pass). Requests
are written here for this set only; the training pairs for edits (``synth``) word theirs
differently and edit synthesizer programs, never these references. Deterministic (seeded by the
task id); ``python -m codehone.blocks.copilot.edit_bench`` rewrites the file and a test checks it
matches.
"""

from __future__ import annotations

import copy
import json
import random
import re
from pathlib import Path
from typing import Callable

from codehone.blocks.copilot.bench import BENCH_FILES, load_benchmark
from codehone.blocks.lang.parser import parse
from codehone.blocks.lang.printer import format_program
from codehone.blocks.runtime.checks import run_check
from codehone.blocks.runtime.interpreter import run_program
from codehone.blocks.synth.pairs import RUN_LIMITS

KINDS = ("bigger", "smaller", "reshape", "recolor", "say_first", "reword", "more_times", "forever", "add_sprite",
         "faster")
PER_KIND = 16
SKIP_FAMILIES = ("impossible",)

SHAPES = {3: "triangle", 4: "square", 5: "pentagon", 6: "hexagon", 8: "octagon", 9: "nonagon", 10: "decagon",
          12: "dodecagon"}
COLORS = {"red": "#ff0000", "green": "#00ff00", "orange": "#ffa500", "purple": "#800080", "pink": "#ff69b4",
          "yellow": "#ffff00", "black": "#000000"}
GREETINGS = ("Hi!", "Hello!", "Let's go!", "Here I go!", "Watch this!")
NEW_TEXTS = ("Yay!", "Good job!", "See you later!", "I am a robot!", "Wow!", "Banana!")

REQUESTS: dict[str, list[str]] = {
    "bigger": ["make it twice as big", "can you make it 2 times bigger", "make the sides twice as long pls",
               "its too small make it double the size"],
    "smaller": ["make it half as big", "make it smaller, half the size", "the sides should be half as long"],
    "reshape": ["now make it a {shape}", "can it be a {shape} instead", "change it to a {shape} please",
                "i want a {shape} not that"],
    "recolor": ["now make it {color}", "make the lines {color}", "can you draw it in {color} instead",
                "i want it {color}!!"],
    "say_first": ['make it say "{text}" first', 'say "{text}" before it starts', 'first it should say "{text}"',
                  'can it say "{text}" at the beginning'],
    "reword": ['make it say "{new}" instead of "{old}"', 'change "{old}" to "{new}"', 'i want it to say "{new}" not "{old}"'],
    "more_times": ["make it say it {n} times", "do it {n} times instead", "it should say it {n} times not {k}"],
    "forever": ["make it keep going forever", "it should never stop", "make it go on and on forever"],
    "add_sprite": ['add a second sprite that says "{text}"', 'add a {name} that says "{text}"',
                   'put another sprite in that says "{text}"'],
    "faster": ["make it go faster", "its too slow, make it twice as fast", "speed it up please"],
}
SPRITE_NAMES = ("Dog", "Bear", "Frog", "Duck", "Owl")


# --------------------------------------------------------------------------- edits of a program's text

def _num(x: float) -> str:
    return f"{x:g}"


def _replace_moves(program: str, factor: float) -> str | None:
    moves = re.findall(r"\bmove\((\d+(?:\.\d+)?)\)", program)
    if not moves:
        return None
    return re.sub(r"\bmove\((\d+(?:\.\d+)?)\)", lambda m: f"move({_num(float(m.group(1)) * factor)})", program)


def _scale_check(check: dict, factor: float) -> dict | None:
    """The check with every shape side scaled; None if it names no side."""
    out, found = copy.deepcopy(check), []

    def walk(c: dict) -> None:
        if c.get("check") in ("regular_polygon", "star", "square", "triangle") and c.get("side") is not None:
            c["side"] = c["side"] * factor
            found.append(c)
        for sub in c.get("checks", []):
            walk(sub)

    walk(out)
    return out if found else None


def _parts(check: dict) -> list[dict]:
    return list(check["checks"]) if check["check"] == "all_of" else [check]


def _all_of(parts: list[dict]) -> dict:
    return parts[0] if len(parts) == 1 else {"check": "all_of", "checks": parts}


def _flag_body_start(program: str) -> tuple[int, str] | None:
    """(offset after the first ``when_flag_clicked():`` line, the indentation of its body)."""
    m = re.search(r"^([ \t]*)when_flag_clicked\(\):\n([ \t]+)", program, re.M)
    if m is None:
        return None
    return m.end(1) + len("when_flag_clicked():\n"), m.group(2)


def _scale(task: dict, rng: random.Random, words: str, factor: float):
    new_check, new_program = _scale_check(task["check"], factor), _replace_moves(task["reference"], factor)
    return None if new_check is None or new_program is None else (words, new_program, new_check)


def _reshape(task: dict, rng: random.Random, words: str):
    program, check = task["reference"], task["check"]
    shape = [c for c in _parts(check) if c["check"] == "regular_polygon" and c.get("side") is not None]
    m = re.search(r"repeat\((\d+)\):\n(?:.*\n)*?.*turn_(left|right)\((divide\(360, \d+\)|\d+(?:\.\d+)?)\)", program)
    if not shape or m is None or int(m.group(1)) != shape[0]["sides"]:
        return None
    n = shape[0]["sides"]
    to = rng.choice([k for k in SHAPES if k != n])
    new_program = program.replace(f"repeat({n}):", f"repeat({to}):", 1)
    new_program = new_program.replace(f"turn_{m.group(2)}({m.group(3)})", f"turn_{m.group(2)}({_num(360 / to)})", 1)
    new_check = copy.deepcopy(check)
    for c in _parts(new_check):
        if c["check"] == "regular_polygon":
            c["sides"] = to
    return words.format(shape=SHAPES[to]), new_program, new_check


def _recolor(task: dict, rng: random.Random, words: str):
    program = task["reference"]
    if "pen_down()" not in program:
        return None
    name = rng.choice(sorted(COLORS))
    hex_color = COLORS[name]
    old = re.search(r'set_pen_color_to\("(#[0-9a-f]{6})"\)', program)
    if old and old.group(1) == hex_color:
        return None
    if old:
        new_program = program.replace(old.group(0), f'set_pen_color_to("{hex_color}")')
    else:
        new_program = re.sub(r"^([ \t]*)pen_down\(\)", lambda m: f'{m.group(1)}set_pen_color_to("{hex_color}")\n'
                             f"{m.group(1)}pen_down()", program, count=1, flags=re.M)
    parts = [c for c in _parts(task["check"]) if c["check"] != "pen_color"] + [{"check": "pen_color", "color": hex_color}]
    return words.format(color=name), new_program, _all_of(parts)


def _say_first(task: dict, rng: random.Random, words: str):
    program = task["reference"]
    at = _flag_body_start(program)
    if at is None or program.lstrip().startswith("sprite("):
        return None
    text = rng.choice(GREETINGS)
    offset, indent = at
    new_program = program[:offset] + f'{indent}say_for_secs("{text}", 1)\n' + program[offset:]
    parts = _parts(task["check"])
    ordered = [c for c in parts if c["check"] == "says_in_order"]
    if ordered:
        first = {**ordered[0], "texts": [text, *ordered[0]["texts"]]}
        parts = [first if c["check"] == "says_in_order" else c for c in parts]
    else:
        parts = parts + [{"check": "says_in_order", "texts": [text]}]
    return words.format(text=text), new_program, _all_of(parts)


def _reword(task: dict, rng: random.Random, words: str):
    program, check = task["reference"], task["check"]
    said = [c for c in _parts(check) if c["check"] in ("says", "thinks") and f'"{c["text"]}"' in program]
    if not said:
        return None
    old = said[0]["text"]
    new = rng.choice([t for t in NEW_TEXTS if t != old])
    new_check = json.loads(json.dumps(check).replace(json.dumps(old), json.dumps(new)))
    return words.format(old=old, new=new), program.replace(f'"{old}"', f'"{new}"'), new_check


def _repeat(task: dict, rng: random.Random, words: str, forever: bool):
    program, check = task["reference"], task["check"]
    count = [c for c in _parts(check) if c["check"] == "says_count"]
    m = re.search(r"repeat\((\d+)\):", program)
    if not count or m is None or int(m.group(1)) != count[0]["min"]:
        return None
    k = count[0]["min"]
    if forever:
        parts = [c for c in _parts(check) if c["check"] != "says_count"] + [{"check": "runs_forever"}]
        return words, program.replace(m.group(0), "forever():", 1), _all_of(parts)
    n = rng.choice([x for x in (2, 3, 5, 6, 7, 10) if x != k])
    parts = [{"check": "says_count", "min": n, "max": n} if c["check"] == "says_count" else c for c in _parts(check)]
    return words.format(n=n, k=k), program.replace(m.group(0), f"repeat({n}):", 1), _all_of(parts)


def _add_sprite(task: dict, rng: random.Random, words: str):
    program = task["reference"]
    if program.lstrip().startswith("sprite("):
        return None
    text, name = rng.choice(GREETINGS), rng.choice(SPRITE_NAMES)
    body = "".join(f"    {ln}\n" if ln.strip() else "\n" for ln in program.rstrip("\n").split("\n"))
    new_program = (f'sprite("Sprite1"):\n{body}sprite("{name}"):\n    when_flag_clicked():\n'
                   f'        say_for_secs("{text}", 2)\n')
    parts = _parts(task["check"]) + [{"check": "sprite_count", "min": 2}, {"check": "says", "text": text}]
    return words.format(text=text, name=name.lower()), new_program, _all_of(parts)


def _faster(task: dict, rng: random.Random, words: str):
    program = task["reference"]
    if not re.search(r"\bwait\((\d+(?:\.\d+)?)\)", program):
        return None
    new_program = re.sub(r"\bwait\((\d+(?:\.\d+)?)\)", lambda m: f"wait({_num(float(m.group(1)) / 2)})", program)
    old_time = _run(program, task)["time"]
    parts = _parts(task["check"]) + [{"check": "takes_at_most", "seconds": round(old_time / 2 + 0.1, 2)}]
    return words, new_program, _all_of(parts)


_EDITS = {
    "bigger": lambda t, r, w: _scale(t, r, w, 2.0), "smaller": lambda t, r, w: _scale(t, r, w, 0.5),
    "reshape": _reshape, "recolor": _recolor, "say_first": _say_first, "reword": _reword,
    "more_times": lambda t, r, w: _repeat(t, r, w, forever=False),
    "forever": lambda t, r, w: _repeat(t, r, w, forever=True),
    "add_sprite": _add_sprite, "faster": _faster,
}


def edit(kind: str, task: dict, rng: random.Random) -> tuple[str, str, dict] | None:
    """(request, edited reference, edited check) for one task, or None when the kind does not apply."""
    if kind not in _EDITS:
        raise ValueError(f"unknown edit kind {kind!r}")
    return _EDITS[kind](task, rng, rng.choice(REQUESTS[kind]))


def _run(program: str, task: dict) -> dict:
    return run_program(parse(program), answers=list(task.get("answers", [])), events=list(task.get("events", [])),
                       **RUN_LIMITS)


def _verified(task: dict, new_program: str, new_check: dict) -> bool:
    """The edit passes the new check and the unedited program fails it."""
    try:
        return run_check(new_check, _run(new_program, task)).ok and not run_check(new_check, _run(task["reference"], task)).ok
    except Exception:  # noqa: BLE001 - an edit the language or interpreter refuses is not a task
        return False


def build_edit_benchmark(per_kind: int = PER_KIND) -> list[dict]:
    sources = [t for t in load_benchmark() if t["family"] not in SKIP_FAMILIES]
    out: list[dict] = []
    seen: set[tuple[str, str]] = set()  # two benchmark tasks can share a reference: one edit task each
    for kind in KINDS:
        rows = []
        order = list(sources)
        random.Random(f"edit-order:{kind}").shuffle(order)
        for task in order:
            if len(rows) >= per_kind:
                break
            rng = random.Random(f"edit:{kind}:{task['task_id']}")
            made = edit(kind, task, rng)
            if made is None:
                continue
            request, new_program, new_check = made
            new_program = format_program(parse(new_program))
            if (task["reference"], request) in seen or not _verified(task, new_program, new_check):
                continue
            seen.add((task["reference"], request))
            rows.append({"task_id": f"edit-{kind}-{len(rows):02d}", "family": kind, "source_task": task["task_id"],
                         "prompt": request, "program": task["reference"], "reference": new_program,
                         "check": new_check, "answers": task.get("answers", []), "events": task.get("events", [])})
        out += rows
    return out


def benchmark_path() -> Path:
    return Path(__file__).parent / "bench" / BENCH_FILES["blocks-edit"]


def render(rows: list[dict]) -> str:
    return "".join(json.dumps(r, sort_keys=True) + "\n" for r in rows)


def main(write: Callable[[str], None] | None = None) -> None:
    text = render(build_edit_benchmark())
    (write or benchmark_path().write_text)(text)


if __name__ == "__main__":
    main()
