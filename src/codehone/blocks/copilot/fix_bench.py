"""The ``blocks-fix`` benchmark: benchmark reference programs with one planted bug each, and what
is wrong in a child's words ("my square has a gap", "nothing is drawn").

``fix.jsonl`` (beside the ``blocks`` benchmark) holds one task per line::

    {"task_id": "fix-wrong_angle-00", "family": "wrong_angle", "source_task": "polygon-03",
     "prompt": <the original request>, "complaint": "my square has a gap",
     "program": <the buggy program>, "reference": <the original reference, a correct fix>,
     "check": <the original check>, "answers": [...], "events": [...],
     "bug": {"kind": "wrong_angle", "size": 1, "line": 5}}

Every planted bug is verified: the buggy program parses and runs, and the original check FAILS
on it (candidates that still pass are dropped). ``size`` is the bug's own edit distance in
blocks (:func:`codehone.blocks.copilot.fix.block_distance`), so a fix is judged against
``size + FIX_SLACK``. Everything is deterministic (``random.Random`` seeded with the task id);
``python -m codehone.blocks.copilot.fix_bench`` rewrites the file and a test checks it matches.

Version 2 (session 16): the complaints of the ``repeat_to_forever`` tasks (a ``repeat(N)`` planted as
``forever``) say the N the child wanted. Their checks want the state after exactly N rounds, and
"it never stops" alone gave the fixer no way to know N. Every other task is as it was.

Held out: these programs are the ``blocks`` benchmark's references, so a generator of training
pairs for fixing must plant bugs only in synthesizer/training programs, never in these.
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
from pathlib import Path
from typing import Callable, Iterator

from codehone.blocks.copilot.bench import BENCH_FILES, load_benchmark
from codehone.blocks.copilot.fix import block_distance
from codehone.blocks.lang.nodes import Script
from codehone.blocks.lang.parser import parse
from codehone.blocks.lang.printer import format_program
from codehone.blocks.runtime.checks import run_check
from codehone.blocks.runtime.interpreter import run_program
from codehone.blocks.synth.pairs import RUN_LIMITS

KINDS = ("wrong_angle", "missing_pen_down", "wrong_repeat", "say_ask_order", "forever_repeat", "wrong_variable",
         "wrong_script")
PER_KIND = 24  # at most this many tasks of one bug kind, so no kind dominates the score
SKIP_FAMILIES = ("impossible",)  # "finishes" checks: almost any bug still passes them

_SHAPES = {3: "triangle", 4: "square", 5: "pentagon", 6: "hexagon", 7: "shape", 8: "octagon", 9: "shape",
           10: "shape"}

# What a child says for each bug kind; {shape} and {var} are filled from the task.
COMPLAINTS = {
    "wrong_angle": ["my {shape} has a gap", "the {shape} doesnt close up at the end", "my {shape} looks wonky and "
                    "the lines dont meet", "its not a {shape} the corners are wrong"],
    "missing_pen_down": ["nothing is drawn", "the cat moves but there are no lines", "i cant see my {shape} "
                         "anywhere", "no lines show up!!"],
    "wrong_repeat": ["my {shape} is missing a side", "it doesnt do it enough times", "it stops too early, its "
                     "one short", "it does it the wrong number of times"],
    "say_ask_order": ["it says it before I type my answer", "it talks before i answer the question", "it doesnt "
                      "wait for my answer it just says stuff"],
    "say_ask_order_name": ["it says my name before I type it", "it says hello before i even tell it my name"],
    "forever_to_repeat": ["it stops, i wanted it to keep going forever", "it should never stop but it does",
                          "it only goes for a bit and then stops"],
    # with the count the child wanted (since session 16): "it never stops" alone left the fixer to
    # guess N, and the check wants the state after exactly N rounds
    "repeat_to_forever": ["it never stops, it should only do it {n} times", "it keeps going and going and never "
                          "finishes, i wanted {n} times", "it goes on forever but it should stop after {n}"],
    "wrong_variable": ["my {var} is wrong at the end", "the {var} doesnt change", "the number is wrong, it uses "
                       "the wrong thing"],
    "wrong_script": ["it does it at the wrong time", "it happens in the wrong place, not when it should",
                     "something is in the wrong script"],
}


def _shape(check: dict) -> str:
    if check.get("check") == "all_of":
        for sub in check["checks"]:
            name = _shape(sub)
            if name != "drawing":
                return name
    if check.get("check") == "regular_polygon":
        return _SHAPES.get(check["sides"], "shape")
    return {"square": "square", "triangle": "triangle", "star": "star", "circle": "circle"}.get(check.get("check"),
                                                                                               "drawing")


# --------------------------------------------------------------------------- planting, on text lines

_TURN = re.compile(r"^(\s*turn_(?:right|left)\()(\d+(?:\.\d+)?)(\)\s*)$")
_REPEAT = re.compile(r"^(\s*repeat\()(\d+)(\):\s*)$")
_VAR = re.compile(r'((?:set_|change_)?variable\(")([^"]+)(")')


def _sites(lines: list[str], test: Callable[[str], bool]) -> list[int]:
    return [i for i, ln in enumerate(lines) if test(ln)]


def _wrong_angle(lines: list[str], rng: random.Random) -> Iterator[tuple[list[str], str]]:
    for i in _sites(lines, lambda ln: bool(_TURN.match(ln))):
        a, n, b = _TURN.match(lines[i]).groups()
        v = float(n)
        wrong = v - 10 if v > 20 else v + 15
        yield lines[:i] + [f"{a}{wrong:g}{b}"] + lines[i + 1:], "wrong_angle"


def _missing_pen_down(lines: list[str], rng: random.Random) -> Iterator[tuple[list[str], str]]:
    for i in _sites(lines, lambda ln: ln.strip() == "pen_down()"):
        yield lines[:i] + lines[i + 1:], "missing_pen_down"


def _wrong_repeat(lines: list[str], rng: random.Random) -> Iterator[tuple[list[str], str]]:
    for i in _sites(lines, lambda ln: bool(_REPEAT.match(ln))):
        a, n, b = _REPEAT.match(lines[i]).groups()
        wrong = int(n) - 1 if int(n) > 2 else int(n) + 1
        yield lines[:i] + [f"{a}{wrong}{b}"] + lines[i + 1:], "wrong_repeat"


def _say_ask_order(lines: list[str], rng: random.Random) -> Iterator[tuple[list[str], str]]:
    for i in _sites(lines, lambda ln: ln.strip().startswith("ask(")):
        indent = len(lines[i]) - len(lines[i].lstrip())
        for j in range(i + 1, len(lines)):
            if len(lines[j]) - len(lines[j].lstrip()) < indent:
                break
            if "answer()" in lines[j] and lines[j].strip().startswith("say") and lines[j].startswith(" " * indent) \
                    and not lines[j][indent].isspace():
                out = lines[:i] + [lines[j]] + lines[i:j] + lines[j + 1:]
                yield out, "say_ask_order"
                break


def _forever_repeat(lines: list[str], rng: random.Random) -> Iterator[tuple[list[str], str]]:
    for i, ln in enumerate(lines):
        if ln.strip() == "forever():":
            yield lines[:i] + [ln.replace("forever():", "repeat(10):")] + lines[i + 1:], "forever_to_repeat"
        elif _REPEAT.match(ln):
            indent = ln[: len(ln) - len(ln.lstrip())]
            yield lines[:i] + [indent + "forever():"] + lines[i + 1:], "repeat_to_forever"


def _wrong_variable(lines: list[str], rng: random.Random) -> Iterator[tuple[list[str], str]]:
    names = sorted({m.group(2) for ln in lines for m in _VAR.finditer(ln)})
    for i in _sites(lines, lambda ln: bool(_VAR.search(ln))):
        m = _VAR.search(lines[i])
        others = [n for n in names if n != m.group(2)] or ["my variable"]
        other = rng.choice(others)
        yield lines[:i] + [lines[i][:m.start(2)] + other + lines[i][m.end(2):]] + lines[i + 1:], "wrong_variable"


_PLANTERS = (_wrong_angle, _missing_pen_down, _wrong_repeat, _say_ask_order, _forever_repeat, _wrong_variable)


def _wrong_script(reference: str, rng: random.Random) -> Iterator[tuple[str, str]]:
    """Move one plain block (no C-block) to the end of another script: a block in the wrong script."""
    prog = parse(reference)
    where = [(si, ci) for si, sp in enumerate(prog.sprites) for ci, sc in enumerate(sp.scripts)
             if isinstance(sc, Script) and sc.hat is not None]
    for a in where:
        src = prog.sprites[a[0]].scripts[a[1]]
        for k, block in enumerate(src.body):
            if block.bodies:
                continue
            for b in where:
                if b == a:
                    continue
                sprites = [list(sp.scripts) for sp in prog.sprites]
                sprites[a[0]][a[1]] = dataclasses.replace(src, body=src.body[:k] + src.body[k + 1:])
                dst = sprites[b[0]][b[1]]
                sprites[b[0]][b[1]] = dataclasses.replace(dst, body=dst.body + (block,))
                new = dataclasses.replace(prog, sprites=tuple(dataclasses.replace(sp, scripts=tuple(s))
                                                               for sp, s in zip(prog.sprites, sprites)))
                yield format_program(new), "wrong_script"


def candidates(task: dict) -> Iterator[tuple[str, str]]:
    """(buggy program text, bug kind) for every place a bug can be planted in ``task``'s reference."""
    rng = random.Random(task["task_id"])
    lines = format_program(parse(task["reference"])).splitlines()
    for plant in _PLANTERS:
        for out, kind in plant(lines, rng):
            yield "\n".join(out) + "\n", kind
    yield from _wrong_script(task["reference"], rng)


