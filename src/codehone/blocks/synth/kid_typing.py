"""How children type (issue 18): misspelt words, no capitals, no punctuation. Applied by
:func:`codehone.blocks.synth.pairs.generate_pairs` to a share of the English training pairs (never
to the benchmark's), after the pair is made: the request keeps its meaning, so its program and
check stay right.

Nothing between double quotes changes (those are the words to be said), nor any word the check
needs as it stands (words dictated without quotes), nor numbers. The misspellings are a small
hand-written table of the generator's own words, as a child might type them.
"""

from __future__ import annotations

import random
import re

from codehone.blocks.synth.program import Pair

MISSPELT: dict[str, tuple[str, ...]] = {
    "square": ("sqaure", "squre", "sqare", "skware"), "rectangle": ("rectangel", "rectange", "retangle", "rectangl"),
    "seconds": ("secunds", "secs", "seconts", "secondz"), "second": ("secund", "sec"),
    "forever": ("forevr", "forver", "for ever", "4ever"), "circle": ("cirle", "circel", "sircle", "cricle"),
    "triangle": ("triangel", "traingle", "tryangle"), "hello": ("helo", "hallo", "hellow"),
    "draw": ("drow", "darw"), "please": ("plz", "pleese", "pleas"), "make": ("mak", "maek", "mke"),
    "sprite": ("sprit", "spirte"), "spin": ("spinn",), "spinning": ("spining", "spinnin"),
    "dance": ("danse", "dans"), "dancing": ("danceing", "dansing"), "say": ("sey", "sai"), "says": ("sez", "sayz"),
    "saying": ("sayin", "saing"), "with": ("wiht", "wit"), "the": ("teh", "th"), "then": ("than", "thn", "thne"),
    "times": ("tims", "timez"), "steps": ("stepz", "stps"), "hexagon": ("hexagone", "hexigon"),
    "pentagon": ("pentogon", "pentagone"), "octagon": ("octogon", "octigon"), "colour": ("coler", "culor"),
    "color": ("coler", "collor"), "purple": ("purpel",), "yellow": ("yelow", "yello"), "orange": ("orenge",),
    "number": ("nummber", "numbr", "nuber"), "answer": ("anser", "answr"), "what": ("wat", "wot"),
    "your": ("ur", "yor"), "you": ("u", "yu"), "want": ("wnat", "wan"), "bigger": ("biger",),
    "around": ("arund", "arond"), "next": ("nxt",), "turn": ("trun",), "line": ("lien",), "keep": ("keap", "kep"),
    "again": ("agian", "agen"), "every": ("evry",), "little": ("littel", "litle"), "double": ("dubble", "duble"),
    "twice": ("twise",), "until": ("untill", "intil"), "star": ("starr",), "stairs": ("stares", "stiars"),
    "height": ("hight", "heigth"), "width": ("widht", "wdith"), "wide": ("wid",), "tall": ("tal",),
    "after": ("aftr", "afer"), "when": ("wen", "whn"), "click": ("clik", "clck"), "clicked": ("clickd", "cliked"),
    "because": ("becuz", "cuz"), "something": ("somthing",), "favourite": ("favorite", "favrit", "faverite"),
    "birthday": ("brithday", "birfday"), "year": ("yer",), "old": ("olld",), "never": ("nevr", "neva"),
    "stop": ("stpo",), "bounce": ("bonce", "bounse"), "walk": ("wlak",), "count": ("cont", "coutn"),
    "sides": ("sids", "sieds"), "pointed": ("pionted",), "arrow": ("arow", "arrrow"), "keys": ("keyz",),
}

_PUNCT = re.compile(r"(?<=[A-Za-z)])[.,!?;:]+(?=\s|$)")


def _protected(check: dict) -> set[str]:
    """Lower-case words the check needs verbatim (texts said or thought, variable names)."""
    words: set[str] = set()
    stack = [check]
    while stack:
        c = stack.pop()
        for key in ("text", "texts", "name"):
            values = c.get(key, [])
            for text in [values] if isinstance(values, str) else values:
                words |= set(re.findall(r"[a-z']+", str(text).casefold()))
        stack += list(c.get("checks", [])) + ([c["of"]] if "of" in c else [])
    return words


def _misspell(text: str, rng: random.Random, keep: set[str], budget: int, skip: float) -> tuple[str, int]:
    def swap(m: re.Match) -> str:
        nonlocal budget
        word = m.group(0)
        low = word.casefold()
        if budget <= 0 or low in keep or low not in MISSPELT or rng.random() < skip:
            return word
        budget -= 1
        return rng.choice(MISSPELT[low])

    return re.sub(r"[A-Za-z]+", swap, text), budget


def _retype(prompt: str, rng: random.Random, keep: set[str], budget: int, lower: bool, bare: bool,
            skip: float = 0.4) -> str:
    out = []
    for i, piece in enumerate(prompt.split('"')):
        if i % 2 == 0:  # outside quotes
            piece, budget = _misspell(piece, rng, keep, budget, skip)
            if lower:
                piece = piece.lower()
            if bare:
                piece = _PUNCT.sub("", piece)
        out.append(piece)
    return '"'.join(out).strip() or prompt


def kid_type(prompt: str, check: dict, rng: random.Random) -> str:
    """The request typed like a child: one to three misspellings, and/or no capitals and no
    punctuation outside quotes. It differs from ``prompt`` unless nothing of it could change."""
    keep = _protected(check) | set(re.findall(r"(?:called|named) (\w+)", prompt.casefold()))
    budget = rng.choice([1, 1, 2, 3]) if rng.random() < 0.8 else 0
    text = _retype(prompt, rng, keep, budget, rng.random() < 0.6, rng.random() < 0.6)
    if text == prompt:
        text = _retype(prompt, rng, keep, 1, True, True, skip=0.0)
    return text


def typed(pair: Pair, rng: random.Random) -> Pair:
    """``pair`` with its request typed like a child (program, check and template unchanged)."""
    return Pair(pair.family, kid_type(pair.prompt, pair.check, rng), pair.program, pair.check, pair.answers,
                pair.events, pair.wording)
