"""Synthetic request -> program pairs for the block language, each one verified by running it.

A *family* is a kind of request a child makes ("draw a hexagon", "say hello when I click it",
"ask my name and say hi"): a function that draws parameters, a wording and a program variant
from a seeded ``random.Random`` (:mod:`~codehone.blocks.synth.drawing`,
:mod:`~codehone.blocks.synth.acting`, :mod:`~codehone.blocks.synth.talking`), and returns a
:class:`Pair` (:mod:`codehone.blocks.synth.program`) with the behaviour check
(:mod:`codehone.blocks.runtime.checks`) that any correct answer must pass, plus the interpreter's inputs
(typed answers, key presses and clicks).

Held out for the benchmark (``split="bench"``), never used for training (``split="train"``):

- wordings: every family's templates come as two disjoint lists in ``WORDINGS``, a train list
  and a bench list; a test proves no template and no prompt text is shared;
- some parameter values (side lengths, names, texts) that :meth:`~codehone.blocks.synth.program.Draw.value` gives only to
  the bench, and whole phrasings (the impossible requests the benchmark asks are not the ones
  training refuses).

Programs vary in structure as well as numbers (with or without ``erase_all``/``pen_up``, turns
left or right, ``divide(360, 7)`` or a literal, ``say_for_secs`` or ``say`` + ``wait``), so a
model learns behaviour rather than one spelling. Every pair is verified (:func:`verify`): the
program parses, prints back to the same text, survives text -> .sb3 -> text unchanged, runs
within ``RUN_LIMITS`` and passes its own check. Pairs that fail are dropped and counted; there
should be none. Everything is deterministic given the seed (``random.Random`` seeded with str).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Callable, Iterator

from codehone.blocks.lang.parser import parse
from codehone.blocks.lang.printer import format_program
from codehone.blocks.lang.tokens import BlockSyntaxError
from codehone.blocks.runtime.checks import run_check
from codehone.blocks.runtime.interpreter import run_program
from codehone.blocks.sb3.read import sb3_to_program
from codehone.blocks.sb3.write import program_to_sb3
from codehone.blocks.synth import acting, drawing, forever_any, kids, run_on, talking
from codehone.blocks.synth.kid_typing import typed
from codehone.blocks.synth.program import Draw, Pair
from codehone.blocks.synth.wordings import WORDINGS

__all__ = ["FAMILIES", "FAMILY_NAMES", "KID_TYPING_SHARE", "RUN_LIMITS", "TRAIN_ONLY", "WORDINGS", "Family", "Pair",
           "Stats", "Verified", "generate_pairs", "interleave", "make_pair", "prompt_key", "verify"]

# Caps for running a generated or model-written program: enough for every reference (the longest,
# saying something 20 times for 2 s each, runs 40 s of program time), small enough that a forever
# loop costs a fraction of a second to judge.
RUN_LIMITS = {"max_steps": 20_000, "max_seconds": 60.0}


@dataclass(frozen=True)
class Family:
    name: str
    make: Callable[[Draw], Pair]
    bench: int  # tasks in the benchmark
    weight: float  # share of training pairs (relative)


# think weighs 5 (3 until session 15): with the children's say_secs family beside it, session 14's demo
# answered both think tasks with say blocks
FAMILIES: tuple[Family, ...] = (  # name, generator, benchmark tasks, training weight
    Family("polygon", drawing.polygon, 18, 14), Family("star", drawing.star, 8, 5),
    Family("circle", drawing.circle, 8, 5), Family("line", drawing.line, 6, 4),
    Family("stairs", drawing.stairs, 8, 5), Family("moving", acting.moving, 12, 8),
    Family("keys", acting.keys, 10, 7), Family("clicked", acting.clicked, 10, 7),
    Family("ask", talking.ask, 10, 7), Family("counting", talking.counting, 10, 7),
    Family("loop_say", talking.loop_say, 8, 5), Family("size", acting.size, 8, 5),
    Family("costume", acting.costume, 6, 4), Family("hide_show", acting.hide_show, 6, 4),
    Family("story", talking.story, 10, 7), Family("game", acting.game, 10, 7),
    Family("custom", drawing.custom, 10, 7), Family("think", talking.think, 4, 5),
    Family("broadcast", talking.broadcast, 6, 4), Family("quiz", talking.quiz, 6, 4),
    Family("spiral", drawing.spiral, 4, 3), Family("impossible", talking.impossible, 6, 2),
)
FAMILY_NAMES = tuple(f.name for f in FAMILIES)

# Training-only families for the failures on children's requests (issue 18, :mod:`~codehone.blocks.synth.kids`,
# :mod:`~codehone.blocks.synth.run_on`, :mod:`~codehone.blocks.synth.forever_any`, since session 16): no
# benchmark tasks, so the ``blocks`` benchmark is unchanged.
TRAIN_ONLY: tuple[Family, ...] = (
    Family("rectangle", kids.rectangle, 0, 5), Family("say_secs", kids.say_secs, 0, 5),
    Family("answer_math", kids.answer_math, 0, 5), Family("forever", kids.forever, 0, 6),
    Family("dictated", kids.dictated, 0, 5), Family("run_on", run_on.run_on, 0, 6),
    Family("forever_any", forever_any.forever_any, 0, 6),
)
KID_TYPING_SHARE = 0.2  # of the training pairs, typed like a child (kid_typing): misspelt, no capitals or punctuation


# --------------------------------------------------------------------------- verification

@dataclass
class Verified:
    ok: bool
    reason: str  # "" when ok, else the first step that failed: parse, print, sb3, run, check
    detail: str = ""
    trace: dict | None = None


def verify(pair: Pair) -> Verified:
    """Parse, print back, text -> .sb3 -> text, run and check one pair."""
    try:
        prog = parse(pair.program)
    except BlockSyntaxError as e:
        return Verified(False, "parse", str(e))
    if format_program(prog) != pair.program:
        return Verified(False, "print", "the program does not print back to the same text")
    try:
        back = format_program(sb3_to_program(program_to_sb3(prog)))
    except Exception as e:  # noqa: BLE001 - any failure of the converter is a failed round trip
        return Verified(False, "sb3", f"{type(e).__name__}: {e}")
    if back != pair.program:
        return Verified(False, "sb3", "text -> sb3 -> text changed the program")
    trace = run_program(prog, answers=list(pair.answers), events=[dict(e) for e in pair.events], **RUN_LIMITS)
    result = run_check(pair.check, trace)
    if not result.ok:
        return Verified(False, "check", result.detail, trace)
    return Verified(True, "", result.detail, trace)


# --------------------------------------------------------------------------- generation

def prompt_key(prompt: str) -> str:
    """A prompt without case, punctuation and the "pls" a child adds: two prompts with the same
    key are the same request (used to keep the benchmark's prompts distinct)."""
    words = re.sub(r"[^a-z0-9#%+-]+", " ", prompt.casefold()).split()
    while words and words[-1] in ("pls", "please"):
        words.pop()
    return " ".join(words)


def make_pair(family: Family, rng: random.Random, split: str) -> Pair:
    d = Draw(rng, split, family.name)
    pair = family.make(d)
    return Pair(pair.family, pair.prompt, pair.program, pair.check, pair.answers, pair.events, d.used[-1])


@dataclass
class Stats:
    generated: int = 0
    kept: int = 0
    duplicates: int = 0
    dropped: dict = field(default_factory=dict)  # reason -> count
    round_trip: int = 0  # programs that survived text -> sb3 -> text unchanged
    by_family: dict = field(default_factory=dict)


def generate_pairs(n: int, seed: int = 0, split: str = "train", stats: Stats | None = None,
                   exclude_prompts: frozenset[str] = frozenset(), verify_pairs: bool = True) -> Iterator[Pair]:
    """``n`` verified pairs, families drawn by weight, deterministic given ``seed``.

    Training pairs also come from the training-only families (``TRAIN_ONLY``), and a share of them
    (``KID_TYPING_SHARE``) is typed like a child (:func:`~codehone.blocks.synth.kid_typing.typed`);
    ``split="bench"`` draws from ``FAMILIES`` only and types nothing.

    Exact repeats of a (prompt, program) already given are skipped, as are prompts in
    ``exclude_prompts`` (the benchmark's); both count as duplicates in ``stats``.
    """
    if split not in ("train", "bench"):
        raise ValueError(f"split must be train or bench, got {split!r}")
    stats = stats if stats is not None else Stats()
    rng = random.Random(f"codehone.blocks.synth:{split}:{seed}")
    families = FAMILIES + (TRAIN_ONLY if split == "train" else ())
    weights = [f.weight for f in families]
    seen: set[tuple[str, str]] = set()
    tries = 0
    while stats.kept < n:
        tries += 1
        if tries > 50 * n + 100:
            raise RuntimeError(f"could only make {stats.kept} distinct pairs of {n}")
        family = rng.choices(families, weights)[0]
        pair = make_pair(family, random.Random(rng.getrandbits(64)), split)
        typing = random.Random(rng.getrandbits(64))
        if split == "train" and typing.random() < KID_TYPING_SHARE:
            pair = typed(pair, typing)
        if (pair.prompt, pair.program) in seen or pair.prompt in exclude_prompts:
            stats.duplicates += 1
            continue
        seen.add((pair.prompt, pair.program))
        stats.generated += 1
        if verify_pairs:
            v = verify(pair)
            if v.reason not in ("parse", "print", "sb3"):
                stats.round_trip += 1
            if not v.ok:
                stats.dropped[v.reason] = stats.dropped.get(v.reason, 0) + 1
                continue
        stats.kept += 1
        stats.by_family[pair.family] = stats.by_family.get(pair.family, 0) + 1
        yield pair


def interleave(items: list, extra: list) -> list:
    """``extra`` spread evenly through ``items`` (so added pairs or rows land in different rows,
    and the validation rows, the last ones, get some)."""
    if not extra:
        return items
    extra = list(extra)
    out, step = [], max(1, len(items) // len(extra))
    for i, item in enumerate(items):
        out.append(item)
        if extra and (i + 1) % step == 0:
            out.append(extra.pop(0))
    return out + extra