def breaks_check(task: dict, program: str) -> bool:
    """True if ``program`` parses and runs, and the task's check FAILS on it (the bug is real)."""
    try:
        trace = run_program(parse(program), answers=list(task["answers"]), events=list(task["events"]), **RUN_LIMITS)
    except Exception:  # noqa: BLE001 - a planted bug must make a runnable program
        return False
    return not run_check(task["check"], trace).ok


# --------------------------------------------------------------------------- the benchmark

def _family(kind: str) -> str:
    """The bug kind a task is counted under: both directions of forever/repeat are one kind."""
    return "forever_repeat" if kind in ("forever_to_repeat", "repeat_to_forever") else kind


def complaint_for(task: dict, program: str, kind: str, rng: random.Random, wordings: dict = COMPLAINTS) -> str:
    """What a child says about ``kind`` of bug in ``program`` (a bug planted in ``task``'s
    reference), drawn from ``wordings`` (the benchmark's, or training's own)."""
    var = next((m.group(2) for m in _VAR.finditer(task["reference"])), "score")
    words = kind + "_name" if kind == "say_ask_order" and "name" in program.lower() else kind
    return rng.choice(wordings[words]).format(shape=_shape(task["check"]), var=var, n=_rounds_wanted(task, program))


def _first_change(reference: str, program: str) -> tuple[int, str] | None:
    """(0-based index, the reference's line) of the first line where ``program`` differs from the
    reference's canonical text, or None if they agree as far as both go."""
    ref = format_program(parse(reference)).splitlines()
    return next(((i, x) for i, (x, y) in enumerate(zip(ref, program.splitlines())) if x != y), None)


def _rounds_wanted(task: dict, program: str) -> str:
    """The count of the reference's ``repeat`` at the first line ``program`` changed ("" if that
    line is no repeat): what a child whose loop became ``forever`` says it should have been."""
    first = _first_change(task["reference"], program)
    m = _REPEAT.match(first[1]) if first else None
    return m.group(2) if m else ""


def _fix_task(task: dict, program: str, kind: str, rng: random.Random) -> dict:
    family = _family(kind)
    complaint = complaint_for(task, program, kind, rng)
    size = block_distance(program, task["reference"])
    first = _first_change(task["reference"], program)
    line = first[0] + 1 if first else len(program.splitlines())
    return {"family": family, "source_task": task["task_id"], "prompt": task["prompt"], "complaint": complaint,
            "program": program, "reference": task["reference"], "check": task["check"],
            "answers": task["answers"], "events": task["events"], "bug": {"kind": kind, "size": size, "line": line}}


def build_fix_benchmark(per_kind: int = PER_KIND) -> list[dict]:
    """The ``blocks-fix`` tasks: for each benchmark task and bug kind, one verified planting (sites
    tried in a random order, the first that breaks the check kept), at most ``per_kind`` per kind."""
    picked: dict[str, list[dict]] = {k: [] for k in KINDS}
    for task in load_benchmark():
        if task["family"] in SKIP_FAMILIES:
            continue
        rng = random.Random("fix:" + task["task_id"])
        by_family: dict[str, list[tuple[str, str]]] = {}
        for program, kind in candidates(task):
            by_family.setdefault(_family(kind), []).append((program, kind))
        for fam, options in by_family.items():
            if len(picked[fam]) >= per_kind:
                continue
            rng.shuffle(options)  # a random site; the first whose bug is real (still-passing ones dropped)
            chosen = next((o for o in options if breaks_check(task, o[0])), None)
            if chosen is not None:
                picked[fam].append(_fix_task(task, chosen[0], chosen[1], rng))
    rows = []
    for fam in KINDS:
        for i, row in enumerate(picked[fam]):
            rows.append({"task_id": f"fix-{fam}-{i:02d}", **row})
    return rows


def write_fix_benchmark(path: Path | None = None) -> Path:
    path = path or Path(__file__).parent / "bench" / BENCH_FILES["blocks-fix"]
    rows = build_fix_benchmark()
    path.write_text("".join(json.dumps(r, sort_keys=True, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


if __name__ == "__main__":  # python -m codehone.blocks.copilot.fix_bench
    print(write_fix_benchmark())
